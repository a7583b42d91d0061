"""The look-up list of one trainee (admins and coordinators) and the indsigt export
(admins only, itself audited); trainees outside the user's scope are 404."""

import io
import json

import pytest
from openpyxl import load_workbook

from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(elderly):
    return TraineeFactory(department=elderly, hr_id="E-555", first_name="Sofie", last_name="=Holm")


def test_a_coordinator_sees_who_looked_up_a_trainee(login, coordinator, hr, trainee):
    audit_record(actor=hr, action="view", obj=trainee)
    audit_record(actor=hr, action="trainees.trainee.updated", obj=trainee)
    response = login(coordinator).get(f"/persondata/elev/{trainee.pk}/opslag/")
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e.actor_label, e.action) for e in entries] == [("hanne", "view")]
    html = response.content.decode()
    assert hr.get_full_name() in html and "<td>HR</td>" in html and "<td>Set</td>" in html
    assert "Udlevér alle oplysninger" not in html


def test_producing_the_look_up_list_is_itself_recorded(login, coordinator, trainee):
    login(coordinator).get(f"/persondata/elev/{trainee.pk}/opslag/")
    entry = AuditEntry.objects.for_object(trainee).get()
    assert entry.action == "view" and entry.context == {"purpose": "opslagsliste"}


def test_the_look_up_list_is_not_for_leaders_hr_or_kkr(login, leader, hr, kkr, trainee):
    for user in (leader, hr, kkr):
        assert login(user).get(f"/persondata/elev/{trainee.pk}/opslag/").status_code == 403


def test_another_municipalitys_trainee_is_not_found(login, outsider, trainee):
    assert login(outsider).get(f"/persondata/elev/{trainee.pk}/opslag/").status_code == 404


def test_an_admin_exports_a_trainee_in_full_as_json_and_the_export_is_audited(
    login, admin_user, hr, trainee
):
    audit_record(actor=hr, action="view", obj=trainee)
    response = login(admin_user).get(f"/persondata/elev/{trainee.pk}/indsigt/?format=json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="indsigt-elev-')
    data = json.loads(response.content)
    assert data["elev"][0]["elev-id"] == "E-555"
    assert data["elev"][0]["fornavn"] == "Sofie"
    assert set(data) == {"elev", "praktikperioder", "fravær", "revisionsspor"}
    assert ["hanne", "view"] in [[e["bruger"], e["handling"]] for e in data["revisionsspor"]]
    export = AuditEntry.objects.for_object(trainee).get(action="export")
    assert export.actor == admin_user
    assert export.context == {"purpose": "indsigt", "format": "json"}


def test_the_xlsx_export_has_a_sheet_per_section_and_neutralises_formulas(
    login, admin_user, trainee
):
    response = login(admin_user).get(f"/persondata/elev/{trainee.pk}/indsigt/?format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["elev", "praktikperioder", "fravær", "revisionsspor"]
    rows = list(workbook["elev"].values)
    person = dict(zip(rows[0], rows[1], strict=True))
    assert person["efternavn"] == "'=Holm"


def test_only_admins_may_export_a_person(login, coordinator, hr, trainee):
    for user in (coordinator, hr):
        response = login(user).get(f"/persondata/elev/{trainee.pk}/indsigt/")
        assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_finding_a_trainee_by_hr_id_goes_to_their_look_ups(login, coordinator, trainee):
    response = login(coordinator).get("/persondata/?type=elev&id=e-555")
    assert response.status_code == 302
    assert response["Location"] == f"/persondata/elev/{trainee.pk}/opslag/"
    missing = login(coordinator).get("/persondata/?type=elev&id=findes-ikke")
    assert "Ingen person med det id." in missing.content.decode()


def test_anonymous_users_are_sent_to_login(client, trainee):
    response = client.get(f"/persondata/elev/{trainee.pk}/opslag/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/log-ind/")


@pytest.fixture
def supervisor(elderly):
    from tests.factories import SupervisorFactory, WorkplaceFactory

    return SupervisorFactory(
        workplace=WorkplaceFactory(department=elderly), hr_id="V-77", name="Vera Vejleder"
    )


def test_supervisors_have_a_look_up_list_and_an_audited_export_too(
    login, admin_user, hr, supervisor
):
    audit_record(actor=hr, action="view", obj=supervisor)
    client = login(admin_user)
    page = client.get(f"/persondata/vejleder/{supervisor.pk}/opslag/")
    assert [(e.actor_label, e.action) for e in page.context["entries"]] == [("hanne", "view")]
    assert "Vera Vejleder" in page.content.decode()
    response = client.get(f"/persondata/vejleder/{supervisor.pk}/indsigt/?format=json")
    data = json.loads(response.content)
    assert data["vejleder"][0]["medarbejder-id"] == "V-77"
    assert set(data) == {"vejleder", "vejledninger", "revisionsspor"}
    assert AuditEntry.objects.for_object(supervisor).filter(action="export").count() == 1
    assert client.get("/persondata/?type=vejleder&id=v-77")["Location"] == (
        f"/persondata/vejleder/{supervisor.pk}/opslag/"
    )


def test_an_unknown_kind_of_person_is_not_found(login, admin_user, trainee):
    assert login(admin_user).get(f"/persondata/bruger/{trainee.pk}/opslag/").status_code == 404
