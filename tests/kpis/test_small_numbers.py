"""Small numbers cannot be worked out: a differencing attack on everything an aggregates-only
viewer (KKR) can read, and the roles that keep exact figures.

The attack reads every metric of the API for every municipality × year × programme (× cohort
choice) and the KKR comparison page for every year × programme, as a KKR analyst. Each
answer is mapped to the exact set of "atoms" (groups of trainees that no filter splits) whose
size it publishes, and to the interval of true sizes the answer stands for. The attacker
then combines answers: the same set read twice (page and API, one count under two metrics),
a set minus a subset (nested filters; a rate's complement such as started − completed), and
a total minus all its other parts. No combination may leave exactly one possible value in
1–4.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.roles import Role
from apps.kpis.choices import Metric
from apps.kpis.services import measurements_recompute
from apps.organisation.models import Department, Municipality, Workplace
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.choices import Recruitment, TraineeStatus
from apps.trainees.models import Absence, DropoutReason, IntakeQuota, Phase, Programme, Trainee
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2023, 12, 31)
YEARS = [2020, 2021, 2022, 2023]
PROGRAMMES = ["SSH", "SSA", "PAU"]
SMALL = range(1, 5)
COHORT_OUTCOMES = ["completion_rate", "dropout_rate", "hired_after_completion_rate", "hire_rate"]


# --- generated data ---------------------------------------------------------------------------


def build_region(seed: int = 7) -> list[Municipality]:
    """Two municipalities with few trainees per programme, year, reason and department, so
    that many counts are 1–9 (where small numbers hide), in a few hundred rows."""
    rng = random.Random(seed)
    programmes = {p.code: p for p in Programme.objects.filter(code__in=PROGRAMMES)}
    reasons = list(DropoutReason.objects.order_by("order")[:5])
    phases = list(Phase.objects.order_by("order")[:3])
    levels = {q.is_formal: q for q in QualificationLevel.objects.order_by("order")}
    municipalities, trainees, absences, supervisors = [], [], [], []
    for code, name, size in [(251, "Småby", 70), (252, "Mellemby", 130)]:
        m = Municipality.objects.create(code=code, name=name)
        municipalities.append(m)
        departments = [
            Department.objects.create(municipality=m, name=f"{name} fagområde {i}")
            for i in range(2)
        ]
        for i, d in enumerate(departments):
            w = Workplace.objects.create(department=d, name=f"{name} arbejdsplads {i}")
            for j in range(rng.randint(3, 9)):
                supervisors.append(
                    Supervisor(
                        municipality=m,
                        workplace=w,
                        hr_id=f"V{code}{i}{j}",
                        name=f"Vejleder {j}",
                        qualification=levels[rng.random() < 0.6],
                    )
                )
        for year in YEARS:
            for prog in ("SSA", "SSH"):  # PAU has no quota: intake leaves it out
                IntakeQuota.objects.create(
                    municipality=m, programme=programmes[prog], year=year, minimum=20
                )
        for n in range(size):
            start = datetime.date(rng.choice(YEARS[:3]), rng.choice([2, 8]), 1)
            roll = rng.random()
            extra = {}
            if roll < 0.45:
                status, end = TraineeStatus.COMPLETED, datetime.date(start.year + 1, 12, 1)
                hired = rng.random() < 0.6
                extra["hired_after"] = hired
                if hired:
                    if rng.random() < 0.3:
                        extra["hired_as_ssa_student"] = True
                    else:
                        extra["hired_into_department"] = rng.choice(departments)
            elif roll < 0.75:
                status = TraineeStatus.DROPPED_OUT
                end = datetime.date(rng.choice([start.year, start.year + 1]), 12, 1)
                extra["dropout_reason"] = rng.choice(reasons)
                extra["dropout_phase"] = rng.choice(phases)
            else:
                status, end = TraineeStatus.ACTIVE, None
            trainees.append(
                Trainee(
                    municipality=m,
                    department=rng.choice(departments),
                    hr_id=f"G{code}{n:04d}",
                    programme=programmes[rng.choice(PROGRAMMES)],
                    start_date=start,
                    start_year=start.year,
                    end_date=end,
                    end_year=end.year if end else None,
                    status=status,
                    recruitment=rng.choice(
                        [Recruitment.EXTERNAL] * 4
                        + [Recruitment.INTERNAL_UNSKILLED, Recruitment.INTERNAL_SSH]
                    ),
                    **extra,
                )
            )
    Trainee.objects.bulk_create(trainees)
    Supervisor.objects.bulk_create(supervisors)
    for t in Trainee.objects.filter(municipality__in=municipalities, start_year=2022)[:40]:
        for month in (1, 2, 3):
            absences.append(
                Absence(
                    municipality_id=t.municipality_id,
                    trainee=t,
                    month=datetime.date(2023, month, 1),
                    year=2023,
                    sick_days=Decimal(rng.randint(0, 4)),
                    planned_days=Decimal(20),
                )
            )
    Absence.objects.bulk_create(absences)
    for m in municipalities:
        measurements_recompute(municipality_id=m.pk, as_of=AS_OF)
    return municipalities


# --- atoms: the groups of trainees no filter splits --------------------------------------------


def atoms_of(municipalities):
    """{atom: true size}. A cohort atom is (municipality, programme, start year, outcome,
    recruitment), a dropout atom (municipality, programme, end year, reason, phase), a
    supervisor atom (municipality, formal)."""
    sizes = defaultdict(int)
    for t in Trainee.objects.filter(municipality__in=municipalities).select_related(
        "programme", "dropout_reason", "dropout_phase"
    ):
        if t.status == TraineeStatus.COMPLETED and t.hired_after:
            if t.hired_as_ssa_student:
                key = "ssa-student"
            elif t.hired_into_department_id:
                key = f"department-{t.hired_into_department_id}"
            else:
                key = "unknown"
            outcome = f"hired:{key}"
        elif t.status == TraineeStatus.COMPLETED:
            outcome = "completed"
        elif t.status == TraineeStatus.DROPPED_OUT:
            outcome = "dropped"
        else:
            outcome = "running"
        m = t.municipality_id
        sizes[("cohort", m, t.programme.code, t.start_year, outcome, t.recruitment)] += 1
        if t.status == TraineeStatus.DROPPED_OUT:
            sizes[
                (
                    "drop",
                    m,
                    t.programme.code,
                    t.end_year,
                    t.dropout_reason.code,
                    t.dropout_phase.code,
                )
            ] += 1
    for s in Supervisor.objects.filter(municipality__in=municipalities).select_related(
        "qualification"
    ):
        sizes[("sup", s.municipality_id, s.qualification.is_formal)] += 1
    return dict(sizes)


def cohort_set(atoms, m, cohorts, quantity, key=None):
    """The atoms of `quantity` in `cohorts` [(programme, year)] of municipality `m`."""

    def wanted(outcome, recruitment):
        return {
            "started": True,
            "completed": outcome == "completed" or outcome.startswith("hired:"),
            "dropped_out": outcome == "dropped",
            "hired": outcome.startswith("hired:"),
            "internal": recruitment != Recruitment.EXTERNAL,
            "hired_into": outcome == f"hired:{key}",
        }[quantity]

    cohorts = set(cohorts)
    return frozenset(
        a
        for a in atoms
        if a[0] == "cohort" and a[1] == m and (a[2], a[3]) in cohorts and wanted(a[4], a[5])
    )


def drop_set(atoms, m, programmes, year, field, key):
    index = 4 if field == "reason" else 5
    return frozenset(
        a
        for a in atoms
        if a[0] == "drop" and a[1] == m and a[2] in programmes and a[3] == year and a[index] == key
    )


# --- what an answer says about a true count ---------------------------------------------------


def interval(shown, hidden, rounded):
    """The true counts a published figure stands for, as (low, high); high None: unbounded."""
    if hidden:
        # A hidden breakdown cell is 1–4 or, hidden as the complement of another, any size.
        return 1, None
    shown = int(shown)
    if not rounded:
        return shown, shown
    return max(0, shown - 2), shown + 2


class Attack:
    """Collects (set, interval) answers and combines them."""

    def __init__(self):
        self.answers = defaultdict(list)  # set -> [(interval, where)]
        self.shape = {}  # set -> (what it counts, year[, category]), the programme left out
        self.leaks = []

    def add(self, atoms, span, where, shape):
        if atoms:
            self.answers[atoms].append((span, where))
            self.shape.setdefault(atoms, shape)

    def known(self):
        out = {}
        for atoms, spans in self.answers.items():
            lo = max(s[0] for s, _w in spans)
            his = [s[1] for s, _w in spans if s[1] is not None]
            hi = min(his) if his else None
            where = [w for _s, w in spans]
            if hi is not None and lo > hi:
                self.leaks.append(f"answers disagree: {where}")
            elif lo == hi and lo in SMALL:
                self.leaks.append(f"{lo} from {where}")
            out[atoms] = (lo, hi)
        return out

    def run(self):
        known = self.known()
        by_family = defaultdict(list)  # a count and its breakdowns, all programmes
        for atoms, shape in self.shape.items():
            by_family[shape[:2]].append(atoms)
        for a, (a_lo, a_hi) in known.items():
            for b, (b_lo, b_hi) in known.items():
                if not b < a:
                    continue
                rest = a - b
                # A set minus a subset: nested filters, or a rate's complement.
                lo, hi = max(0, a_lo - _inf(b_hi)), _sub(a_hi, b_lo)
                if rest in known:
                    lo, hi = max(lo, known[rest][0]), _min(hi, known[rest][1])
                if lo == hi and lo in SMALL:
                    self.leaks.append(f"{lo} = {self.where(a)} − {self.where(b)}")
                # A total minus all its other parts: other programmes, other categories.
                parts = _cover(rest, by_family[self.shape[b][:2]])
                if parts:
                    lo = max(b_lo, a_lo - sum(_inf(known[p][1]) for p in parts))
                    hi = _min(b_hi, _sub(a_hi, sum(known[p][0] for p in parts)))
                    if lo == hi and lo in SMALL:
                        where = [self.where(p) for p in parts]
                        self.leaks.append(f"{lo} = {self.where(a)} − Σ {where}")
        return self.leaks

    def where(self, atoms):
        return self.answers[atoms][0][1]


def _inf(value):
    return float("inf") if value is None else value


def _sub(a, b):
    return None if a is None else a - b


def _min(a, b):
    return b if a is None else a if b is None else min(a, b)


def _cover(rest, candidates):
    """Disjoint published sets of the same kind that make up `rest` exactly, or None."""
    chosen, covered = [], frozenset()
    for c in sorted((c for c in candidates if c <= rest), key=len, reverse=True):
        if not c & covered:
            chosen.append(c)
            covered |= c
    return chosen if chosen and covered == rest else None


# --- reading everything as a KKR analyst ------------------------------------------------------


def metric_url(name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items() if v is not None)
    return reverse("api:metric", args=[name]) + (f"?{query}" if query else "")


COHORT_YEARS = YEARS[:3]  # the start years of the generated trainees
SUPERVISOR_METRICS = {"trained_supervisor_share", "supervisor_coverage", "trainees_per_supervisor"}


def questions():
    """(metric, year, cohorts) worth asking: cohort metrics for the start years (and the
    finished cohorts of the last two years), events for every year, absence for 2023 and
    supervisor metrics once (they describe the last recomputation, whatever the year)."""
    for name in Metric.values:
        if name in ("internal_unskilled_count", "internal_ssh_count"):
            continue
        if name in SUPERVISOR_METRICS:
            yield name, None, None
        elif name == "sick_absence_rate":
            yield name, 2023, None
        elif name in ("dropouts_by_reason", "dropouts_by_phase"):
            yield from ((name, y, None) for y in YEARS)
        else:
            yield from ((name, y, None) for y in COHORT_YEARS)
            if name in COHORT_OUTCOMES:
                yield from ((name, y, "finished") for y in YEARS[-2:])


def read_everything(client, municipalities, atoms):
    attack = Attack()
    api_values = {}
    for m in municipalities:
        for name, year, cohorts in questions():
            for programme in [None, *PROGRAMMES]:
                progs = [programme] if programme else PROGRAMMES
                where = f"{m.code}/{year}/{programme or 'alle'}"
                url = metric_url(
                    name, municipality=m.code, year=year, programme=programme, cohorts=cohorts
                )
                response = client.get(url)
                assert response.status_code == 200, (url, response.content)
                data = response.json()
                api_values[(name, m.code, year, programme, cohorts)] = data.get("value")
                record(attack, data, name, m, year, progs, cohorts, atoms, where)
    return attack, api_values


def categories(atoms, m, name) -> set[str]:
    """The keys of a breakdown that occur anywhere in municipality `m`."""
    if name == "hired_into":
        return {a[4].split(":", 1)[1] for a in atoms if a[:2] == ("cohort", m.pk) and ":" in a[4]}
    index = 4 if name == "dropouts_by_reason" else 5
    return {a[index] for a in atoms if a[:2] == ("drop", m.pk)}


def record(attack, data, name, m, year, progs, cohorts, atoms, where):
    rounded = data.get("rounded", False)
    label = f"{name}[{where}{'/afsluttede' if data.get('cohorts') else ''}]"
    if "rows" in data:
        shown = {row["key"]: row for row in data["rows"]}
        for key in categories(atoms, m, name):
            if name == "hired_into":
                s = cohort_set(atoms, m.pk, [(p, year) for p in progs], "hired_into", key)
            else:
                field = "reason" if name == "dropouts_by_reason" else "phase"
                s = drop_set(atoms, m.pk, progs, year, field, key)
            if key in shown:
                span = interval(shown[key]["count"], shown[key]["suppressed"], rounded)
            else:
                # A category left out is empty, or (rounded) rounds to 0.
                span = (0, 2) if rounded else (0, 0)
            family = ("hired", year) if name == "hired_into" else (name, year)
            attack.add(s, span, f"{label}:{key}", (*family, key))
        return
    if data["suppressed"]:
        if name == "started":
            s = cohort_set(atoms, m.pk, [(p, year) for p in progs], "started")
            attack.add(s, (1, 4), label, ("started", year))
        return
    if "cohorts" in data:
        pool = [(c["programme"], c["year"]) for c in data["cohorts"]]
        shape_year = ("pooled", year)
    else:
        pool = [(p, year) for p in progs]
        shape_year = year
    parts = {
        "started": ("started", None),
        "completion_rate": ("completed", "started"),
        "dropout_rate": ("dropped_out", "started"),
        "hired_after_completion_rate": ("hired", "completed"),
        "hire_rate": ("hired", "started"),
        "internal_recruitment_rate": ("internal", "started"),
        "intake_vs_quota": ("started", None),
    }
    if name in parts:
        if name == "intake_vs_quota" and len(progs) > 1:
            pool = [(p, year) for p in ("SSA", "SSH")]  # the programmes with a quota
        for quantity, value in zip(
            parts[name], (data["numerator"], data["denominator"]), strict=True
        ):
            if quantity and value is not None:
                s = cohort_set(atoms, m.pk, pool, quantity)
                attack.add(s, interval(value, False, rounded), label, (quantity, shape_year))
    elif name == "trained_supervisor_share":
        for formal, value in ((True, data["numerator"]), (None, data["denominator"])):
            s = frozenset(a for a in atoms if a[:2] == ("sup", m.pk) and formal in (None, a[2]))
            attack.add(s, interval(value, False, rounded), label, ("sup", formal))


def read_kkr_pages(client, municipalities, atoms, attack, api_values):
    """The comparison page for every year and programme; its values must be the API's."""
    mismatches, compared = [], 0
    codes = {m.pk: m for m in municipalities}
    for year in YEARS:
        for programme in [None, *PROGRAMMES]:
            query = f"?year={year}" + (f"&programme={programme}" if programme else "")
            page = client.get(reverse("dashboards:kkr_overview") + query)
            assert page.status_code == 200
            overview = page.context["overview"]
            assert overview.year == year
            for row in overview.rows:
                m = codes.get(row["municipality"].pk)
                if m is None:
                    continue
                progs = [programme] if programme else PROGRAMMES
                where = f"kkr-side[{m.code}/{year}/{programme or 'alle'}]"
                started = row["started"]
                s = cohort_set(atoms, m.pk, [(p, year) for p in progs], "started")
                if started.suppressed:
                    attack.add(s, (1, 4), where, ("started", year))
                else:
                    attack.add(
                        s,
                        interval(started.value, False, getattr(started, "rounded", False)),
                        where,
                        ("started", year),
                    )
                for key, name, cohorts in [
                    ("started", "started", None),
                    ("intake", "intake_vs_quota", None),
                    ("dropout", "dropout_rate", "finished"),
                    ("hired", "hired_after_completion_rate", "finished"),
                    ("sick", "sick_absence_rate", None),
                    ("supervisors", "trained_supervisor_share", None),
                ]:
                    asked = (
                        name,
                        m.code,
                        None if name in SUPERVISOR_METRICS else year,
                        programme,
                        cohorts,
                    )
                    if asked not in api_values:
                        continue
                    compared += 1
                    value = row[key].value
                    api = api_values[asked]
                    page_value = None if value is None else round(value, 2)
                    if page_value != api:
                        mismatches.append((where, name, page_value, api))
    assert compared > 50
    return mismatches


