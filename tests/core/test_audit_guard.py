"""The audit trail cannot be changed or deleted by an ordinary database session: only the
checked functions `core_audit_purge_lookups` (old look-up events) and `core_audit_redact`
(personal values of anonymised persons) change rows, and the trigger re-checks each row.

The tests connect as the role that owns the tables (as `migrate` does); one test switches
to a role that does not own them, as the web process must in production (SECURITY.md)."""

import datetime
import uuid
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.core.audit import REDACTED, audit_lookups_purge, audit_record, audit_redact
from apps.core.models import AuditEntry
from apps.privacy.services import trainee_anonymise
from apps.trainees.models import Placement, Trainee
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def recorded_at(moment: datetime.datetime, **kwargs) -> AuditEntry:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit_record(**kwargs)


def months_ago(months: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=round(months * 30.44))


def refused(*statements: tuple[str, list]) -> bool:
    """True when the database refuses the statements (run in a savepoint)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def old_lookup(coordinator):
    return recorded_at(months_ago(13), actor=coordinator, action="view", obj=coordinator)


@pytest.fixture
def anonymised_entry(coordinator, elderly):
    trainee = TraineeFactory(department=elderly, last_name="Jensen")
    entry = audit_record(
        actor=coordinator,
        action="trainees.trainee.updated",
        obj=trainee,
        changes={"last_name": ["Hansen", "Jensen"], "status": ["active", "completed"]},
    )
    Trainee.objects.filter(pk=trainee.pk).update(anonymised_at=timezone.now())
    return entry


FLAG = ("SELECT set_config('portal.audit_redaction', 'on', true)", [])


@pytest.mark.parametrize(
    "statements",
    [
        [("DELETE FROM core_auditentry", [])],
        [("DELETE FROM core_auditentry WHERE action = 'view'", [])],
        [("UPDATE core_auditentry SET action = 'intet'", [])],
        [FLAG, ("UPDATE core_auditentry SET action = 'intet'", [])],
        [FLAG, ("UPDATE core_auditentry SET object_repr = 'Anonymiseret elev'", [])],
        [FLAG, ("DELETE FROM core_auditentry", [])],
    ],
    ids=["delete-all", "delete-lookups", "update", "flag-update", "flag-redact", "flag-delete"],
)
def test_an_ordinary_session_can_neither_update_nor_delete(
    old_lookup, anonymised_entry, statements
):
    assert refused(*statements)
    assert AuditEntry.objects.count() == 2
    old_lookup.refresh_from_db()
    assert old_lookup.action == "view"


def test_even_the_purge_flag_set_by_hand_deletes_only_what_the_purge_may(coordinator):
    recent = audit_record(actor=coordinator, action="view", obj=coordinator)
    change = recorded_at(months_ago(13), actor=coordinator, action="strategy.goal.updated")
    forged = ("SELECT set_config('core_audit.permit', 'purge', true)", [])
    for entry in (recent, change):
        assert refused(forged, ("DELETE FROM core_auditentry WHERE id = %s", [entry.pk]))
    assert AuditEntry.objects.count() == 2


def test_the_purge_function_refuses_a_cutoff_inside_the_retention(old_lookup):
    assert refused(("SELECT core_audit_purge_lookups(%s)", [months_ago(6)]))
    assert refused(("SELECT core_audit_purge_lookups(NULL)", []))
    assert AuditEntry.objects.filter(pk=old_lookup.pk).exists()


def test_the_purge_deletes_only_old_look_up_events(coordinator, old_lookup):
    old_change = recorded_at(months_ago(13), actor=coordinator, action="imports.batch.applied")
    recent_lookup = recorded_at(months_ago(11), actor=coordinator, action="export")
    assert audit_lookups_purge() == 1
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {
        old_change.pk,
        recent_lookup.pk,
    }


def test_redaction_is_refused_for_a_person_who_is_not_anonymised(coordinator, elderly):
    trainee = TraineeFactory(department=elderly)
    entry = audit_record(
        actor=coordinator, action="trainees.trainee.updated", obj=trainee, changes={"x": [1, 2]}
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        audit_redact(entries=[entry], fields=["x"], object_repr="Anonymiseret elev")
    entry.refresh_from_db()
    assert entry.changes == {"x": [1, 2]}


def test_the_redact_flag_set_by_hand_allows_nothing_but_a_redaction(anonymised_entry):
    forged = ("SELECT set_config('core_audit.permit', 'redact', true)", [])
    pk = anonymised_entry.pk
    assert refused(forged, ("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [pk]))
    assert refused(
        forged,
        ("UPDATE core_auditentry SET changes = '{\"status\": [1, 2]}' WHERE id = %s", [pk]),
    )


def test_anonymisation_still_redacts_the_trainee_and_placement_entries(coordinator, elderly):
    trainee = TraineeFactory(department=elderly, first_name="Frida", end_date=None)
    placement = Placement.objects.create(
        municipality=trainee.municipality,
        trainee=trainee,
        period_number=1,
        kind=Placement._meta.get_field("kind").choices[0][0],
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 6, 1),
    )
    audit_record(
        actor=coordinator,
        action="trainees.placement.updated",
        obj=placement,
        changes={"first_name": ["Frida", "Frida"], "period_number": [1, 2]},
    )
    trainee_anonymise(trainee=trainee, actor=coordinator)
    entry = AuditEntry.objects.get(action="trainees.placement.updated")
    assert entry.changes == {"first_name": [REDACTED, REDACTED], "period_number": [1, 2]}
    assert entry.object_repr == "Anonymiseret elev"


def test_python_and_database_agree_on_the_look_up_actions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_audit_lookup_actions()")
        assert tuple(cursor.fetchone()[0]) == AuditEntry.LOOKUP_ACTIONS


@pytest.fixture
def web_role():
    """A role that does not own the audit table, like the production web process."""
    name = f"portal_web_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON core_auditentry TO {name}")
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
    return name


def as_role(role: str, *statements: tuple[str, list]) -> bool:
    """Run statements as `role` in a savepoint; True when the database refused them."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {role}")
            for sql, params in statements:
                cursor.execute(sql, params)
            cursor.execute("RESET ROLE")
    except DatabaseError:
        return True
    return False


