"""Personal API tokens for BI tools: issued by an admin, shown once, stored only as a hash."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "sp_"  # noqa: S105 (a public marker, not a secret)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def default_expiry() -> datetime.datetime:
    """A token lives API_TOKEN_LIFETIME_DAYS (default 365) from the moment it is issued."""
    return timezone.now() + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked and owned by an active user; expiry is checked separately so that an
        expired token can be told apart from an unknown one."""
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token (API-nøgle): its owner's scope is the token's scope. Only the
    SHA-256 hash of the token is stored; the token itself is shown once, when issued. It
    expires `expires_at` (API_TOKEN_LIFETIME_DAYS after issue) and is refused from then on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("bruger"),
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_('Fx "Power BI".'))
    prefix = models.CharField(_("begynder med"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("udstedt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("sidst brugt"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    expires_at = models.DateTimeField(_("udløber"), default=default_expiry, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns the row and the raw token (shown once)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
        return token, raw

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def assign_new_key(self) -> str:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix = raw[:10]
        self.key_hash = hash_token(raw)
        return raw
