"""Retention: trainees are anonymised a municipality's `retention_years` after their
education ended (only where retention is switched on), counts and KPIs stay the same,
and a dry run only reports. "Today" is frozen by passing a date to the service."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.kpis.models import Indicator, Measurement
from apps.privacy.services import retention_apply, retention_due, trainee_anonymise
from apps.privacy.tasks import apply_retention_task
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import Absence, DropoutReason, Trainee
from tests.factories import TraineeFactory, programme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 30)


@pytest.fixture
def retention_on(municipality):
    municipality.retention_enabled = True
    municipality.retention_years = 5
    municipality.save()
    return municipality


def _ended(department, end_date, **kwargs):
    return TraineeFactory(
        department=department,
        first_name="Mette",
        last_name="Frederiksen",
        personal_guide="Pia Vejleder",
        status=TraineeStatus.COMPLETED,
        start_date=end_date.replace(year=end_date.year - 3),
        end_date=end_date,
        **kwargs,
    )


def test_a_trainee_is_anonymised_once_the_retention_period_has_run_out(retention_on, elderly):
    old = _ended(elderly, datetime.date(2025, 6, 30), hr_id="E-1001")
    recent = _ended(elderly, datetime.date(2025, 7, 1), hr_id="E-1002")

    report = retention_apply(today=TODAY)

    assert [item.trainee_id for item in report.items] == [old.pk]
    old.refresh_from_db()
    assert old.first_name == old.last_name == old.personal_guide == old.dropout_note == ""
    assert old.hr_id.startswith("ANON-") and "1001" not in old.hr_id
    assert old.anonymised_at is not None
    recent.refresh_from_db()
    assert recent.hr_id == "E-1002" and recent.last_name == "Frederiksen"
    assert recent.anonymised_at is None


def test_time_travel_a_year_later_reaches_the_next_trainee(retention_on, elderly):
    recent = _ended(elderly, datetime.date(2025, 7, 1))
    assert retention_apply(today=TODAY).items == []
    assert [i.trainee_id for i in retention_apply(today=datetime.date(2031, 7, 1)).items] == [
        recent.pk
    ]


def test_nothing_is_anonymised_where_retention_is_switched_off(municipality, elderly):
    assert municipality.retention_enabled is False
    _ended(elderly, datetime.date(2001, 1, 1))
    assert retention_apply(today=TODAY).items == []
    assert not Trainee.objects.filter(anonymised_at__isnull=False).exists()


def test_each_municipality_uses_its_own_number_of_years(
    retention_on, elderly, other_municipality, other_department
):
    other_municipality.retention_enabled = True
    other_municipality.retention_years = 10
    other_municipality.save()
    mine = _ended(elderly, datetime.date(2024, 1, 1))
    _ended(other_department, datetime.date(2024, 1, 1))
    assert [t.pk for t in retention_due(today=TODAY)] == [mine.pk]


def test_active_and_already_anonymised_trainees_are_left_alone(retention_on, elderly):
    TraineeFactory(department=elderly, status=TraineeStatus.ACTIVE)
    done = _ended(elderly, datetime.date(2020, 1, 1))
    trainee_anonymise(trainee=done)
    assert list(retention_due(today=TODAY)) == []


def _aggregates():
    trainees = list(
        Trainee.objects.values(
            "programme__code",
            "start_year",
            "end_year",
            "status",
            "department_id",
            "dropout_reason_id",
            "hired_after",
        )
        .annotate(n=Count("pk"))
        .order_by("programme__code", "start_year", "status", "department_id")
    )
    absence = Absence.objects.aggregate(sick=Sum("sick_days"), planned=Sum("planned_days"))
    measurements = list(Measurement.objects.values_list("indicator_id", "period", "value"))
    return trainees, absence, measurements


def test_counts_absence_and_kpi_measurements_are_unchanged(retention_on, elderly, school):
    reason = DropoutReason.objects.first()
    for department in (elderly, school):
        _ended(department, datetime.date(2024, 1, 1), hired_after=True)
        _ended(department, datetime.date(2025, 12, 31))
        dropped = _ended(
            department,
            datetime.date(2022, 3, 1),
            programme=programme("SSA"),
        )
        Trainee.objects.filter(pk=dropped.pk).update(
            status=TraineeStatus.DROPPED_OUT, dropout_reason=reason, dropout_note="Flyttede"
        )
        Absence.objects.create(
            municipality=department.municipality,
            trainee=dropped,
            month=datetime.date(2021, 9, 1),
            sick_days=Decimal("3"),
            planned_days=Decimal("20"),
        )
    indicator = Indicator.objects.create(municipality=retention_on, name="Frafald SSA")
    Measurement.objects.create(
        municipality=retention_on, indicator=indicator, period=2022, value=Decimal("16.20")
    )
    before = _aggregates()

    report = retention_apply(today=TODAY)

    assert len(report.items) == 4
    assert _aggregates() == before
    assert not Trainee.objects.filter(dropout_note="Flyttede").exists()


def test_the_audit_trail_of_an_anonymised_trainee_no_longer_names_them(retention_on, elderly):
    trainee = _ended(elderly, datetime.date(2020, 1, 1), hr_id="E-7")
    audit_record(
        actor=None,
        action="trainees.trainee.updated",
        obj=trainee,
        changes={"last_name": ["Hansen", "Frederiksen"], "status": ["active", "completed"]},
    )
    trainee_anonymise(trainee=trainee)
    entries = AuditEntry.objects.filter(object_type="trainees.trainee", object_id=str(trainee.pk))
    text = " ".join(f"{e.object_repr} {e.changes}" for e in entries)
    assert "Frederiksen" not in text and "Hansen" not in text and "E-7" not in text
    assert entries.filter(action="privacy.trainee.anonymised").exists()
    assert entries.get(action="trainees.trainee.updated").changes["status"] == [
        "active",
        "completed",
    ]


def test_a_dry_run_lists_what_it_would_do_and_changes_nothing(retention_on, elderly):
    trainee = _ended(elderly, datetime.date(2025, 1, 31), hr_id="E-42")
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--today", "2030-06-30", stdout=out)
    text = out.getvalue()
    assert f"Hillerød: elev E-42 (id {trainee.pk}, slut 31.01.2025, 5 år) anonymiseres" in text
    assert "1 elever ville blive anonymiseret pr. 30.06.2030." in text
    trainee.refresh_from_db()
    assert trainee.hr_id == "E-42" and trainee.anonymised_at is None


def test_the_command_and_the_daily_task_anonymise(retention_on, elderly):
    first = _ended(elderly, datetime.date(2001, 1, 31))
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "1 elever anonymiseret" in out.getvalue()
    first.refresh_from_db()
    assert first.anonymised_at is not None
    _ended(elderly, datetime.date(2002, 1, 31))
    assert apply_retention_task.call() == 1
