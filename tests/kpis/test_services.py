"""Recomputation, the import signal, the nightly command and corrections with history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from apps.core.models import AuditEntry
from apps.imports.signals import import_applied
from apps.kpis.choices import Direction, MeasurementSource, Metric, TargetKind, Unit
from apps.kpis.models import Indicator, Measurement, MetricFact
from apps.kpis.services import measurement_correct, measurements_recompute
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import Trainee

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2024, 6, 1)


@pytest.fixture
def dropout_indicator(frederikssund):
    return Indicator.objects.create(
        municipality=frederikssund.municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction=Direction.LOWER,
        baseline_value=Decimal("40"),
        baseline_period=2023,
        target_value=Decimal("-7"),
        target_period=2026,
        target_kind=TargetKind.RELATIVE,
        metric=Metric.DROPOUT_RATE,
        programme=frederikssund.ssa,
    )


def test_recompute_stores_a_measurement_per_period(frederikssund, dropout_indicator):
    result = measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    assert (
        result.facts == MetricFact.objects.filter(municipality=frederikssund.municipality).count()
    )
    m2023 = Measurement.objects.get(indicator=dropout_indicator, period=2023)
    # The 2022 SSA cohort still has 30 in course, so the latest finished one is 2020: 18/45.
    assert (m2023.numerator, m2023.denominator, m2023.value) == (18, 45, Decimal("40.00"))
    assert m2023.source == MeasurementSource.COMPUTED


def test_a_correction_survives_recomputation_and_keeps_its_history(
    frederikssund, dropout_indicator, coordinator
):
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    m = Measurement.objects.get(indicator=dropout_indicator, period=2023)
    measurement_correct(
        measurement=m,
        actor=coordinator,
        value=Decimal("39.5"),
        note="Rettet efter EduAdm",
        expected_version=1,
    )
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    m.refresh_from_db()
    assert (m.value, m.source, m.recorded_by) == (Decimal("39.50"), "manual", coordinator)
    entry = AuditEntry.objects.for_object(m).get()
    assert entry.action == "kpis.measurement.corrected"
    assert entry.changes["value"] == ["40.00", "39.5"]


def test_a_stale_correction_is_refused(frederikssund, dropout_indicator, coordinator):
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    m = Measurement.objects.get(indicator=dropout_indicator, period=2023)
    measurement_correct(measurement=m, actor=coordinator, value=Decimal("39"), note="")
    with pytest.raises(ValidationError):
        measurement_correct(
            measurement=m, actor=coordinator, value=Decimal("38"), note="", expected_version=1
        )


def test_closed_periods_are_kept_when_person_data_changes(frederikssund, dropout_indicator):
    measurements_recompute(municipality_id=frederikssund.municipality.pk, as_of=AS_OF)
    Trainee.objects.filter(programme=frederikssund.ssa, start_year=2020).filter(
        status=TraineeStatus.DROPPED_OUT
    ).update(status=TraineeStatus.COMPLETED, dropout_reason=None)
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk, as_of=datetime.date(2026, 6, 1)
    )
    assert Measurement.objects.get(indicator=dropout_indicator, period=2023).value == 40
    measurements_recompute(
        municipality_id=frederikssund.municipality.pk,
        as_of=datetime.date(2026, 6, 1),
        all_periods=True,
    )
    assert Measurement.objects.get(indicator=dropout_indicator, period=2023).value == 0


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_an_applied_import_recomputes_the_municipality(
    frederikssund, dropout_indicator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_applied.send(sender=None, batch=None, municipality_id=frederikssund.municipality.pk)
    assert MetricFact.objects.filter(municipality=frederikssund.municipality).exists()
    assert Measurement.objects.filter(indicator=dropout_indicator).exists()


def test_the_nightly_command_recomputes_one_municipality(frederikssund, dropout_indicator):
    call_command("recompute_kpis", "--municipality", "250")
    assert Measurement.objects.filter(indicator=dropout_indicator, period=2023).exists()
