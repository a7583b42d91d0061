"""The permission matrix of the Django admin: for every registered model admin, a
municipality's admin (Hillerød) sees and changes only Hillerød's rows, reads the shared
catalogues without changing them, and never reaches what cannot be scoped; the platform
superuser (no municipality) sees everything.

Hillerød's admin is checked twice: as a plain admin account (role admin, municipality,
is_staff) and as one that is also marked is_superuser, which must not widen its reach.
A registered model admin without an entry in KIND fails the test, as does one that does
not declare its scoping (check core.E101).
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import camel_case_to_spaces
from django.utils.translation import override
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from apps.api.models import ApiToken
from apps.core.admin_site import check_admin_scoping
from apps.core.audit import audit_record
from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.placements.models import ManualNeed, PlacementWish, PlanningSettings, WorkplaceCapacity
from apps.strategy.models import StatusUpdate
from apps.trainees.models import Absence, IntakeQuota, Placement
from tests.conftest import verify_two_factor
from tests.factories import UserFactory
from tests.security.matrix_world import build_world

pytestmark = pytest.mark.django_db

SCOPED, CATALOGUE, PLATFORM = "scoped", "catalogue", "platform"

# model label: how a municipality's admin may reach it
KIND = {
    "core.auditentry": SCOPED,
    "core.loginlock": SCOPED,
    "core.loginlogentry": SCOPED,
    "core.loginfailure": SCOPED,
    "core.twofactordevice": SCOPED,
    "core.taskresult": PLATFORM,
    "auth.group": PLATFORM,
    "organisation.municipality": SCOPED,
    "organisation.department": SCOPED,
    "organisation.workplace": SCOPED,
    "accounts.user": SCOPED,
    "strategy.strategy": SCOPED,
    "strategy.focusarea": SCOPED,
    "strategy.goal": SCOPED,
    "strategy.initiative": SCOPED,
    "strategy.statusupdate": SCOPED,
    "strategy.kkrtheme": CATALOGUE,
    "supervisors.qualificationlevel": CATALOGUE,
    "supervisors.supervisor": SCOPED,
    "trainees.programme": CATALOGUE,
    "trainees.dropoutreason": CATALOGUE,
    "trainees.phase": CATALOGUE,
    "trainees.intakequota": SCOPED,
    "placements.workplacecapacity": SCOPED,
    "placements.planningsettings": SCOPED,
    "placements.manualneed": SCOPED,
    "placements.placementwish": SCOPED,
    "trainees.programmeplacementstep": CATALOGUE,
    "trainees.trainee": SCOPED,
    "trainees.placement": SCOPED,
    "trainees.absence": SCOPED,
    "kpis.indicator": SCOPED,
    "imports.importbatch": SCOPED,
    "api.apitoken": SCOPED,
}


def _label(model) -> str:
    return model._meta.label_lower


def _objects(world, *, user, municipality, department) -> dict:
    """One object of every registered model in `world`'s municipality."""
    trainee = world.trainee
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    return {
        "core.auditentry": audit_record(actor=user, action="view", obj=trainee),
        "core.loginlock": AccessAttempt.objects.create(
            username=user.username,
            ip_address="10.0.0.1",
            failures_since_start=1,
            get_data="",
            post_data="",
            http_accept="",
            path_info="/konto/log-ind/",
        ),
        "core.loginlogentry": AccessLog.objects.create(
            username=user.username,
            ip_address="10.0.0.1",
            http_accept="",
            path_info="/konto/log-ind/",
        ),
        "core.loginfailure": AccessFailureLog.objects.create(
            username=user.username,
            ip_address="10.0.0.1",
            http_accept="",
            path_info="/konto/log-ind/",
            locked_out=False,
        ),
        "core.twofactordevice": device,
        "organisation.municipality": municipality,
        "organisation.department": department,
        "organisation.workplace": world.supervisor.workplace,
        "accounts.user": user,
        "strategy.strategy": world.strategy,
        "strategy.focusarea": world.focus_area,
        "strategy.goal": world.goal,
        "strategy.initiative": world.initiative,
        "strategy.statusupdate": StatusUpdate.objects.create(
            municipality=municipality, goal=world.goal, status="on_track", note="Godt i gang"
        ),
        "supervisors.supervisor": world.supervisor,
        "trainees.intakequota": IntakeQuota.objects.create(
            municipality=municipality, programme=trainee.programme, year=2024, minimum=5
        ),
        "placements.workplacecapacity": WorkplaceCapacity.objects.create(
            municipality=municipality,
            workplace=world.supervisor.workplace,
            programme=trainee.programme,
            start_date=datetime.date(2027, 2, 1),
            end_date=datetime.date(2027, 6, 30),
            places=2,
        ),
        "placements.planningsettings": PlanningSettings.objects.create(municipality=municipality),
        "placements.manualneed": ManualNeed.objects.create(
            municipality=municipality,
            trainee=trainee,
            start_date=datetime.date(2027, 2, 1),
            end_date=datetime.date(2027, 6, 30),
            note="Tager perioden om",
        ),
        "placements.placementwish": PlacementWish.objects.create(
            municipality=municipality, trainee=trainee, workplace=world.supervisor.workplace, rank=1
        ),
        "trainees.trainee": trainee,
        "trainees.placement": Placement.objects.create(
            municipality=municipality,
            trainee=trainee,
            period_number=1,
            kind="practice",
            workplace=world.supervisor.workplace,
            start_date=datetime.date(2022, 9, 1),
            end_date=datetime.date(2022, 12, 1),
        ),
        "trainees.absence": Absence.objects.create(
            municipality=municipality,
            trainee=trainee,
            month=datetime.date(2022, 9, 1),
            sick_days=1,
            planned_days=20,
        ),
        "kpis.indicator": world.indicator,
        "imports.importbatch": world.batch,
        "api.apitoken": _token(user),
    }


