"""The indsigt export masks the dropout reason and note (possibly health data, GDPR art. 9)
for every role that may not see them per person; admins, who may export, see everything."""

import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from apps.accounts.scope import scope_for_user
from apps.core.audit import HIDDEN, AuditMask, audit_record
from apps.privacy.exports import access_json, access_xlsx
from apps.privacy.selectors import supervisor_access_data, trainee_access_data
from apps.trainees.models import DropoutReason
from tests.factories import SupervisorFactory, TraineeFactory, WorkplaceFactory

pytestmark = pytest.mark.django_db

HEALTH_WORDS = ["Fysisk/psykisk sygdom", "Psykisk sygdom", "illness", "Kræft", "kemoterapi"]


@pytest.fixture
def sick(elderly, hr):
    trainee = TraineeFactory(
        department=elderly,
        hr_id="E-777",
        status="dropped_out",
        dropout_reason=DropoutReason.objects.get(code="illness"),
        dropout_note="Kræft – kemoterapi",
        end_date=datetime.date(2023, 3, 1),
    )
    audit_record(
        actor=hr,
        action="trainees.trainee.imported",
        obj=trainee,
        changes={
            "status": ["Aktiv", "Afbrudt"],
            "dropout_reason_id": [None, "Fysisk/psykisk sygdom"],
            "dropout_note": ["", "Kræft – kemoterapi"],
        },
    )
    audit_record(
        actor=hr,
        action="trainees.trainee.updated",
        obj=trainee,
        changes={"dropout_reason": ["Psykisk sygdom", "illness"]},
    )
    return trainee


def exported_text(data) -> str:
    text = access_json(data).decode()
    workbook = load_workbook(io.BytesIO(access_xlsx(data)))
    cells = [
        str(v)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    return text + "\n" + "\n".join(cells)


@pytest.mark.parametrize("role", ["leader", "kkr", "other_leader"])
def test_the_indsigt_data_for_a_role_without_health_access_holds_no_reason(request, sick, role):
    user = request.getfixturevalue(role)
    text = exported_text(trainee_access_data(trainee=sick, scope=scope_for_user(user)))
    assert [w for w in HEALTH_WORDS if w.lower() in text.lower()] == []
    person = json.loads(access_json(trainee_access_data(trainee=sick, scope=scope_for_user(user))))
    assert person["elev"][0]["frafaldsårsag"] == str(HIDDEN)
    assert person["elev"][0]["note om frafald"] == str(HIDDEN)
    assert "Afbrudt" in text  # the rest of the trail is still there


def test_an_admins_indsigt_export_holds_the_reason_the_note_and_their_history(
    login, admin_user, sick
):
    response = login(admin_user).get(f"/persondata/elev/{sick.pk}/indsigt/?format=json")
    assert response.status_code == 200
    text = response.content.decode()
    for word in ("Fysisk/psykisk sygdom", "Kræft – kemoterapi", "Psykisk sygdom", "illness"):
        assert word in text


def test_a_leader_cannot_fetch_the_indsigt_export(login, leader, sick):
    for fmt in ("json", "xlsx"):
        response = login(leader).get(f"/persondata/elev/{sick.pk}/indsigt/?format={fmt}")
        assert response.status_code == 403
        assert b"sygdom" not in response.content.lower()


def test_a_supervisors_indsigt_trail_is_masked_by_value_too(hr, leader, elderly):
    supervisor = SupervisorFactory(workplace=WorkplaceFactory(department=elderly))
    audit_record(
        actor=hr,
        action="supervisors.supervisor.updated",
        obj=supervisor,
        changes={"bemærkning": [None, "Fysisk sygdom"], "dropout_note": ["", "Stress"]},
    )
    text = exported_text(
        supervisor_access_data(supervisor=supervisor, scope=scope_for_user(leader))
    )
    assert "Fysisk sygdom" not in text and "Stress" not in text


# --- the mask itself ---------------------------------------------------------------------


def test_the_mask_fails_closed_without_a_scope_and_passes_everything_for_hr(hr):
    changes = {"dropout_reason_id": [None, 4], "first_name": ["", "Anna"]}
    hidden = str(HIDDEN)
    assert AuditMask(None).changes("trainees.trainee", changes) == {
        "first_name": ["", "Anna"],
        "dropout_reason": [hidden, hidden],
    }
    assert AuditMask(scope_for_user(hr)).changes("trainees.trainee", changes) == changes


@pytest.mark.parametrize(
    "key",
    [
        "dropout_reason",
        "dropout_reason_id",
        "dropout_reason__code",
        "DropoutReason",
        "dropoutReasonId",
        "Frafaldsårsag",
        "frafaldsårsag",
        "Årsag til frafald",
        "dropout_note",
        "Note om frafald",
    ],
)
def test_every_spelling_of_the_reason_or_note_collapses_into_one_hidden_line(leader, key):
    mask = AuditMask(scope_for_user(leader))
    masked = mask.changes("trainees.trainee", {key: [None, "anything"], "status": ["a", "b"]})
    assert masked == {"status": ["a", "b"], "dropout_reason": [str(HIDDEN)] * 2}


def test_reason_labels_codes_and_aliases_are_hidden_under_any_key_but_other_values_stay(leader):
    mask = AuditMask(scope_for_user(leader))
    masked = mask.changes(
        "trainees.trainee",
        {
            "x": ["fysisk   SYGDOM", "illness"],
            "y": ["Økonomi", "Andet"],
            "first_name": ["Anna", "Ane"],
        },
    )
    hidden = str(HIDDEN)
    assert masked == {
        "x": [hidden, hidden],
        "y": ["Økonomi", hidden],
        "first_name": ["Anna", "Ane"],
    }
    # Strategy texts are no person's data: a goal named "Fravær" stays readable.
    assert mask.changes("strategy.goal", {"title": ["", "Fravær"]}) == {"title": ["", "Fravær"]}
