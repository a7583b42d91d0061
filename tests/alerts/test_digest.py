"""New flags reach the department's leaders in the Monday digest, once, through the
strategy app's contributor registry (strategy does not import alerts)."""

import datetime

import pytest
from django.core import mail

from apps.accounts.models import ReminderPreference
from apps.alerts.models import AbsenceFlagNotice
from apps.alerts.services import absence_flags_recompute
from apps.strategy.reminders import send_follow_up_reminders

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def computed(municipality, flagged_pair, leader, other_leader):
    for user, address in ((leader, "lars@example.dk"), (other_leader, "lene@example.dk")):
        user.email = address
        user.save()
    absence_flags_recompute(municipality_id=municipality.pk)
    return flagged_pair


def _mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_each_leader_gets_their_departments_new_flags_once(computed, leader):
    counts = send_follow_up_reminders(today=MONDAY)
    assert counts["digest"] == 2
    (lars,) = _mail_to("lars@example.dk")
    assert "Nye elever med højt sygefravær" in lars.body
    assert "Ida Ældre" in lars.body and "Sofus Skole" not in lars.body
    (lene,) = _mail_to("lene@example.dk")
    assert "Sofus Skole" in lene.body and "Ida Ældre" not in lene.body
    assert AbsenceFlagNotice.objects.filter(user=leader).count() == 1

    mail.outbox.clear()
    send_follow_up_reminders(today=MONDAY + datetime.timedelta(days=7))
    assert _mail_to("lars@example.dk") == []  # told already


def test_no_digest_on_other_days_or_for_a_leader_who_said_no(computed, leader):
    send_follow_up_reminders(today=MONDAY + datetime.timedelta(days=1))
    assert mail.outbox == []
    leader.reminder_preference = ReminderPreference.NONE
    leader.save()
    send_follow_up_reminders(today=MONDAY)
    assert _mail_to("lars@example.dk") == [] and len(_mail_to("lene@example.dk")) == 1
    assert not AbsenceFlagNotice.objects.filter(user=leader).exists()
