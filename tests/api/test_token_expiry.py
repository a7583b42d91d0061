"""API tokens expire API_TOKEN_LIFETIME_DAYS after they are issued (12 months by default);
an expired token is refused with a Danish 401 saying so, and the admin shows the expiry."""

import datetime
import importlib

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.api.models import ApiToken

pytestmark = pytest.mark.django_db

EXPIRED = "API-nøglen er udløbet. Bed en administrator om en ny."


def test_a_token_expires_twelve_months_after_it_is_issued(fred_coordinator):
    before = timezone.now()
    token, _raw = ApiToken.issue(user=fred_coordinator, name="Power BI")
    lifetime = token.expires_at - before
    assert datetime.timedelta(days=365) <= lifetime < datetime.timedelta(days=365, minutes=1)


@override_settings(API_TOKEN_LIFETIME_DAYS=30)
def test_the_lifetime_is_a_setting(fred_coordinator):
    token, _raw = ApiToken.issue(user=fred_coordinator, name="Qlik")
    assert (token.expires_at - timezone.now()).days in (29, 30)


def test_a_token_created_in_the_admin_gets_an_expiry_too(fred_coordinator):
    token = ApiToken(user=fred_coordinator, name="Power BI")
    token.assign_new_key()
    token.save()
    assert token.expires_at > timezone.now() + datetime.timedelta(days=364)


def test_an_expired_token_is_refused_with_a_danish_401_saying_so(client, fred_coordinator):
    token, raw = ApiToken.issue(user=fred_coordinator, name="BI")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": EXPIRED}
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    token.refresh_from_db()
    assert token.last_used_at is None


def test_a_token_still_valid_answers(client, fred_coordinator):
    token, raw = ApiToken.issue(user=fred_coordinator, name="BI")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    response = client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_and_revoked_token_is_just_invalid(client, fred_coordinator):
    token, raw = ApiToken.issue(user=fred_coordinator, name="BI")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1), revoked_at=timezone.now()
    )
    response = client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Log ind eller brug en gyldig API-nøgle."}


def test_the_admin_lists_when_each_token_expires(login, admin_user, municipality):
    token, _raw = ApiToken.issue(user=admin_user, name="Power BI")
    response = login(admin_user).get("/admin/api/apitoken/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Udløber" in html
    change = login(admin_user).get(f"/admin/api/apitoken/{token.pk}/change/")
    assert "Udløber" in change.content.decode()


def test_the_migration_gives_existing_tokens_twelve_months_from_its_run(fred_coordinator):
    token, _raw = ApiToken.issue(user=fred_coordinator, name="BI")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1000)
    )
    migration = importlib.import_module("apps.api.migrations.0002_apitoken_expires_at")
    before = timezone.now()
    migration.give_expiry(ApiToken.objects.filter(pk=token.pk))
    token.refresh_from_db()
    assert before + datetime.timedelta(days=365) <= token.expires_at
    assert token.expires_at < before + datetime.timedelta(days=365, minutes=1)
    assert migration.Migration.operations[1].code is migration.set_expiry_of_existing_tokens
