"""The API honours its own OpenAPI schema: schemathesis generates requests from
/api/v1/openapi.json (valid and invalid ones, every HTTP method the schema does not list)
and runs every check it has on each answer: status codes and content types the schema
lists, response bodies and headers matching it, valid data accepted, invalid data
rejected, 405 with Allow, authentication enforced, no server errors.

Run against the Django WSGI application in-process, on a small world built with the
factories, as a coordinator's token and as a KKR analyst's token. Bounded and
deterministic: a fixed seed, derandomised Hypothesis, no example database.
"""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

from apps.api.models import ApiToken
from apps.kpis.choices import Metric, Unit
from apps.kpis.models import Indicator
from apps.kpis.services import measurements_recompute
from apps.strategy.choices import StrategyStatus
from tests.factories import (
    FocusAreaFactory,
    GoalFactory,
    InitiativeFactory,
    StrategyFactory,
    SupervisorFactory,
    TraineeFactory,
    UserFactory,
    programme,
)

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/openapi.json"
# Fuzzing examples per operation; the coverage phase adds its boundary and method cases.
MAX_EXAMPLES = 15


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 20261130,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            # Every built-in check; max_response_time stays off: timings prove nothing on a
            # loaded CI machine.
            "checks": {"enabled": True},
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                # Stateful links need write operations; this API only reads.
                "stateful": {"enabled": False},
            },
        }
    )


@pytest.fixture
def small_world(municipality, elderly, school):
    """A handful of trainees in two departments, a supervisor and one indicator with its
    computed measurements: enough for every metric to have something to count."""
    for index, (department, code) in enumerate(
        [(elderly, "SSA"), (elderly, "SSH"), (school, "SSA"), (elderly, "SSA"), (school, "SSH")]
    ):
        TraineeFactory(
            department=department,
            programme=programme(code),
            start_date=datetime.date(2022, 8, 1 + index),
        )
    SupervisorFactory(workplace__department=elderly)
    Indicator.objects.create(
        municipality=municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction="lower",
        metric=Metric.DROPOUT_RATE,
        programme=programme("SSA"),
        baseline_value=30,
        baseline_period=2022,
        target_value=20,
        target_period=2026,
    )
    measurements_recompute(municipality_id=municipality.pk, as_of=datetime.date(2023, 12, 31))
    # An adopted strategy with a department's goal (owner, follow-up, suggested status,
    # linked to the indicator and an initiative) and a fælles mål, for /goals/.
    strategy = StrategyFactory(municipality=municipality, status=StrategyStatus.ADOPTED)
    area = FocusAreaFactory(strategy=strategy)
    goal = GoalFactory(
        focus_area=area,
        department=elderly,
        owner=UserFactory(municipality=municipality),
        follow_up_on=datetime.date(2026, 12, 1),
        suggested_status="behind",
    )
    goal.indicators.set(Indicator.objects.filter(municipality=municipality))
    InitiativeFactory(strategy=strategy, department=elderly, goals=[goal], implemented_year=2022)
    GoalFactory(focus_area=area, department=None)


@pytest.fixture
def wsgi_app():
    """The portal's WSGI application, inside the test's transaction: like Django's test
    client, it must not close the database connection at the start and end of a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema_for(user, app):
    _token, raw = ApiToken.issue(user=user, name="Power BI")
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, config=_config())
    schema.config.update(headers={"Authorization": f"Bearer {raw}"})
    return schema


@pytest.fixture
def coordinator_api(small_world, coordinator, wsgi_app):
    return _schema_for(coordinator, wsgi_app)


@pytest.fixture
def kkr_api(small_world, kkr, wsgi_app):
    return _schema_for(kkr, wsgi_app)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    # schemathesis 4.32 labels each operation's subtest through `Node._nodeid`, which pytest
    # 9.2 no longer sets; give it the node id so the labelling keeps working.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


coordinator_schema = schemathesis.pytest.from_fixture("coordinator_api")
kkr_schema = schemathesis.pytest.from_fixture("kkr_api")


@coordinator_schema.parametrize()
def test_the_api_keeps_its_contract_for_a_coordinator(case):
    case.call_and_validate()


@kkr_schema.parametrize()
def test_the_api_keeps_its_contract_for_a_kkr_analyst(case):
    case.call_and_validate()


def test_every_check_is_on():
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    config = _config().projects.get_default().checks
    names = [n for n in CHECKS.get_all_names() if n != "max_response_time"]
    assert len(names) >= 10
    assert all(config.get_by_name(name=name).enabled for name in names)


def test_every_data_endpoint_is_in_the_runs_above(coordinator_api, client):
    # schemathesis leaves out the operation that serves the schema it loaded from.
    tested = sorted(op.ok().label for op in coordinator_api.get_all_operations())
    assert tested == [
        "GET /",
        "GET /goals/",
        "GET /indicators/",
        "GET /indicators/{id}/",
        "GET /initiatives/{id}/effect/",
        "GET /metrics/absence_warnings/",
        "GET /metrics/{metric}/",
        "GET /quotas/",
    ]
    described = client.get("/api/v1/openapi.json").json()["paths"]
    assert sorted(f"GET {path}" for path in described) == sorted([*tested, "GET /openapi.json"])