@pytest.fixture
def region(db):
    municipalities = build_region()
    return municipalities, atoms_of(municipalities)


def test_no_count_of_one_to_four_can_be_worked_out_from_what_kkr_reads(login, region):
    municipalities, atoms = region
    # The generated data has what the attack needs: many cells of 1–4.
    assert sum(1 for n in atoms.values() if n in SMALL) > 50
    analyst = UserFactory(role=Role.KKR_ANALYST, municipality=municipalities[0])
    client = login(analyst)
    attack, api_values = read_everything(client, municipalities, atoms)
    mismatches = read_kkr_pages(client, municipalities, atoms, attack, api_values)
    assert len(attack.answers) > 150
    assert mismatches == []
    leaks = attack.run()
    assert leaks == [], f"{len(leaks)} counts of 1–4 can be worked out, e.g. {leaks[:5]}"


def test_hr_and_coordinators_read_exact_counts(login, region):
    municipalities, atoms = region
    m = municipalities[0]
    for role in (Role.HR, Role.COORDINATOR):
        client = login(UserFactory(role=role, municipality=m))
        for year in YEARS[:3]:
            for programme in PROGRAMMES:
                data = client.get(metric_url("dropout_rate", year=year, programme=programme)).json()
                started = sum(
                    n for a, n in atoms.items() if a[:4] == ("cohort", m.pk, programme, year)
                )
                dropped = sum(
                    n
                    for a, n in atoms.items()
                    if a[:4] == ("cohort", m.pk, programme, year) and a[4] == "dropped"
                )
                assert (data["numerator"], data["denominator"]) == (dropped, started)
                assert data["suppressed"] is False and data["rounded"] is False
        reasons = client.get(metric_url("dropouts_by_reason", year=2021)).json()
        assert all(r["count"] is not None for r in reasons["rows"])
        assert any(r["count"] in SMALL for r in reasons["rows"])


