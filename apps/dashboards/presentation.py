"""How KPI figures look on the dashboards: Danish value texts, KPI tiles with their target,
and charts (a Chart.js configuration with its text alternative and data table). No queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.formatting import format_amount, format_measure, format_number
from apps.core.scoping import Scope
from apps.kpis.choices import Metric, Unit
from apps.kpis.disclosure import SUPPRESSED_LABEL, WITHHELD_LABEL, few_persons_text, hidden_note
from apps.kpis.facts import Cohort
from apps.kpis.models import Indicator
from apps.kpis.results import Breakdown, KpiResult
from apps.kpis.targets import TargetJudgement, distance_text, judge, target_level, target_text

SUPPRESSED_RATE = "–"
# A chart label longer than this is shortened with an ellipsis (the table has it in full).
LABEL_MAX = 24

# What each tile's number means, in plain Danish (the tile's help text). The two hiring rates
# differ in what they are counted against, so each says so.
METRIC_HELP = {
    Metric.STARTED: gettext_lazy("Antal elever, der startede på uddannelsen i året."),
    Metric.COMPLETION_RATE: gettext_lazy(
        "Andel af eleverne på årgangene, der gennemførte uddannelsen."
    ),
    Metric.DROPOUT_RATE: gettext_lazy(
        "Andel af eleverne på de senest afsluttede årgange, der faldt fra undervejs. "
        "Lavere er bedre."
    ),
    Metric.HIRED_AFTER_COMPLETION_RATE: gettext_lazy(
        "Andel af de elever, der gennemførte uddannelsen, som kommunen ansatte bagefter. "
        "Tæller kun dem, der gennemførte – ikke alle, der startede."
    ),
    Metric.HIRE_RATE: gettext_lazy(
        "Andel af alle elever, der startede, som kommunen ansatte efter uddannelsen. "
        "Elever, der faldt fra, tæller med."
    ),
    Metric.INTAKE_VS_QUOTA: gettext_lazy(
        "Elever, der startede i året, i procent af dimensioneringen (det antal elever, "
        "kommunen eller fagområdet skal optage). 100 % betyder, at dimensioneringen er "
        "opfyldt; ved et interval (fx 30–35) er den nået mellem de to tal. Har et fagområde "
        "ingen dimensionering af sin egen, vises dets andel af kommunens optag."
    ),
    Metric.INTERNAL_RECRUITMENT_RATE: gettext_lazy(
        "Andel af årets nye elever, der allerede var ansat i kommunen (egne ufaglærte og "
        "social- og sundhedshjælpere)."
    ),
    Metric.INTERNAL_UNSKILLED_COUNT: gettext_lazy(
        "Antal af kommunens egne ufaglærte medarbejdere, der startede på en uddannelse."
    ),
    Metric.INTERNAL_SSH_COUNT: gettext_lazy(
        "Antal af kommunens egne social- og sundhedshjælpere, der startede som SSA-elever."
    ),
    Metric.SICK_ABSENCE_RATE: gettext_lazy(
        "Elevernes sygedage i procent af deres planlagte dage i året. Lavere er bedre."
    ),
    Metric.TRAINED_SUPERVISOR_SHARE: gettext_lazy(
        "Andel af de aktive vejledere, der har en vejlederuddannelse."
    ),
    Metric.SUPERVISOR_COVERAGE: gettext_lazy(
        "Andel af de arbejdspladser med elever, hvor mindst én vejleder har en vejlederuddannelse."
    ),
    Metric.TRAINEES_PER_SUPERVISOR: gettext_lazy(
        "Antal elevforløb pr. aktiv vejleder. Lavere er bedre."
    ),
    Metric.PLACEMENT_WELCOMED_SHARE: gettext_lazy(
        "Andel af elevernes svar i praktikundersøgelsen, der var »Ja, i høj grad« eller »Ja, i "
        "nogen grad« til at føle sig godt modtaget, efter det år praktikken sluttede. Vises "
        "kun med mindst 5 svar."
    ),
}


def metric_help(metric: str) -> str:
    return str(METRIC_HELP.get(metric, ""))


def column_help(metrics) -> list[tuple[str, str]]:
    """(name, meaning) for a table's KPI columns: the same plain Danish as the tiles."""
    return [(str(Metric(m).label), metric_help(m)) for m in metrics]


def manual_help() -> str:
    return _(
        "Tallet er indtastet af kommunen (fx fra en spørgeskemaundersøgelse) og beregnes "
        "ikke af portalen."
    )


def withheld_text(*, trend: bool = False) -> str:
    if trend:
        return _("For få personer til at vise udviklingen.")
    return _("For få personer til at vise fordelingen.")


def short_label(text: str, suffix: str = "") -> str:
    """A chart label: the name, shortened with an ellipsis only when it is too long; a
    `suffix` (a cohort's year) is always kept whole."""
    text, room = str(text), LABEL_MAX - len(suffix)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return text + suffix


