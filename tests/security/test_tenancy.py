"""Fail closed across municipalities, in request code: whatever a view asks the default
manager for, it gets only the requesting user's municipality, and nothing at all when no
municipality is known."""

import pytest
from django.apps import apps
from django.db import models

from apps.core.scoping import TenantManager
from tests.factories import TraineeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

# Models with a link to a municipality that are deliberately not tenant-guarded, and why.
UNGUARDED = {
    # Authentication must find a user before any scope exists.
    "accounts.User",
}


TENANT_OWNERS = {"organisation.Municipality", "organisation.Department"}


def _links_to_a_municipality(model) -> bool:
    """Has a municipality, a department, or a parent that is itself tenant-owned."""
    if getattr(model, "municipality_path", None):
        return True
    return any(
        isinstance(f, models.ForeignKey)
        and (
            f.related_model._meta.label in TENANT_OWNERS
            or isinstance(f.related_model._default_manager, TenantManager)
        )
        for f in model._meta.get_fields()
        if f.concrete
    )


def test_every_model_linked_to_a_municipality_has_the_tenant_guard_as_default_manager():
    unguarded = [
        model._meta.label
        for model in apps.get_models()
        if _links_to_a_municipality(model)
        and model._meta.label not in UNGUARDED
        and not isinstance(model._default_manager, TenantManager)
    ]
    assert unguarded == []


def test_a_request_gets_only_its_own_municipalitys_rows_from_the_default_manager(
    login, coordinator, elderly, other_department
):
    mine = TraineeFactory(department=elderly)
    TraineeFactory(department=other_department)
    response = login(coordinator).get("/test/trainee-ids/")
    assert response.json() == {"ids": [mine.pk]}


def test_fetching_another_municipalitys_row_by_id_in_a_request_finds_nothing(
    login, coordinator, other_department
):
    theirs = TraineeFactory(department=other_department, hr_id="HEMMELIG-1")
    client = login(coordinator)
    client.raise_request_exception = False
    response = client.get(f"/test/trainee/{theirs.pk}/")
    assert response.status_code == 500
    assert "HEMMELIG-1" not in response.content.decode()


def test_an_anonymous_request_that_queries_a_tenant_model_gets_an_error_page_not_data(
    client, elderly
):
    TraineeFactory(department=elderly, hr_id="HEMMELIG-2")
    client.raise_request_exception = False
    response = client.get("/test/trainee-ids/")
    assert response.status_code == 500
    assert "HEMMELIG-2" not in response.content.decode()
    assert "Der opstod en fejl" in response.content.decode()


def test_a_user_without_a_role_cannot_read_tenant_rows(login, elderly, municipality):
    from tests.factories import UserFactory

    TraineeFactory(department=elderly)
    client = login(UserFactory(role="", municipality=municipality))
    client.raise_request_exception = False
    assert client.get("/test/trainee-ids/").status_code == 500
