"""The two-factor login as a state machine: for each step of a login (anonymous, password
given and enrolment owed, password given and a code owed, verified) and for users with and
without a confirmed device, every URL of the portal (the whole URLconf, the admin's
included) is requested, and nothing but the step's own pages and logout answers before the
session is verified. Enrolment is refused to a session that owes a code.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.roles import Role
from tests.accounts.test_two_factor import ENROL_URL, VERIFY_URL, code_for, password_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/konto/log-ind/"
# Answer before verification, each with its own rule below; everything else must redirect
# to the step's page.
STEP_VIEWS = {
    "accounts:login",
    "accounts:logout",
    "accounts:totp_verify",
    "accounts:totp_enrol",
    "accounts:oidc_login",
    "accounts:oidc_callback",
}
# Pages an anonymous visitor may see (everything else: login, 401, 404 or 405).
# The placement survey is answered without login, through a personal link (a forged one is
# 404) and its thank-you page; the health and metrics endpoints answer without login.
PUBLIC_VIEWS = {
    "accounts:login",
    "admin:login",
    "api:index",
    "api:openapi",
    "survey:respond",
    "survey:thanks",
    # Machine endpoints for the load balancer and monitoring: no personal data; /metrics only
    # from METRICS_ALLOWED_IPS (the test client is 127.0.0.1).
    "monitoring:healthz",
    "monitoring:readyz",
    "monitoring:metrics",
}


# Arguments whose regular expression accepts only some words.
WORDS = {"kind": "elev", "app_label": "accounts"}


def _sample_value(converter):
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return "00000000-0000-0000-0000-000000000001"
    return "x"


def _sample(pattern) -> dict:
    """Keyword arguments that make `pattern` reversible (an int 1 or the text "x")."""
    converters = getattr(pattern.pattern, "converters", {}) or {}
    names = list(pattern.pattern.regex.groupindex)
    return {name: WORDS.get(name, _sample_value(converters.get(name))) for name in names}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern.url_patterns, nested)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def portal_urls() -> list[tuple[str, str]]:
    """(url name, a URL for it) for every named URL of the portal, the admin's included."""
    urls = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        kwargs = _sample(pattern)
        candidates = [kwargs, {k: WORDS.get(k, "1") for k in kwargs}]
        for candidate in candidates:
            try:
                urls[name] = reverse(name, kwargs=candidate or None)
                break
            except NoReverseMatch:
                continue
    return sorted(urls.items())


def test_the_walk_covers_the_whole_urlconf():
    names = {name for name, _ in portal_urls()}
    walked = {name for name, _ in _walk(get_resolver().url_patterns)}
    assert names == walked
    assert {"accounts:totp_enrol", "admin:index", "api:index", "core:home"} <= names
    assert any(name.startswith("admin:core_twofactordevice") for name in names)


@pytest.fixture
def with_device(municipality):
    """name -> user with a confirmed device (an admin, and a coordinator who opted in)."""
    admin = UserFactory(username="anne", role=Role.ADMIN, municipality=municipality, is_staff=True)
    coordinator = UserFactory(username="carl", role=Role.COORDINATOR, municipality=municipality)
    for user in (admin, coordinator):
        TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    return {"admin": admin, "coordinator": coordinator}


def _redirects_to(response, target: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(target)


def _assert_only_the_step_answers(client, step_url: str, *, owes: str):
    problems = []
    for name, url in portal_urls():
        for method in ("get", "post"):
            if name == "accounts:logout":
                continue  # logging out is always allowed; checked separately
            response = getattr(client, method)(url)
            if name not in STEP_VIEWS:
                # The API answers a session that owes a step with a JSON 401, not a redirect.
                api_refused = url.startswith("/api/") and response.status_code == 401
                if not (api_refused or _redirects_to(response, step_url)):
                    problems.append((method, name, url, response.status_code))
                continue
            if name == "accounts:totp_enrol" and owes == "verify":
                ok = _redirects_to(response, VERIFY_URL)
            elif name == "accounts:totp_verify" and owes == "enrol":
                ok = response.status_code == 302 and not _redirects_to(response, VERIFY_URL)
            elif name in {"accounts:totp_enrol", "accounts:totp_verify"}:
                ok = response.status_code == 200
            elif name == "accounts:login":
                ok = response.status_code == 302
            else:  # single sign-on, off in tests
                ok = response.status_code == 404
            if not ok:
                problems.append((method, name, url, response.status_code))
    assert problems == []


def test_an_anonymous_visitor_reaches_only_the_public_pages(client):
    reached = [
        (name, url)
        for name, url in portal_urls()
        if client.get(url).status_code == 200 and name not in PUBLIC_VIEWS
    ]
    assert reached == []


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_after_the_password_a_user_with_a_device_reaches_only_the_code_step(
    client, with_device, who
):
    user = with_device[who]
    password_login(client, user.username)
    _assert_only_the_step_answers(client, VERIFY_URL, owes="verify")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.post("/konto/log-ud/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_after_the_password_an_admin_without_a_device_reaches_only_enrolment(client, admin_user):
    password_login(client, "anders")
    _assert_only_the_step_answers(client, ENROL_URL, owes="enrol")
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


def _assert_nothing_sends_back_to_a_step(client):
    # Sample arguments point at rows that may not exist; only where a page sends the user
    # matters here (django-otp's device QR view answers 500 for a missing device).
    client.raise_request_exception = False
    problems = []
    for name, url in portal_urls():
        if name == "accounts:logout":
            continue
        response = client.get(url)
        if _redirects_to(response, VERIFY_URL) or _redirects_to(response, ENROL_URL):
            problems.append((name, url))
        if response.status_code == 302 and response["Location"].startswith(LOGIN_URL):
            problems.append((name, url))
    assert problems == []
    assert client.get(ENROL_URL).status_code == 200  # may replace (or add) a device


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_a_verified_user_with_a_device_is_held_back_nowhere(client, with_device, who):
    user = with_device[who]
    password_login(client, user.username)
    device = TOTPDevice.objects.get(user=user)
    client.post(VERIFY_URL, {"token": code_for(device)})
    _assert_nothing_sends_back_to_a_step(client)


def test_a_user_who_owes_no_step_is_held_back_nowhere(client, coordinator):
    password_login(client, "karin")
    _assert_nothing_sends_back_to_a_step(client)