# --- small presentation helpers -------------------------------------------------------------


def display(result: KpiResult) -> str:
    """The value as Danish text, or the hidden-count label / "–" when the small-number rule
    hides it."""
    if result.suppressed:
        return SUPPRESSED_LABEL if result.unit == Unit.COUNT else SUPPRESSED_RATE
    if result.value is None:
        return "–"
    return format_measure(result.value, result.unit)


def hidden_text(result: KpiResult) -> str:
    """A chart table cell: the hidden-count label when the small-number rule hides the value
    (for rates too, so a hidden value never reads as "no data"), else the value as text."""
    return SUPPRESSED_LABEL if result.suppressed else display(result)


def count_text(n: int | None, suppressed: bool = False) -> str:
    if suppressed:
        return SUPPRESSED_LABEL
    if n is None:
        return WITHHELD_LABEL
    return format_number(n, 0)


def chart_value(result: KpiResult):
    return None if result.value is None else round(result.value, 2)


class TraineeLinks:
    """Links to the trainees behind a number, for the roles that may see persons."""

    def __init__(self, scope: Scope):
        self.base = None
        if scope.can_see_persons:
            try:
                self.base = reverse("trainees:trainee_list")
            except NoReverseMatch:
                self.base = None

    def __call__(self, **params) -> str | None:
        if self.base is None:
            return None
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{self.base}?{urlencode(clean)}"


@dataclass
class Tile:
    """One KPI tile: the value, what it is built from, and where it stands against a target."""

    metric: str
    label: str
    result: KpiResult
    period_label: str
    url: str | None = None
    indicator: Indicator | None = None
    judgement: TargetJudgement | None = None
    baseline: str = ""
    target: str = ""
    cohorts: list[str] = field(default_factory=list)  # the cohorts behind a cohort KPI
    help: str = ""  # what the number means, in plain Danish

    @property
    def value_text(self) -> str:
        if self.result.share is not None:
            return format_measure(self.result.share, Unit.PERCENT)
        return display(self.result)

    @property
    def note(self) -> str:
        """What the figure is measured against, when that is not the obvious (intake)."""
        return self.result.note

    @property
    def quota_badge(self) -> tuple[str, str] | None:
        """(css, label) of intake against its quota, where no indicator target judges it: a
        range is reached from its minimum to its maximum."""
        reached = self.result.within_range
        if self.metric != Metric.INTAKE_VS_QUOTA or reached is None:
            return None
        if reached:
            return "status-good", _("Dimensioneringen er nået")
        if self.result.numerator < self.result.denominator:
            return "status-bad", _("Under dimensioneringen")
        return "status-info", _("Over dimensioneringens maksimum")

    @property
    def detail(self) -> str:
        r = self.result
        if r.suppressed:
            return few_persons_text()
        if r.share is not None:
            text = _("%(num)s af kommunens %(den)s nye elever") % {
                "num": format_number(r.numerator, 0),
                "den": format_number(r.share_of, 0),
            }
            return _("%(text)s (afrundet)") % {"text": text} if r.rounded else text
        if r.unit != Unit.COUNT and r.value is None:
            return _("Ingen data")
        if r.unit == Unit.COUNT or r.denominator in (None, 0) or r.numerator is None:
            return ""
        if r.metric == Metric.SICK_ABSENCE_RATE:
            return _("%(num)s sygedage af %(den)s planlagte") % {
                "num": format_amount(r.numerator),
                "den": format_amount(r.denominator),
            }
        den = format_number(r.denominator, 0)
        if r.maximum is not None and r.maximum != r.denominator:
            den = f"{den}–{format_number(r.maximum, 0)}"
        text = _("%(num)s af %(den)s") % {"num": format_number(r.numerator, 0), "den": den}
        return _("%(text)s (afrundet)") % {"text": text} if r.rounded else text

    @property
    def distance_text(self) -> str:
        """How far from the target, in plain words; nothing once the target is reached."""
        if self.judgement is None or self.indicator is None:
            return ""
        return distance_text(self.indicator, self.judgement)

    @property
    def status_shown(self) -> bool:
        """A status badge only where there is something to judge: a target, and a value
        ("Ingen data" only when the value itself is missing)."""
        return self.judgement is not None


def unit_text(value, unit: str) -> str:
    return format_measure(value, unit)


def attach_target(tile: Tile, indicator: Indicator | None, period: int) -> Tile:
    if indicator is None:
        return tile
    tile.indicator = indicator
    tile.baseline = ""
    if indicator.baseline_value is not None:
        value = unit_text(indicator.baseline_value, indicator.unit)
        since = indicator.baseline_period
        tile.baseline = f"{value} ({since})" if since else value
        if getattr(indicator, "baseline_measured", False):
            # Measured by the portal from the trainee data, not a figure the document gives.
            tile.baseline = _("%(value)s (målt af portalen for %(year)s)") % {
                "value": value,
                "year": since,
            }
    tile.target = target_text(indicator)
    # Without a target there is nothing to judge: no status, never "Ingen data" beside a value.
    if not tile.result.suppressed and target_level(indicator) is not None:
        tile.judgement = judge(indicator, tile.result.value, period)
    return tile