def test_a_leader_on_their_own_department_reads_exact_counts_but_hides_1_to_4_reasons(
    login, region
):
    """A leader sees their own department's persons on the people pages, so its counts are
    shown exactly, 1–4 included (SECURITY.md, Small numbers). Dropout reasons are the
    exception: a leader may not see a reason per person, so 1–4 by reason stays hidden."""
    municipalities, atoms = region
    m = municipalities[1]
    department = Department.objects.filter(municipality=m).order_by("pk").first()
    leader = UserFactory(role=Role.LEADER, municipality=m, departments=[department])
    client = login(leader)
    by_programme = defaultdict(int)
    for t in Trainee.objects.filter(department=department, start_year=2021):
        by_programme[t.programme.code] += 1
    seen_small = seen_large = False
    for programme in PROGRAMMES:
        data = client.get(
            metric_url("started", department=department.pk, year=2021, programme=programme)
        ).json()
        n = by_programme[programme]
        assert data["rounded"] is False and data["suppressed"] is False
        assert data["value"] == n  # exact, neither rounded nor hidden
        seen_small = seen_small or n in SMALL
        seen_large = seen_large or n >= 5
    assert seen_small and seen_large
    reasons_by_year = defaultdict(lambda: defaultdict(int))
    for t in Trainee.objects.filter(
        department=department, dropout_reason__isnull=False, end_year__isnull=False
    ).select_related("dropout_reason"):
        reasons_by_year[t.end_year][t.dropout_reason.code] += 1
    seen_hidden_reason = False
    for year, counts in reasons_by_year.items():
        rows = client.get(
            metric_url("dropouts_by_reason", department=department.pk, year=year)
        ).json()["rows"]
        for row in rows:
            if counts.get(row["key"], 0) in SMALL:
                seen_hidden_reason = True
                assert row["suppressed"] and row["count"] is None, (year, row)
            if row["count"] is not None:
                assert row["count"] == counts.get(row["key"], 0)
    assert seen_hidden_reason


