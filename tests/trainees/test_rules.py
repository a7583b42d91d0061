"""The trainee rules have one home (apps.trainees.rules, applied by Trainee.clean()): the model,
the correction service and form, and the import all give the same Danish message per field."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.trainees.choices import TraineeStatus
from apps.trainees.models import Trainee
from apps.trainees.rules import trainee_rule_errors
from apps.trainees.services import trainee_update

pytestmark = pytest.mark.django_db

START = datetime.date(2022, 8, 1)
BEFORE = datetime.date(2022, 7, 31)


def test_the_rules_give_danish_messages_keyed_by_field_with_the_dates():
    errors = trainee_rule_errors(
        {
            "start_date": START,
            "expected_end_date": BEFORE,
            "end_date": BEFORE,
            "status": TraineeStatus.DROPPED_OUT,
            "dropout_reason_id": None,
        }
    )
    assert errors == {
        "expected_end_date": (
            "Den forventede slutdato 31.07.2022 ligger før startdatoen 01.08.2022."
        ),
        "end_date": "Slutdatoen 31.07.2022 ligger før startdatoen 01.08.2022.",
        "dropout_reason": "Angiv en frafaldsårsag, når status er Afbrudt.",
    }


def test_a_reason_given_as_id_or_object_satisfies_the_dropout_rule(illness):
    base = {"start_date": START, "status": TraineeStatus.DROPPED_OUT}
    assert trainee_rule_errors({**base, "dropout_reason_id": illness.pk}) == {}
    assert trainee_rule_errors({**base, "dropout_reason": illness}) == {}


def test_the_models_clean_applies_the_rules(elderly_trainee):
    elderly_trainee.end_date = BEFORE
    elderly_trainee.status = TraineeStatus.DROPPED_OUT
    with pytest.raises(ValidationError) as error:
        elderly_trainee.full_clean()
    assert error.value.message_dict["end_date"] == [
        "Slutdatoen 31.07.2022 ligger før startdatoen 01.08.2022."
    ]
    assert error.value.message_dict["dropout_reason"] == [
        "Angiv en frafaldsårsag, når status er Afbrudt."
    ]


def test_the_service_refuses_an_expected_end_before_the_start_as_the_import_does(
    hr, elderly_trainee
):
    with pytest.raises(ValidationError) as error:
        trainee_update(
            trainee=elderly_trainee,
            actor=hr,
            data={"expected_end_date": BEFORE},
            expected_version=1,
        )
    assert error.value.message_dict["expected_end_date"] == [
        "Den forventede slutdato 31.07.2022 ligger før startdatoen 01.08.2022."
    ]
    assert Trainee.objects.get(pk=elderly_trainee.pk).expected_end_date is None


def test_the_form_shows_the_rules_message_next_to_its_field_once(login, hr, elderly_trainee):
    client = login(hr)
    url = reverse("trainees:trainee_update", args=[elderly_trainee.pk])
    initial = client.get(url).context["form"].initial
    data = {k: v for k, v in initial.items() if v is not None}
    data.update({"version": 1, "hired_after": "unknown", "end_date": "2022-07-31"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": ["Slutdatoen 31.07.2022 ligger før startdatoen 01.08.2022."]
    }
