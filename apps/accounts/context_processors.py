"""Navigation by role: each entry is shown only to the roles that use it."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role

ALL = set(Role.values)
NAVIGATION = [
    (_("Opfølgning"), "strategy:followup", {Role.COORDINATOR, Role.ADMIN}),
    (_("Strategi"), "strategy:strategy_list", {Role.COORDINATOR, Role.ADMIN, Role.LEADER, Role.HR}),
    (_("Indsatser"), "strategy:initiative_list", {Role.COORDINATOR, Role.ADMIN, Role.LEADER}),
    (_("Overblik"), "dashboards:municipality_overview", {Role.COORDINATOR, Role.ADMIN, Role.HR}),
    (_("Mit fagområde"), "dashboards:department_default", {Role.LEADER}),
    (_("Nøgletal"), "kpis:indicator_list", {Role.COORDINATOR, Role.ADMIN}),
    (_("Elever"), "trainees:trainee_list", {Role.COORDINATOR, Role.ADMIN, Role.LEADER, Role.HR}),
    (
        _("Vejledere"),
        "supervisors:supervisor_list",
        {Role.COORDINATOR, Role.ADMIN, Role.LEADER, Role.HR},
    ),
    (_("Import"), "imports:batch_list", {Role.HR, Role.ADMIN}),
    (_("Kommuner"), "dashboards:kkr_overview", {Role.KKR_ANALYST, Role.ADMIN}),
    (_("Persondata"), "privacy:index", {Role.COORDINATOR, Role.ADMIN}),
]


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
    for label, url_name, roles in NAVIGATION:
        if scope.role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # Mark only the best match: the longest item URL that is a prefix of the current path, so
    # /strategi/opfoelgning/ marks "Opfølgning" and not "Strategi" (/strategi/) as well.
    matches = [item for item in items if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "scope": scope}
