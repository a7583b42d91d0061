"""The demo population has flagged trainees, so the warnings show on the demo's pages."""

import io

import pytest

from apps.alerts.models import AbsenceFlag
from apps.alerts.selectors import absence_window
from apps.demo.alerts import load_absence_flags
from apps.demo.organisation import load_organisation
from apps.demo.population import load_population
from apps.organisation.models import Municipality
from apps.trainees.choices import TraineeStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_flagged_active_trainees_in_every_municipality():
    load_organisation()
    load_population(stdout=io.StringIO())
    out = io.StringIO()
    flagged = load_absence_flags(stdout=out)
    assert flagged == AbsenceFlag.objects.current().count() > 0
    assert "Elever med højt sygefravær" in out.getvalue()
    for municipality in Municipality.objects.all():
        flags = AbsenceFlag.objects.current().filter(municipality=municipality)
        assert flags.exists(), municipality.name
        window = absence_window(municipality.pk)
        assert all(f.trainee.status == TraineeStatus.ACTIVE for f in flags)
        assert all((f.window_start, f.window_end) == window and f.rate > 10 for f in flags)
