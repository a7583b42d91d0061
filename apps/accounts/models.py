"""Portal users: each has one role in one municipality, leaders also one or more departments."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.roles import Role


class ReminderPreference(models.TextChoices):
    WEEKLY = "weekly", _("Ugentligt overblik og påmindelser")
    NONE = "none", _("Ingen")


class User(AbstractUser):
    """A person who logs in (a coordinator, leader, HR employee, KKR analyst or admin).

    Rule: everyone but a platform superuser belongs to a municipality; a leader is tied
    to at least one of that municipality's departments. A new password saved while a
    request is handled (own change, or set by an administrator) is audited and the owner
    told by e-mail; a re-hash at login is not a new password. `reminder_preference` says
    whether the automatic follow-up mails (apps.strategy.reminders) go to the user at all.
    """

    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, blank=True)
    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kommune"),
    )
    departments = models.ManyToManyField(
        "organisation.Department",
        blank=True,
        related_name="leaders",
        verbose_name=_("fagområder"),
        help_text=_("Kun for ledere: de fagområder, lederen ser."),
    )
    oidc_subject = models.CharField(
        _("Entra ID-identitet"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sættes ved første log ind med kommunens Microsoft-konto."),
    )
    reminder_preference = models.CharField(
        _("påmindelser"),
        max_length=10,
        choices=ReminderPreference.choices,
        default=ReminderPreference.WEEKLY,
        help_text=_(
            "Automatiske e-mails om opfølgning på de mål og indsatser, du er ansvarlig for."
        ),
    )

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def clean(self):
        super().clean()
        if self.role and not self.municipality_id and not self.is_superuser:
            raise ValidationError({"municipality": _("Vælg den kommune, brugeren hører til.")})

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Django keeps the raw password in `_password` only between set_password() and save().
        new_password = self._password is not None
        super().save(*args, **kwargs)
        if new_password:
            from apps.accounts import account_events

            if account_events.in_request():
                account_events.password_changed_record(user=self)


class UserSession(models.Model):
    """One live login session of a user, so the portal can end all of a user's sessions.

    Rule: when a user is deactivated (is_active=False, in the admin or in code), every
    session listed here is deleted server-side; logout removes its own row.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("bruger")
    )
    session_key = models.CharField(_("sessionsnøgle"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("logget ind"), auto_now_add=True)

    class Meta:
        verbose_name = _("login-session")
        verbose_name_plural = _("login-sessioner")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
