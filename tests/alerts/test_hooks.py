"""Flags are recomputed after every import (the imports app's signal), like the KPIs."""

import pytest
from django.test import override_settings

from apps.alerts.models import AbsenceFlag
from apps.imports.signals import import_applied

pytestmark = pytest.mark.django_db


@override_settings(
    TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
)
def test_an_applied_import_recomputes_the_flags(
    municipality, flagged_pair, django_capture_on_commit_callbacks
):
    assert not AbsenceFlag.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        import_applied.send(sender=None, batch=None, municipality_id=municipality.pk)
    assert AbsenceFlag.objects.current().count() == 2
