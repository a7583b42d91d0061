"""The department dashboard's cached fragments (apps/dashboards/freshness.py): a change shows
on the next request whatever wrote it (a model save, a queryset update, raw SQL), the cached
page is the page a fresh computation gives, and nothing cached for one user or scope is
served to another."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.dashboards import freshness
from apps.kpis.choices import MeasurementSource, Metric, Unit
from apps.kpis.models import Indicator, Measurement, MetricFact
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db
FRAGMENTS = ("goals", "figures", "alerts", "placement_conflicts")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def page_url(department) -> str:
    return reverse("dashboards:department", args=[department.pk])


def fragments(client, department) -> dict:
    response = client.get(page_url(department))
    assert response.status_code == 200
    return {name: str(response.context[name]) for name in FRAGMENTS}


def computed_afresh(client, department) -> dict:
    cache.clear()
    return fragments(client, department)


@pytest.fixture
def goal(municipality, elderly):
    strategy = StrategyFactory(
        municipality=municipality,
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2024, 3, 1),
    )
    area = FocusAreaFactory(strategy=strategy, title="Fastholdelse")
    return GoalFactory(focus_area=area, department=elderly, text="Færre elever falder fra")


def test_a_goal_changed_by_a_queryset_update_shows_on_the_next_request(
    login, leader, elderly, goal
):
    client = login(leader)
    before = fragments(client, elderly)
    assert "Færre elever falder fra" in before["goals"]
    assert fragments(client, elderly) == before  # served from the cache

    Goal.objects.filter(pk=goal.pk).update(text="Flere elever gennemfører")  # no signals

    after = fragments(client, elderly)
    assert "Flere elever gennemfører" in after["goals"]
    assert "Færre elever falder fra" not in after["goals"]
    assert after == computed_afresh(client, elderly)


def test_a_new_measurement_shows_on_the_next_request(login, leader, municipality, elderly, goal):
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction="lower",
        metric=Metric.DROPOUT_RATE,
    )
    goal.indicators.add(indicator)
    client = login(leader)
    assert "ingen måling endnu" in fragments(client, elderly)["goals"]

    Measurement.objects.bulk_create(
        [
            Measurement(
                municipality=municipality,
                indicator=indicator,
                period=2025,
                value=31,
                numerator=31,
                denominator=100,
                source=MeasurementSource.COMPUTED,
            )
        ]
    )

    after = fragments(client, elderly)
    assert "Frafald SSA: 30\xa0% (2025)" in after["goals"]  # rounded for disclosure
    assert after == computed_afresh(client, elderly)


def test_recomputed_figures_written_in_raw_sql_show_on_the_next_request(login, fred, fred_leader):
    client = login(fred_leader)
    before = fragments(client, fred.dogn)
    assert MetricFact.objects.filter(department=fred.dogn).exists()

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE kpis_metricfact SET numerator = numerator + 7 WHERE department_id = %s",
            [fred.dogn.pk],
        )

    after = fragments(client, fred.dogn)
    assert after["figures"] != before["figures"]
    assert after == computed_afresh(client, fred.dogn)


def test_a_change_elsewhere_in_the_municipality_leaves_nothing_stale(login, fred, fred_leader):
    """A write the leader's page does not show (another department's facts) is a new
    version too; the page recomputed is the same page."""
    client = login(fred_leader)
    fragments(client, fred.dogn)
    MetricFact.objects.exclude(department=fred.dogn).update(numerator=F("numerator") + 1)
    assert fragments(client, fred.dogn) == computed_afresh(client, fred.dogn)


def scope(**overrides) -> Scope:
    values = {"user_id": 1, "role": Role.LEADER, "municipality_id": 1}
    values["department_ids"] = frozenset({1})
    return Scope(**(values | overrides))


@pytest.mark.parametrize(
    "other",
    [
        {"user_id": 2},
        {"role": Role.COORDINATOR, "department_ids": None},
        {"municipality_id": 2},
        {"department_ids": frozenset({1, 2})},
    ],
    ids=["another user", "another role", "another municipality", "other departments"],
)
def test_nothing_cached_for_one_scope_is_served_to_another(other):
    first = freshness.cached(
        "goals", scope=scope(), version="1.1", parts=(1,), compute=lambda: "first"
    )
    second = freshness.cached(
        "goals", scope=scope(**other), version="1.1", parts=(1,), compute=lambda: "second"
    )
    again = freshness.cached(
        "goals", scope=scope(), version="1.1", parts=(1,), compute=lambda: "recomputed"
    )
    assert (first, second, again) == ("first", "second", "first")


def test_a_new_version_or_other_filters_are_computed_afresh():
    freshness.cached("figures", scope=scope(), version="1.1", parts=(1, None), compute=lambda: "a")
    assert (
        freshness.cached(
            "figures", scope=scope(), version="2.2", parts=(1, None), compute=lambda: "b"
        )
        == "b"
    )
    assert (
        freshness.cached(
            "figures", scope=scope(), version="1.1", parts=(1, 2025), compute=lambda: "c"
        )
        == "c"
    )


def test_every_table_the_fragments_read_carries_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [freshness.TRIGGER],
        )
        triggered = {name for (name,) in cursor.fetchall()}
    tracked = set(freshness.tracked_tables())
    assert {"kpis_measurement", "kpis_metricfact", "strategy_goal", "alerts_absenceflag"} <= tracked
    assert tracked == triggered


def test_compacting_the_log_keeps_every_version_moving_forward(elderly):
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {freshness.LOG_TABLE} ("table", weight) '  # noqa: S608
            "SELECT 'kpis_measurement', 1 FROM generate_series(1, %s)",
            [freshness.COMPACT_ABOVE + 1],
        )
    before = freshness.source_versions()  # reads, then compacts
    after = freshness.source_versions()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {freshness.LOG_TABLE}")  # noqa: S608
        (rows,) = cursor.fetchone()
    assert rows <= len(freshness.tracked_tables())
    assert after.per_table["kpis_measurement"][0] == before.per_table["kpis_measurement"][0]
    assert after.of(freshness.FIGURES_APPS) != before.of(freshness.FIGURES_APPS)
    UserFactory(municipality=elderly.municipality)
    assert freshness.source_versions().of(freshness.GOALS_APPS) != after.of(freshness.GOALS_APPS)


# The request's own (session, user, scope, the department, navigation, the session's save),
# the fragments' version and the shown goals' digest: the fragments themselves run no query
# when cached (28 computed, test_goal_overview.PAGE_QUERIES).
CACHED_PAGE_QUERIES = 12


def test_a_cached_page_runs_no_query_for_its_fragments(
    login, leader, elderly, goal, django_assert_num_queries
):
    client = login(leader)
    fragments(client, elderly)
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        client.get(page_url(elderly))


def test_an_edit_of_a_goal_the_page_does_not_show_keeps_the_overview_cached(
    login, leader, elderly, school, goal, django_assert_num_queries
):
    other = GoalFactory(focus_area=goal.focus_area, department=school, text="Skolens mål")
    client = login(leader)
    before = fragments(client, elderly)

    Goal.objects.filter(pk=other.pk).update(text="Skolens nye mål")

    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        after = fragments(client, elderly)
    assert after == before == computed_afresh(client, elderly)


def test_a_login_keeps_the_page_cached_and_a_renamed_owner_shows(
    login, leader, coordinator, elderly, goal, django_assert_num_queries
):
    goal.owner = UserFactory(municipality=elderly.municipality, first_name="Olga", last_name="Ejer")
    goal.save()
    client = login(leader)
    assert "Olga Ejer" in fragments(client, elderly)["goals"]

    Client().force_login(coordinator)  # writes the coordinator's last_login
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        fragments(client, elderly)

    User.objects.filter(pk=goal.owner_id).update(first_name="Oline")
    after = fragments(client, elderly)
    assert "Oline Ejer" in after["goals"]
    assert after == computed_afresh(client, elderly)
