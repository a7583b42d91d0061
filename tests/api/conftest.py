import datetime

import pytest

from apps.api.models import ApiToken
from apps.core.roles import Role
from apps.kpis.services import measurements_recompute
from tests.factories import UserFactory
from tests.kpis.builders import build_frederikssund


@pytest.fixture
def fred(db):
    data = build_frederikssund()
    measurements_recompute(municipality_id=data.municipality.pk, as_of=datetime.date(2023, 12, 31))
    return data


@pytest.fixture
def fred_coordinator(fred):
    return UserFactory(username="frida", role=Role.COORDINATOR, municipality=fred.municipality)


@pytest.fixture
def fred_leader(fred):
    return UserFactory(
        username="dorte", role=Role.LEADER, municipality=fred.municipality, departments=[fred.dogn]
    )


@pytest.fixture
def token_client(client):
    """`token_client(user)`: the test client with a fresh personal API token, no session."""

    def _make(user):
        _token, raw = ApiToken.issue(user=user, name="Power BI")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        return client

    return _make