def test_a_non_owner_role_cannot_forge_the_functions_flag_but_may_call_them(
    web_role, coordinator, old_lookup, anonymised_entry
):
    recent = audit_record(actor=coordinator, action="view", obj=coordinator)
    # Even with table privileges and the functions' own flag, a direct change is refused.
    for permit, sql in (
        ("purge", "DELETE FROM core_auditentry WHERE id = %s"),
        ("redact", "UPDATE core_auditentry SET object_repr = 'Anonymiseret elev' WHERE id = %s"),
    ):
        forged = (f"SELECT set_config('core_audit.permit', '{permit}', true)", [])
        assert as_role(web_role, forged, (sql, [old_lookup.pk]))
        assert as_role(web_role, forged, (sql, [anonymised_entry.pk]))
    # Through the functions, the same role purges old look-ups and redacts the anonymised.
    assert not as_role(
        web_role,
        ("SELECT core_audit_purge_lookups(%s)", [months_ago(12)]),
        (
            "SELECT core_audit_redact(%s::bigint[], %s::text[], %s)",
            [[anonymised_entry.pk], ["last_name"], "Anonymiseret elev"],
        ),
    )
    assert as_role(web_role, ("SELECT core_audit_purge_lookups(now())", []))
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {
        recent.pk,
        anonymised_entry.pk,
    }
    anonymised_entry.refresh_from_db()
    assert anonymised_entry.changes["last_name"] == [REDACTED, REDACTED]


def test_the_purge_command_explains_a_retention_shorter_than_the_databases(settings):
    from django.core.management import CommandError, call_command

    settings.AUDIT_LOOKUP_RETENTION_MONTHS = 6  # changed without running migrate
    with pytest.raises(CommandError, match="Kør manage.py migrate"):
        call_command("purge_audit")
