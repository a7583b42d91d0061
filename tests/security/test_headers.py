"""Security headers, production cookies and the deployment check."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


def test_every_page_carries_the_security_headers(client):
    response = client.get("/konto/log-ind/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_scripts_run_only_with_the_requests_nonce(client):
    response = client.get("/test/nonce/")
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    script_src = next(
        part for part in response["Content-Security-Policy"].split(";") if "script-src" in part
    )
    assert f"'nonce-{nonce}'" in script_src
    assert (
        client.get("/test/nonce/")["Content-Security-Policy"] != response["Content-Security-Policy"]
    )


def test_files_with_personal_data_are_not_cached(client):
    response = client.get("/test/file/")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith("attachment")


def test_error_pages_are_not_cached_either(client):
    assert client.get("/findes-ikke/")["Cache-Control"] == "no-store"


def test_production_cookies_are_secure_host_prefixed_and_http_only(client, coordinator):
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    client.get("/konto/log-ind/", secure=True)
    csrf = client.cookies["__Host-csrftoken"]
    response = client.post(
        "/konto/log-ind/",
        {"username": "karin", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["path"] == "/" and not session["domain"]
    assert session["samesite"] == "Lax"
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]


def test_http_is_redirected_to_https_in_production(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/konto/log-ind/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_deployment_check_reports_no_issues():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.example.dk",
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings",
    }
    # Test-only variables: the test settings' and the browser tests' (Playwright sets
    # DJANGO_ALLOW_ASYNC_UNSAFE in this process), never present in a deployment.
    for name in ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"]:
        env.pop(name, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
