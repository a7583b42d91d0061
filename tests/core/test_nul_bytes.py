"""A NUL byte cannot be stored or searched in PostgreSQL: any query parameter or form value
holding one is refused with a Danish 400 before a view can pass it to the database."""

import pytest
from django.test import Client

from tests.factories import SupervisorFactory, TraineeFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Forespørgslen indeholder et ugyldigt tegn (NUL)."


@pytest.mark.parametrize("kind", ["elev", "vejleder"])
@pytest.mark.parametrize("value", ["%00", "E-5%0055", "abc%00"])
def test_the_privacy_look_up_by_id_with_a_nul_byte_is_a_danish_400(
    login, coordinator, elderly, kind, value
):
    TraineeFactory(department=elderly, hr_id="E-555")
    SupervisorFactory(workplace__department=elderly)
    client = login(coordinator)
    client.raise_request_exception = False
    response = client.get(f"/persondata/?type={kind}&id={value}")
    assert response.status_code == 400
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in html and '<html lang="da"' in html


@pytest.mark.parametrize(
    "url",
    ["/elever/?q=%00", "/vejledere/?q=a%00", "/strategi/indsatser/?status=%00", "/?next=%00"],
)
def test_a_nul_byte_in_any_page_query_is_a_400(login, coordinator, url):
    client = login(coordinator)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400 and MESSAGE in response.content.decode()


def test_a_nul_byte_in_a_posted_form_value_is_a_400(login, coordinator):
    client = login(coordinator)
    client.raise_request_exception = False
    response = client.post("/konto/adgangskode/", {"old_password": "x\x00y"})
    assert response.status_code == 400 and MESSAGE in response.content.decode()


def test_a_nul_byte_in_the_login_form_is_a_400():
    client = Client(raise_request_exception=False)
    response = client.post("/konto/log-ind/", {"username": "karin\x00", "password": "x"})
    assert response.status_code == 400 and MESSAGE in response.content.decode()


def test_ordinary_values_are_untouched(login, coordinator, elderly):
    TraineeFactory(department=elderly, hr_id="E-555")
    response = login(coordinator).get("/persondata/?type=elev&id=e-555")
    assert response.status_code == 302
