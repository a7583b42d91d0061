"""The placement survey: single-use links per placement, and anonymous answers.

A `SurveyLink` belongs to one placement (so it can be printed or sent to that trainee) and
holds only the SHA-256 of its token and whether it has been used: no time of use. A
`SurveyAnswer` holds no trainee, placement or link: only the placement's workplace,
department, programme and the year and month the placement ended, plus the date it was
answered (no time), so an answer cannot be traced back to the link that gave it.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import MunicipalityOwned
from apps.survey.choices import SATISFACTION_SCALE, Welcome

LINK_VALID_DAYS = 60


class SurveyLink(MunicipalityOwned):
    """A personal, single-use link to the survey about one finished placement."""

    placement = models.OneToOneField(
        "trainees.Placement",
        on_delete=models.CASCADE,
        related_name="survey_link",
        verbose_name=_("praktikperiode"),
    )
    token_hash = models.CharField(_("nøgle (hash)"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("udstedt"), default=timezone.now)
    used = models.BooleanField(_("besvaret"), default=False)

    department_path = "placement__trainee__department"

    class Meta:
        verbose_name = _("link til praktikundersøgelse")
        verbose_name_plural = _("links til praktikundersøgelse")

    def __str__(self) -> str:
        return str(_("Link til praktikundersøgelse"))

    @property
    def expires_at(self) -> datetime.datetime:
        return self.issued_at + datetime.timedelta(days=LINK_VALID_DAYS)

    def expired(self, now: datetime.datetime) -> bool:
        return now >= self.expires_at


class SurveyAnswer(MunicipalityOwned):
    """One anonymous answer, linked only to where and when the placement was."""

    workplace = models.ForeignKey(
        "organisation.Workplace",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("arbejdsplads"),
    )
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fagområde"),
    )
    programme = models.ForeignKey(
        "trainees.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uddannelse"),
    )
    period_year = models.PositiveSmallIntegerField(_("praktikken sluttede (år)"))
    period_month = models.PositiveSmallIntegerField(
        _("praktikken sluttede (måned)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    welcomed = models.CharField(
        _("Følte du dig godt modtaget på dit praktiksted?"),
        max_length=12,
        choices=Welcome.choices,
    )
    had_supervisor = models.BooleanField(_("Havde du en fast praktikvejleder?"))
    guidance_satisfaction = models.PositiveSmallIntegerField(
        _("Hvor tilfreds er du med vejledningen?"),
        validators=[
            MinValueValidator(SATISFACTION_SCALE.start),
            MaxValueValidator(SATISFACTION_SCALE.stop - 1),
        ],
    )
    comment = models.TextField(_("Vil du fortælle os mere?"), max_length=2000, blank=True)
    answered_on = models.DateField(_("besvaret"))

    department_path = "department"

    class Meta:
        verbose_name = _("svar på praktikundersøgelse")
        verbose_name_plural = _("svar på praktikundersøgelse")
        indexes = [models.Index(fields=["municipality", "period_year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(guidance_satisfaction__gte=1) & Q(guidance_satisfaction__lte=5),
                name="survey_answer_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(period_month__gte=1) & Q(period_month__lte=12),
                name="survey_answer_month_1_to_12",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Svar på praktikundersøgelse"))
