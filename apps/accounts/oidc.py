"""Single sign-on with Microsoft Entra ID (OpenID Connect, authorization code flow with PKCE,
state and nonce), on top of mozilla-django-oidc. Local login stays available.

Rules:
- the ID token must be RS256-signed by a key from the provider's JWKS, issued by
  OIDC_OP_ISSUER for our client id, unexpired, and carry the nonce of this login;
- a person is recognised by the token's tenant + object id (`oid`, else `sub`), never by
  e-mail; a local account with the same username is not taken over;
- role, municipality and departments come from the token's `groups` through
  OIDC_GROUP_MAP on every login, so removing someone from a group revokes the role;
  a person in no mapped group (or in groups of two municipalities) is refused.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from apps.accounts.two_factor import OIDC_MFA_SESSION_KEY
from apps.core.roles import Role
from apps.core.scoping import Scope, tenancy_for

log = logging.getLogger(__name__)

BACKEND_PATH = "apps.accounts.oidc.EntraIdBackend"
# When one person is in several mapped groups, the strongest role wins.
ROLE_RANK = [Role.ADMIN, Role.COORDINATOR, Role.HR, Role.LEADER, Role.KKR_ANALYST]


@dataclass(frozen=True)
class GroupGrant:
    """What membership of one Entra group gives: a role in a municipality (and departments)."""

    municipality_code: int
    role: str
    departments: tuple[str, ...] = ()


def parse_group_map(raw: str | dict) -> dict[str, GroupGrant]:
    """OIDC_GROUP_MAP: `{"<group object id>": {"municipality": 219, "role": "leader",
    "departments": ["Ældre og Sundhed"]}, …}` as JSON text or a dict."""
    data = json.loads(raw) if isinstance(raw, str) else raw
    grants = {}
    for group_id, entry in (data or {}).items():
        role = entry.get("role")
        if role not in Role.values:
            raise ImproperlyConfigured(f"OIDC_GROUP_MAP: unknown role {role!r} for {group_id}")
        grants[group_id] = GroupGrant(
            municipality_code=int(entry["municipality"]),
            role=role,
            departments=tuple(entry.get("departments", ())),
        )
    return grants


def grant_for_groups(groups: list[str]) -> GroupGrant | None:
    """The single grant a set of groups gives, or None when it gives none or is ambiguous."""
    grants = [g for gid, g in parse_group_map(settings.OIDC_GROUP_MAP).items() if gid in groups]
    if not grants or len({g.municipality_code for g in grants}) != 1:
        return None
    role = min((g.role for g in grants), key=ROLE_RANK.index)
    departments = tuple(sorted({d for g in grants if g.role == Role.LEADER for d in g.departments}))
    return GroupGrant(grants[0].municipality_code, role, departments)


def subject_of(claims: dict) -> str:
    return f"{claims.get('tid', '')}:{claims.get('oid') or claims['sub']}"


class EntraIdBackend(OIDCAuthenticationBackend):
    """Authenticates the OIDC callback; creates or updates the portal user from the claims."""

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("Unexpected ID token algorithm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=60,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token rejected: {exc}") from exc

    def get_userinfo(self, access_token, id_token, payload):
        # Entra puts the groups in the signed ID token; its userinfo endpoint does not.
        return payload

    def verify_claims(self, claims) -> bool:
        if grant_for_groups(claims.get("groups", [])) is None:
            log.warning("OIDC login refused: no single municipality role for the user's groups")
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(oidc_subject=subject_of(claims))

    def create_user(self, claims):
        username = (claims.get("preferred_username") or claims.get("email") or "").lower()
        if not username or self.UserModel.objects.filter(username__iexact=username).exists():
            raise SuspiciousOperation("OIDC username missing or taken by a local account")
        user = self.UserModel(
            username=username[:150],
            oidc_subject=subject_of(claims),
        )
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        from apps.organisation.models import Department, Municipality

        grant = grant_for_groups(claims.get("groups", []))
        municipality = Municipality.objects.filter(code=grant.municipality_code).first()
        if municipality is None:
            raise SuspiciousOperation("OIDC_GROUP_MAP names an unknown municipality")
        # The callback is an anonymous request, so the tenancy guard denies everything until
        # the municipality the groups grant is known; then only that one is opened.
        scope = Scope(user_id=None, role=grant.role, municipality_id=municipality.pk)
        with transaction.atomic(), tenancy_for(scope):
            user.first_name = claims.get("given_name", user.first_name)[:150]
            user.last_name = claims.get("family_name", user.last_name)[:150]
            user.email = claims.get("email", user.email)
            user.role = grant.role
            user.municipality = municipality
            user.save()
            departments = Department.objects.filter(
                municipality=municipality, name__in=grant.departments
            )
            user.departments.set(departments if grant.role == Role.LEADER else [])
        self.request.session[OIDC_MFA_SESSION_KEY] = "mfa" in claims.get("amr", [])
        return user


class _OidcEnabledMixin:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OidcLoginView(_OidcEnabledMixin, OIDCAuthenticationRequestView):
    """Sends the browser to Entra ID with state, nonce and a PKCE code challenge."""


class OidcCallbackView(_OidcEnabledMixin, OIDCAuthenticationCallbackView):
    """Receives the code, redeems it with the PKCE verifier and logs the user in."""

    @property
    def failure_url(self):
        return reverse("accounts:login") + "?sso=fejl"