def _token(user):
    token = ApiToken(user=user, name="BI")
    token.assign_new_key()
    token.save()
    return token


@pytest.fixture
def platform_only_rows(db):
    task = DBTaskResult.objects.create(
        id=uuid.uuid4(),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    return {"core.taskresult": task, "auth.group": Group.objects.create(name="Gruppe")}


@pytest.fixture(params=["admin", "admin_marked_superuser"])
def hillerod_admin(request, municipality):
    return UserFactory(
        username=f"hillerod-{request.param}",
        role=Role.ADMIN,
        municipality=municipality,
        is_staff=True,
        is_superuser=request.param == "admin_marked_superuser",
    )


@pytest.fixture
def platform_superuser(db):
    return UserFactory(
        username="drift", role="", municipality=None, is_staff=True, is_superuser=True
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_two_factor(client, user)
    return client


@pytest.fixture
def worlds(municipality, elderly, other_department, hr, outsider, coordinator):
    mine_world = build_world(department=elderly, uploader=hr)
    theirs_world = build_world(department=other_department, uploader=outsider)
    mine = _objects(mine_world, user=coordinator, municipality=municipality, department=elderly)
    theirs = _objects(
        theirs_world,
        user=outsider,
        municipality=other_department.municipality,
        department=other_department,
    )
    return mine, theirs


def _url(model, action, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


def _listed_pks(response) -> set:
    return {obj.pk for obj in response.context["cl"].result_list}


def test_every_registered_model_admin_has_a_declared_kind():
    assert {_label(m) for m in admin.site._registry} == set(KIND)


def test_every_registered_model_admin_declares_its_scoping():
    assert check_admin_scoping() == []


def test_an_admin_registered_without_scoping_fails_the_check_and_is_platform_only(
    rf, hillerod_admin
):
    from django.contrib.sessions.models import Session

    admin.site.register(Session)
    try:
        errors = check_admin_scoping()
        assert [e.id for e in errors] == ["core.E101"]
        request = rf.get("/admin/")
        request.user = hillerod_admin
        from apps.accounts.scope import scope_for_user

        request.scope = scope_for_user(hillerod_admin)
        model_admin = admin.site._registry[Session]
        assert not model_admin.has_module_permission(request)
        assert not model_admin.has_view_permission(request)
        assert model_admin.get_queryset(request).query.is_empty()
    finally:
        admin.site.unregister(Session)


@pytest.mark.parametrize("label", sorted(KIND))
def test_a_municipality_admin_reaches_only_their_municipality(
    label, worlds, platform_only_rows, hillerod_admin
):
    mine, theirs = worlds
    model = next(m for m in admin.site._registry if _label(m) == label)
    client = _client(hillerod_admin)
    kind = KIND[label]
    listing = client.get(_url(model, "changelist"))

    if kind == PLATFORM:
        obj = platform_only_rows[label]
        assert listing.status_code == 403
        for action in ("change", "delete", "history"):
            assert client.get(_url(model, action, obj.pk)).status_code in (403, 404)
        assert client.get(_url(model, "add")).status_code == 403
        return

    assert listing.status_code == 200
    if kind == CATALOGUE:
        obj = model.objects.first()
        assert obj.pk in _listed_pks(listing)
        assert client.get(_url(model, "change", obj.pk)).status_code == 200
        assert client.get(_url(model, "add")).status_code == 403
        assert client.post(_url(model, "change", obj.pk), {}).status_code == 403
        assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
        return

    mine_obj, theirs_obj = mine[label], theirs[label]
    listed = _listed_pks(listing)
    assert mine_obj.pk in listed
    assert theirs_obj.pk not in listed
    for action in ("change", "history"):
        assert client.get(_url(model, action, theirs_obj.pk)).status_code == 404, action
    assert client.get(_url(model, "change", mine_obj.pk)).status_code == 200
    # A model nobody may delete here (the audit trail, login logs) answers 403 for every
    # object, its own municipality's too; otherwise another municipality's object is a 404.
    refused = 403 if client.get(_url(model, "delete", mine_obj.pk)).status_code == 403 else 404
    assert client.get(_url(model, "delete", theirs_obj.pk)).status_code == refused
    response = client.post(_url(model, "delete", theirs_obj.pk), {"post": "yes"})
    assert response.status_code == refused
    client.post(
        _url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [theirs_obj.pk], "post": "yes"},
    )
    assert model._base_manager.filter(pk=theirs_obj.pk).exists()


@pytest.mark.parametrize("label", sorted(k for k, v in KIND.items() if v == SCOPED))
def test_the_platform_superuser_sees_every_municipality(label, worlds, platform_superuser):
    mine, theirs = worlds
    model = next(m for m in admin.site._registry if _label(m) == label)
    client = _client(platform_superuser)
    listed = _listed_pks(client.get(_url(model, "changelist")))
    assert {mine[label].pk, theirs[label].pk} <= listed
    assert client.get(_url(model, "change", theirs[label].pk)).status_code == 200


def test_the_platform_superuser_reaches_the_platform_only_models(
    platform_only_rows, platform_superuser
):
    client = _client(platform_superuser)
    for label, obj in platform_only_rows.items():
        assert obj.pk in _listed_pks(client.get(_url(admin_model(label), "changelist")))


def admin_model(label):
    return next(m for m in admin.site._registry if _label(m) == label)


def test_autocomplete_returns_only_their_own_municipality(
    worlds, hillerod_admin, coordinator, outsider
):
    client = _client(hillerod_admin)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            response = client.get(
                "/admin/autocomplete/",
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                },
            )
            assert response.status_code == 200
            ids = {row["id"] for row in response.json()["results"]}
            assert str(outsider.pk) not in ids
            assert str(coordinator.pk) in ids
            checked += 1
    assert checked >= 1


def test_raw_id_lookups_list_only_their_own_municipality(
    worlds, hillerod_admin, elderly, other_department
):
    client = _client(hillerod_admin)
    response = client.get(
        _url(admin_model("organisation.department"), "changelist"),
        {"_to_field": "id", "_popup": "1"},
    )
    assert elderly.pk in _listed_pks(response)
    assert other_department.pk not in _listed_pks(response)


def test_list_filters_offer_only_their_own_municipality(
    worlds, hillerod_admin, municipality, other_municipality
):
    response = _client(hillerod_admin).get(_url(admin_model("accounts.user"), "changelist"))
    content = response.content.decode()
    assert other_municipality.name not in content
    assert municipality.name in content


def test_search_finds_nothing_of_another_municipality(worlds, hillerod_admin, outsider):
    response = _client(hillerod_admin).get(
        _url(admin_model("accounts.user"), "changelist"), {"q": outsider.username}
    )
    assert _listed_pks(response) == set()


def _user_form_data(client, user) -> dict:
    form = (
        client.get(_url(admin_model("accounts.user"), "change", user.pk)).context["adminform"].form
    )
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        widget = form[name].field.widget
        if hasattr(widget, "decompress"):  # date and time in two inputs
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = str(part)
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def test_a_municipality_admin_cannot_make_a_superuser_or_move_a_user(
    worlds, hillerod_admin, coordinator, municipality, other_municipality, other_department
):
    client = _client(hillerod_admin)
    form = (
        client.get(_url(admin_model("accounts.user"), "change", coordinator.pk))
        .context["adminform"]
        .form
    )
    assert "is_superuser" not in form.fields
    assert "groups" not in form.fields and "user_permissions" not in form.fields
    assert list(form.fields["municipality"].queryset) == [municipality]
    assert other_department not in form.fields["departments"].queryset

    data = _user_form_data(client, coordinator)
    data.update({"municipality": str(other_municipality.pk), "is_superuser": "on"})
    response = client.post(_url(admin_model("accounts.user"), "change", coordinator.pk), data)
    assert response.status_code == 200  # the form is refused
    assert "municipality" in response.context["adminform"].form.errors

    data.update({"municipality": str(municipality.pk), "departments": [str(other_department.pk)]})
    response = client.post(_url(admin_model("accounts.user"), "change", coordinator.pk), data)
    assert "departments" in response.context["adminform"].form.errors

    data.pop("departments")
    data["municipality"] = ""
    response = client.post(_url(admin_model("accounts.user"), "change", coordinator.pk), data)
    assert "municipality" in response.context["adminform"].form.errors

    data["municipality"] = str(municipality.pk)
    response = client.post(_url(admin_model("accounts.user"), "change", coordinator.pk), data)
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    assert coordinator.municipality_id == municipality.pk


def test_a_municipality_admin_cannot_raise_their_own_privileges(
    worlds, hillerod_admin, municipality
):
    client = _client(hillerod_admin)
    was_superuser = hillerod_admin.is_superuser
    data = _user_form_data(client, hillerod_admin)
    data["is_superuser"] = "" if was_superuser else "on"
    response = client.post(_url(admin_model("accounts.user"), "change", hillerod_admin.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    hillerod_admin.refresh_from_db()
    assert hillerod_admin.is_superuser == was_superuser
    assert hillerod_admin.municipality_id == municipality.pk


def test_a_new_user_gets_the_admins_municipality_only(
    worlds, hillerod_admin, municipality, other_municipality
):
    client = _client(hillerod_admin)
    data = {
        "username": "ny-bruger",
        "usable_password": "true",
        "password1": "En-lang-adgangskode-42",
        "password2": "En-lang-adgangskode-42",
        "role": Role.COORDINATOR,
        "municipality": str(other_municipality.pk),
        "is_superuser": "on",
    }
    response = client.post(_url(admin_model("accounts.user"), "add"), data)
    assert response.status_code == 200
    assert "municipality" in response.context["adminform"].form.errors
    data["municipality"] = str(municipality.pk)
    response = client.post(_url(admin_model("accounts.user"), "add"), data)
    assert response.status_code == 302
    from apps.accounts.models import User

    user = User.objects.get(username="ny-bruger")
    assert (user.municipality_id, user.is_superuser) == (municipality.pk, False)
    entry = AuditEntry.objects.get(action="accounts.user.created", object_id=str(user.pk))
    assert "En-lang-adgangskode-42" not in str(entry.changes)
    assert "password" not in str(entry.changes)


def test_the_password_of_another_municipalitys_user_cannot_be_set(
    worlds, hillerod_admin, coordinator, outsider
):
    client = _client(hillerod_admin)
    url = reverse("admin:auth_user_password_change", args=[outsider.pk])
    assert client.get(url).status_code == 404
    new = {"password1": "Overtaget-konto-99", "password2": "Overtaget-konto-99"}
    assert client.post(url, new).status_code == 404
    outsider.refresh_from_db()
    assert not outsider.check_password("Overtaget-konto-99")

    own = reverse("admin:auth_user_password_change", args=[coordinator.pk])
    assert client.get(own).status_code == 200
    assert client.post(own, {**new, "usable_password": "true"}).status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.password_set")
    assert entry.object_id == str(coordinator.pk) and entry.changes == {}


def test_view_on_site_does_not_resolve_another_municipalitys_object(worlds, hillerod_admin):
    from django.contrib.contenttypes.models import ContentType

    mine, theirs = worlds
    trainee = theirs["trainees.trainee"]
    ct = ContentType.objects.get_for_model(trainee)
    url = reverse("admin:view_on_site", args=[ct.pk, trainee.pk])
    assert _client(hillerod_admin).get(url).status_code == 404


def test_a_non_admin_staff_member_gets_no_admin(worlds, municipality):
    staff = UserFactory(role=Role.COORDINATOR, municipality=municipality, is_staff=True)
    response = _client(staff).get("/admin/trainees/trainee/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# -- audit -------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["trainees.trainee", "supervisors.supervisor"])
def test_opening_a_person_in_the_admin_is_a_recorded_look_up(label, worlds, hillerod_admin):
    mine, _ = worlds
    person = mine[label]
    client = _client(hillerod_admin)
    assert client.get(_url(admin_model(label), "change", person.pk)).status_code == 200
    entry = AuditEntry.objects.get(action="view", object_type=label, actor=hillerod_admin)
    assert entry.object_id == str(person.pk)
    assert entry.context == {"page": "admin"}
    assert entry.municipality_id == person.municipality_id
    client.get(_url(admin_model(label), "changelist"), {"q": "Elev"})
    search = AuditEntry.objects.get(action="search", actor=hillerod_admin)
    assert search.context["list"] == label and search.context["criteria"] == {"q": "Elev"}


def test_an_admin_edit_is_audited_with_old_and_new_values(worlds, hillerod_admin, elderly):
    client = _client(hillerod_admin)
    url = _url(admin_model("organisation.department"), "change", elderly.pk)
    response = client.post(
        url,
        {
            "name": "Sundhed og Omsorg",
            "short_name": elderly.short_name,
            "municipality": elderly.municipality_id,
            "order": elderly.order,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="organisation.department.updated")
    assert entry.actor == hillerod_admin
    assert entry.changes == {"name": ["Ældre og Sundhed", "Sundhed og Omsorg"]}
    assert entry.context == {"via": "admin"}


def test_admin_deletes_are_audited_one_by_one(worlds, hillerod_admin, coordinator):
    mine, _ = worlds
    client = _client(hillerod_admin)
    device = mine["core.twofactordevice"]
    lock = mine["core.loginlock"]
    response = client.post(
        _url(admin_model("core.twofactordevice"), "delete", device.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post(
        _url(admin_model("core.loginlock"), "changelist"),
        {"action": "delete_selected", "_selected_action": [lock.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.filter(pk=lock.pk).exists()
    actions = set(
        AuditEntry.objects.filter(actor=hillerod_admin).values_list("action", "object_id")
    )
    assert ("otp_totp.totpdevice.deleted", str(device.pk)) in actions or (
        "core.twofactordevice.deleted",
        str(device.pk),
    ) in actions
    assert any(a.endswith(".deleted") and o == str(lock.pk) for a, o in actions)
    deleted = AuditEntry.objects.filter(actor=hillerod_admin, action__endswith=".deleted")
    assert {e.municipality_id for e in deleted} == {coordinator.municipality_id}


# -- Danish names --------------------------------------------------------------------------


def test_every_model_in_the_admin_has_a_danish_name():
    with override("da"):
        english = [
            _label(m)
            for m in admin.site._registry
            if str(m._meta.verbose_name_plural) == camel_case_to_spaces(m.__name__) + "s"
            or str(m._meta.verbose_name) == camel_case_to_spaces(m.__name__)
        ]
    assert english == []


def test_the_municipality_admins_menu_is_danish(worlds, hillerod_admin):
    content = _client(hillerod_admin).get("/admin/").content.decode()
    for english in ("Access attempt", "TOTP device", "Task Result", "Access log", "Groups"):
        assert english not in content
    for danish in ("Login-spærringer", "To-faktor-enheder", "Elever", "Brugere"):
        assert danish in content
    assert "Baggrundsopgaver" not in content


def test_an_app_with_only_platform_models_is_not_found_for_a_municipality_admin(
    worlds, hillerod_admin, platform_superuser
):
    assert _client(hillerod_admin).get("/admin/auth/").status_code == 404
    assert _client(platform_superuser).get("/admin/auth/").status_code == 200


def test_a_municipality_admin_edits_their_own_municipality_but_not_its_identity(
    worlds, hillerod_admin, municipality, other_municipality
):
    client = _client(hillerod_admin)
    model = admin_model("organisation.municipality")
    form = client.get(_url(model, "change", municipality.pk)).context["adminform"].form
    assert "code" not in form.fields and "name" not in form.fields
    assert client.get(_url(model, "add")).status_code == 403
    assert client.get(_url(model, "change", other_municipality.pk)).status_code == 404
