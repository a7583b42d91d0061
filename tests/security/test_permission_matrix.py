"""The permission matrix: every URL of the portal × every role × an object in scope and one
of another municipality, with the status each must get (GET requests only).

A URL name without a declared expectation fails the test, so a new view cannot be missed.
Rules checked: anonymous users are sent to login (the API answers 401); a role that may not
do something gets 403 whatever the object; an object outside the user's scope is 404, never
403 (`theirs` rows are derived from that rule); POST-only actions answer GET with 405.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests.conftest import verify_two_factor
from tests.security.matrix_world import build_world

pytestmark = pytest.mark.django_db

L = "login"  # 302 to the login page
R = "redirect"  # 302 somewhere else (a start page, the form's own page)
ROLES = ("anonymous", "coordinator", "leader", "other_leader", "hr", "kkr", "admin", "outsider")
# `leader` leads the department that owns the objects, `other_leader` another department of
# the same municipality, `outsider` is a coordinator of another municipality.
ALL_405 = (405,) * 8

# url name: (object the pk points to, expected status per role in ROLES order)
EXPECT: dict[str, tuple[str | None, tuple]] = {
    "core:home": (None, (L, R, R, R, R, R, R, R)),
    "accounts:login": (None, (200, R, R, R, R, R, R, R)),
    # Machine endpoints for load balancers and monitoring: no login, the same for every role
    # (tests/monitoring). Here no worker ever ran, so /readyz is 503; the test client's
    # address is 127.0.0.1, which METRICS_ALLOWED_IPS admits.
    "monitoring:healthz": (None, (200,) * 8),
    "monitoring:readyz": (None, (503,) * 8),
    "monitoring:metrics": (None, (200,) * 8),
    "accounts:logout": (None, ALL_405),
    "accounts:password_change": (None, (L, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_change_done": (None, (L, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:totp_enrol": (None, (L, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:reminder_preference": (None, (L, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:totp_verify": (None, (L, R, R, R, R, R, R, R)),
    # Single sign-on is off unless configured (tests/accounts/test_oidc.py covers it on).
    "accounts:oidc_login": (None, (404,) * 8),
    "accounts:oidc_callback": (None, (404,) * 8),
    "strategy:strategy_list": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "strategy:strategy_create": (None, (L, 200, 403, 403, 403, 403, 200, 200)),
    "strategy:followup": (None, (L, 200, 403, 403, 403, 403, 200, 200)),
    "strategy:strategy_detail": ("strategy", (L, 200, 200, 200, 200, 403, 200, 404)),
    "strategy:strategy_update": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:strategy_adopt": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:strategy_reopen": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:strategy_archive": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:strategy_copy": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:focus_area_create": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:initiative_create": ("strategy", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:focus_area_detail": ("focus_area", (L, 200, 200, 200, 200, 403, 200, 404)),
    "strategy:focus_area_update": ("focus_area", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:goal_create": ("focus_area", (L, R, 403, 403, 403, 403, R, 404)),
    "strategy:goal_detail": ("goal", (L, 200, 200, 200, 200, 403, 200, 404)),
    "strategy:goal_item": ("goal", (L, 200, 200, 200, 200, 403, 200, 404)),
    "strategy:goal_update": ("goal", (L, R, 403, 403, 403, 403, R, 404)),
    "strategy:goal_move": ("goal", ALL_405),
    "strategy:goal_delete": ("goal", ALL_405),
    "strategy:goal_status": ("goal", ALL_405),
    "strategy:goal_remind": ("goal", ALL_405),
    "strategy:goal_suggestion_confirm": ("goal", ALL_405),
    "strategy:goal_status_override": ("goal", ALL_405),
    "reports:strategy_report": ("strategy", (L, 200, 200, 200, 403, 403, 200, 404)),
    "strategy:initiative_list": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "strategy:initiative_export": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "strategy:goal_export": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "strategy:initiative_detail": ("initiative", (L, 200, 200, 200, 200, 403, 200, 404)),
    "strategy:initiative_update": ("initiative", (L, 200, 403, 403, 403, 403, 200, 404)),
    "strategy:initiative_status": ("initiative", ALL_405),
    "strategy:initiative_remind": ("initiative", ALL_405),
    "trainees:trainee_list": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "trainees:trainee_export": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "trainees:trainee_detail": ("trainee", (L, 200, 200, 404, 200, 403, 200, 404)),
    "trainees:trainee_update": ("trainee", (L, 403, 403, 403, 200, 403, 200, 403)),
    "placement_needs:trainee_needs": ("trainee", (L, 200, 403, 403, 200, 403, 200, 404)),
    "placement_needs:need_remove": ("trainee_need", ALL_405),
    "placement_needs:wish_remove": ("trainee_wish", ALL_405),
    # Quotas (dimensionering): coordinators and HR (and admins).
    "quotas:quota_list": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "quotas:quota_create": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "quotas:quota_update": ("quota", (L, 200, 403, 403, 200, 403, 200, 404)),
    "quotas:quota_delete": ("quota", (L, 200, 403, 403, 200, 403, 200, 404)),
    "imports:quota_upload": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    # Placement planning: coordinators and HR (and admins).
    "capacity:capacity_list": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "capacity:capacity_create": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "capacity:capacity_update": ("capacity", (L, 200, 403, 403, 200, 403, 200, 404)),
    "capacity:capacity_delete": ("capacity", (L, 200, 403, 403, 200, 403, 200, 404)),
    "capacity:settings": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "capacity:supervisors": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "capacity:supervisor_update": ("supervisor", (L, 200, 403, 403, 200, 403, 200, 404)),
    "placements:plan": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "placements:propose": (None, ALL_405),
    "placements:move": ("draft_move", ALL_405),
    "placements:confirm": ("placement_draft", (L, 200, 403, 403, 200, 403, 200, 404)),
    "api:quota_list": (None, (401, 200, 200, 200, 200, 200, 200, 200)),
    "supervisors:supervisor_list": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "supervisors:supervisor_export": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "supervisors:supervisor_detail": ("supervisor", (L, 200, 200, 404, 200, 403, 200, 404)),
    "kpis:indicator_list": (None, (L, 200, 403, 403, 403, 403, 200, 200)),
    # Every reader of the strategy; figures under the small-number rule for their role.
    "kpis:indicator_export": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "kpis:indicator_detail": ("indicator", (L, 200, 403, 403, 403, 403, 200, 404)),
    "kpis:indicator_update": ("indicator", (L, 200, 403, 403, 403, 403, 200, 404)),
    "kpis:indicator_create": (None, (L, 200, 403, 403, 403, 403, 200, 200)),
    "kpis:indicator_delete": ("indicator", (L, 200, 403, 403, 403, 403, 200, 404)),
    "kpis:measurement_update": ("measurement", (L, 200, 403, 403, 403, 403, 200, 404)),
    "kpis:goal_indicator_link": ("goal_link", ALL_405),
    "kpis:goal_indicator_unlink": ("goal_unlink", ALL_405),
    "dashboards:municipality_overview": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "dashboards:department_default": (None, (L, R, R, R, R, 403, R, R)),
    "dashboards:department": ("department", (L, 200, 200, 404, 200, 403, 200, 404)),
    "dashboards:kkr_overview": (None, (L, 403, 403, 403, 403, 200, 200, 403)),
    "dashboards:kkr_export": (None, (L, 403, 403, 403, 403, 200, 200, 403)),
    "alerts:flag_list": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    "alerts:flag_detail": ("absence_flag", (L, 200, 200, 404, 200, 403, 200, 404)),
    "alerts:settings": (None, (L, 200, 403, 403, 403, 403, 200, 200)),
    "imports:batch_list": (None, (L, 403, 403, 403, 200, 403, 200, 403)),
    "imports:batch_detail": ("batch", (L, 403, 403, 403, 200, 403, 200, 403)),
    "imports:batch_confirm": ("batch", ALL_405),
    "imports:batch_undo": ("batch", (L, 403, 403, 403, 200, 403, 200, 403)),
    # The API index and its OpenAPI description hold no data.
    "api:index": (None, (200,) * 8),
    "api:openapi": (None, (200,) * 8),
    "api:indicator_list": (None, (401, 200, 200, 200, 200, 200, 200, 200)),
    "api:indicator_detail": ("indicator", (401, 200, 200, 200, 200, 200, 200, 404)),
    # Aggregates only; another municipality's figures are never person-level.
    "api:metric": ("metric", (401, 200, 200, 200, 200, 200, 200, 200)),
    # The strategy's goals, as the strategy pages show them; KKR without owner names.
    "api:goal_list": (None, (401, 200, 200, 200, 200, 200, 200, 200)),
    # An initiative's effect: its strategy's municipality only; figures by the small-number rule.
    "api:initiative_effect": ("initiative", (401, 200, 200, 200, 200, 200, 200, 404)),
    "api:absence_warnings": (None, (401, 200, 200, 200, 200, 200, 200, 200)),
    # Survey results are aggregates of at least 5 answers; KKR analysts compare municipalities
    # only. The link sheet names trainees: coordinators, HR and admins.
    "survey:results": (None, (L, 200, 200, 200, 200, 403, 200, 200)),
    "survey:link_sheet": (None, (L, 200, 403, 403, 200, 403, 200, 200)),
    # Public, without login: the personal link is the only key (a forged one is 404).
    "survey:respond": ("survey_token", (404,) * 8),
    "survey:thanks": (None, (200,) * 8),
    "privacy:index": (None, (L, 200, 403, 403, 403, 403, 200, 200)),
    "privacy:person_lookups": ("person", (L, 200, 403, 403, 403, 403, 200, 404)),
    "privacy:person_access_export": ("person", (L, 403, 403, 403, 403, 403, 200, 403)),
    # A background export is the requester's alone (`hr` in the world): a colleague of the
    # same municipality, whatever their role, gets 404.
    "core:export_job": ("export_job", (L, 404, 404, 404, 200, 404, 404, 404)),
    "core:export_download": ("export_job", (L, 404, 404, 404, 200, 404, 404, 404)),
}

# Downloads that share a URL name with a page, told apart by the query string; checked with
# the same rules as the pages.
EXPORT_VARIANTS = {
    ("trainees:trainee_export", "?format=csv"),
    ("supervisors:supervisor_export", "?format=csv"),
    ("strategy:initiative_export", "?format=csv"),
    ("strategy:goal_export", "?format=csv"),
    ("kpis:indicator_export", "?format=csv"),
    ("dashboards:kkr_export", "?format=csv"),
    ("imports:batch_detail", "?hent=afviste"),
    ("privacy:person_access_export", "?format=xlsx"),
}

# How to fill in a URL's arguments for an object of a world.
ARGUMENTS = {
    "metric": lambda world: {"name": "completion_rate"},
    "person": lambda world: {"kind": "elev", "pk": world.trainee.pk},
    "survey_token": lambda world: {"token": "forfalsket-link-0123456789abcdef"},
    "goal_link": lambda world: {"goal_pk": world.goal.pk},
    "trainee_need": lambda world: {"pk": world.trainee.pk, "need_pk": 1},
    "trainee_wish": lambda world: {"pk": world.trainee.pk, "wish_pk": 1},
    "draft_move": lambda world: {"pk": world.placement_draft.pk, "trainee_id": world.trainee.pk},
    "goal_unlink": lambda world: {"goal_pk": world.goal.pk, "pk": world.indicator.pk},
}


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _url_names(pattern.url_patterns, nested)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _portal_url_names() -> set[str]:
    # The admin's URLs are generated per model and all need is_staff: test_admin_* cover them.
    return {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")}


def _url(name: str, kind: str | None, world) -> str:
    if kind is None:
        return reverse(name)
    kwargs = ARGUMENTS[kind](world) if kind in ARGUMENTS else {"pk": world.pk(kind)}
    return reverse(name, kwargs=kwargs)


def _outcome(response) -> object:
    if response.status_code == 302:
        return L if response["Location"].startswith("/konto/log-ind/") else R
    return response.status_code


def _outside_expectation(inside: object) -> object:
    """What a role gets for another municipality's object: 404 where it would see its own."""
    return 404 if inside in (200, R) else inside


