"""New absence warnings in the leaders' weekly digest (`apps.strategy.digest`).

Registered from `AlertsConfig.ready()`: the strategy app owns the digest but sits above this
app in the app map, so it asks its registered contributors instead of importing us.

Rule: a current flag goes to the active leaders of the trainee's department (leaders see
their departments' trainees by name), once per leader (`AbsenceFlagNotice`, written when the
digest has gone). HR and coordinators follow the list page instead.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.alerts.models import AbsenceFlag, AbsenceFlagNotice
from apps.core.formatting import format_percent
from apps.core.roles import Role
from apps.strategy.digest import DigestSection


def _line(flag: AbsenceFlag) -> str:
    trainee = flag.trainee
    url = settings.PORTAL_BASE_URL + reverse("alerts:flag_detail", args=[flag.pk])
    return _("%(name)s (%(id)s), %(department)s: %(rate)s sygefravær – %(url)s") % {
        "name": trainee.full_name or trainee.hr_id,
        "id": trainee.hr_id,
        "department": trainee.department.name,
        "rate": format_percent(flag.rate),
        "url": url,
    }


def new_flags_for_digest(*, today: datetime.date) -> dict:
    """{leader: DigestSection} of the current flags in their departments not yet told to
    them. Four queries whatever the number of flags and leaders."""
    flags = list(
        AbsenceFlag.objects.current()
        .select_related("trainee", "trainee__department")
        .order_by("trainee__department__name", "-rate", "pk")
    )
    if not flags:
        return {}
    User = get_user_model()
    memberships = User.departments.through.objects.filter(
        department_id__in={f.trainee.department_id for f in flags},
        user__role=Role.LEADER,
        user__is_active=True,
    ).values_list("user_id", "department_id")
    leaders_of: dict[int, set[int]] = defaultdict(set)
    for user_id, department_id in memberships:
        leaders_of[department_id].add(user_id)
    told = set(AbsenceFlagNotice.objects.filter(flag__in=flags).values_list("flag_id", "user_id"))
    news: dict[int, list[AbsenceFlag]] = defaultdict(list)
    for flag in flags:
        for user_id in leaders_of.get(flag.trainee.department_id, ()):
            if (flag.pk, user_id) not in told:
                news[user_id].append(flag)
    users = User.objects.in_bulk(list(news))
    return {users[user_id]: _section(users[user_id], found) for user_id, found in news.items()}


def _section(user, flags: list[AbsenceFlag]) -> DigestSection:
    def record():
        AbsenceFlagNotice.objects.bulk_create(
            [AbsenceFlagNotice(flag=f, user=user) for f in flags], ignore_conflicts=True
        )

    return DigestSection(
        heading=_("Nye elever med højt sygefravær i dit fagområde:"),
        lines=[_line(f) for f in flags],
        on_sent=record,
    )
