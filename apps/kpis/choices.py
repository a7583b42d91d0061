from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    """The KPIs of DOMAIN.md that the portal computes from trainee and supervisor rows."""

    STARTED = "started", _("Startede elever")
    COMPLETION_RATE = "completion_rate", _("Gennemførelse")
    DROPOUT_RATE = "dropout_rate", _("Frafald")
    HIRED_AFTER_COMPLETION_RATE = "hired_after_completion_rate", _("Ansat efter endt uddannelse")
    HIRE_RATE = "hire_rate", _("Ansat pr. startet elev")
    HIRED_INTO = "hired_into", _("Hvor blev eleverne ansat?")
    DROPOUTS_BY_REASON = "dropouts_by_reason", _("Frafald efter årsag")
    DROPOUTS_BY_PHASE = "dropouts_by_phase", _("Frafald efter fase")
    INTAKE_VS_QUOTA = "intake_vs_quota", _("Optag i forhold til dimensionering")
    INTERNAL_RECRUITMENT_RATE = "internal_recruitment_rate", _("Intern rekruttering")
    INTERNAL_UNSKILLED_COUNT = "internal_unskilled_count", _("Egne ufaglærte i uddannelse")
    INTERNAL_SSH_COUNT = "internal_ssh_count", _("Egne SSH'ere ansat som SSA-elever")
    SICK_ABSENCE_RATE = "sick_absence_rate", _("Sygefravær")
    TRAINED_SUPERVISOR_SHARE = "trained_supervisor_share", _("Uddannede vejledere")
    SUPERVISOR_COVERAGE = "supervisor_coverage", _("Vejlederdækning")
    TRAINEES_PER_SUPERVISOR = "trainees_per_supervisor", _("Elever pr. vejleder")
    PLACEMENT_WELCOMED_SHARE = "placement_welcomed_share", _("Følte sig godt modtaget i praktikken")


BREAKDOWN_METRICS = {Metric.HIRED_INTO, Metric.DROPOUTS_BY_REASON, Metric.DROPOUTS_BY_PHASE}
COUNT_METRICS = {Metric.STARTED, Metric.INTERNAL_UNSKILLED_COUNT, Metric.INTERNAL_SSH_COUNT}
RATIO_METRICS = {Metric.TRAINEES_PER_SUPERVISOR}
# Outcomes of a cohort (the trainees of one programme who started in one year): the metrics an
# indicator's `cohort_year` filter applies to.
COHORT_METRICS = {
    Metric.COMPLETION_RATE,
    Metric.DROPOUT_RATE,
    Metric.HIRED_AFTER_COMPLETION_RATE,
    Metric.HIRE_RATE,
}


class Unit(models.TextChoices):
    PERCENT = "percent", _("procent")
    COUNT = "count", _("antal")
    RATIO = "ratio", _("forhold")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Højere er bedre")
    LOWER = "lower", _("Lavere er bedre")


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", _("Niveau")
    POINTS = "points", _("Ændring i procentpoint")
    RELATIVE = "relative", _("Relativ ændring i procent")


class MeasurementSource(models.TextChoices):
    COMPUTED = "computed", _("Beregnet")
    MANUAL = "manual", _("Indtastet")


class TrackStatus(models.TextChoices):
    ACHIEVED = "achieved", _("Nået")
    ON_TRACK = "on_track", _("På sporet")
    BEHIND = "behind", _("Bagud")
    NO_DATA = "no_data", _("Ingen data")
