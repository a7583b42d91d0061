"""Capacity rows and planning settings: the database refuses what makes no sense."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from apps.placements.models import PlanningSettings, WorkplaceCapacity
from tests.factories import WorkplaceFactory, programme

pytestmark = pytest.mark.django_db


def row(workplace, **kwargs):
    values = {
        "municipality": workplace.department.municipality,
        "workplace": workplace,
        "programme": programme("SSA"),
        "start_date": datetime.date(2027, 2, 1),
        "end_date": datetime.date(2027, 6, 30),
        "places": 2,
        **kwargs,
    }
    return WorkplaceCapacity(**values)


def test_the_end_may_not_come_before_the_start(elderly):
    bad = row(WorkplaceFactory(department=elderly), end_date=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError, match="Til-datoen må ikke ligge før fra-datoen"):
        bad.full_clean()
    with pytest.raises(IntegrityError):
        bad.save()


def test_a_capacity_has_at_least_one_place(elderly):
    with pytest.raises(ValidationError, match="mindst 1 plads"):
        row(WorkplaceFactory(department=elderly), places=0).full_clean()


def test_the_workplace_belongs_to_the_municipality(elderly, other_department):
    bad = row(WorkplaceFactory(department=other_department), municipality=elderly.municipality)
    with pytest.raises(ValidationError, match="hører ikke til kommunen"):
        bad.full_clean()


def test_the_supervisor_maximum_defaults_to_two(municipality):
    assert PlanningSettings.max_trainees_for(municipality.pk) == 2
    PlanningSettings.objects.create(municipality=municipality, supervisor_max_trainees=3)
    assert PlanningSettings.max_trainees_for(municipality.pk) == 3
