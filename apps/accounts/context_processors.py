"""Navigation by capability: each entry is shown to exactly the roles its page lets in.

An entry names the `Scope` capability its view's guard checks (`scope_required(allow=...)`),
so the menu and the page can't disagree (tests/accounts/test_navigation_guards.py). A few
entries are deliberately narrower than their page (`shown_to`): the page stays reachable by
the others, it just isn't in their menu.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    """One main-menu link: shown when `scope.<allow>` (and `scope.<shown_to>`, if set)."""

    label: str | Promise
    url_name: str
    allow: str | None  # the capability the view's guard checks; None: any scope
    shown_to: str | None = None  # a narrower capability for the menu only


NAVIGATION = [
    NavEntry(_("Opfølgning"), "strategy:followup", "can_edit_strategy"),
    NavEntry(_("Strategi"), "strategy:strategy_list", "can_read_strategy"),
    # HR reads initiatives through the strategies; the list is the coordinators' and
    # leaders' work list.
    NavEntry(
        _("Indsatser"),
        "strategy:initiative_list",
        "can_read_strategy",
        shown_to="follows_initiatives",
    ),
    NavEntry(_("Overblik"), "dashboards:municipality_overview", "can_see_municipality_overview"),
    # Everyone else who may see a department's dashboard reaches it from the overview.
    NavEntry(_("Mit fagområde"), "dashboards:department_default", "can_see_persons", "is_leader"),
    NavEntry(_("Nøgletal"), "kpis:indicator_list", "can_edit_strategy"),
    NavEntry(_("Praktikundersøgelse"), "survey:results", "can_see_departments"),
    NavEntry(_("Elever"), "trainees:trainee_list", "can_see_persons"),
    NavEntry(_("Sygefravær"), "alerts:flag_list", "can_follow_absence_warnings"),
    NavEntry(_("Vejledere"), "supervisors:supervisor_list", "can_see_persons"),
    NavEntry(_("Dimensionering"), "quotas:quota_list", "can_manage_quotas"),
    NavEntry(_("Praktikplanlægning"), "placements:plan", "can_plan_placements"),
    NavEntry(_("Kapacitet"), "capacity:capacity_list", "can_plan_placements"),
    NavEntry(_("Import"), "imports:batch_list", "can_import"),
    NavEntry(_("Kommuner"), "dashboards:kkr_overview", "can_compare_municipalities"),
    NavEntry(_("Persondata"), "privacy:index", "can_report_lookups"),
]


def shows(entry: NavEntry, scope) -> bool:
    """Whether `entry` is in `scope`'s menu."""
    if entry.allow and not getattr(scope, entry.allow):
        return False
    return not entry.shown_to or bool(getattr(scope, entry.shown_to))


def navigation(request):
    scope = getattr(request, "scope", None)
    if scope is None:
        return {
            "nav_items": [],
            "oidc_enabled": settings.OIDC_ENABLED,
            "cooloff_minutes": getattr(
                request, "portal_lockout_minutes", settings.AXES_PAIR_COOLOFF_MINUTES
            ),
            "lockout_username": getattr(request, "portal_lockout_username", False),
        }
    items = []
    for entry in NAVIGATION:
        if not shows(entry, scope):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "active": False})
    # Mark only the best match: the longest item URL that is a prefix of the current path, so
    # /strategi/opfoelgning/ marks "Opfølgning" and not "Strategi" (/strategi/) as well.
    matches = [item for item in items if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "scope": scope}
