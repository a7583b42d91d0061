"""Dashboard benchmark: national scale, stored measurements.

Generates a separate PostgreSQL database with 98 municipalities and 1,000,000 trainees
(with placements, monthly absence, supervisors, quotas and indicators), written by the
database server itself (INSERT … SELECT over generate_series, foreign-key triggers off while
loading). Then it recomputes every municipality's facts and measurements (timing each) and
times the department dashboard and the municipality overview in-process with Django's test
client: the median and the 95th percentile of 20 requests each, after one warm-up request,
and the KKR comparison of all municipalities (as the KKR analyst).

Targets (issue 5): each page ≤ 300 ms server time; one municipality's recompute ≤ 10 s.

    .venv/bin/python benchmarks/dashboard_benchmark.py            # generate and measure
    .venv/bin/python benchmarks/dashboard_benchmark.py --reuse    # measure an existing one
    .venv/bin/python benchmarks/dashboard_benchmark.py --reuse --skip-recompute  # pages only

The database is generated at run time and never committed. Options: --database-url
(default postgres://postgres@127.0.0.1:5432/sp_dashboard_bench), --trainees, --municipalities.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEPARTMENTS_PER_MUNICIPALITY = 5
WORKPLACES_PER_DEPARTMENT = 6
SUPERVISORS_PER_WORKPLACE = 4
ABSENCE_MONTHS = 6
PLACEMENTS = 2
REQUESTS = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/sp_dashboard_bench"
    )
    parser.add_argument("--trainees", type=int, default=1_000_000)
    parser.add_argument("--municipalities", type=int, default=98)
    parser.add_argument("--reuse", action="store_true", help="Measure an existing database.")
    parser.add_argument(
        "--skip-recompute",
        action="store_true",
        help="Time the pages only (with --reuse: a minute instead of several).",
    )
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings_test")
    os.environ.setdefault("AXES_ENABLED", "false")
    import django

    django.setup()


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def generate(n_trainees: int, n_municipalities: int) -> None:
    """Organisation and people: small tables through the ORM, big ones server-side."""
    import datetime

    from django.db import connection

    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.kpis.choices import Direction, Metric, TargetKind, Unit
    from apps.kpis.models import Indicator
    from apps.organisation.models import Department, Municipality, Workplace
    from apps.supervisors.models import QualificationLevel
    from apps.trainees.models import DropoutReason, IntakeQuota, Phase, Programme

    t = time.perf_counter()
    municipalities = Municipality.objects.bulk_create(
        Municipality(code=100 + i, name=f"Benchkommune {i:02d}") for i in range(n_municipalities)
    )
    departments = Department.objects.bulk_create(
        Department(municipality=m, name=f"Fagområde {d}", order=d)
        for m in municipalities
        for d in range(DEPARTMENTS_PER_MUNICIPALITY)
    )
    workplaces = Workplace.objects.bulk_create(
        Workplace(department=d, name=f"Arbejdsplads {w}", kind="nursing_home")
        for d in departments
        for w in range(WORKPLACES_PER_DEPARTMENT)
    )
    programmes = {p.code: p.pk for p in Programme.objects.all()}
    prog_ids = [
        programmes[c]
        for c in ("SSH", "SSH", "SSH", "SSH", "SSA", "SSA", "SSA", "SSA", "PAU", "PAED")
    ]
    reasons = list(DropoutReason.objects.order_by("order").values_list("pk", flat=True))
    phases = list(Phase.objects.order_by("order").values_list("pk", flat=True))
    levels = list(QualificationLevel.objects.order_by("order").values_list("pk", flat=True))
    t = step("organisation", t)

    muni_ids = [m.pk for m in municipalities]
    dept_ids = [d.pk for d in departments]
    wp_ids = [w.pk for w in workplaces]
    params = {
        "n": n_trainees,
        "m": n_municipalities,
        "dpm": DEPARTMENTS_PER_MUNICIPALITY,
        "wpd": WORKPLACES_PER_DEPARTMENT,
        "spw": SUPERVISORS_PER_WORKPLACE,
        "muni": muni_ids,
        "dept": dept_ids,
        "wp": wp_ids,
        "prog": prog_ids,
        "ssh": programmes["SSH"],
        "ssa": programmes["SSA"],
        "reasons": reasons,
        "phases": phases,
        "levels": levels,
        "today": datetime.date.today(),
    }
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # skip FK triggers while loading
        cur.execute("SET synchronous_commit = off")
        cur.execute(
            """
            INSERT INTO supervisors_supervisor (created_at, updated_at, municipality_id, hr_id,
                name, workplace_id, profession, qualification_id, is_active, version)
            SELECT now(), now(), d.municipality_id, 'V' || w.id || '-' || s, 'Vejleder ' || s,
                w.id, 'SSA', (%(levels)s::bigint[])[1 + ((w.id + s) %% 5)], true, 1
            FROM organisation_workplace w JOIN organisation_department d ON d.id = w.department_id
            CROSS JOIN generate_series(1, %(spw)s) s
            """,
            params,
        )
        t = step("supervisors", t)
        cur.execute(
            """
            INSERT INTO trainees_trainee (created_at, updated_at, municipality_id, hr_id,
                first_name, last_name, programme_id, department_id, start_date, start_year,
                expected_end_date, end_date, end_year, status, dropout_reason_id, dropout_note,
                dropout_phase_id, age_band, recruitment, hired_after, hired_into_department_id,
                hired_as_ssa_student, personal_guide, version)
            SELECT now(), now(), muni, 'B' || g, 'Elev', 'Nr ' || g, prog, dept, start,
                extract(year FROM start)::int, start + dur,
                CASE WHEN finished AND r < 25 THEN start + (r * 13) %% dur
                     WHEN finished THEN start + dur
                     WHEN r < 12 AND start + r * 20 < %(today)s THEN start + r * 20 END,
                CASE WHEN finished AND r < 25 THEN extract(year FROM start + (r * 13) %% dur)::int
                     WHEN finished THEN extract(year FROM start + dur)::int
                     WHEN r < 12 AND start + r * 20 < %(today)s
                         THEN extract(year FROM start + r * 20)::int END,
                CASE WHEN finished AND r < 25 THEN 'dropped_out' WHEN finished THEN 'completed'
                     WHEN r < 12 AND start + r * 20 < %(today)s THEN 'dropped_out'
                     ELSE 'active' END,
                CASE WHEN r < 25 AND (finished OR (r < 12 AND start + r * 20 < %(today)s))
                     THEN (%(reasons)s::bigint[])[1 + r %% 10] END,
                '',
                CASE WHEN r < 25 AND (finished OR (r < 12 AND start + r * 20 < %(today)s))
                     THEN (%(phases)s::bigint[])[1 + r %% 13] END,
                '25-29',
                CASE r %% 20 WHEN 0 THEN 'internal_unskilled' WHEN 1 THEN 'internal_ssh'
                     ELSE 'external' END,
                CASE WHEN finished AND r >= 25 THEN (r %% 10) < 6 END,
                CASE WHEN finished AND r >= 25 AND (r %% 10) < 6 THEN dept END,
                finished AND r >= 25 AND prog = %(ssh)s AND r %% 10 = 0,
                '', 1
            FROM (
                SELECT g, muni, dept, prog, start, r, dur, start + dur < %(today)s AS finished
                FROM (
                    SELECT g,
                        (%(muni)s::bigint[])[1 + g %% %(m)s] AS muni,
                        (%(dept)s::bigint[])[1 + (g %% %(m)s) * %(dpm)s + (g / %(m)s) %% %(dpm)s]
                            AS dept,
                        (%(prog)s::bigint[])[1 + (g * 7) %% 10] AS prog,
                        LEAST(DATE '2017-01-01' + (g * 37) %% 3650, %(today)s) AS start,
                        abs(hashtext(g::text)) %% 100 AS r,
                        CASE (g * 7) %% 10 WHEN 4 THEN 1000 WHEN 5 THEN 1000 WHEN 6 THEN 1000
                            WHEN 7 THEN 1000 ELSE 430 END AS dur
                    FROM generate_series(1, %(n)s) g
                ) raw
            ) t
            """,
            params,
        )
        t = step(f"{n_trainees:,} trainees", t)
        cur.execute(
            """
            INSERT INTO trainees_placement (municipality_id, trainee_id, period_number, kind,
                workplace_id, supervisor_id, start_date, end_date)
            SELECT t.municipality_id, t.id, k, 'training', w.id, NULL,
                t.start_date + 150 + (k - 1) * 200, t.start_date + 270 + (k - 1) * 200
            FROM trainees_trainee t CROSS JOIN generate_series(1, %(pl)s) k
            JOIN (SELECT id, department_id,
                         row_number() OVER (PARTITION BY department_id ORDER BY id) - 1 AS idx
                  FROM organisation_workplace) w
              ON w.department_id = t.department_id AND w.idx = (t.id + k) %% %(wpd)s
            """,
            {**params, "pl": PLACEMENTS},
        )
        t = step("placements", t)
        cur.execute(
            """
            INSERT INTO trainees_absence (municipality_id, trainee_id, month, year, sick_days,
                planned_days)
            SELECT t.municipality_id, t.id, mon, extract(year FROM mon)::int,
                ((t.id + k) %% 5) * 0.5, 20
            FROM trainees_trainee t CROSS JOIN generate_series(0, %(am)s - 1) k
            CROSS JOIN LATERAL (SELECT (date_trunc('month', t.start_date)
                + make_interval(months => k))::date AS mon) x
            WHERE mon <= %(today)s
            """,
            {**params, "am": ABSENCE_MONTHS},
        )
        t = step("absence", t)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("ANALYZE")
        t = step("analyze", t)

    IntakeQuota.objects.bulk_create(
        IntakeQuota(municipality=m, programme_id=programmes[code], year=y, minimum=q)
        for m in municipalities
        for code, q in (("SSA", 40), ("SSH", 45))
        for y in range(2017, 2027)
    )
    specs = [
        ("Frafald SSA", Metric.DROPOUT_RATE, "SSA", Direction.LOWER, TargetKind.RELATIVE, -7),
        ("Ansat pr. startet", Metric.HIRE_RATE, "", Direction.HIGHER, TargetKind.POINTS, 3),
        ("Sygefravær", Metric.SICK_ABSENCE_RATE, "", Direction.LOWER, TargetKind.POINTS, -1),
        (
            "Uddannede vejledere",
            Metric.TRAINED_SUPERVISOR_SHARE,
            "",
            Direction.HIGHER,
            TargetKind.ABSOLUTE,
            100,
        ),
        ("Optag SSA", Metric.INTAKE_VS_QUOTA, "SSA", Direction.HIGHER, TargetKind.ABSOLUTE, 100),
    ]
    Indicator.objects.bulk_create(
        Indicator(
            municipality=m,
            name=name,
            metric=metric,
            unit=Unit.PERCENT,
            direction=direction,
            baseline_value=30,
            baseline_period=2023,
            target_value=target,
            target_period=2027,
            target_kind=kind,
            programme_id=programmes[prog] if prog else None,
        )
        for m in municipalities
        for name, metric, prog, direction, kind, target in specs
    )
    first = municipalities[0]
    # No passwords: the benchmark logs in with force_login.
    User.objects.create_user("bench-koordinator", role=Role.COORDINATOR, municipality=first)
    leader = User.objects.create_user("bench-leder", role=Role.LEADER, municipality=first)
    leader.departments.set([d for d in departments if d.municipality_id == first.pk][:1])
    step("quotas, indicators and users", t)


def recompute_all() -> list[float]:
    from apps.kpis.services import measurements_recompute
    from apps.organisation.models import Municipality

    timings = []
    for m in Municipality.objects.order_by("code"):
        started = time.perf_counter()
        measurements_recompute(municipality_id=m.pk, all_periods=True)
        timings.append(time.perf_counter() - started)
    return timings


def time_page(client, url: str) -> tuple[float, float, int]:
    """Server time of the page computed: the department dashboard's cached fragments
    (apps/dashboards/freshness.py) are emptied before each request."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    queries = 0
    for _ in range(REQUESTS):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries = len(ctx)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[18]
    return statistics.median(samples), p95, queries