def match_indicator(indicators, metric, department_id, programme_id) -> Indicator | None:
    candidates = [
        i
        for i in indicators
        if i.metric == metric
        and i.cohort_year is None  # a one-cohort indicator has its own tile, not the latest
        and i.programme_id == programme_id
        and i.department_id in (department_id, None)
    ]
    candidates.sort(key=lambda i: i.department_id is None)
    return candidates[0] if candidates else None


def programme_name(programmes: dict, code: str) -> str:
    """A programme's name from a `FactTable.programmes` map ({code: (id, name)})."""
    return programmes.get(code, (None, code))[1] or code


def cohort_names(cohorts: list[Cohort], programmes: dict) -> list[str]:
    """Each cohort with its programme by name, never by code: "Social- og
    sundhedsassistent 2022"."""
    return [f"{programme_name(programmes, c.programme)} {c.year}" for c in cohorts]


def cohorts_text(cohorts: list[Cohort], programmes: dict) -> str:
    """Short enough to read at a glance; the full list goes in the tile's <details>."""
    if not cohorts:
        return _("Ingen afsluttede årgange")
    if len(cohorts) == 1:
        return _("Årgang %(cohort)s") % {"cohort": cohort_names(cohorts, programmes)[0]}
    first, last = min(c.year for c in cohorts), max(c.year for c in cohorts)
    years = str(first) if first == last else f"{first}–{last}"
    return _("Seneste afsluttede årgange, startår %(years)s (%(n)s uddannelser)") % {
        "years": years,
        "n": len(cohorts),
    }


# --- charts -----------------------------------------------------------------------------------


@dataclass
class Chart:
    """A chart for Chart.js plus its text alternative and data table (for the "Vis tabel"
    toggle): `config` goes to the page with json_script."""

    id: str
    title: str
    description: str
    kind: str
    labels: list
    datasets: list[dict]
    headers: list[str]
    rows: list[list[dict]]
    unit: str = Unit.COUNT
    horizontal: bool = False
    stacked: bool = False
    all_labels: bool = False  # label every category (Chart.js skips some when crowded)

    @property
    def has_hidden(self) -> bool:
        """Some value is hidden by the small-number rule (left out of the chart)."""
        return any(d.get("suppressed") for d in self.datasets)

    @property
    def withheld(self) -> bool:
        """Every measured value is hidden: the page says so in words instead of drawing an
        empty chart (reference lines such as a quota or a baseline do not count)."""
        measured = [d for d in self.datasets if not d.get("role")]
        return self.has_hidden and all(v is None for d in measured for v in d["data"])

    @property
    def note(self) -> str:
        if self.withheld:
            return withheld_text(trend=self.kind == "line")
        return hidden_note() if self.has_hidden else ""

    @property
    def config(self) -> dict:
        return {
            "id": self.id,
            "hiddenMark": SUPPRESSED_LABEL,
            "type": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "unit": self.unit,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
            "allLabels": self.all_labels,
            "withheld": self.withheld,
        }


def cell(text, url=None) -> dict:
    return {"text": text, "url": url}


def series(label, data: list, hidden: list[bool] | None = None, **extra) -> dict:
    """A dataset: values hidden by the small-number rule are null (left out, never drawn as
    zero) and their positions are listed in `suppressed` so the chart can mark them with the
    hidden-count label."""
    dataset = {"label": label, "data": data, **extra}
    positions = [i for i, h in enumerate(hidden or []) if h]
    if positions:
        dataset["data"] = [None if i in positions else v for i, v in enumerate(data)]
        dataset["suppressed"] = positions
    return dataset


def breakdown_chart(chart_id, title, breakdown: Breakdown, link_param, links, base) -> Chart:
    rows = [
        [
            cell(r.label),
            cell(
                count_text(r.count, r.suppressed),
                None
                if r.suppressed
                else links(**base, **{link_param: r.key})
                if link_param
                else None,
            ),
        ]
        for r in breakdown.rows
    ]
    rows.append(
        [
            cell(_("I alt")),
            cell(count_text(breakdown.total, breakdown.total_suppressed)),
        ]
    )
    shown = ", ".join(f"{r.label}: {count_text(r.count, r.suppressed)}" for r in breakdown.rows)
    return Chart(
        id=chart_id,
        title=title,
        description=shown or _("Ingen data i perioden."),
        kind="bar",
        labels=[r.label for r in breakdown.rows],
        datasets=[
            series(
                _("Antal"),
                [r.count for r in breakdown.rows],
                [r.suppressed for r in breakdown.rows],
            )
        ],
        headers=[_("Kategori"), _("Antal")],
        rows=rows,
        horizontal=True,
    )