def test_the_small_number_level_follows_role_and_whose_figure_it_is(region):
    from apps.core.scoping import Scope
    from apps.kpis.choices import Metric
    from apps.kpis.disclosure import disclose
    from apps.kpis.results import Breakdown, BreakdownRow, KpiResult

    municipalities, _atoms = region
    m = municipalities[1]
    own, other = Department.objects.filter(municipality=m).order_by("pk")[:2]
    leader = Scope(
        user_id=None, role=Role.LEADER, municipality_id=m.pk, department_ids=frozenset({own.pk})
    )
    three = KpiResult(Metric.STARTED, 3, None, "count")
    assert disclose(three, leader, department=own.pk) == three  # own department: exact
    assert disclose(three, leader, department=None).numerator == 5  # municipality: rounded
    assert disclose(three, leader, department=other.pk).rounded
    phases = Breakdown(Metric.DROPOUTS_BY_PHASE, [BreakdownRow("a", "A", 2)])
    assert disclose(phases, leader, department=own.pk).rows[0].count == 2
    reasons = Breakdown(
        Metric.DROPOUTS_BY_REASON, [BreakdownRow("a", "A", 2), BreakdownRow("b", "B", 9)]
    )
    shown = disclose(reasons, leader, department=own.pk)
    assert [r.count for r in shown.rows] == [None, None]  # the hidden one takes the next
    coordinator = Scope(user_id=None, role=Role.COORDINATOR, municipality_id=m.pk)
    assert [r.count for r in disclose(reasons, coordinator).rows] == [2, 9]


