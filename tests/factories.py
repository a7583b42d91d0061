"""One factory per model (split per app when this grows)."""

import datetime

import factory

from apps.accounts.models import User
from apps.core.roles import Role
from apps.organisation.models import Department, Municipality, Workplace
from apps.strategy.models import FocusArea, Goal, Initiative, Strategy
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import Programme, Trainee

PASSWORD = "Test-adgangskode-123"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: 900 + n)
    name = factory.Sequence(lambda n: f"Testkommune {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Fagområde {n}")


class WorkplaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplace

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Arbejdsplads {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.COORDINATOR
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)
        if create:
            self.save()


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    municipality = factory.SubFactory(MunicipalityFactory)
    title = "Uddannelsesstrategi"
    version_label = "Version 1"


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Indsatsområde {n}")
    order = factory.Sequence(lambda n: n)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    focus_area = factory.SubFactory(FocusAreaFactory)
    text = factory.Sequence(lambda n: f"Målsætning {n}")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Indsats {n}")

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        """`InitiativeFactory(goals=[goal])` links the initiative to those goals."""
        if create and extracted:
            self.goals.set(extracted)


def programme(code: str = "SSH") -> Programme:
    return Programme.objects.get(code=code)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    municipality = factory.LazyAttribute(lambda t: t.department.municipality)
    department = factory.SubFactory(DepartmentFactory)
    hr_id = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = "Elev"
    last_name = factory.Sequence(lambda n: f"Nummer {n}")
    programme = factory.LazyFunction(lambda: programme("SSH"))
    start_date = datetime.date(2022, 8, 1)
    status = TraineeStatus.ACTIVE


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisor

    municipality = factory.LazyAttribute(lambda s: s.workplace.department.municipality)
    workplace = factory.SubFactory(WorkplaceFactory)
    hr_id = factory.Sequence(lambda n: f"V{n:05d}")
    name = factory.Sequence(lambda n: f"Vejleder {n}")
    qualification = factory.LazyFunction(lambda: QualificationLevel.objects.get(code="none"))
