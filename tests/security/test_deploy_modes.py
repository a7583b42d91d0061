"""The production settings' modes, each checked in a fresh process as an operator would run
it: HSTS preload switched off still passes the deployment check; the local plain-http mode
works without the __Host-/Secure cookies, is flagged by the deployment check and is refused
for any host but this machine."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import PASSWORD

SHOW_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in ['SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', "
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_PRELOAD', 'SILENCED_SYSTEM_CHECKS']}))"
)


def _run(args, **env_vars):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.example.dk",
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings",
    }
    for name in [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "INSECURE_LOCAL_HTTP",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ]:
        env.pop(name, None)
    env.update(env_vars)
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


DEPLOY_CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def test_the_deployment_check_passes_with_hsts_preload_switched_off():
    result = _run(DEPLOY_CHECK, SECURE_HSTS_PRELOAD="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_preload_is_only_silenced_when_switched_off():
    shown = json.loads(_run(["-c", SHOW_SETTINGS]).stdout)
    assert shown["SECURE_HSTS_PRELOAD"] is True
    assert shown["SILENCED_SYSTEM_CHECKS"] == []


def test_local_http_mode_drops_the_https_only_cookie_rules():
    result = _run(["-c", SHOW_SETTINGS], INSECURE_LOCAL_HTTP="true", ALLOWED_HOSTS="localhost")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["SESSION_COOKIE_NAME"] == "sessionid"
    assert shown["CSRF_COOKIE_NAME"] == "csrftoken"
    assert shown["SESSION_COOKIE_SECURE"] is False
    assert shown["CSRF_COOKIE_SECURE"] is False
    assert shown["SECURE_SSL_REDIRECT"] is False


def test_local_http_mode_fails_the_deployment_check():
    result = _run(DEPLOY_CHECK, INSECURE_LOCAL_HTTP="true", ALLOWED_HOSTS="127.0.0.1")
    assert result.returncode != 0
    assert "accounts.W001" in result.stdout + result.stderr


def test_local_http_mode_is_refused_for_a_real_host_name():
    result = _run(DEPLOY_CHECK, INSECURE_LOCAL_HTTP="true", ALLOWED_HOSTS="portal.example.dk")
    assert result.returncode != 0
    assert "INSECURE_LOCAL_HTTP=true is for trying the portal on this machine only" in (
        result.stderr
    )


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls")
def test_behind_a_tls_proxy_the_documented_headers_let_a_user_log_in(client, coordinator, settings):
    """README's proxy set-up: with X-Forwarded-Proto the request counts as https, so HTTPS
    redirection does not loop and the __Host- cookies are issued and accepted."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/konto/log-ind/")["Location"].startswith("https://")
    proxied = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    page = client.get("/konto/log-ind/", **proxied)
    assert page.status_code == 200
    csrf = client.cookies["__Host-csrftoken"]
    assert csrf["secure"]
    response = client.post(
        "/konto/log-ind/",
        {"username": "karin", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        HTTP_ORIGIN="https://testserver",
        **proxied,
    )
    assert response.status_code == 302
    assert client.get("/konto/adgangskode/", **proxied).status_code == 200
