"""Pre-aggregated facts (`MetricFact`) and the `FactTable` that turns them into KPIs.

`apps.kpis.facts_build` builds them. `FactTable.load` reads one municipality's (or
department's) facts in a constant number of queries, `FactTable.load_many` many
municipalities' (each kind of fact in one query, when a KPI first asks for it), and
`FactTable.kpi` answers a KPI by its one definition in `apps.kpis.registry`, with the
small-number rule. Dashboards, the API and the indicators read only from here, so they agree.
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from apps.core.scoping import Scope
from apps.kpis.choices import Metric
from apps.kpis.disclosure import disclose
from apps.kpis.models import MetricFact
from apps.kpis.quota_facts import QuotaFacts, quota_map
from apps.kpis.registry import (
    ABSENCE,
    COHORT,
    COHORT_COUNTS,
    REGISTRY,
    Query,
)
from apps.kpis.results import Breakdown, KpiResult
from apps.organisation.models import Department, Workplace
from apps.trainees.models import (
    DropoutReason,
    IntakeQuota,
    Phase,
    Programme,
)

ENDED = "ended"  # a cohort's completed and dropped-out trainees by end year (key)
ABSENCE_PERSONS, HOSTED, SUPERVISORS = "absence_persons", "hosted", "supervisors"
# A cohort counts as finished when at most this share of it is still in course.
FINISHED_COHORT_MAX_RUNNING = Decimal("0.10")


@dataclass(frozen=True)
class Cohort:
    programme: str
    year: int


class FactTable(QuotaFacts):
    """One municipality's (or one department's) facts, indexed for quick sums."""

    def __init__(
        self,
        rows,
        *,
        quotas,
        programmes,
        departments,
        reasons,
        phases,
        workplaces,
        municipality_id=None,
        municipal_started=None,
    ):
        # Whose figures these are, for the small-number rule (None: several municipalities).
        self.municipality_id = municipality_id
        self.index: dict[tuple[str, str, int], list[tuple]] = defaultdict(list)
        self.kinds: dict[str, set[int]] = defaultdict(set)
        self._keys: dict[str, set[str]] = defaultdict(set)
        # A table of `load_many` reads a kind of fact when it is first asked for (the KKR
        # comparison needs a few of the kinds for 98 municipalities); None: all are in `rows`.
        self._kind_loader: _KindLoader | None = None
        self.add_rows(rows)
        # {(programme_id, year): started} of the whole municipality when this table holds
        # one department's facts (None: the table holds the whole municipality's).
        self.municipal_started = municipal_started
        self.quotas = quotas  # {(programme_id, year): {department_id or None: QuotaRange}}
        self.programmes = programmes  # {code: (id, name)}
        self.programme_codes = {pid: code for code, (pid, _n) in programmes.items()}
        self.departments = departments  # {id: name}
        self.reasons = [(code, name) for code, name, _health in reasons]
        self.health_reasons = {code for code, _name, health in reasons if health}
        self.phases = phases
        self.workplaces = workplaces  # {id: name}

    def add_rows(self, rows) -> None:
        """Index fact rows (kind, key, year, department, programme, numerator, denominator)."""
        for kind, key, year, dept, prog, num, den in rows:
            self.index[(kind, key, year)].append((dept, prog, num, den))
            self.kinds[kind].add(year)
            self._keys[kind].add(key)

    def _ensure(self, kind: str | None) -> None:
        """Read `kind` (None: every kind) if this table reads its kinds when asked."""
        if self._kind_loader is not None:
            self._kind_loader.load(kind)

    def keys_of(self, kind: str) -> set[str]:
        """The keys of `kind`'s facts (end years, workplace ids, departments hired into)."""
        self._ensure(kind)
        return self._keys.get(kind, set())

    def programme_ids(self) -> set[int]:
        """The programmes some fact is about."""
        self._ensure(None)
        return {int(p) for rows in self.index.values() for (_d, p, _n, _dn) in rows if p}

    # --- loading ---------------------------------------------------------------------

    @classmethod
    def load(
        cls, *, municipality_ids: Iterable[int], department_id: int | None = None
    ) -> FactTable:
        """Six queries, whatever the number of trainees: facts, quotas and the catalogues."""
        municipality_ids = list(municipality_ids)
        qs = MetricFact.objects.filter(municipality_id__in=municipality_ids)
        if department_id is not None:
            # The whole municipality's intake comes along (a department's share of it).
            qs = qs.filter(Q(department_id=department_id) | Q(kind=COHORT, key="started"))
        rows = list(
            qs.values_list(
                "kind", "key", "year", "department_id", "programme_id", "numerator", "denominator"
            )
        )
        municipal_started = None
        if department_id is not None:
            municipal_started = defaultdict(int)
            for kind, key, year, _dept, prog, num, _den in rows:
                if kind == COHORT and key == "started":
                    municipal_started[(prog, year)] += num
            rows = [r for r in rows if r[3] == department_id]
        quotas = quota_map(
            IntakeQuota.objects.filter(municipality_id__in=municipality_ids).values_list(
                "programme_id", "year", "department_id", "minimum", "maximum"
            )
        )
        programmes = {c: (i, n) for i, c, n in Programme.objects.values_list("id", "code", "name")}
        departments = dict(
            Department.objects.filter(municipality_id__in=municipality_ids).values_list(
                "id", "name"
            )
        )
        reasons = list(DropoutReason.objects.values_list("code", "name", "is_health_related"))
        phases = list(Phase.objects.values_list("code", "name"))
        workplaces = dict(
            Workplace.objects.filter(department__municipality_id__in=municipality_ids).values_list(
                "id", "name"
            )
        )
        return cls(
            rows,
            quotas=quotas,
            municipal_started=municipal_started,
            programmes=programmes,
            departments=departments,
            reasons=reasons,
            phases=phases,
            workplaces=workplaces,
            municipality_id=municipality_ids[0] if len(municipality_ids) == 1 else None,
        )

    @classmethod
    def load_many(cls, *, municipality_ids: Iterable[int]) -> dict[int, FactTable]:
        """One table per municipality (the KKR comparison): quotas and catalogues in four
        queries, then one query per kind of fact the first time any table is asked for it."""
        municipality_ids = list(municipality_ids)
        quota_rows: dict[int, list] = {m: [] for m in municipality_ids}
        quota_fields = ("programme_id", "year", "department_id", "minimum", "maximum")
        for m, *row in IntakeQuota.objects.filter(municipality_id__in=municipality_ids).values_list(
            "municipality_id", *quota_fields
        ):
            quota_rows[m].append(row)
        programmes = {c: (i, n) for i, c, n in Programme.objects.values_list("id", "code", "name")}
        reasons = list(DropoutReason.objects.values_list("code", "name", "is_health_related"))
        phases = list(Phase.objects.values_list("code", "name"))
        tables = {
            m: cls(
                (),
                quotas=quota_map(quota_rows[m]),
                programmes=programmes,
                departments={},
                reasons=reasons,
                phases=phases,
                workplaces={},
                municipality_id=m,
            )
            for m in municipality_ids
        }
        loader = _KindLoader(tables)
        for table in tables.values():
            table._kind_loader = loader
        return tables

    # --- sums ------------------------------------------------------------------------

    def _prog_id(self, programme: str | None):
        if not programme:
            return None
        return self.programmes.get(programme, (-1, ""))[0]

    def sum(self, kind, key, years, *, programme=None, department=None) -> tuple[Decimal, Decimal]:
        """Sum of numerators and denominators; `department` is an id or a set of ids."""
        years = [years] if isinstance(years, int) else years
        prog = self._prog_id(programme)
        departments = department if isinstance(department, (set, frozenset)) else None
        num = den = Decimal(0)
        self._ensure(kind)
        for year in years:
            for d, p, n, dn in self.index.get((kind, key, year), ()):
                if departments is not None:
                    if d not in departments:
                        continue
                elif department is not None and d != department:
                    continue
                if prog is None or p == prog:
                    num += n
                    den += dn
        return num, den

    def count(self, kind, key, years, **filters) -> int:
        return int(self.sum(kind, key, years, **filters)[0])

    def years(self, kind: str = COHORT) -> list[int]:
        self._ensure(kind)
        return sorted(self.kinds.get(kind, ()))

    def supervisor_year(self, default: int) -> int:
        """The year the supervisor facts describe (the last recomputation's date)."""
        return (self.years(SUPERVISORS) or self.years(HOSTED) or [default])[-1]

    def cohort(self, years, **filters) -> dict[str, int]:
        return {key: self.count(COHORT, key, years, **filters) for key in COHORT_COUNTS}

    def finished_cohorts(self, up_to: int, *, programme=None, department=None) -> list[Cohort]:
        """Per programme, the latest cohort (start year ≤ `up_to`) with at most 10 % still
        in course at the end of `up_to`: "de senest færdige årgange"."""
        codes = [programme] if programme else sorted(self.programmes)
        end_keys = [k for k in self.keys_of(ENDED) if int(k) <= up_to]
        result = []
        for code in codes:
            for year in sorted((y for y in self.years() if y <= up_to), reverse=True):
                started = self.count(COHORT, "started", year, programme=code, department=department)
                if not started:
                    continue
                ended = sum(
                    self.count(ENDED, k, year, programme=code, department=department)
                    for k in end_keys
                )
                if Decimal(started - ended) <= FINISHED_COHORT_MAX_RUNNING * started:
                    result.append(Cohort(code, year))
                    break
        return result

    def pooled(self, cohorts: list[Cohort], department=None) -> dict[str, int]:
        total = dict.fromkeys(COHORT_COUNTS, 0)
        for c in cohorts:
            for key, n in self.cohort(c.year, programme=c.programme, department=department).items():
                total[key] += n
        return total

    # --- KPIs --------------------------------------------------------------------------

    def kpi(
        self,
        metric: str,
        *,
        scope: Scope,
        year: int,
        programme: str | None = None,
        department: int | None = None,
        cohorts: list[Cohort] | None = None,
        min_qualified: int = 1,
        month: int | None = None,
    ) -> KpiResult | Breakdown:
        """The KPI `metric` for `year` (what the year means is the metric's period rule), as
        its definition in `apps.kpis.registry` computes it, as `scope` may see it."""
        definition = REGISTRY[metric]
        query = Query(year, programme, department, cohorts, min_qualified, month)
        figure = definition.compute(self, query)
        return definition.disclosure(
            figure, scope, municipality_id=self.municipality_id, department=department
        )

    def disclose(self, figure, scope: Scope, *, department=None):
        """`figure` about this table's municipality (and `department`) as `scope` may see it."""
        return disclose(figure, scope, municipality_id=self.municipality_id, department=department)

    def absence(self, year, *, month=None, **f) -> tuple[Decimal, Decimal, int]:
        months = [f"{month:02d}"] if month else [f"{m:02d}" for m in range(1, 13)]
        sick = planned = Decimal(0)
        for key in months:
            s, p = self.sum(ABSENCE, key, year, **f)
            sick += s
            planned += p
        persons_key = f"{month:02d}" if month else ""
        return sick, planned, self.count(ABSENCE_PERSONS, persons_key, year, **f)

    def breakdown_rows(self, kind, catalogue, year, **f) -> list[tuple[str, str, int]]:
        """(key, label, count) of the facts of `kind` per `catalogue` (key, label), in its
        order, leaving out what is 0."""
        rows = []
        for key, label in catalogue:
            n = self.count(kind, key, year, **f)
            if n:
                rows.append((key, label, n))
        return rows

    def supervisor_totals(self, year, department=None, programme=None) -> tuple[int, int]:
        """Qualified and active supervisors; with `programme`, those at the workplaces that
        host trainees of that programme (supervisors belong to no programme themselves)."""
        qualified = active = 0
        keys = self.keys_of(SUPERVISORS)
        if programme:
            keys = {
                k for k in self.keys_of(HOSTED) if self.sum(HOSTED, k, year, programme=programme)[1]
            }
        for key in keys:
            q, a = self.sum(SUPERVISORS, key, year, department=department)
            qualified += int(q)
            active += int(a)
        return qualified, active

    def coverage_rows(self, year, *, programme=None, department=None) -> list[dict]:
        """Per workplace hosting trainees: trainees, placements, active/qualified supervisors."""
        rows = []
        for key in self.keys_of(HOSTED):
            trainees, placements = self.sum(
                HOSTED, key, year, programme=programme, department=department
            )
            if not placements:
                continue
            qualified, active = self.sum(SUPERVISORS, key, year)
            rows.append(
                {
                    "workplace_id": int(key),
                    "name": self.workplaces.get(int(key), key),
                    "trainees": int(trainees),
                    "placements": int(placements),
                    "active": int(active),
                    "qualified": int(qualified),
                }
            )
        return sorted(rows, key=lambda r: r["name"])

    def sick_by_month(self, year, *, scope: Scope, **f) -> list[tuple[int, KpiResult]]:
        """The sick-absence KPI of each month of `year`, as `scope` may see it."""
        return [
            (month, self.kpi(Metric.SICK_ABSENCE_RATE, scope=scope, year=year, month=month, **f))
            for month in range(1, 13)
        ]


