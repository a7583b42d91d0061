"""Done when (issue 14, item 3): the effect view's numbers equal the indicator's measurements
for those periods, for a demo initiative in Frederikssund linked to dropout."""

import io
import json
import statistics
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.demo.management.commands.load_demo import DEMO_STEPS
from apps.demo.organisation import FIXTURES, load_organisation, load_users
from apps.kpis.models import Measurement
from apps.strategy.models import Goal
from tests.conftest import verify_two_factor

pytestmark = pytest.mark.django_db

DROPOUT_GOAL = "at vi reducerer andelen som falder fra"


@pytest.fixture
def frederikssund_demo(db, tmp_path):
    """Frederikssund alone, loaded as `load_demo` does (strategy, population, indicators and
    their measurements)."""
    organisation = json.loads((FIXTURES / "organisation.json").read_text(encoding="utf-8"))
    organisation["municipalities"] = [m for m in organisation["municipalities"] if m["code"] == 250]
    users = json.loads((FIXTURES / "users.json").read_text(encoding="utf-8"))
    users["users"] = [u for u in users["users"] if u["municipality"] == 250]
    (tmp_path / "organisation.json").write_text(json.dumps(organisation), encoding="utf-8")
    (tmp_path / "users.json").write_text(json.dumps(users), encoding="utf-8")
    load_organisation(tmp_path / "organisation.json")
    load_users(tmp_path / "users.json")
    for step in DEMO_STEPS:
        step(stdout=io.StringIO())


def _number(value):
    return None if value is None else round(float(value), 2)


def test_a_frederikssund_dropout_initiatives_effect_is_its_indicators_measurements(
    frederikssund_demo, client
):
    goal = Goal.objects.get(
        focus_area__strategy__municipality__code=250, text__startswith=DROPOUT_GOAL
    )
    initiative = goal.initiatives.get(
        title="Personlig vejleder følger eleven gennem hele uddannelsen"
    )
    year = initiative.implemented_year
    assert year == 2023
    linked = {i.pk: i for i in goal.indicators.all()}
    assert {"Frafald på hovedforløbet, SSA", "Frafald på hovedforløbet, SSH"} <= {
        i.name for i in linked.values()
    }

    coordinator = User.objects.get(username="koordinator-frederikssund")
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    verify_two_factor(client, coordinator)
    data = client.get(reverse("api:initiative_effect", args=[initiative.pk])).json()
    assert data["implemented_year"] == year
    rows = {row["id"]: row for row in data["indicators"]}
    assert set(linked) <= set(rows)
    compared = 0
    for pk, row in rows.items():
        stored = {
            m.period: m for m in Measurement.objects.filter(indicator_id=pk, value__isnull=False)
        }
        before = [stored[p] for p in range(year - 4, year) if p in stored]
        after = [stored[p] for p in range(year + 1, year + 5) if p in stored]
        assert row["before"] == [
            {"period": m.period, "value": _number(m.value), "suppressed": False} for m in before
        ]
        assert row["after"] == [
            {"period": m.period, "value": _number(m.value), "suppressed": False} for m in after
        ]
        means = [
            _number(statistics.fmean(float(m.value) for m in side)) if side else None
            for side in (before, after)
        ]
        assert [row["before_mean"], row["after_mean"]] == means
        if None not in means:
            change = statistics.fmean(float(m.value) for m in after) - statistics.fmean(
                float(m.value) for m in before
            )
            assert row["change_points"] == _number(change)
            compared += 1
        if before and all(m.denominator is not None for m in before):
            assert row["counts"]["before"]["denominator"] == _number(
                sum(Decimal(m.denominator) for m in before)
            )
    # The dropout indicators have years on both sides, so a change is really compared.
    assert compared >= 1
    ssh = next(r for r in rows.values() if r["name"] == "Frafald på hovedforløbet, SSH")
    assert ssh["before"] and ssh["after"] and ssh["change_points"] is not None
    # SSA's first finished cohorts are measured from 2023: nothing before, so no change.
    ssa = next(r for r in rows.values() if r["name"] == "Frafald på hovedforløbet, SSA")
    assert ssa["before"] == [] and ssa["after"] and ssa["change_points"] is None
    # Other Bilag 1 initiatives on dropout implemented 2019–2027 are named.
    others = {o["title"] for o in ssh["other_initiatives"]}
    assert "Tæt opfølgning allerede fra grundforløbet" in others
    assert initiative.title not in others

    # The page shows the same figures.
    html = client.get(reverse("strategy:initiative_detail", args=[initiative.pk])).text
    assert f"Nøgletal før og efter indsatsen blev implementeret i {year}" in html
    assert f'<tr id="effekt-{ssh["id"]}">' in html
    assert "Ingen målinger i årene før." in html
