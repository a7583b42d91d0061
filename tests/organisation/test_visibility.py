"""Which departments and indicators each role may see: `Department.objects.visible_to` /
`of_municipality` and `Indicator.objects.visible_to`, per persona (tests/conftest.py)."""

import pytest

from apps.accounts.scope import scope_for_user
from apps.kpis.models import Indicator
from apps.organisation.models import Department
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(municipality, other_municipality, elderly, school, other_department):
    """One indicator for the whole municipality, one per department, one elsewhere."""
    make = Indicator.objects.create
    return {
        "common": make(municipality=municipality, name="Fælles", unit="percent"),
        "elderly": make(municipality=municipality, department=elderly, name="ÆS", unit="percent"),
        "school": make(municipality=municipality, department=school, name="Skole", unit="percent"),
        "other": make(
            municipality=other_municipality,
            department=other_department,
            name="Andet",
            unit="percent",
        ),
        "other_common": make(municipality=other_municipality, name="Andet fælles", unit="count"),
    }


def _departments(user, method="visible_to"):
    departments = getattr(Department.objects, method)(scope_for_user(user))
    return set(departments.values_list("name", flat=True))


def _indicators(user):
    return set(Indicator.objects.visible_to(scope_for_user(user)).values_list("name", flat=True))


OWN = {"Ældre og Sundhed", "Skole"}  # the departments of `municipality`


@pytest.mark.parametrize("persona", ["coordinator", "hr", "admin_user"])
def test_municipality_wide_roles_see_every_department_of_their_municipality(
    request, world, persona
):
    user = request.getfixturevalue(persona)

    assert _departments(user) == OWN
    assert _departments(user, "of_municipality") == OWN


def test_leader_sees_only_their_own_department_but_the_whole_municipality_on_strategy(
    world, leader
):
    assert _departments(leader) == {"Ældre og Sundhed"}
    assert _departments(leader, "of_municipality") == OWN


def test_leader_of_several_departments_sees_each_of_them(world, municipality, elderly, school):
    user = UserFactory(role="leader", municipality=municipality, departments=[elderly, school])

    assert _departments(user) == OWN


def test_leader_without_departments_sees_no_department(world, municipality):
    user = UserFactory(role="leader", municipality=municipality)

    assert _departments(user) == set()
    assert _indicators(user) == {"Fælles"}


def test_kkr_analyst_sees_no_department_but_the_municipality_on_strategy(world, kkr):
    assert _departments(kkr) == set()
    assert _departments(kkr, "of_municipality") == OWN


def test_outsider_sees_only_their_own_municipality(world, outsider):
    assert _departments(outsider) == {"Dagtilbud"}
    assert _departments(outsider, "of_municipality") == {"Dagtilbud"}
    assert _indicators(outsider) == {"Andet", "Andet fælles"}


def test_platform_operator_sees_every_municipality(world):
    operator = UserFactory(
        username="platform", role="", municipality=None, is_superuser=True, is_staff=True
    )

    assert _departments(operator) == OWN | {"Dagtilbud"}
    assert _indicators(operator) == {"Fælles", "ÆS", "Skole", "Andet", "Andet fælles"}


@pytest.mark.parametrize("persona", ["coordinator", "hr", "admin_user", "kkr"])
def test_municipality_wide_roles_see_every_indicator_of_their_municipality(request, world, persona):
    # KKR analysts read indicators as aggregates; their figures are rounded on disclosure.
    user = request.getfixturevalue(persona)

    assert _indicators(user) == {"Fælles", "ÆS", "Skole"}


def test_leader_sees_municipality_wide_indicators_and_their_own_departments(world, leader):
    # `in_scope` cuts municipality-wide indicators away from leaders; reading keeps them.
    assert _indicators(leader) == {"Fælles", "ÆS"}
    assert set(
        Indicator.objects.in_scope(scope_for_user(leader)).values_list("name", flat=True)
    ) == {"ÆS"}


def test_other_leader_never_sees_the_elderly_departments_indicator(world, other_leader):
    assert _indicators(other_leader) == {"Fælles", "Skole"}
