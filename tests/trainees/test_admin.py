"""Every people model is registered in the admin and its pages open for an administrator."""

import pytest
from django.contrib import admin
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.supervisors.models import QualificationLevel, Supervisor
from apps.trainees.models import (
    Absence,
    DropoutReason,
    IntakeQuota,
    Phase,
    Placement,
    Programme,
    Trainee,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Programme,
    DropoutReason,
    Phase,
    IntakeQuota,
    Trainee,
    Placement,
    Absence,
    QualificationLevel,
    Supervisor,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_admin_lists_the_model(login, admin_user, elderly_trainee, model):
    assert admin.site.is_registered(model)
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert login(admin_user).get(url).status_code == 200


def test_the_admin_opens_a_trainee(login, admin_user, elderly_trainee):
    url = reverse("admin:trainees_trainee_change", args=[elderly_trainee.pk])
    assert login(admin_user).get(url).status_code == 200


def test_an_admin_correction_goes_through_the_service_and_is_audited(
    login, admin_user, elderly_trainee
):
    client = login(admin_user)
    url = reverse("admin:trainees_trainee_change", args=[elderly_trainee.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name not in ("hired_as_ssa_student",)
    }
    data.update(
        {
            "last_name": "Rettet",
            "placements-TOTAL_FORMS": "0",
            "placements-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    elderly_trainee.refresh_from_db()
    assert (elderly_trainee.last_name, elderly_trainee.version) == ("Rettet", 2)
    entry = AuditEntry.objects.get(action="trainees.trainee.updated")
    assert entry.changes == {"last_name": ["Andersen", "Rettet"]}