def main() -> int:
    args = parse_args()
    if not args.reuse:
        recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.test import Client

    from apps.accounts.models import User
    from apps.core.roles import Role
    from apps.organisation.models import Department
    from apps.trainees.models import Absence, Placement, Trainee

    if not args.reuse:
        print("Generating …", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        started = step("migrate", started)
        generate(args.trainees, args.municipalities)
    print(
        f"Data: {Trainee.objects.count():,} trainees, {Placement.objects.count():,} placements, "
        f"{Absence.objects.count():,} absence months",
        flush=True,
    )
    timings = [0.0]
    if not args.skip_recompute:
        print("Recomputing every municipality …", flush=True)
        timings = recompute_all()
        print(
            f"  recompute per municipality: median {statistics.median(timings):.2f} s, "
            f"max {max(timings):.2f} s (target ≤ 10 s)"
        )

    client = Client()
    coordinator = User.objects.get(username="bench-koordinator")
    leader = User.objects.get(username="bench-leder")
    department = Department.objects.filter(leaders=leader).first()
    kkr, _ = User.objects.get_or_create(
        username="bench-kkr",
        defaults={"role": Role.KKR_ANALYST, "municipality": coordinator.municipality},
    )
    results = []
    for user, label, url in [
        (leader, "department dashboard (leader)", f"/overblik/fagomraade/{department.pk}/"),
        (
            coordinator,
            "department dashboard (coordinator)",
            f"/overblik/fagomraade/{department.pk}/?programme=SSA",
        ),
        (coordinator, "municipality overview", "/overblik/"),
        (kkr, "KKR comparison (all municipalities)", "/overblik/kommuner/"),
    ]:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        median, p95, queries = time_page(client, url)
        results.append(median)
        print(
            f"  {label}: median {median:.0f} ms, p95 {p95:.0f} ms of {REQUESTS}, "
            f"{queries} queries (median ≤ 300 ms)"
        )
    ok = max(results) <= 300 and max(timings) <= 10
    print("RESULT:", "targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
