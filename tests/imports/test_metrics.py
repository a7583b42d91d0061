"""Every import apply is timed for Prometheus (`strategiportalen_import_apply_seconds`)."""

import pytest
from prometheus_client import REGISTRY

from apps.imports.models import BatchStatus
from apps.imports.services import import_batch_commit, import_batch_preview, import_batch_start
from tests.imports.conftest import trainee_row

pytestmark = pytest.mark.django_db


def test_an_applied_import_is_observed_in_the_duration_histogram(hillerod, elderly, xlsx_file):
    name = "strategiportalen_import_apply_seconds_count"
    before = REGISTRY.get_sample_value(name) or 0
    path = xlsx_file([trainee_row("E1"), trainee_row("E2")])
    batch = import_batch_start(municipality=hillerod, actor=None, path=path, requested_kind="")
    batch = import_batch_preview(batch=batch, path=path)
    assert batch.status == BatchStatus.READY, batch.message
    import_batch_commit(batch=batch, actor=None)
    assert REGISTRY.get_sample_value(name) == before + 1
