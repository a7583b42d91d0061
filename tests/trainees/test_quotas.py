"""Quotas (dimensionering) managed in the portal: services, validation and pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.trainees.models import IntakeQuota, Programme
from apps.trainees.services import quota_create, quota_delete, quota_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def paed(db):
    return Programme.objects.get(code="PAED")


def _data(programme, **extra):
    return {"programme": programme, "year": 2025, "department": None, "minimum": 30, **extra}


def test_a_range_quota_is_created_and_audited(municipality, coordinator, paed):
    quota = quota_create(
        municipality_id=municipality.pk, actor=coordinator, data=_data(paed, maximum=35)
    )
    assert (quota.minimum, quota.maximum, quota.range_text) == (30, 35, "30–35")
    entry = AuditEntry.objects.for_object(quota).get()
    assert entry.action == "trainees.intakequota.created"
    assert entry.changes["maximum"] == [None, 35]


def test_a_maximum_below_the_minimum_is_refused_in_danish(municipality, coordinator, paed):
    with pytest.raises(ValidationError) as exc:
        quota_create(
            municipality_id=municipality.pk, actor=coordinator, data=_data(paed, maximum=20)
        )
    assert exc.value.message_dict["maximum"] == ["Maksimum må ikke være mindre end minimum."]
    assert not IntakeQuota.objects.exists()


def test_one_quota_per_programme_year_and_department_even_for_the_whole_municipality(
    municipality, coordinator, paed, elderly
):
    quota_create(municipality_id=municipality.pk, actor=coordinator, data=_data(paed))
    with pytest.raises(ValidationError) as exc:
        quota_create(municipality_id=municipality.pk, actor=coordinator, data=_data(paed))
    assert "Der er allerede en dimensionering for denne uddannelse" in str(exc.value)
    # A department's own quota beside the municipality's is fine.
    quota_create(
        municipality_id=municipality.pk, actor=coordinator, data=_data(paed, department=elderly)
    )
    assert IntakeQuota.objects.count() == 2


def test_the_database_refuses_a_second_municipal_quota_too(municipality, paed):
    from django.db import IntegrityError, transaction

    IntakeQuota.objects.create(municipality=municipality, programme=paed, year=2025, minimum=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeQuota.objects.create(municipality=municipality, programme=paed, year=2025, minimum=4)


def test_another_municipalitys_department_is_refused(
    municipality, coordinator, paed, other_department
):
    with pytest.raises(ValidationError) as exc:
        quota_create(
            municipality_id=municipality.pk,
            actor=coordinator,
            data=_data(paed, department=other_department),
        )
    assert exc.value.message_dict["department"] == ["Fagområdet hører ikke til kommunen."]


def test_a_stale_edit_is_refused_and_a_fresh_one_audited(municipality, coordinator, paed):
    quota = quota_create(municipality_id=municipality.pk, actor=coordinator, data=_data(paed))
    quota_update(quota=quota, actor=coordinator, data={"minimum": 32}, expected_version=1)
    with pytest.raises(ValidationError, match="ændret af en anden"):
        quota_update(quota=quota, actor=coordinator, data={"minimum": 33}, expected_version=1)
    quota.refresh_from_db()
    assert (quota.minimum, quota.version) == (32, 2)
    assert (
        AuditEntry.objects.for_object(quota)
        .filter(action="trainees.intakequota.updated", changes__minimum=[30, 32])
        .exists()
    )
    quota_delete(quota=quota, actor=coordinator, expected_version=2)
    assert not IntakeQuota.objects.exists()
    assert AuditEntry.objects.filter(action="trainees.intakequota.deleted").exists()


# --- pages ---------------------------------------------------------------------------------


def test_hr_creates_a_range_quota_for_a_department(login, hr, paed, elderly):
    response = login(hr).post(
        reverse("quotas:quota_create"),
        {
            "programme": paed.pk,
            "year": 2025,
            "department": elderly.pk,
            "minimum": 30,
            "maximum": 35,
            "note": "",
        },
    )
    assert response.status_code == 302
    quota = IntakeQuota.objects.get()
    assert (quota.department, quota.minimum, quota.maximum) == (elderly, 30, 35)
    page = login(hr).get(reverse("quotas:quota_list") + "?year=2025").content.decode()
    assert "30–35" in page and elderly.name in page


def test_the_form_shows_a_danish_message_next_to_the_field(login, coordinator, paed):
    response = login(coordinator).post(
        reverse("quotas:quota_create"),
        {"programme": paed.pk, "year": 2025, "department": "", "minimum": 30, "maximum": 10},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="maximum-error">Maksimum må ikke være mindre end minimum.' in html
    assert 'aria-describedby="maximum-error"' in html
    assert not IntakeQuota.objects.exists()


def test_a_duplicate_is_shown_on_the_form_not_a_500(login, coordinator, municipality, paed):
    IntakeQuota.objects.create(municipality=municipality, programme=paed, year=2025, minimum=3)
    response = login(coordinator).post(
        reverse("quotas:quota_create"),
        {"programme": paed.pk, "year": 2025, "department": "", "minimum": 30},
    )
    assert response.status_code == 200
    assert "Der er allerede en dimensionering" in response.content.decode()
    assert IntakeQuota.objects.count() == 1


def test_edit_and_delete_through_the_pages(login, coordinator, municipality, paed):
    quota = IntakeQuota.objects.create(
        municipality=municipality, programme=paed, year=2025, minimum=30
    )
    client = login(coordinator)
    response = client.post(
        reverse("quotas:quota_update", args=[quota.pk]),
        {"programme": paed.pk, "year": 2025, "minimum": 30, "maximum": 35, "version": 1},
    )
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.maximum == 35
    response = client.post(reverse("quotas:quota_delete", args=[quota.pk]), {"version": 2})
    assert response.status_code == 302
    assert not IntakeQuota.objects.exists()


def test_leaders_get_403_and_another_municipalitys_quota_is_404(
    login, leader, outsider, municipality, paed
):
    quota = IntakeQuota.objects.create(
        municipality=municipality, programme=paed, year=2025, minimum=30
    )
    assert login(leader).get(reverse("quotas:quota_list")).status_code == 403
    assert login(leader).post(reverse("quotas:quota_delete", args=[quota.pk])).status_code == 403
    response = login(outsider).post(reverse("quotas:quota_delete", args=[quota.pk]), {"version": 1})
    assert response.status_code == 404
    assert IntakeQuota.objects.filter(pk=quota.pk).exists()


def test_the_list_reads_in_a_constant_number_of_queries(
    login, coordinator, municipality, elderly, school, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(coordinator)
    url = reverse("quotas:quota_list") + "?year=2025"
    programmes = list(Programme.objects.all()[:8])
    for programme in programmes[:3]:
        IntakeQuota.objects.create(
            municipality=municipality, programme=programme, year=2025, minimum=5
        )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for programme in programmes[3:]:
        for department in (elderly, school):
            IntakeQuota.objects.create(
                municipality=municipality,
                programme=programme,
                year=2025,
                department=department,
                minimum=5,
            )
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    assert page.content.decode().count("mindst 5") == 13
