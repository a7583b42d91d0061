"""The department dashboard counts the placement conflicts on its workplaces in the current
(else next) planning period, and links to the planning page for those who may plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import WorkplaceFactory
from tests.placements.conftest import capacity, placement, supervisor, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(elderly, school):
    """Next period: Døgnplejen (elderly) has one SSA place and two SSA trainees (over
    capacity); Skolen (school) takes PAU only but hosts an SSA trainee with no qualified
    supervisor there (programme not taken, no qualified supervisor)."""
    start = timezone.localdate() + datetime.timedelta(days=30)
    end = start + datetime.timedelta(days=150)
    dogn = WorkplaceFactory(department=elderly, name="Døgnplejen")
    skolen = WorkplaceFactory(department=school, name="Skolen")
    capacity(dogn, "SSA", 1, start, end)
    capacity(skolen, "PAU", 1, start, end)
    supervisor(dogn, qualified=True)
    for i in range(2):
        placement(trainee(elderly, "SSA", hr_id=f"D-{i}"), dogn, start=start, end=end)
    placement(trainee(school, "SSA", hr_id="S-1"), skolen, start=start, end=end)
    return start, end


def page(client, department):
    return client.get(reverse("dashboards:department", args=[department.pk]))


def test_a_leader_sees_the_count_for_their_department_only(login, leader, elderly, school, period):
    html = page(login(leader), elderly).content.decode()
    start = period[0].strftime("%d.%m.%Y")
    assert f"1 konflikt på fagområdets arbejdspladser i perioden {start}" in html
    assert reverse("placements:plan") not in html  # a leader does not plan
    assert page(login(leader), school).status_code == 404


def test_the_other_departments_leader_sees_theirs(login, other_leader, school, period):
    html = page(login(other_leader), school).content.decode()
    assert "2 konflikter på fagområdets arbejdspladser" in html


def test_a_coordinator_gets_a_link_to_the_planning_page(login, coordinator, elderly, period):
    html = page(login(coordinator), elderly).content.decode()
    start, end = (d.strftime("%d.%m.%Y") for d in period)
    assert f'href="{reverse("placements:plan")}?fra={start}&amp;til={end}"' in html


def test_no_period_no_section(login, leader, elderly):
    assert "Konflikter i praktikplanen" not in page(login(leader), elderly).content.decode()
