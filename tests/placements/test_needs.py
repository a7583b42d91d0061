"""Who needs a placement: the programme's sequence, needs added by hand, and why."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEntry
from apps.placements.need_services import (
    manual_need_add,
    manual_need_remove,
    wish_add,
    wish_remove,
)
from apps.placements.planning import need_reason, needing_trainees
from apps.trainees.models import ProgrammePlacementStep
from tests.factories import WorkplaceFactory
from tests.placements.conftest import END, START, placement, trainee

pytestmark = pytest.mark.django_db


def with_periods(department, code, count, **kwargs):
    """A trainee with `count` training periods on record, all before the planning period."""
    t = trainee(department, code, start_date=datetime.date(2023, 1, 1), **kwargs)
    wp = WorkplaceFactory(department=department)
    for n in range(1, count + 1):
        first = datetime.date(2023, 2 * n, 1)
        placement(t, wp, start=first, end=first + datetime.timedelta(days=20), number=n)
    return t


def needing(municipality_id):
    return {t.hr_id: t for t in needing_trainees(municipality_id, START, END)}


def test_the_sequences_are_seeded_ssa_six_and_ssh_fewer():
    counts = {
        code: ProgrammePlacementStep.objects.filter(programme__code=code, kind="training").count()
        for code in ("SSA", "SSH", "PAED", "PAU")
    }
    assert counts == {"SSA": 6, "SSH": 2, "PAED": 4, "PAU": 0}


def test_ssa_needs_until_six_periods_are_on_record(elderly):
    with_periods(elderly, "SSA", 6, hr_id="ssa-done")
    with_periods(elderly, "SSA", 5, hr_id="ssa-five")
    found = needing(elderly.municipality_id)
    assert set(found) == {"ssa-five"}
    assert found["ssa-five"].need_step == "Oplæringsperiode 6"
    assert need_reason(found["ssa-five"]) == "Oplæringsperiode 6"


def test_ssh_is_done_after_its_own_count(elderly):
    with_periods(elderly, "SSH", 2, hr_id="ssh-done")
    with_periods(elderly, "SSH", 1, hr_id="ssh-one")
    with_periods(elderly, "SSH", 0, hr_id="ssh-new")
    found = needing(elderly.municipality_id)
    assert set(found) == {"ssh-one", "ssh-new"}
    assert (found["ssh-new"].need_step, found["ssh-one"].need_step) == (
        "Oplæringsperiode 1",
        "Oplæringsperiode 2",
    )


def test_an_edited_sequence_changes_who_needs(elderly):
    with_periods(elderly, "SSH", 2, hr_id="ssh-two")
    ssh = ProgrammePlacementStep.objects.filter(programme__code="SSH").first().programme
    ProgrammePlacementStep.objects.create(
        programme=ssh, kind="training", number=3, name="Oplæringsperiode 3"
    )
    assert needing(elderly.municipality_id)["ssh-two"].need_step == "Oplæringsperiode 3"


def test_a_programme_without_a_sequence_keeps_the_six_period_rule(school):
    with_periods(school, "PAU", 6, hr_id="pau-six")
    with_periods(school, "PAU", 3, hr_id="pau-three")
    found = needing(school.municipality_id)
    assert set(found) == {"pau-three"}
    assert found["pau-three"].need_step is None
    assert need_reason(found["pau-three"]) == "Oplæringsperiode 4"


def test_a_manual_need_makes_a_trainee_needing_with_the_note_as_reason(elderly, hr):
    done = with_periods(elderly, "SSA", 6, hr_id="ssa-done")
    elsewhere = with_periods(elderly, "SSA", 6, hr_id="ssa-later")
    manual_need_add(
        trainee=done,
        actor=hr,
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 4, 30),
        note="Tager oplæringsperiode 6 om efter sygdom",
    )
    manual_need_add(
        trainee=elsewhere,
        actor=hr,
        start_date=datetime.date(2027, 9, 1),
        end_date=datetime.date(2027, 12, 31),
        note="Efter perioden",
    )
    found = needing(elderly.municipality_id)
    assert set(found) == {"ssa-done"}
    assert found["ssa-done"].need_step is None
    assert need_reason(found["ssa-done"]) == "Tager oplæringsperiode 6 om efter sygdom"


def test_a_manual_need_does_not_override_a_placement_in_the_period(elderly, hr):
    t = trainee(elderly, "SSA", hr_id="placed")
    placement(t, WorkplaceFactory(department=elderly))
    manual_need_add(trainee=t, actor=hr, start_date=START, end_date=END, note="Ekstra")
    assert "placed" not in needing(elderly.municipality_id)


def test_a_manual_need_needs_a_note_and_dates_in_order(elderly, hr):
    t = trainee(elderly, "SSA")
    with pytest.raises(ValidationError) as blank:
        manual_need_add(trainee=t, actor=hr, start_date=START, end_date=END, note="  ")
    assert blank.value.message_dict["note"] == ["Skriv en note om, hvorfor eleven har behov."]
    with pytest.raises(ValidationError) as order:
        manual_need_add(trainee=t, actor=hr, start_date=END, end_date=START, note="Note")
    assert order.value.message_dict["end_date"] == ["Til-datoen må ikke ligge før fra-datoen."]
    assert not t.manual_needs.exists()


def test_manual_needs_are_audited_when_added_and_removed(elderly, hr):
    t = trainee(elderly, "SSA")
    need = manual_need_add(trainee=t, actor=hr, start_date=START, end_date=END, note="Om")
    manual_need_remove(need=need, actor=hr)
    actions = list(
        AuditEntry.objects.filter(action__startswith="placements.manual_need")
        .order_by("pk")
        .values_list("action", "changes")
    )
    assert [a for a, _c in actions] == [
        "placements.manual_need.added",
        "placements.manual_need.removed",
    ]
    assert actions[1][1]["note"] == ["Om", None]
    assert not t.manual_needs.exists()


def test_wishes_are_unique_per_rank_and_workplace_and_in_the_municipality(
    elderly, other_department, hr
):
    t = trainee(elderly, "SSA")
    a, b = WorkplaceFactory(department=elderly), WorkplaceFactory(department=elderly)
    wish = wish_add(trainee=t, actor=hr, workplace=a, rank=1)
    with pytest.raises(ValidationError, match="allerede et ønske med denne prioritet"):
        wish_add(trainee=t, actor=hr, workplace=b, rank=1)
    with pytest.raises(ValidationError, match="allerede ønsket denne arbejdsplads"):
        wish_add(trainee=t, actor=hr, workplace=a, rank=2)
    with pytest.raises(ValidationError) as rank:
        wish_add(trainee=t, actor=hr, workplace=b, rank=4)
    assert "Prioriteten skal være 1, 2 eller 3." in rank.value.message_dict["rank"]
    foreign = WorkplaceFactory(department=other_department)
    with pytest.raises(ValidationError) as where:
        wish_add(trainee=t, actor=hr, workplace=foreign, rank=2)
    assert where.value.message_dict["workplace"] == ["Arbejdspladsen hører ikke til kommunen."]
    wish_remove(wish=wish, actor=hr)
    assert not t.placement_wishes.exists()
    assert AuditEntry.objects.filter(action__startswith="placements.wish").count() == 2
