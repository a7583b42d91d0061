"""Frederikssund's demo population, pinned to the figures of shared/seeds/003."""

from __future__ import annotations

import datetime
from decimal import Decimal

from apps.demo.generator import Draft, Generator
from apps.demo.population_data import (
    FREDERIKSSUND_COHORTS,
    FREDERIKSSUND_DEPARTMENTS,
    FREDERIKSSUND_DROPOUTS_2023,
    FREDERIKSSUND_INTERNAL_2023,
    FREDERIKSSUND_SICK_RATE_2023,
    FREDERIKSSUND_STARTED,
    GUIDES,
)
from apps.trainees.choices import Recruitment, TraineeStatus
from apps.trainees.models import (
    Absence,
)


class FrederikssundGenerator(Generator):
    """Frederikssund's SOSU population, pinned to the figures of shared/seeds/003."""

    def build(self) -> None:
        rng = self.rng
        for code, by_year in FREDERIKSSUND_STARTED.items():
            for year, count in by_year.items():
                self.add_cohort(code, year, count, FREDERIKSSUND_DEPARTMENTS)
        for (code, year), (completed, dropped, hired) in FREDERIKSSUND_COHORTS.items():
            cohort = self._cohort(code, year)
            assert len(cohort) == completed + dropped
            rng.shuffle(cohort)
            for draft in cohort[:dropped]:
                self.drop_out(draft, self._dropout_date(draft))
            hires = [dept for dept, n in hired.items() for _ in range(n)]
            for i, draft in enumerate(cohort[dropped:]):
                draft.trainee.status, draft.trainee.end_date = TraineeStatus.ACTIVE, None
                if i < len(hires):
                    name = hires[i]
                    department = self.departments[name] if name else None
                    self._hire(draft, True, department, as_ssa_student=name is None)
                else:
                    self._hire(draft, False)
        self._pin_dropouts_2023()
        self._pin_recruitment_2023()
        for draft in self.drafts:
            if draft.trainee.start_date >= datetime.date(2023, 1, 1) or (
                draft.trainee.end_date is None and draft.window_end >= datetime.date(2023, 1, 1)
            ):
                draft.trainee.personal_guide = rng.choice(GUIDES)

    def _cohort(self, code: str, year: int) -> list[Draft]:
        return [
            d
            for d in self.drafts
            if d.trainee.programme.code == code and d.trainee.start_date.year == year
        ]

    def _pin_dropouts_2023(self) -> None:
        """Exactly Bilag 2's dropouts in 2023, by reason; other dropouts fall outside 2023."""
        rng = self.rng
        first, last = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
        pinned = set(FREDERIKSSUND_COHORTS)
        for code, by_reason in FREDERIKSSUND_DROPOUTS_2023.items():
            wanted = sum(by_reason.values())

            def reaches_2023(d):
                return d.trainee.start_date <= last and d.window_end >= first

            drafts = [d for d in self.drafts if d.trainee.programme.code == code]
            eligible = [
                d
                for d in drafts
                if d.trainee.status == TraineeStatus.DROPPED_OUT and reaches_2023(d)
            ]
            spare = [
                d
                for d in drafts
                if d.trainee.status != TraineeStatus.DROPPED_OUT
                and reaches_2023(d)
                and (code, d.trainee.start_date.year) not in pinned
            ]
            rng.shuffle(spare)
            eligible += spare[: max(0, wanted - len(eligible))]
            rng.shuffle(eligible)
            reasons = [r for r, n in by_reason.items() for _ in range(n)]
            rng.shuffle(reasons)
            for draft, reason in zip(eligible[:wanted], reasons, strict=True):
                lo = max(first, draft.trainee.start_date)
                hi = min(last, draft.window_end)
                day = lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))
                self.drop_out(draft, day)
                draft.trainee.dropout_reason = self.reasons[reason]
            for draft in eligible[wanted:]:
                self.drop_out(draft, self._date_outside(draft, first, last))

    def _date_outside(self, draft: Draft, first, last) -> datetime.date:
        for _ in range(50):
            day = self._dropout_date(draft)
            if not first <= day <= last:
                return day
        start = draft.trainee.start_date
        return start if start < first else last + datetime.timedelta(days=1)

    def _pin_recruitment_2023(self) -> None:
        for code, wanted in FREDERIKSSUND_INTERNAL_2023.items():
            cohort = self._cohort(code, 2023)
            for draft in cohort:
                draft.trainee.recruitment = Recruitment.EXTERNAL
            labels = [value for value, n in wanted.items() for _ in range(n)]
            for draft, value in zip(self.rng.sample(cohort, len(labels)), labels, strict=True):
                draft.trainee.recruitment = value

    def adjust_absences(self, absences: list[Absence]) -> None:
        """Scale 2023's sick days so Σ sick ÷ Σ planned is 8.64 % (seed 003, "Trivsel")."""
        rows = [a for a in absences if a.year == 2023]
        planned = sum(a.planned_days for a in rows)
        target = (planned * FREDERIKSSUND_SICK_RATE_2023).quantize(Decimal("0.01"))
        raw = sum(a.sick_days for a in rows)
        for a in rows:
            scaled = (a.sick_days * target / raw * 2).quantize(Decimal(1)) / 2
            a.sick_days = min(a.planned_days, scaled)
        rest = target - sum(a.sick_days for a in rows)
        step = Decimal("0.5") if rest > 0 else Decimal("-0.5")
        for a in self.rng.sample(rows, len(rows)):
            if abs(rest) < Decimal("0.5"):
                break
            if 0 <= a.sick_days + step <= a.planned_days:
                a.sick_days += step
                rest -= step
        for a in rows:
            if 0 <= a.sick_days + rest <= a.planned_days:
                a.sick_days += rest
                break
