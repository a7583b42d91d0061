"""Capacity, the default supervisor maximum and supervisors' own maximum edited in the
portal: services, Danish validation, versions, scope and query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.placements.capacity_services import capacity_create, capacity_update
from apps.placements.models import PlanningSettings, WorkplaceCapacity
from apps.trainees.models import Programme
from tests.factories import WorkplaceFactory
from tests.placements.conftest import capacity, supervisor

pytestmark = pytest.mark.django_db

FEB, JUN = datetime.date(2027, 2, 1), datetime.date(2027, 6, 30)


@pytest.fixture
def wp(elderly):
    return WorkplaceFactory(department=elderly, name="Døgnplejen Nord")


def _post(wp, **extra):
    ssa = Programme.objects.get(code="SSA")
    return {
        "workplace": wp.pk,
        "programme": ssa.pk,
        "start_date": "01.02.2027",
        "end_date": "30.06.2027",
        "places": "3",
        **extra,
    }


def test_hr_creates_capacity_with_danish_dates_and_it_is_audited(login, hr, wp):
    response = login(hr).post(reverse("capacity:capacity_create"), _post(wp))
    assert response.status_code == 302
    row = WorkplaceCapacity.objects.get()
    assert (row.start_date, row.end_date, row.places) == (FEB, JUN, 3)
    entry = AuditEntry.objects.for_object(row).get()
    assert entry.action == "placements.workplacecapacity.created"
    page = login(hr).get(reverse("capacity:capacity_list") + "?start=01.01.2027").content.decode()
    assert "Døgnplejen Nord" in page and "01.02.2027" in page


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"end_date": "31.01.2027"}, "end_date", "Til-datoen må ikke ligge før fra-datoen."),
        ({"places": "-1"}, "places", "Antal pladser kan ikke være negativt."),
        ({"start_date": "2027-13-45"}, "start_date", "Datoen skal skrives som dd.mm.åååå"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_in_danish(
    login, coordinator, wp, extra, field, message
):
    response = login(coordinator).post(reverse("capacity:capacity_create"), _post(wp, **extra))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not WorkplaceCapacity.objects.exists()


def test_a_workplace_of_another_municipality_is_refused(
    login, coordinator, municipality, other_department, wp
):
    foreign = WorkplaceFactory(department=other_department)
    response = login(coordinator).post(reverse("capacity:capacity_create"), _post(foreign))
    assert "workplace" in response.context["form"].errors
    with pytest.raises(ValidationError) as exc:
        capacity_create(
            municipality_id=municipality.pk,
            actor=coordinator,
            data={
                "workplace": foreign,
                "programme": Programme.objects.get(code="SSA"),
                "start_date": FEB,
                "end_date": JUN,
                "places": 2,
            },
        )
    assert exc.value.message_dict["workplace"] == ["Arbejdspladsen hører ikke til kommunen."]
    assert not WorkplaceCapacity.objects.exists()


def test_an_overlapping_row_is_refused_naming_the_existing_row(login, coordinator, wp):
    capacity(wp, "SSA", 2, FEB, JUN)
    response = login(coordinator).post(
        reverse("capacity:capacity_create"),
        _post(wp, start_date="01.06.2027", end_date="31.12.2027"),
    )
    errors = response.context["form"].errors["start_date"]
    assert errors == [
        "Døgnplejen Nord har allerede kapacitet for SSA fra 01.02.2027 til 30.06.2027 "
        "(2 pladser), som overlapper perioden. Ret den række i stedet."
    ]
    assert WorkplaceCapacity.objects.count() == 1
    # Another programme in the same period is fine.
    response = login(coordinator).post(
        reverse("capacity:capacity_create"),
        _post(wp, programme=Programme.objects.get(code="SSH").pk),
    )
    assert response.status_code == 302


def test_a_stale_version_is_refused_with_a_danish_conflict_message(coordinator, wp):
    row = capacity(wp, "SSA", 2)
    capacity_update(capacity=row, actor=coordinator, data={"places": 4}, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        capacity_update(capacity=row, actor=coordinator, data={"places": 5}, expected_version=1)
    assert "ændret af en anden" in exc.value.messages[0]
    row.refresh_from_db()
    assert (row.places, row.version) == (4, 2)


def test_edit_and_delete_through_the_pages(login, hr, wp):
    row = capacity(wp, "SSA", 2)
    client = login(hr)
    response = client.post(
        reverse("capacity:capacity_update", args=[row.pk]), _post(wp, places="5", version="1")
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.places, row.version) == (5, 2)
    stale = client.post(reverse("capacity:capacity_delete", args=[row.pk]), {"version": "1"})
    assert "ændret af en anden" in stale.content.decode()
    client.post(reverse("capacity:capacity_delete", args=[row.pk]), {"version": "2"})
    assert not WorkplaceCapacity.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"placements.workplacecapacity.updated", "placements.workplacecapacity.deleted"} <= (
        actions
    )


def test_leaders_get_403_and_another_municipality_gets_404(login, leader, outsider, wp):
    row = capacity(wp, "SSA", 2)
    assert login(leader).get(reverse("capacity:capacity_list")).status_code == 403
    assert login(leader).get(reverse("capacity:settings")).status_code == 403
    assert login(leader).get(reverse("capacity:supervisors")).status_code == 403
    assert (
        login(outsider).get(reverse("capacity:capacity_update", args=[row.pk])).status_code == 404
    )
    response = login(outsider).post(
        reverse("capacity:capacity_delete", args=[row.pk]), {"version": 1}
    )
    assert response.status_code == 404
    assert WorkplaceCapacity.objects.exists()


def test_the_list_filters_and_needs_no_query_per_row(
    login, coordinator, elderly, wp, django_assert_num_queries
):
    other = WorkplaceFactory(department=elderly, name="Plejecenter Syd")
    for i in range(5):
        capacity(wp, "SSA", i + 1, datetime.date(2027 + i, 2, 1), datetime.date(2027 + i, 6, 30))
    capacity(other, "SSH", 2)
    client = login(coordinator)
    url = reverse("capacity:capacity_list") + f"?start=01.01.2027&workplace={wp.pk}"
    client.get(url)
    with django_assert_num_queries(12):
        page = client.get(url)
    rows = list(page.context["rows"])
    assert len(rows) == 5 and all(r.workplace_id == wp.pk for r in rows)
    page = client.get(reverse("capacity:capacity_list") + "?start=01.01.2028&end=31.12.2028")
    assert [r.start_date.year for r in page.context["rows"]] == [2028]


def test_the_default_maximum_is_edited_with_a_version(login, hr, municipality):
    client = login(hr)
    page = client.get(reverse("capacity:settings"))
    assert page.context["form"].initial["supervisor_max_trainees"] == 2
    client.post(reverse("capacity:settings"), {"supervisor_max_trainees": "3", "version": "0"})
    assert PlanningSettings.max_trainees_for(municipality.pk) == 3
    response = client.post(
        reverse("capacity:settings"), {"supervisor_max_trainees": "4", "version": "0"}
    )
    assert "ændret af en anden" in response.content.decode()
    response = client.post(
        reverse("capacity:settings"), {"supervisor_max_trainees": "0", "version": "1"}
    )
    assert "En vejleder skal kunne have mindst 1 elev." in response.content.decode()
    assert PlanningSettings.max_trainees_for(municipality.pk) == 3
    assert AuditEntry.objects.filter(action="placements.planningsettings.updated").count() == 1


def test_a_supervisors_own_maximum_is_listed_edited_and_audited(
    login, coordinator, elderly, wp, django_assert_num_queries
):
    elsewhere = WorkplaceFactory(department=elderly, name="Plejecenter Syd")
    mine = [supervisor(wp, qualified=True) for _i in range(3)]
    supervisor(elsewhere, qualified=False)
    client = login(coordinator)
    url = reverse("capacity:supervisors") + f"?workplace={wp.pk}"
    client.get(url)
    with django_assert_num_queries(11):
        page = client.get(url)
    assert {s.pk for s in page.context["supervisors"]} == {s.pk for s in mine}
    assert "2 (standard)" in page.content.decode()
    edit = reverse("capacity:supervisor_update", args=[mine[0].pk])
    assert client.post(edit, {"max_trainees": "3", "version": "1"}).status_code == 302
    mine[0].refresh_from_db()
    assert (mine[0].max_trainees, mine[0].version) == (3, 2)
    entry = AuditEntry.objects.get(action="supervisors.supervisor.updated")
    assert entry.changes == {"max_trainees": [None, 3]}
    stale = client.post(edit, {"max_trainees": "", "version": "1"})
    assert "ændret af en anden" in stale.content.decode()
    client.post(edit, {"max_trainees": "", "version": "2"})
    mine[0].refresh_from_db()
    assert mine[0].max_trainees is None
