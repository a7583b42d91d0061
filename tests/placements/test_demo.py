"""The demo gives the planning page a real plan: capacity for the next half-year in
Frederikssund and Hillerød, and a new intake of which some are placed and some are not."""

import datetime
import io

import pytest

from apps.demo.organisation import load_organisation
from apps.demo.planning import load_planning, next_half_year
from apps.demo.population import load_population
from apps.organisation.models import Municipality
from apps.placements.models import WorkplaceCapacity
from apps.placements.planning import make_plan, planned_placements
from apps.placements.selectors import ConflictKind, period_conflicts

pytestmark = pytest.mark.django_db


def test_next_half_year():
    assert next_half_year(datetime.date(2026, 12, 1)) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 6, 30),
    )
    assert next_half_year(datetime.date(2027, 3, 15)) == (
        datetime.date(2027, 7, 1),
        datetime.date(2027, 12, 31),
    )


def test_the_demo_plans_placed_and_unplaced_trainees_in_both_municipalities():
    load_organisation()
    load_population(stdout=io.StringIO())
    today = datetime.date(2026, 12, 1)
    out = io.StringIO()
    assert load_planning(stdout=out, today=today) == 27
    assert "01.01.2027–30.06.2027" in out.getvalue()
    assert load_planning(stdout=io.StringIO(), today=today) == 0  # a rerun adds nothing
    start, end = next_half_year(today)
    for code in (250, 219):
        municipality = Municipality.objects.get(code=code)
        assert WorkplaceCapacity.objects.filter(
            municipality=municipality, start_date=start, end_date=end
        ).exists()
        plan = make_plan(municipality.pk, start, end)
        assigned, unassigned = plan.solution.assignments, plan.solution.unassigned
        assert len(assigned) >= 5 and len(unassigned) >= 1, municipality.name
        assert any(a.qualified for a in assigned)
        # The capacity covers the placements already on record: neither they nor the plan
        # overfill a workplace or put a trainee where the programme is not taken.
        conflicts = period_conflicts(
            municipality.pk, start, end, planned_placements(plan, municipality.pk)
        )
        assert not {ConflictKind.OVER_CAPACITY, ConflictKind.PROGRAMME_NOT_TAKEN} & {
            c.kind for c in conflicts
        }
