import datetime

import pytest

from apps.core.roles import Role
from apps.kpis.services import measurements_recompute
from tests.factories import UserFactory
from tests.kpis.builders import build_frederikssund


@pytest.fixture
def fred(db):
    """Frederikssund-shaped trainee rows with facts computed as of the end of 2023."""
    data = build_frederikssund()
    measurements_recompute(municipality_id=data.municipality.pk, as_of=datetime.date(2023, 12, 31))
    return data


@pytest.fixture
def fred_coordinator(fred):
    return UserFactory(username="frida", role=Role.COORDINATOR, municipality=fred.municipality)


@pytest.fixture
def fred_leader(fred):
    """Leader of Døgnplejen only."""
    return UserFactory(
        username="dorte", role=Role.LEADER, municipality=fred.municipality, departments=[fred.dogn]
    )


@pytest.fixture
def fred_kkr(fred):
    return UserFactory(username="kirsten", role=Role.KKR_ANALYST, municipality=fred.municipality)
