"""Cached dashboard figures that are never stale: a version PostgreSQL keeps for us.

Every table of TRACKED_APPS carries a statement-level trigger that appends a `SourceChange`
row for each INSERT, UPDATE, DELETE or TRUNCATE (of the user table only an UPDATE of the
name columns: a login's last_login counts for nothing), inside the writer's transaction: bulk
imports, fact recomputes and raw SQL count as much as a model save. `source_versions()`
reads each table's sum and highest id in one small query; a fragment's version is that of
the apps it reads. The version becomes visible in the same commit as the data, and a request
reads it before it computes anything, so what is cached under a version is never older than
that version's data.

`cached()` keys a fragment by the requesting user and their whole scope (role, municipality,
departments), the fragment's own arguments, the language, today's date and the version:
nothing computed for one user is ever served to another. The cache is Django's default
(memory of each gunicorn process unless CACHES points elsewhere, docs/deployment.md). Only
on PostgreSQL; elsewhere (SQLite on a development machine) nothing is cached.
"""

from __future__ import annotations

import functools
import hashlib

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import get_language

from apps.core.scoping import Scope

# What each cached fragment is computed from (apps whose tables it reads): the figures (KPI
# tiles, charts, placement conflicts), the goal overview (goals, their indicators and
# measurements, owners' names, initiatives) and the sick-absence warnings.
FIGURES_APPS = ("organisation", "supervisors", "trainees", "placements", "kpis", "survey")
GOALS_APPS = ("organisation", "accounts", "strategy", "kpis")
ALERTS_APPS = ("organisation", "trainees", "alerts")
TRACKED_APPS = tuple(dict.fromkeys(FIGURES_APPS + GOALS_APPS + ALERTS_APPS))
# Written at every login and logout, read by no fragment.
UNTRACKED_TABLES = frozenset({"accounts_usersession"})
# Of these tables only an update of these columns counts: a login writes the user's
# last_login, and must not make every leader's goal overview stale (it shows owners' names).
TRACKED_COLUMNS = {"accounts_user": ("username", "first_name", "last_name")}
TRIGGER = "dashboards_source_change"
FUNCTION = "dashboards_source_changed"
LOG_TABLE = "dashboards_sourcechange"
COMPACT_ABOVE = 1000  # log rows; compaction keeps the version query a few rows long
CACHE_SECONDS = 3600  # a version change invalidates at once; this only frees memory


@functools.cache
def tracked_tables(labels=TRACKED_APPS, app_registry=global_apps) -> list[str]:
    """The tables of the apps' models, many-to-many tables included."""
    tables = set()
    for label in labels:
        for model in app_registry.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    tables -= UNTRACKED_TABLES
    return sorted(tables)


def install_triggers(*, using: str = "default", **_kwargs) -> None:
    """Put the trigger on every tracked table (post_migrate: new models get it too)."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        if LOG_TABLE not in existing:
            return
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
            f'BEGIN INSERT INTO {LOG_TABLE} ("table", weight) VALUES (TG_TABLE_NAME, 1); '
            "RETURN NULL; END $$"
        )
        for table in sorted({*tracked_tables(), *UNTRACKED_TABLES}):
            if table not in existing:
                continue
            name = conn.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {name}")
            if table in UNTRACKED_TABLES:
                continue
            update = "UPDATE"
            if table in TRACKED_COLUMNS:
                update += " OF " + ", ".join(map(conn.ops.quote_name, TRACKED_COLUMNS[table]))
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR {update} OR DELETE OR TRUNCATE "
                f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )


class Versions:
    """The tracked tables' versions as one request read them: `of(apps)` changes with every
    committed write to a table of those apps."""

    def __init__(self, per_table: dict[str, tuple[int, int]]):
        self.per_table = per_table

    def of(self, labels, *, but=()) -> str:
        """The version of the apps' tables, but the tables in `but` (which the caller
        versions more finely itself)."""
        tables = [t for t in tracked_tables(labels) if t not in but]
        rows = [self.per_table.get(t, (0, 0)) for t in tables]
        return f"{sum(r[0] for r in rows)}.{max((r[1] for r in rows), default=0)}"


def source_versions() -> Versions | None:
    """The log read once (None when not on PostgreSQL: then nothing is cached)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "table", count(*), sum(weight), max(id) FROM {LOG_TABLE} GROUP BY "table"'  # noqa: S608
        )
        found = cursor.fetchall()
        if sum(n for _t, n, _s, _m in found) > COMPACT_ABOVE:
            # One statement: readers see the rows before or after, with the same sums. A
            # concurrent compaction finds the rows gone and inserts nothing.
            cursor.execute(
                f'WITH gone AS (DELETE FROM {LOG_TABLE} WHERE id <= %s RETURNING "table", weight) '  # noqa: S608
                f'INSERT INTO {LOG_TABLE} ("table", weight) '
                'SELECT "table", sum(weight) FROM gone GROUP BY "table"',
                [max(m for _t, _n, _s, m in found)],
            )
    return Versions({t: (int(total), last) for t, _n, total, last in found})


def scope_key(scope: Scope) -> tuple:
    departments = sorted(scope.department_ids) if scope.department_ids is not None else None
    return (scope.user_id, scope.role, scope.municipality_id, departments, scope.all_municipalities)


def cached(name: str, *, scope: Scope, version: str | None, parts: tuple, compute):
    """`compute()`'s value for this user, scope and `parts` at `version` (from the cache when
    it was computed before). `version` None (not PostgreSQL) computes every time."""
    if version is None:
        return compute()
    raw = repr((scope_key(scope), parts, get_language(), timezone.localdate().isoformat()))
    key = f"dashboards:{name}:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
