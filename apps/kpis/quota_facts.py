"""The quota side of a `FactTable`: a municipality's quotas (dimensionering) per programme,
year and department, read the way the intake KPI (`apps.kpis.registry`) needs them."""

from __future__ import annotations

from collections import defaultdict

from apps.kpis.registry import COHORT
from apps.kpis.results import QuotaRange


def quota_map(rows) -> dict:
    """{(programme_id, year): {department_id or None: QuotaRange}} from quota rows."""
    quotas: dict = defaultdict(dict)
    for prog, year, department, minimum, maximum in rows:
        quotas[(prog, year)][department] = QuotaRange(minimum, maximum)
    return dict(quotas)


class QuotaFacts:
    """Mixed into `FactTable`: `quotas` is {(programme_id, year): {department_id or None:
    QuotaRange}}, `municipal_started` the municipality's intake when the table holds one
    department's facts."""

    def quota_range(self, year: int, programme: str, department=None) -> QuotaRange | None:
        """The quota of `programme` in `year`: the municipality's (its own row, else the sum of
        its departments' rows) or, with `department` (an id or a set of ids), the sum of those
        departments' own rows; None when there is none."""
        rows = self.quotas.get((self._prog_id(programme), year))
        if not rows:
            return None
        if department is None:
            if None in rows:
                return rows[None]
            return QuotaRange.total(rows.values())
        ids = department if isinstance(department, (set, frozenset)) else {department}
        own = [q for d, q in rows.items() if d is not None and d in ids]
        return QuotaRange.total(own) if own else None

    def started_in_municipality(self, year: int, programme: str) -> int:
        """The municipality's intake of `programme` in `year`, whatever the table holds."""
        if self.municipal_started is None:
            return self.count(COHORT, "started", year, programme=programme)
        return int(self.municipal_started.get((self._prog_id(programme), year), 0))

    def quota_programmes(self, year: int) -> list[str]:
        """The codes of the programmes with any quota (municipal or a department's) in `year`."""
        return [code for code, (pid, _n) in self.programmes.items() if self.quotas.get((pid, year))]

    def quota(self, year: int, programme: str | None) -> int:
        """The municipality's minimum quota of `programme` (of every programme: None)."""
        codes = [programme] if programme else self.quota_programmes(year)
        return sum(q.minimum for c in codes if (q := self.quota_range(year, c)) is not None)
