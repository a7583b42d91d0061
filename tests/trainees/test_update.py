"""HR's correction of a trainee: the service's rules, audit, stale edits and who may do it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.trainees.choices import TraineeStatus
from apps.trainees.models import DropoutReason, Trainee
from apps.trainees.services import StaleEditError, trainee_update

pytestmark = pytest.mark.django_db


def update_url(trainee):
    return reverse("trainees:trainee_update", args=[trainee.pk])


def test_an_update_is_saved_with_old_and_new_values_in_the_audit(hr, elderly_trainee):
    updated = trainee_update(
        trainee=elderly_trainee,
        actor=hr,
        data={"last_name": "Asmussen", "end_date": datetime.date(2024, 6, 30)},
        expected_version=1,
    )
    assert updated.version == 2
    assert updated.end_year == 2024
    entry = AuditEntry.objects.for_object(elderly_trainee).get()
    assert entry.action == "trainees.trainee.updated"
    assert entry.changes == {
        "last_name": ["Andersen", "Asmussen"],
        "end_date": [None, "2024-06-30"],
    }


def test_a_stale_edit_is_refused_with_a_danish_message(hr, elderly_trainee):
    trainee_update(trainee=elderly_trainee, actor=hr, data={"first_name": "A"}, expected_version=1)
    with pytest.raises(StaleEditError) as error:
        trainee_update(
            trainee=elderly_trainee, actor=hr, data={"first_name": "B"}, expected_version=1
        )
    assert "ændret af en anden" in error.value.messages[0]
    assert Trainee.objects.get(pk=elderly_trainee.pk).first_name == "A"


def test_a_dropout_without_reason_is_refused_and_nothing_is_written(hr, elderly_trainee):
    with pytest.raises(ValidationError) as error:
        trainee_update(
            trainee=elderly_trainee,
            actor=hr,
            data={"status": TraineeStatus.DROPPED_OUT},
            expected_version=1,
        )
    assert "frafaldsårsag" in error.value.message_dict["dropout_reason"][0]
    assert Trainee.objects.get(pk=elderly_trainee.pk).status == TraineeStatus.ACTIVE
    assert not AuditEntry.objects.exists()


def test_a_department_of_another_municipality_is_refused(hr, elderly_trainee, other_department):
    with pytest.raises(ValidationError):
        trainee_update(
            trainee=elderly_trainee,
            actor=hr,
            data={"department": other_department},
            expected_version=1,
        )


def test_hr_corrects_a_trainee_through_the_form(login, hr, elderly_trainee):
    client = login(hr)
    form = client.get(update_url(elderly_trainee)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "status": TraineeStatus.DROPPED_OUT,
            "dropout_reason": DropoutReason.objects.get(code="academic").pk,
            "end_date": "2023-05-01",
            "version": 1,
            "hired_after": "unknown",
        }
    )
    response = client.post(update_url(elderly_trainee), data)
    assert response.status_code == 302, response.context["form"].errors
    trainee = Trainee.objects.get(pk=elderly_trainee.pk)
    assert trainee.status == TraineeStatus.DROPPED_OUT and trainee.version == 2
    history = client.get(reverse("trainees:trainee_detail", args=[trainee.pk])).content.decode()
    assert "For høje faglige krav" in history


def test_the_form_shows_the_stale_message(login, hr, elderly_trainee):
    client = login(hr)
    initial = client.get(update_url(elderly_trainee)).context["form"].initial
    trainee_update(trainee=elderly_trainee, actor=hr, data={"first_name": "Ny"}, expected_version=1)
    data = {k: v for k, v in initial.items() if v is not None}
    data.update({"version": 1, "hired_after": "unknown", "last_name": "Anden"})
    response = client.post(update_url(elderly_trainee), data)
    assert response.status_code == 200
    assert "ændret af en anden" in response.content.decode()
    assert Trainee.objects.get(pk=elderly_trainee.pk).last_name == "Andersen"


def test_the_form_shows_field_errors_next_to_the_field(login, hr, elderly_trainee):
    client = login(hr)
    initial = client.get(update_url(elderly_trainee)).context["form"].initial
    data = {k: v for k, v in initial.items() if v is not None}
    data.update({"version": 1, "hired_after": "unknown", "status": "dropped_out"})
    html = client.post(update_url(elderly_trainee), data).content.decode()
    assert 'id="dropout_reason-error"' in html
    assert 'aria-describedby="dropout_reason-error"' in html


@pytest.mark.parametrize("persona", ["coordinator", "leader", "kkr"])
def test_only_hr_and_admins_may_correct(request, login, persona, elderly_trainee):
    client = login(request.getfixturevalue(persona))
    assert client.get(update_url(elderly_trainee)).status_code == 403
    assert client.post(update_url(elderly_trainee), {"version": 1}).status_code == 403


def test_admins_may_correct(login, admin_user, elderly_trainee):
    assert login(admin_user).get(update_url(elderly_trainee)).status_code == 200


def test_hr_gets_404_for_another_municipalitys_trainee(login, hr, foreign_trainee):
    assert login(hr).get(update_url(foreign_trainee)).status_code == 404


def test_opening_the_correction_form_is_logged_as_a_view(login, hr, elderly_trainee):
    login(hr).get(update_url(elderly_trainee))
    entry = AuditEntry.objects.get(action="view")
    assert (entry.object_id, entry.context) == (str(elderly_trainee.pk), {"page": "update"})
