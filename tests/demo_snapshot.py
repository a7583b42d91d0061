"""The whole demo (`manage.py load_demo`) for tests that read it, built once per test run.

Loading the demo takes about a minute, so the first test that asks for it runs `load_demo`
in its own database inside a savepoint, copies every table out (PostgreSQL's binary COPY)
into a folder shared by the run's processes (pytest-xdist workers included), and rolls the
savepoint back. Every test that asks for the demo, the first one included, then gets it by
emptying its tables and copying the rows back in, in its own transaction: a test that
changes the demo changes only its own copy. The copy is the database `load_demo` leaves,
row for row (the same schema, the same ids; the sequences are moved past the copied ids).
"""

from __future__ import annotations

import fcntl
import io
import os
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction

# The dashboards' change log grows with every write (its ids from a sequence the copy would
# collide with); each test starts from the log as its database has it.
SKIPPED_TABLES = {"django_migrations", "dashboards_sourcechange"}


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(name for name in names if name not in SKIPPED_TABLES)


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


class _Rollback(Exception):
    """Ends the savepoint the demo was built in, after it was copied out."""


def _build(folder: Path) -> None:
    """Run `load_demo` in a savepoint and write each table's rows to `folder`/<table>."""
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    try:
        with transaction.atomic():
            call_command("load_demo", "--quiet-logins", stdout=io.StringIO())
            with connection.cursor() as cursor:
                for table in _tables():
                    with cursor.cursor.copy(
                        f"COPY {_quoted(table)} TO STDOUT (FORMAT binary)"
                    ) as copy:
                        (partial / table).write_bytes(b"".join(bytes(b) for b in copy))
            raise _Rollback
    except _Rollback:
        pass
    partial.rename(folder)


def _snapshot(shared: Path) -> Path:
    """The run's copy of the demo: built by the first process that needs it, under a file
    lock, so parallel workers build it once and the others wait and read it."""
    folder = shared / "demo-snapshot"
    shared.mkdir(parents=True, exist_ok=True)
    with open(shared / "demo-snapshot.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not folder.is_dir():
                _build(folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def _restore(folder: Path) -> None:
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE " + ", ".join(_quoted(t) for t in tables))
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            data = (folder / table).read_bytes()
            with cursor.cursor.copy(f"COPY {_quoted(table)} FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)
        cursor.execute(
            """
            SELECT seq.relname, tab.relname, col.attname
            FROM pg_class seq
            JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass
                AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
            JOIN pg_class tab ON tab.oid = dep.refobjid
            JOIN pg_attribute col ON col.attrelid = tab.oid AND col.attnum = dep.refobjsubid
            JOIN pg_namespace ns ON ns.oid = seq.relnamespace
            WHERE seq.relkind = 'S' AND ns.nspname = current_schema()
            """
        )
        for sequence, table, column in cursor.fetchall():
            if table not in tables:
                continue
            # Names from PostgreSQL's catalogue, quoted.
            highest = f"SELECT MAX({_quoted(column)}) FROM {_quoted(table)}"  # noqa: S608
            last = f"SELECT last_value FROM {_quoted(sequence)}"  # noqa: S608
            cursor.execute(
                f"SELECT setval(%s, GREATEST(({highest}), ({last})))", [_quoted(sequence)]
            )
    # The copied content types may have other ids than the cached ones (after a flush).
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def shared_folder(tmp_path_factory) -> Path:
    """A folder all processes of this test run share (not the runs before it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def load_demo_copy(tmp_path_factory) -> None:
    """Put the whole demo into the test's database, as `manage.py load_demo` leaves it."""
    _restore(_snapshot(shared_folder(tmp_path_factory)))