class _KindLoader:
    """Reads one kind of fact for every table of a `FactTable.load_many` at once, the first
    time any of them is asked for it, so a page reads only the kinds its KPIs use."""

    def __init__(self, tables: dict[int, FactTable]):
        self.tables = tables
        # The tenancy guard as it was at `load_many` (lifted for the KKR comparison), so a
        # kind read later reads the same municipalities.
        self.context = contextvars.copy_context()
        self.loaded: set[str] = set()

    def load(self, kind: str | None) -> None:
        if kind in self.loaded:
            return
        self.context.run(self._load, kind)

    def _load(self, kind: str | None) -> None:
        facts = MetricFact.objects.filter(municipality_id__in=list(self.tables))
        facts = facts.filter(kind=kind) if kind else facts.exclude(kind__in=self.loaded)
        # Summed over departments by the database: these tables answer for whole
        # municipalities (they know no departments), so a fact comes once, not per department.
        facts = (
            facts.order_by()
            .values("municipality_id", "kind", "key", "year", "programme_id")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
        )
        rows: dict[int, list] = {m: [] for m in self.tables}
        for m, fact_kind, key, year, programme, n, d in facts.values_list(
            "municipality_id", "kind", "key", "year", "programme_id", "n", "d"
        ):
            rows[m].append((fact_kind, key, year, None, programme, n, d))
        for m, table in self.tables.items():
            table.add_rows(rows[m])
        if kind is None:  # every kind is read now: the tables need the loader no more
            for table in self.tables.values():
                table._kind_loader = None
        else:
            self.loaded.add(kind)
