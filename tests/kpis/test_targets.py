"""Judging a value against baseline and target: levels, points, relative changes."""

from decimal import Decimal

import pytest

from apps.kpis.choices import Direction, TargetKind, TrackStatus
from apps.kpis.models import Indicator
from apps.kpis.targets import expected_on_path, judge, target_level, target_text


def indicator(**kwargs) -> Indicator:
    defaults = {
        "direction": Direction.LOWER,
        "baseline_value": Decimal("40"),
        "baseline_period": 2024,
        "target_period": 2026,
    }
    return Indicator(**{**defaults, **kwargs})


def test_a_relative_target_of_minus_7_percent_from_40_is_37_2():
    ind = indicator(target_value=Decimal("-7"), target_kind=TargetKind.RELATIVE)
    assert target_level(ind) == Decimal("37.2")


def test_a_points_target_adds_to_the_baseline():
    ind = indicator(
        direction=Direction.HIGHER,
        baseline_value=Decimal("41.4"),
        target_value=Decimal("3"),
        target_kind=TargetKind.POINTS,
    )
    assert target_level(ind) == Decimal("44.4")


def test_the_straight_path_runs_from_baseline_to_target():
    ind = indicator(target_value=Decimal("-7"), target_kind=TargetKind.RELATIVE)
    assert expected_on_path(ind, 2025) == Decimal("38.6")
    assert expected_on_path(ind, 2030) == Decimal("37.2")


@pytest.mark.parametrize(
    ("value", "period", "status"),
    [
        (37, 2025, TrackStatus.ACHIEVED),
        (38.5, 2025, TrackStatus.ON_TRACK),
        (39, 2025, TrackStatus.BEHIND),
        (None, 2025, TrackStatus.NO_DATA),
    ],
)
def test_status_against_the_path(value, period, status):
    ind = indicator(target_value=Decimal("-7"), target_kind=TargetKind.RELATIVE)
    assert judge(ind, value, period).status == status


def test_distance_is_given_in_points_and_relative():
    ind = indicator(target_value=Decimal("-7"), target_kind=TargetKind.RELATIVE)
    j = judge(ind, 40, 2025)
    assert j.distance_points == Decimal("-2.8")
    assert j.distance_relative == Decimal("-7")


def test_a_level_target_is_written_once_with_its_kind_and_year():
    ind = indicator(
        baseline_value=None,
        baseline_period=None,
        target_value=Decimal("100"),
        target_period=2027,
        target_kind=TargetKind.ABSOLUTE,
    )
    assert target_text(ind) == "100\xa0% (niveau) i 2027"
    ind.target_period = None
    assert target_text(ind) == "100\xa0% (niveau)"


def test_a_change_target_shows_the_level_it_leads_to_and_the_change():
    relative = indicator(target_value=Decimal("-7"), target_kind=TargetKind.RELATIVE)
    assert target_text(relative) == "37,2\xa0% i 2026 (\u22127\xa0% fra baseline)"
    points = indicator(target_value=Decimal("3"), target_kind=TargetKind.POINTS)
    assert target_text(points) == "43\xa0% i 2026 (+3 procentpoint fra baseline)"
    assert target_text(indicator(target_value=None)) == ""
