"""One set of objects in the persona municipality (`mine`) and a twin set in another
municipality (`theirs`), for the permission matrix."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from apps.alerts.models import AbsenceFlag
from apps.core.models import ExportJob, ExportStatus
from apps.imports.models import BatchStatus, ImportBatch, ImportKind
from apps.kpis.models import Indicator, Measurement
from apps.placements.models import DraftAssignment, PlacementDraft, WorkplaceCapacity
from apps.trainees.models import IntakeQuota
from tests.factories import (
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
    SupervisorFactory,
    TraineeFactory,
    WorkplaceFactory,
)


@dataclass
class World:
    department: object
    strategy: object
    focus_area: object
    goal: object
    initiative: object
    trainee: object
    supervisor: object
    indicator: object
    measurement: object
    batch: object
    export_job: object = None
    absence_flag: object = None
    quota: object = None
    placement_draft: object = None
    capacity: object = None

    def pk(self, kind: str) -> int:
        return getattr(self, kind).pk


def build_world(*, department, uploader) -> World:
    """A strategy with a focus area, a goal and an initiative of `department`, a trainee and
    a supervisor there, an indicator with a measurement, a ready import batch, and a finished
    list export requested by `uploader`."""
    municipality = department.municipality
    strategy = StrategyFactory(municipality=municipality)
    focus_area = FocusAreaFactory(strategy=strategy)
    goal = GoalFactory(focus_area=focus_area, department=department)
    initiative = InitiativeFactory(strategy=strategy, department=department)
    workplace = WorkplaceFactory(department=department)
    trainee = TraineeFactory(department=department)
    supervisor = SupervisorFactory(workplace=workplace)
    indicator = Indicator.objects.create(municipality=municipality, name="Frafald")
    indicator.goals.add(goal)
    measurement = Measurement.objects.create(
        municipality=municipality, indicator=indicator, period=2024, value=10
    )
    batch = ImportBatch.objects.create(
        municipality=municipality,
        kind=ImportKind.TRAINEES,
        status=BatchStatus.READY,
        file_name="elever.xlsx",
        uploaded_by=uploader,
    )
    export_job = ExportJob.objects.create(
        requested_by=uploader,
        municipality=municipality,
        permission="can_see_persons",
        list_label="trainees.trainee",
        name="elever",
        format="csv",
        status=ExportStatus.READY,
        rows_total=1,
        rows_done=1,
        content=b"Elev-ID\r\n",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    now = timezone.now()
    absence_flag = AbsenceFlag.objects.create(
        municipality=municipality,
        trainee=trainee,
        window_start=datetime.date(2026, 8, 1),
        window_end=datetime.date(2026, 10, 1),
        sick_days=9,
        planned_days=60,
        rate=15,
        threshold=10,
        opened_at=now,
        computed_at=now,
    )
    quota = IntakeQuota.objects.create(
        municipality=municipality, programme=trainee.programme, year=2031, minimum=5, maximum=8
    )
    placement_draft = PlacementDraft.objects.create(
        municipality=municipality,
        start_date=datetime.date(2031, 2, 1),
        end_date=datetime.date(2031, 6, 30),
    )
    DraftAssignment.objects.create(draft=placement_draft, trainee=trainee)
    capacity = WorkplaceCapacity.objects.create(
        municipality=municipality,
        workplace=workplace,
        programme=trainee.programme,
        start_date=datetime.date(2031, 2, 1),
        end_date=datetime.date(2031, 6, 30),
        places=2,
    )
    return World(
        department,
        strategy,
        focus_area,
        goal,
        initiative,
        trainee,
        supervisor,
        indicator,
        measurement,
        batch,
        export_job,
        absence_flag,
        quota=quota,
        placement_draft=placement_draft,
        capacity=capacity,
    )
