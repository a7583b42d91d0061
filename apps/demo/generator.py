"""The generator of one municipality's demo population: supervisors, trainees, placements
and monthly absence, built in memory and written with bulk_create."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from apps.demo.population_data import (
    DEFAULT_REASON_WEIGHTS,
    FIRST_NAMES,
    FREDERIKSSUND_DEPARTMENTS,
    LAST_NAMES,
    PROFESSION_BY_KIND,
    PROFILES,
    QUALIFICATION_WEIGHTS,
    REASON_WEIGHTS,
    SEED,
    SOSU_GRUNDFORLOEB_MONTHS,
    SOSU_PLACES,
    SURNAME_CUMULATIVE,
    TODAY,
    TRAINING_PLACES,
    Profile,
    S,
    T,
)
from apps.organisation.models import Department, Municipality, Workplace
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.choices import AgeBand, Recruitment, TraineeStatus
from apps.trainees.models import (
    Absence,
    DropoutReason,
    Phase,
    Placement,
    Programme,
    Trainee,
)


def _surname(rng: random.Random) -> str:
    """A surname drawn with the population's weights."""
    return rng.choices(LAST_NAMES, cum_weights=SURNAME_CUMULATIVE)[0]


@dataclass
class Draft:
    """One trainee being generated, with the schedule its placements come from."""

    trainee: Trainee
    profile: Profile
    schedule: list[tuple[str, int, datetime.date, datetime.date]] = field(default_factory=list)

    @property
    def window_end(self) -> datetime.date:
        return min(self.trainee.expected_end_date, TODAY)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _schedule(profile: Profile, start: datetime.date, end: datetime.date):
    first = (
        _add_months(start, SOSU_GRUNDFORLOEB_MONTHS)
        if profile.employed and profile.schedule[0][0] == S
        else start
    )
    span = (end - first).days + 1
    periods = []
    count = len(profile.schedule)
    for i, (kind, number) in enumerate(profile.schedule):
        period_start = first + datetime.timedelta(days=span * i // count)
        period_end = first + datetime.timedelta(days=span * (i + 1) // count - 1)
        periods.append((kind, number, period_start, period_end))
    return periods


class Generator:
    """Builds one municipality's population in memory, then writes it with bulk_create."""

    def __init__(self, municipality: Municipality, rng: random.Random):
        self.municipality = municipality
        self.rng = rng
        # Names come from a generator of their own, so the name lists can change without
        # moving any of the figures drawn from `rng`.
        self.names = random.Random(f"{SEED}-{municipality.code}-names")
        self.departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
        self.workplaces: dict[int, list[Workplace]] = defaultdict(list)
        for workplace in Workplace.objects.filter(department__municipality=municipality).order_by(
            "department__order", "name"
        ):
            self.workplaces[workplace.department_id].append(workplace)
        self.programmes = {p.code: p for p in Programme.objects.all()}
        self.reasons = {r.code: r for r in DropoutReason.objects.all()}
        self.phases = {p.code: p for p in Phase.objects.all()}
        self.qualifications = {q.code: q for q in QualificationLevel.objects.all()}
        self.supervisors: dict[int, list[Supervisor]] = defaultdict(list)
        self.all_supervisors: list[Supervisor] = []
        self.drafts: list[Draft] = []

    # --- supervisors ------------------------------------------------------------------

    def make_supervisors(self) -> None:
        """3–7 supervisors per workplace (4 more in elder care), of mixed qualification."""
        rng, result = self.rng, self.all_supervisors
        codes, weights = zip(*QUALIFICATION_WEIGHTS.items(), strict=True)
        for department in sorted(self.departments.values(), key=lambda d: (d.order, d.name)):
            for workplace in self.workplaces[department.pk]:
                extra = 4 if workplace.kind in SOSU_PLACES else 0
                for _ in range(rng.randint(3, 7) + extra):
                    code = rng.choices(codes, weights)[0]
                    if code == "clinical" and workplace.kind not in (
                        "home_nursing",
                        "nursing_home",
                    ):
                        code = "amu"
                    qualified_on = None
                    if code != "none":
                        qualified_on = datetime.date(rng.randint(2012, 2026), rng.randint(1, 10), 1)
                    supervisor = Supervisor(
                        municipality=self.municipality,
                        hr_id=f"V{self.municipality.code}-{len(result) + 1:04d}",
                        name=f"{self.names.choice(FIRST_NAMES)} {_surname(self.names)}",
                        workplace=workplace,
                        profession=rng.choice(PROFESSION_BY_KIND.get(workplace.kind, ["Andet"])),
                        qualification=self.qualifications[code],
                        qualified_on=qualified_on,
                        is_active=rng.random() > 0.08,
                    )
                    result.append(supervisor)
                    self.supervisors[workplace.pk].append(supervisor)

    # --- trainees ---------------------------------------------------------------------

    def add_cohort(self, code: str, year: int, count: int, department_names: list[str]):
        rng, profile = self.rng, PROFILES[code]
        departments = [self.departments[name] for name in department_names]
        weights = [3] + [1] * (len(departments) - 1)
        for _ in range(count):
            start = datetime.date(year, rng.choice(profile.start_months), 1)
            expected_end = _add_months(start, profile.months) - datetime.timedelta(days=1)
            trainee = Trainee(
                municipality=self.municipality,
                first_name=self.names.choice(FIRST_NAMES),
                last_name=_surname(self.names),
                programme=self.programmes[code],
                department=rng.choices(departments, weights)[0],
                start_date=start,
                expected_end_date=expected_end,
                status=TraineeStatus.ACTIVE,
                age_band=self._age_band(code),
                recruitment=self._recruitment(code),
            )
            draft = Draft(trainee, profile, _schedule(profile, start, expected_end))
            self.drafts.append(draft)
            if rng.random() < profile.dropout_rate:
                self.drop_out(draft, self._dropout_date(draft))

    def _age_band(self, code: str) -> str:
        # Frederikssund: 82 % of SSA and 73 % of SSH students are 25 or older at start.
        bands = [b.value for b in AgeBand]
        if code == "SSA":
            weights = [3, 15, 22, 30, 20, 10]
        elif code in ("SSH", "PAU"):
            weights = [7, 20, 20, 25, 18, 10]
        else:
            weights = [2, 50, 30, 12, 5, 1]
        return self.rng.choices(bands, weights)[0]

    def _recruitment(self, code: str) -> str:
        if code not in ("SSH", "SSA"):
            return Recruitment.EXTERNAL
        roll = self.rng.random()
        if roll < 0.1:
            return Recruitment.INTERNAL_UNSKILLED
        if code == "SSA" and roll < 0.17:
            return Recruitment.INTERNAL_SSH
        return Recruitment.EXTERNAL

    def _dropout_date(self, draft: Draft) -> datetime.date:
        """Most dropouts come early: grundforløb and the first training periods."""
        start = draft.trainee.start_date
        span = (draft.trainee.expected_end_date - start).days
        return start + datetime.timedelta(days=int(span * self.rng.random() ** 1.8))

    def drop_out(self, draft: Draft, day: datetime.date | None) -> None:
        trainee = draft.trainee
        if day is None or day > TODAY:
            trainee.status, trainee.end_date = TraineeStatus.ACTIVE, None
            return
        trainee.status = TraineeStatus.DROPPED_OUT
        trainee.end_date = day

    def settle(self) -> None:
        """Status of everyone not dropped out, then reasons, phases and hiring."""
        rng = self.rng
        for draft in self.drafts:
            trainee = draft.trainee
            if trainee.status == TraineeStatus.DROPPED_OUT:
                if trainee.dropout_reason is None:
                    trainee.dropout_reason = self._random_reason(trainee.programme.code)
                trainee.dropout_phase = self._phase_on(draft, trainee.end_date)
            elif trainee.expected_end_date <= TODAY:
                trainee.status = TraineeStatus.COMPLETED
                trainee.end_date = trainee.expected_end_date
                if trainee.hired_after is None:
                    self._hire(draft, rng.random() < draft.profile.hire_rate)
            elif rng.random() < 0.03:
                trainee.status = TraineeStatus.LEAVE

    def _random_reason(self, code: str) -> DropoutReason:
        weights = REASON_WEIGHTS.get(code, DEFAULT_REASON_WEIGHTS)
        return self.reasons[self.rng.choices(list(weights), list(weights.values()))[0]]

    def _phase_on(self, draft: Draft, day: datetime.date) -> Phase:
        if draft.schedule and day < draft.schedule[0][2]:
            return self.phases["basic"]
        for kind, number, start, end in draft.schedule:
            if start <= day <= end:
                return self.phases[f"{kind}-{number}"]
        kind, number, _, _ = draft.schedule[-1]
        return self.phases[f"{kind}-{number}"]

    def _hire(
        self,
        draft: Draft,
        hired: bool,
        department: Department | None = None,
        *,
        as_ssa_student: bool = False,
    ) -> None:
        trainee = draft.trainee
        trainee.hired_after = hired
        if not hired:
            return
        if as_ssa_student:
            trainee.hired_as_ssa_student = True
            return
        if department is None:
            if trainee.programme.code == "SSH" and self.rng.random() < 0.2:
                trainee.hired_as_ssa_student = True
                return
            department = trainee.department
        trainee.hired_into_department = department
        workplaces = self.workplaces[department.pk]
        if workplaces and self.rng.random() < 0.6:
            trainee.hired_into_workplace = self.rng.choice(workplaces)

    # --- writing ----------------------------------------------------------------------

    def write(self) -> tuple[int, int, int]:
        self.drafts.sort(key=lambda d: (d.trainee.start_date, d.trainee.programme.code))
        for number, draft in enumerate(self.drafts, start=1):
            trainee = draft.trainee
            trainee.hr_id = f"D{self.municipality.code}-{number:05d}"
            # bulk_create skips save(), which derives these two.
            trainee.start_year = trainee.start_date.year
            trainee.end_year = trainee.end_date.year if trainee.end_date else None
        Trainee.objects.bulk_create([d.trainee for d in self.drafts], batch_size=500)
        placements = [p for d in self.drafts for p in self._placements(d)]
        Placement.objects.bulk_create(placements, batch_size=1000)
        absences = [a for d in self.drafts if d.profile.employed for a in self._absences(d)]
        self.adjust_absences(absences)
        Absence.objects.bulk_create(absences, batch_size=1000)
        return len(self.drafts), len(placements), len(absences)

    def _placements(self, draft: Draft) -> list[Placement]:
        trainee, result = draft.trainee, []
        last_day = trainee.end_date if trainee.status == TraineeStatus.DROPPED_OUT else None
        for kind, number, start, end in draft.schedule:
            if last_day is not None and start > last_day:
                break
            workplace = supervisor = None
            if kind == T:
                workplace = self._training_workplace(trainee)
                candidates = self.supervisors.get(workplace.pk, []) if workplace else []
                if end >= TODAY:  # a current or planned period needs an active supervisor
                    candidates = [c for c in candidates if c.is_active] or candidates
                supervisor = self.rng.choice(candidates) if candidates else None
            result.append(
                Placement(
                    municipality_id=self.municipality.pk,
                    trainee_id=trainee.pk,
                    period_number=number,
                    kind=kind,
                    workplace_id=workplace.pk if workplace else None,
                    supervisor_id=supervisor.pk if supervisor else None,
                    start_date=start,
                    end_date=min(end, last_day) if last_day else end,
                )
            )
        return result

    def _training_workplace(self, trainee: Trainee) -> Workplace | None:
        department = trainee.department
        # SOSU students rotate between the elder-care departments of Frederikssund.
        if self.municipality.code == 250 and self.rng.random() < 0.4:
            department = self.departments[self.rng.choice(FREDERIKSSUND_DEPARTMENTS)]
        workplaces = self.workplaces[department.pk]
        kinds = TRAINING_PLACES.get(trainee.programme.code, ())
        suitable = [w for w in workplaces if w.kind in kinds] or workplaces
        return self.rng.choice(suitable) if suitable else None

    def _absences(self, draft: Draft) -> list[Absence]:
        trainee, rng, result = draft.trainee, self.rng, []
        last = min(trainee.end_date or trainee.expected_end_date, TODAY)
        month = trainee.start_date.replace(day=1)
        while month <= last:
            planned = Decimal(rng.randint(15, 22))
            roll = rng.random()
            if roll < 0.55:
                sick = 0
            elif roll < 0.93:
                sick = rng.randint(1, 4)
            else:
                sick = rng.randint(5, 15)
            result.append(
                Absence(
                    municipality_id=self.municipality.pk,
                    trainee_id=trainee.pk,
                    month=month,
                    year=month.year,  # bulk_create skips save()
                    sick_days=min(Decimal(sick), planned),
                    planned_days=planned,
                )
            )
            month = _add_months(month, 1)
        return result

    def adjust_absences(self, absences: list[Absence]) -> None:
        """Hook for seed figures on absence (Frederikssund overrides it)."""
