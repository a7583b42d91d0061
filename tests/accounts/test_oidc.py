"""Single sign-on with Entra ID (OIDC code flow with PKCE, state and nonce), against a tiny
provider served from the test on 127.0.0.1 with real RS256-signed ID tokens."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.accounts.models import User
from apps.core.roles import Role
from tests.accounts.oidc_provider import TinyProvider

pytestmark = pytest.mark.django_db

COORDINATORS = "11111111-aaaa-0000-0000-000000000001"
ELDERLY_LEADERS = "22222222-bbbb-0000-0000-000000000002"
ADMINS = "33333333-cccc-0000-0000-000000000003"
OTHER_MUNICIPALITY = "44444444-dddd-0000-0000-000000000004"
LOGIN_URL = "/konto/sso/log-ind/"
CALLBACK_URL = "/konto/sso/retur/"


@pytest.fixture
def provider(settings, municipality, elderly, other_municipality):
    server = TinyProvider(client_id="portal-client", client_secret="portal-secret").start()
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "apps.accounts.oidc.EntraIdBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = server.client_id
    settings.OIDC_RP_CLIENT_SECRET = server.client_secret
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{server.base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{server.base}/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{server.base}/jwks"
    settings.OIDC_OP_ISSUER = server.issuer
    settings.OIDC_GROUP_MAP = json.dumps(
        {
            COORDINATORS: {"municipality": 219, "role": "coordinator"},
            ELDERLY_LEADERS: {
                "municipality": 219,
                "role": "leader",
                "departments": ["Ældre og Sundhed"],
            },
            ADMINS: {"municipality": 219, "role": "admin"},
            OTHER_MUNICIPALITY: {"municipality": 165, "role": "coordinator"},
        }
    )
    yield server
    server.stop()


def start_login(client, next_url="/konto/adgangskode/"):
    response = client.get(LOGIN_URL, {"next": next_url})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    return {k: v[0] for k, v in parse_qs(location.query).items()}, location


def finish_login(client, provider, params, **claims):
    code = provider.authorize(params, **claims)
    return client.get(CALLBACK_URL, {"code": code, "state": params["state"]})


def test_the_login_redirect_carries_state_nonce_and_a_pkce_challenge(client, provider):
    params, location = start_login(client)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.base}/authorize"
    assert params["response_type"] == "code"
    assert params["client_id"] == "portal-client"
    assert params["code_challenge_method"] == "S256"
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert len(params["code_challenge"]) == 43
    assert params["redirect_uri"] == "http://testserver/konto/sso/retur/"


def test_a_coordinator_group_member_is_created_and_logged_in(client, provider, municipality):
    params, _ = start_login(client)
    response = finish_login(client, provider, params, groups=[COORDINATORS])
    assert response.status_code == 302
    assert response["Location"] == "/konto/adgangskode/"
    user = User.objects.get(oidc_subject="tenant:00000000-0000-0000-0000-00000000beef")
    assert user.username == "kirsten.koordinator@kommune.dk"
    assert (user.role, user.municipality, user.has_usable_password()) == (
        Role.COORDINATOR,
        municipality,
        False,
    )
    assert client.session["_auth_user_id"] == str(user.pk)
    assert provider.token_requests[-1]["code_verifier"]
    assert client.get("/konto/adgangskode/").status_code == 200


def test_a_leader_gets_the_mapped_departments_and_groups_are_reapplied_each_login(
    client, provider, elderly
):
    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[ELDERLY_LEADERS])
    user = User.objects.get()
    assert user.role == Role.LEADER and list(user.departments.all()) == [elderly]

    client.post("/konto/log-ud/")
    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[COORDINATORS])
    user.refresh_from_db()
    assert user.role == Role.COORDINATOR and not user.departments.exists()


def _refused(client, response):
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"] == "/konto/log-ind/?sso=fejl"
    assert "_auth_user_id" not in client.session


def test_a_person_in_no_mapped_group_is_refused(client, provider):
    params, _ = start_login(client)
    _refused(client, finish_login(client, provider, params, groups=["unknown"]))
    assert not User.objects.exists()
    page = client.get("/konto/log-ind/?sso=fejl").content.decode()
    assert "Log ind med Microsoft-kontoen lykkedes ikke" in page


def test_groups_of_two_municipalities_are_refused(client, provider):
    params, _ = start_login(client)
    response = finish_login(client, provider, params, groups=[COORDINATORS, OTHER_MUNICIPALITY])
    _refused(client, response)


def test_an_id_token_with_another_nonce_is_refused(client, provider):
    params, _ = start_login(client)
    token = provider.sign(provider.id_token_claims(nonce="replayed", groups=[COORDINATORS]))
    _refused(client, finish_login(client, provider, params, id_token=token))


def test_an_id_token_signed_by_another_key_is_refused(client, provider):
    params, _ = start_login(client)
    forged_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = provider.id_token_claims(nonce=params["nonce"], groups=[COORDINATORS])
    token = provider.sign(claims, key=forged_key)
    _refused(client, finish_login(client, provider, params, id_token=token))


@pytest.mark.parametrize(
    "override",
    [{"aud": "another-client"}, {"iss": "https://evil.example/v2.0"}, {"exp": 1_000_000}],
    ids=["audience", "issuer", "expired"],
)
def test_an_id_token_for_another_audience_issuer_or_expired_is_refused(client, provider, override):
    params, _ = start_login(client)
    claims = provider.id_token_claims(nonce=params["nonce"], groups=[COORDINATORS], **override)
    _refused(client, finish_login(client, provider, params, id_token=provider.sign(claims)))


def test_an_unknown_or_replayed_state_is_refused(client, provider):
    params, _ = start_login(client)
    code = provider.authorize(params, groups=[COORDINATORS])
    response = client.get(CALLBACK_URL, {"code": code, "state": "not-the-state"})
    assert response.status_code == 400
    assert finish_login(client, provider, params, groups=[COORDINATORS]).status_code == 302
    client.post("/konto/log-ud/")
    replay = client.get(CALLBACK_URL, {"code": "x", "state": params["state"]})
    _refused(client, replay)


def test_a_local_account_with_the_same_username_is_not_taken_over(client, provider, municipality):
    from tests.factories import UserFactory

    local = UserFactory(username="kirsten.koordinator@kommune.dk", municipality=municipality)
    params, _ = start_login(client)
    _refused(client, finish_login(client, provider, params, groups=[COORDINATORS]))
    local.refresh_from_db()
    assert local.oidc_subject is None


def test_an_admin_who_passed_mfa_at_entra_needs_no_local_code(client, provider):
    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[ADMINS], amr=["pwd", "mfa"])
    assert client.get("/konto/adgangskode/").status_code == 200


def test_an_admin_without_mfa_at_entra_must_enrol_a_local_code(client, provider):
    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[ADMINS], amr=["pwd"])
    assert client.get("/konto/adgangskode/")["Location"].startswith("/konto/totrin/opret/")


def test_sso_is_off_unless_configured_and_local_login_stays(client, coordinator, password):
    assert client.get(LOGIN_URL).status_code == 404
    assert "Microsoft-konto" not in client.get("/konto/log-ind/").content.decode()
    response = client.post("/konto/log-ind/", {"username": "karin", "password": password})
    assert response.status_code == 302


def test_the_login_page_offers_sso_when_configured(client, provider):
    html = client.get("/konto/log-ind/").content.decode()
    assert "Log ind med din Microsoft-konto fra kommunen" in html


def test_mfa_at_entra_may_replace_a_local_device_but_a_password_at_entra_may_not(client, provider):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.accounts.models import User

    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[ADMINS], amr=["pwd"])
    user = User.objects.get(pk=client.session["_auth_user_id"])
    TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    client.post("/konto/log-ud/")

    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[ADMINS], amr=["pwd"])
    assert client.get("/konto/totrin/opret/")["Location"].startswith("/konto/totrin/kode/")
    client.post("/konto/log-ud/")

    params, _ = start_login(client)
    finish_login(client, provider, params, groups=[ADMINS], amr=["pwd", "mfa"])
    assert client.get("/konto/totrin/opret/").status_code == 200