@pytest.mark.parametrize("parts", [2, 3])
def test_a_rounded_total_and_its_rounded_parts_never_pin_a_count_of_1_to_4(parts):
    """Every way of splitting a total into two or three parts (programmes, nested filters, a
    count and its complement): the rounded total and rounded parts together always leave
    several possible values for a part of 1–4."""
    from itertools import product

    from apps.kpis.disclosure import round_count

    signatures = defaultdict(list)
    for split in product(range(0, 30), repeat=parts):
        published = (round_count(sum(split)), *map(round_count, split))
        signatures[published].append(split)
    for published, splits in signatures.items():
        if max(published[1:]) >= 30:
            continue  # its parts may lie beyond the range enumerated
        for i in range(parts):
            possible = {split[i] for split in splits}
            if len(possible) == 1:
                assert possible.isdisjoint(SMALL), (published, possible)


def test_hiding_1_to_4_beside_a_rounded_total_would_give_them_away():
    """Why aggregates-only viewers get 1–4 rounded rather than hidden: two hidden parts
    ("< 5") of a total of 8, shown as 10 (8–12), can only be 4 and 4."""
    from apps.kpis.disclosure import round_count

    consistent = [(a, b) for a in SMALL for b in SMALL if round_count(a + b) == 10]
    assert consistent == [(4, 4)]


