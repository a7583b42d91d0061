"""The audit trail is append-only (in the database, too) and look-up events are purged
after AUDIT_LOOKUP_RETENTION_MONTHS, while change events stay."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.core.audit import audit_lookups_purge, audit_record, audit_redact, audit_retention_sync
from apps.core.models import AuditEntry
from apps.core.tasks import purge_audit_task
from apps.trainees.models import Trainee
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _months_later(months: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=round(months * 30.44))


def test_the_database_refuses_to_change_an_audit_entry(coordinator):
    entry = audit_record(actor=coordinator, action="view", obj=coordinator)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'intet' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "view"


def test_the_orm_refuses_to_change_an_audit_entry(coordinator):
    entry = audit_record(actor=coordinator, action="view", obj=coordinator)
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="intet")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_lets_a_deleted_users_entries_lose_only_the_user_link(coordinator, hr):
    entry = audit_record(actor=hr, action="view", obj=coordinator)
    with connection.cursor() as cursor:  # what ON DELETE SET NULL does when hr is deleted
        cursor.execute("UPDATE core_auditentry SET actor_id = NULL WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_label == "hanne"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditentry SET actor_id = %s WHERE id = %s", [coordinator.pk, entry.pk]
        )


def test_the_sanctioned_redaction_may_blank_personal_values(coordinator, elderly):
    trainee = TraineeFactory(department=elderly, last_name="Jensen")
    entry = audit_record(
        actor=coordinator,
        action="trainees.trainee.updated",
        obj=trainee,
        changes={"last_name": ["Hansen", "Jensen"], "status": ["active", "completed"]},
    )
    Trainee.objects.filter(pk=trainee.pk).update(anonymised_at=timezone.now())
    audit_redact(entries=[entry], fields=["last_name"], object_repr="Anonymiseret elev")
    entry.refresh_from_db()
    assert entry.changes == {
        "last_name": ["[anonymiseret]", "[anonymiseret]"],
        "status": ["active", "completed"],
    }
    assert entry.object_repr == "Anonymiseret elev"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET object_repr = 'x' WHERE id = %s", [entry.pk])


def recorded_at(moment: datetime.datetime, **kwargs) -> AuditEntry:
    """An audit entry as if recorded at `moment` (entries cannot be back-dated afterwards)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_record(**kwargs)


def _months_ago(months: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=round(months * 30.44))


def test_look_ups_older_than_the_retention_period_are_purged_and_changes_kept(
    coordinator, settings
):
    settings.AUDIT_LOOKUP_RETENTION_MONTHS = 12
    for action in AuditEntry.LOOKUP_ACTIONS:
        recorded_at(_months_ago(11), actor=coordinator, action=action, obj=coordinator)
    assert audit_lookups_purge() == 0
    assert AuditEntry.objects.count() == 3

    for action in AuditEntry.LOOKUP_ACTIONS:
        recorded_at(_months_ago(13), actor=coordinator, action=action, obj=coordinator)
    change = recorded_at(
        _months_ago(13), actor=coordinator, action="strategy.goal.updated", obj=coordinator
    )
    assert audit_lookups_purge() == 3
    assert AuditEntry.objects.count() == 4
    assert AuditEntry.objects.filter(pk=change.pk).exists()
    assert not AuditEntry.objects.filter(occurred_at__lt=_months_ago(12)).lookups().exists()


def test_a_dry_run_counts_but_deletes_nothing(coordinator):
    audit_record(actor=coordinator, action="view", obj=coordinator)
    assert audit_lookups_purge(now=_months_later(13), dry_run=True) == 1
    assert AuditEntry.objects.count() == 1


def test_the_purge_command_and_task_use_the_configured_period(coordinator, settings):
    audit_record(actor=coordinator, action="search")
    settings.AUDIT_LOOKUP_RETENTION_MONTHS = 0
    audit_retention_sync()  # what `migrate` does with the new setting
    out = io.StringIO()
    call_command("purge_audit", "--dry-run", stdout=out)
    assert "1 opslag ældre end 0 måneder ville blive slettet." in out.getvalue()
    assert AuditEntry.objects.count() == 1
    assert purge_audit_task.call() == 1
    assert AuditEntry.objects.count() == 0


def test_the_retention_period_defaults_to_12_months():
    from django.conf import settings

    assert settings.AUDIT_LOOKUP_RETENTION_MONTHS == 12
