"""The audit trail in the admin is read-only and shows only the admin's municipality."""

import pytest

from apps.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_an_admin_sees_only_their_municipalitys_audit_entries(
    login, admin_user, coordinator, outsider
):
    mine = audit_record(actor=coordinator, action="view", context={"note": "egen-kommune"})
    audit_record(actor=outsider, action="view", context={"note": "anden-kommune"})
    response = login(admin_user).get("/admin/core/auditentry/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]


def test_audit_entries_cannot_be_changed_or_deleted_in_the_admin(login, admin_user, coordinator):
    entry = audit_record(actor=coordinator, action="view")
    client = login(admin_user)
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.action == "view"
