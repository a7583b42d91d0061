"""bin/backup and bin/restore against the real PostgreSQL: a dump restored into a fresh
database holds the same rows, the audit trail is the same and still append-only, a non-empty
target is refused without --force, and the retention keeps the newest BACKUP_KEEP copies.

The test commits its data (transactional test) so that pg_dump, a separate session, sees it;
it dumps the test database pytest-django created."""

import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.organisation.models import Department, Municipality
from apps.trainees.models import Trainee
from tests.catalogues import replay_data_migrations
from tests.factories import DepartmentFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BIN = Path(__file__).resolve().parents[2] / "bin"
AUDIT_ROWS = (
    "SELECT id, action, object_id, object_repr, changes::text FROM core_auditentry ORDER BY id"
)
TABLES = [Municipality, Department, Trainee, AuditEntry]


@pytest.fixture(autouse=True)
def catalogues(transactional_db):
    """An earlier transactional test's flush may have emptied the catalogues."""
    replay_data_migrations()


def url(name: str) -> str:
    """The test database server's URL (with its password, if any) for database `name`."""
    s = connection.settings_dict
    auth = quote(s["USER"], safe="") + (
        f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    )
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run(*args, database: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the repository's own scripts
        [str(a) for a in args],
        env={**os.environ, "DATABASE_URL": url(database), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts(cursor) -> dict[str, int]:
    result = {}
    for model in TABLES:
        table = connection.ops.quote_name(model._meta.db_table)
        result[model._meta.db_table] = cursor.execute(
            f"SELECT count(*) FROM {table}"  # noqa: S608 - a model's own table name
        ).fetchone()[0]
    return result


def test_a_restored_backup_has_the_same_rows_and_an_intact_append_only_audit_trail(
    tmp_path, fresh_database
):
    department = DepartmentFactory()
    trainees = TraineeFactory.create_batch(3, department=department)
    actor = UserFactory(municipality=department.municipality)
    for trainee in trainees:
        audit_record(
            actor=actor,
            action="trainees.trainee.updated",
            obj=trainee,
            changes={"status": ["active", "completed"]},
        )
    source = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(AUDIT_ROWS)
        audit_before = cursor.fetchall()
        expected = counts(cursor)
    assert expected[Trainee._meta.db_table] >= 3 and len(audit_before) >= 3

    backup = run(BIN / "backup", tmp_path, database=source)
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path and dump.name.endswith(".dump")
    assert dump.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only

    restored = run(BIN / "restore", dump, database=fresh_database)
    assert restored.returncode == 0, restored.stderr

    with psycopg.connect(url(fresh_database)) as restored_db, restored_db.cursor() as cursor:
        assert counts(cursor) == expected
        assert [tuple(r) for r in cursor.execute(AUDIT_ROWS).fetchall()] == [
            tuple(r) for r in audit_before
        ]
        for statement in (
            "UPDATE core_auditentry SET action = 'intet'",
            "DELETE FROM core_auditentry",
        ):
            with pytest.raises(psycopg.errors.DatabaseError), restored_db.transaction():
                cursor.execute(statement)
        assert counts(cursor)[AuditEntry._meta.db_table] == len(audit_before)

    again = run(BIN / "restore", dump, database=fresh_database)
    assert again.returncode == 1
    assert "not empty" in again.stderr
    forced = run(BIN / "restore", "--force", dump, database=fresh_database)
    assert forced.returncode == 0, forced.stderr


def test_the_retention_keeps_the_newest_copies(tmp_path):
    source = connection.settings_dict["NAME"]
    made = []
    for _ in range(3 + 2):
        result = run(BIN / "backup", tmp_path, database=source, BACKUP_KEEP="3")
        assert result.returncode == 0, result.stderr
        made.append(result.stdout.strip().splitlines()[-1])
    kept = sorted(str(p) for p in tmp_path.glob("*.dump"))
    assert kept == made[-3:]
    assert not list(tmp_path.glob("*.partial"))


def test_backup_refuses_a_retention_that_is_not_a_whole_number(tmp_path):
    result = run(BIN / "backup", tmp_path, database="unused", BACKUP_KEEP="alle")
    assert result.returncode == 2
    assert "BACKUP_KEEP" in result.stderr
    assert list(tmp_path.iterdir()) == []