def test_a_breakdown_whose_rounded_cells_would_pin_a_small_one_is_withheld(region):
    from apps.core.scoping import Scope
    from apps.kpis.disclosure import disclose
    from apps.kpis.results import Breakdown, BreakdownRow

    municipalities, _atoms = region
    kkr = Scope(user_id=None, role=Role.KKR_ANALYST, municipality_id=municipalities[0].pk)
    # Four places of two hires each: shown as 0, 0, 0, 0 beside 8 hired shown as 10 (8–12),
    # every place could only hold 2.
    pinned = Breakdown("hired_into", [BreakdownRow(f"d{i}", f"D{i}", 2) for i in range(4)])
    result = disclose(pinned, kkr)
    assert [r.count for r in result.rows] == [None] * 4 and all(r.suppressed for r in result.rows)
    # Three of them leave 0–2 each possible: shown (left out, as they round to 0).
    loose = Breakdown("hired_into", [BreakdownRow(f"d{i}", f"D{i}", 2) for i in range(3)])
    assert disclose(loose, kkr).rows == []
    mixed = Breakdown("hired_into", [BreakdownRow("a", "A", 11), BreakdownRow("b", "B", 3)])
    assert [(r.key, r.count) for r in disclose(mixed, kkr).rows] == [("a", 10), ("b", 5)]


def test_the_limit_and_the_label_live_in_one_place(login, region):
    """Pages and charts take the hidden-count label from the server; no copy of the rule."""
    from pathlib import Path

    from apps.kpis.disclosure import SUPPRESSED_LABEL

    root = Path(__file__).resolve().parents[2]
    for path in [
        root / "static/js/charts.js",
        *sorted((root / "apps/dashboards").glob("*.py")),
        *sorted((root / "templates/dashboards").glob("*.html")),
    ]:
        text = path.read_text()
        assert "< 5" not in text and "&lt; 5" not in text, path
        assert "5 person" not in text and "< 5:" not in text, path
    analyst = UserFactory(role=Role.KKR_ANALYST, municipality=region[0][0])
    page = login(analyst).get(reverse("dashboards:kkr_overview") + "?year=2022")
    assert page.context["overview"].chart.config["hiddenMark"] == SUPPRESSED_LABEL
