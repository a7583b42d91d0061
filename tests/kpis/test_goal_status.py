"""The status a goal's indicators suggest: the rule, computed in bulk, kept up to date by
the recompute, by measurements entered or corrected by hand and by changed links."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.core.roles import Role
from apps.kpis.choices import Metric, TargetKind, TrackStatus, Unit
from apps.kpis.goal_links import goal_indicator_link, goal_indicator_unlink
from apps.kpis.goal_status import combine, suggest_goal_statuses
from apps.kpis.models import Indicator, Measurement
from apps.kpis.services import (
    indicator_update,
    measurement_correct,
    measurement_create,
    measurements_recompute,
)
from apps.strategy.choices import StrategyStatus
from apps.strategy.models import Goal
from tests.factories import FocusAreaFactory, GoalFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db

B, A, T, N = TrackStatus.BEHIND, TrackStatus.ACHIEVED, TrackStatus.ON_TRACK, TrackStatus.NO_DATA


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], ""),
        ([N], "no_data"),
        ([N, N], "no_data"),
        ([B], "behind"),
        ([A, T, B], "behind"),
        ([N, B], "behind"),
        ([A], "achieved"),
        ([A, A], "achieved"),
        ([T], "on_track"),
        ([A, T], "on_track"),
        ([T, N], "on_track"),
        ([A, N], "on_track"),  # reached where measured, unknown elsewhere: not yet "nået"
    ],
)
def test_the_rule_combines_the_indicators_statuses(statuses, expected):
    assert combine(statuses) == expected


def make_indicator(municipality, *, name="Andel ansat", value=None, period=2024, **fields):
    """A hand-entered percentage, higher is better, 40 % in 2022 → 60 % in 2026: the straight
    path expects 50 % in 2024, so 42 is behind, 52 on track, 61 achieved."""
    defaults = {
        "unit": Unit.PERCENT,
        "direction": "higher",
        "baseline_value": Decimal("40"),
        "baseline_period": 2022,
        "target_value": Decimal("60"),
        "target_period": 2026,
        "target_kind": TargetKind.ABSOLUTE,
    }
    indicator = Indicator.objects.create(
        municipality=municipality, name=name, **(defaults | fields)
    )
    if value is not None:
        Measurement.objects.create(
            municipality=municipality, indicator=indicator, period=period, value=Decimal(value)
        )
    return indicator


@pytest.fixture
def area(municipality):
    return FocusAreaFactory(strategy=StrategyFactory(municipality=municipality))


def goal_with(area, *indicators):
    goal = GoalFactory(focus_area=area)
    for indicator in indicators:
        indicator.goals.add(goal)
    return goal


def test_each_branch_of_the_rule_from_stored_measurements(municipality, area):
    behind = make_indicator(municipality, value="42")
    on_track = make_indicator(municipality, value="52")
    achieved = make_indicator(municipality, value="61")
    no_data = make_indicator(municipality)
    no_target = make_indicator(municipality, value="70", target_value=None)
    # An older measurement does not count: the latest one (2024, 42) is behind.
    Measurement.objects.create(
        municipality=municipality, indicator=behind, period=2023, value=Decimal("70")
    )
    goals = {
        "behind": goal_with(area, achieved, behind),
        "achieved": goal_with(area, achieved),
        "on_track": goal_with(area, on_track, achieved, no_data),
        "mixed": goal_with(area, achieved, no_target),
        "no_data": goal_with(area, no_data, no_target),
        "": goal_with(area),
    }

    changed = suggest_goal_statuses(municipality_id=municipality.pk)

    got = {name: Goal.objects.get(pk=g.pk).suggested_status for name, g in goals.items()}
    assert got == {
        "behind": "behind",
        "achieved": "achieved",
        "on_track": "on_track",
        "mixed": "on_track",
        "no_data": "no_data",
        "": "",
    }
    assert changed == 5  # the goal without indicators stays blank: no change
    assert Goal.objects.get(pk=goals["behind"].pk).suggested_at is not None
    assert Goal.objects.get(pk=goals[""].pk).suggested_at is None


def test_lower_is_better_indicators_are_judged_the_other_way(municipality, area):
    dropout = make_indicator(
        municipality,
        value="30",
        direction="lower",
        baseline_value=Decimal("40"),
        target_value=Decimal("20"),
    )
    goal = goal_with(area, dropout)  # the path expects 30 % in 2024: on track
    suggest_goal_statuses(municipality_id=municipality.pk)
    assert Goal.objects.get(pk=goal.pk).suggested_status == "on_track"


def _queries(municipality_id) -> int:
    with CaptureQueriesContext(connection) as captured:
        suggest_goal_statuses(municipality_id=municipality_id)
    return len(captured)


def test_the_suggestion_is_computed_in_bulk_whatever_the_number_of_goals(
    municipality, other_municipality
):
    small_area = FocusAreaFactory(strategy=StrategyFactory(municipality=other_municipality))
    goal_with(small_area, make_indicator(other_municipality, value="42"))
    large_area = FocusAreaFactory(strategy=StrategyFactory(municipality=municipality))
    for n in range(25):
        indicators = [make_indicator(municipality, value=str(40 + n)) for _ in range(2)]
        goal_with(large_area, *indicators)

    small, large = _queries(other_municipality.pk), _queries(municipality.pk)

    assert small == large
    assert large <= 6  # goals, links, indicators, update, audit (+ savepoint)
    assert Goal.objects.filter(suggested_status="").count() == 0
    assert _queries(municipality.pk) == 3  # nothing changed: reads only


def test_only_real_changes_are_written_and_audited_as_the_portal(municipality, area):
    indicator = make_indicator(municipality, value="42")
    goal = goal_with(area, indicator)

    assert suggest_goal_statuses(municipality_id=municipality.pk) == 1
    first = Goal.objects.get(pk=goal.pk)
    assert suggest_goal_statuses(municipality_id=municipality.pk) == 0
    assert Goal.objects.get(pk=goal.pk).suggested_at == first.suggested_at

    entries = list(AuditEntry.objects.for_object(goal))
    assert [(e.action, e.actor, e.actor_label) for e in entries] == [
        ("strategy.goal.suggestion_changed", None, "system")
    ]
    assert entries[0].changes == {"suggested_status": ["", "behind"]}
    assert first.version == 1  # the owner's editing version is left alone


def test_goals_of_an_archived_strategy_are_left_as_they_were(municipality):
    area = FocusAreaFactory(
        strategy=StrategyFactory(municipality=municipality, status=StrategyStatus.ARCHIVED)
    )
    goal = goal_with(area, make_indicator(municipality, value="42"))
    suggest_goal_statuses(municipality_id=municipality.pk)
    assert Goal.objects.get(pk=goal.pk).suggested_status == ""


def test_a_measurement_entered_by_hand_updates_the_suggestion(municipality, area, coordinator):
    indicator = make_indicator(municipality)
    goal = goal_with(area, indicator)
    suggest_goal_statuses(municipality_id=municipality.pk)
    assert Goal.objects.get(pk=goal.pk).suggested_status == "no_data"

    measurement_create(indicator=indicator, actor=coordinator, period=2024, value=Decimal("61"))

    assert Goal.objects.get(pk=goal.pk).suggested_status == "achieved"


def test_a_changed_target_updates_the_suggestion(municipality, area, coordinator):
    indicator = make_indicator(municipality, value="52")
    goal = goal_with(area, indicator)
    suggest_goal_statuses(municipality_id=municipality.pk)
    assert Goal.objects.get(pk=goal.pk).suggested_status == "on_track"

    indicator_update(
        indicator=indicator,
        actor=coordinator,
        data={"target_value": Decimal("90")},
        expected_version=indicator.version,
    )

    assert Goal.objects.get(pk=goal.pk).suggested_status == "behind"


def test_the_recompute_and_a_correction_move_the_suggestion(frederikssund):
    """Frederikssund's SSA dropout: 40 % in 2023, the target −7 % relative (37,2 %) in 2026."""
    municipality = frederikssund.municipality
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Frafald SSA",
        unit=Unit.PERCENT,
        direction="lower",
        baseline_value=40,
        baseline_period=2023,
        target_value=-7,
        target_period=2026,
        target_kind=TargetKind.RELATIVE,
        metric=Metric.DROPOUT_RATE,
        programme=frederikssund.ssa,
    )
    area = FocusAreaFactory(strategy=StrategyFactory(municipality=municipality))
    goal = goal_with(area, indicator)

    measurements_recompute(municipality_id=municipality.pk, as_of=datetime.date(2024, 6, 1))

    goal.refresh_from_db()
    latest = indicator.measurements.order_by("-period").first()
    assert latest is not None and latest.value is not None
    assert goal.suggested_status in {"behind", "on_track", "achieved"}
    before = goal.suggested_status

    coordinator = UserFactory(role=Role.COORDINATOR, municipality=municipality)
    measurement_correct(
        measurement=latest,
        actor=coordinator,
        value=Decimal("10") if before != "achieved" else Decimal("90"),
        note="Rettet efter EduAdm",
        expected_version=latest.version,
    )

    goal.refresh_from_db()
    assert goal.suggested_status == ("achieved" if before != "achieved" else "behind")
    actions = list(
        AuditEntry.objects.for_object(goal).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["strategy.goal.suggestion_changed"] * 2


def test_linking_and_unlinking_an_indicator_recomputes_and_is_in_the_goals_history(
    municipality, area, coordinator
):
    indicator = make_indicator(municipality, name="Ansat efter uddannelse", value="42")
    goal = GoalFactory(focus_area=area)

    goal = goal_indicator_link(goal=goal, indicator=indicator, actor=coordinator)
    assert goal.suggested_status == "behind"
    goal = goal_indicator_unlink(goal=goal, indicator=indicator, actor=coordinator)
    assert goal.suggested_status == ""

    entries = list(AuditEntry.objects.for_object(goal).order_by("id"))
    assert [e.action for e in entries] == [
        "strategy.goal.indicator_linked",
        "strategy.goal.suggestion_changed",
        "strategy.goal.indicator_unlinked",
        "strategy.goal.suggestion_changed",
    ]
    assert entries[0].changes == {"indicators": ["", "Ansat efter uddannelse"]}
    assert entries[0].actor == coordinator


def test_an_archived_strategys_goal_gets_no_new_indicator(municipality, coordinator):
    from django.core.exceptions import ValidationError

    area = FocusAreaFactory(
        strategy=StrategyFactory(municipality=municipality, status=StrategyStatus.ARCHIVED)
    )
    goal = GoalFactory(focus_area=area)
    with pytest.raises(ValidationError, match="arkiveret"):
        goal_indicator_link(goal=goal, indicator=make_indicator(municipality), actor=coordinator)
    assert not goal.indicators.exists()


def test_a_coordinator_links_from_the_goal_page_others_may_not(
    login, municipality, area, coordinator, leader, outsider, elderly
):
    indicator = make_indicator(municipality, name="Ansat efter uddannelse", value="61")
    goal = GoalFactory(focus_area=area, department=elderly)
    url = reverse("kpis:goal_indicator_link", args=[goal.pk])

    assert login(leader).post(url, {"indicator": indicator.pk}).status_code == 403
    assert login(outsider).post(url, {"indicator": indicator.pk}).status_code == 404
    assert not goal.indicators.exists()

    response = login(coordinator).post(url, {"indicator": indicator.pk}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/maal/{goal.pk}/#noegletal")
    assert list(goal.indicators.all()) == [indicator]
    assert Goal.objects.get(pk=goal.pk).suggested_status == "achieved"
    html = response.content.decode()
    assert "Nøgletallet Ansat efter uddannelse er tilknyttet." in html
    assert "Nøgletal: Nået" in html

    unlink = reverse("kpis:goal_indicator_unlink", args=[goal.pk, indicator.pk])
    assert login(leader).post(unlink).status_code == 403
    assert login(coordinator).post(unlink).status_code == 302
    assert not goal.indicators.exists()


def test_another_municipalitys_indicator_cannot_be_linked(
    login, municipality, other_municipality, area, coordinator
):
    foreign = make_indicator(other_municipality, name="Fremmed")
    goal = GoalFactory(focus_area=area)
    response = login(coordinator).post(
        reverse("kpis:goal_indicator_link", args=[goal.pk]), {"indicator": foreign.pk}, follow=True
    )
    assert "Vælg et af kommunens nøgletal" in response.content.decode()
    assert not goal.indicators.exists()


def test_a_new_version_of_the_strategy_keeps_its_goals_indicators(municipality, coordinator):
    from apps.strategy.services import strategy_copy

    strategy = StrategyFactory(municipality=municipality, status=StrategyStatus.ADOPTED)
    indicator = make_indicator(municipality, value="42")
    goal = goal_with(FocusAreaFactory(strategy=strategy), indicator)
    suggest_goal_statuses(municipality_id=municipality.pk)

    new = strategy_copy(strategy=strategy, actor=coordinator, version_label="Version 2027")

    copy = Goal.objects.get(focus_area__strategy=new)
    assert copy.pk != goal.pk
    assert list(copy.indicators.all()) == [indicator]
    assert copy.suggested_status == "behind"
    assert list(Goal.objects.get(pk=goal.pk).indicators.all()) == [indicator]
