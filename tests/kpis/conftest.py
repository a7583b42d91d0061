import pytest

from apps.core.roles import Role
from apps.core.scoping import Scope
from tests.kpis.builders import build_frederikssund


@pytest.fixture
def frederikssund(db):
    """Trainee rows shaped like Frederikssund's seed figures (see tests/kpis/builders.py)."""
    return build_frederikssund()


@pytest.fixture
def coordinator_scope(frederikssund):
    return Scope(user_id=None, role=Role.COORDINATOR, municipality_id=frederikssund.municipality.pk)


@pytest.fixture
def leader_scope(frederikssund):
    return Scope(
        user_id=None,
        role=Role.LEADER,
        municipality_id=frederikssund.municipality.pk,
        department_ids=frozenset({frederikssund.dogn.pk}),
    )