@pytest.fixture
def clients(coordinator, leader, other_leader, hr, kkr, admin_user, outsider):
    users = dict(
        zip(
            ROLES,
            (None, coordinator, leader, other_leader, hr, kkr, admin_user, outsider),
            strict=True,
        )
    )
    result = {}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            verify_two_factor(client, user)
        result[role] = client
    return result


def test_every_portal_url_has_a_declared_expectation():
    names = _portal_url_names()
    assert sorted(names - EXPECT.keys()) == [], "declare these in EXPECT"
    assert sorted(EXPECT.keys() - names) == [], "these URL names no longer exist"


def test_every_role_gets_the_declared_status_for_every_url(
    clients, hr, outsider, elderly, other_department
):
    mine = build_world(department=elderly, uploader=hr)
    theirs = build_world(department=other_department, uploader=outsider)
    mismatches = []
    variants = [(name, "") for name in EXPECT.keys() & _portal_url_names()]
    for name, query in sorted([*variants, *EXPORT_VARIANTS]):
        kind, expected = EXPECT[name]
        cases = [("mine", mine, dict(zip(ROLES, expected, strict=True)))]
        if kind is not None and kind != "metric":
            outside = {
                role: (want if role == "anonymous" else _outside_expectation(want))
                for role, want in zip(ROLES, expected, strict=True)
                if role != "outsider"  # for them, `theirs` is their own municipality
            }
            cases.append(("theirs", theirs, outside))
        for label, world, wants in cases:
            url = _url(name, kind, world) + query
            for role, want in wants.items():
                got = _outcome(clients[role].get(url))
                if got != want:
                    mismatches.append(f"{name} [{label}] {url} as {role}: {got}, expected {want}")
    assert mismatches == []


ADMIN_ROLES_WITHOUT_STAFF = ("coordinator", "leader", "hr", "kkr", "outsider")


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/accounts/user/", "/admin/trainees/trainee/", "/admin/core/auditentry/"],
)
def test_the_admin_is_for_staff_admins_only(clients, url):
    for role in ("anonymous", *ADMIN_ROLES_WITHOUT_STAFF):
        response = clients[role].get(url)
        assert response.status_code == 302, (url, role)
        assert response["Location"].startswith("/admin/login/"), (url, role)
    assert clients["admin"].get(url).status_code == 200


def test_the_admin_shows_no_object_of_another_municipality(
    clients, hr, outsider, elderly, other_department
):
    mine = build_world(department=elderly, uploader=hr)
    theirs = build_world(department=other_department, uploader=outsider)
    admin = clients["admin"]
    assert admin.get(f"/admin/trainees/trainee/{mine.trainee.pk}/change/").status_code == 200
    response = admin.get(f"/admin/trainees/trainee/{theirs.trainee.pk}/change/")
    assert response.status_code == 404  # tests/security/test_admin_scoping.py: every model
    listing = admin.get("/admin/trainees/trainee/")
    assert [t.pk for t in listing.context["cl"].result_list] == [mine.trainee.pk]
