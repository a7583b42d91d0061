"""The department dashboard's content, in three cached fragments (apps.dashboards.freshness):
the goal overview, the figures (filters, KPI tiles, charts; with the placement conflict
count) and the high sick-absence warnings. Each is rendered once per user, department and
filter and served from the cache until a table it reads changes; the page around them (title,
department tabs, navigation, CSRF token) is rendered for every request.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from apps.alerts.selectors import department_flags, month_trend
from apps.core.scoping import Scope
from apps.dashboards import freshness, selectors
from apps.dashboards.goal_overview import goal_overview, shown_goals_digest
from apps.organisation.models import Department
from apps.placements.selectors import department_conflict_count
from apps.strategy.models import Goal

PAGE = "dashboards/department_dashboard.html"
ALERTS = "alerts/partials.html#department_section"


def department_content(*, scope: Scope, department: Department, filters: dict) -> dict:
    """The template context of the department dashboard but its tabs."""
    # Read before anything is computed: what is cached under it is never older (freshness).
    versions = freshness.source_versions()

    def version(labels):
        return versions.of(labels) if versions else None

    def dashboard():
        return selectors.department_dashboard(scope=scope, department=department, **filters)

    def overview():
        return goal_overview(scope=scope, department=department)

    def figures():
        html = render_to_string(f"{PAGE}#figures", {"dash": dashboard()})
        conflicts = department_conflict_count(department=department, today=timezone.localdate())
        return str(html), conflicts

    def goals():
        return str(render_to_string(f"{PAGE}#goals", {"overview": overview()}))

    def alerts():
        flags = department_flags(scope=scope, department=department)
        rows = [(flag, month_trend(flag)) for flag in flags]
        return str(render_to_string(ALERTS, {"absence_flags": rows}))

    common = {"scope": scope}
    figures_html, conflicts = freshness.cached(
        "figures",
        **common,
        version=version(freshness.FIGURES_APPS),
        parts=(department.pk, filters["year"], filters["programme"]),
        compute=figures,
    )
    # Coordinators edit goals all day: only a change to a goal this page may show (the rows'
    # digest) or to another table of the overview's apps makes the overview stale.
    goals_version = versions and (
        f"{versions.of(freshness.GOALS_APPS, but={Goal._meta.db_table})}:"
        f"{shown_goals_digest(scope=scope, department=department)}"
    )
    goals_html = freshness.cached(
        "goals", **common, version=goals_version, parts=(department.pk,), compute=goals
    )
    alerts_html = freshness.cached(
        "alerts",
        **common,
        version=version(freshness.ALERTS_APPS),
        parts=(department.pk,),
        compute=alerts,
    )
    return {
        # Our own templates' output.
        "figures": mark_safe(figures_html),  # noqa: S308
        "goals": mark_safe(goals_html),  # noqa: S308
        "alerts": mark_safe(alerts_html),  # noqa: S308
        "placement_conflicts": conflicts,
        # What the fragments show, for code that reads the context (tests); never rendered.
        "dash": SimpleLazyObject(dashboard),
        "overview": SimpleLazyObject(overview),
    }
