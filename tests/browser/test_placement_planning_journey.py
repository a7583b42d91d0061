"""HR plans a period's placements: propose the plan, move a trainee to another workplace
with the keyboard alone and see the conflict it makes, move it back, confirm. Every page
passes axe."""

import pytest
from playwright.sync_api import expect

from apps.placements.models import DraftAssignment, DraftStatus, PlacementDraft
from apps.trainees.models import Placement
from tests.browser.helpers import assert_accessible, tab_to
from tests.factories import WorkplaceFactory
from tests.placements.conftest import END, START, capacity, placement, supervisor, trainee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_TAKEN = "Arbejdspladsen tager ikke uddannelsen"


@pytest.fixture
def named(elderly, school):
    """As tests/placements' `scarce`: Døgnplejen Nord takes 3 SSA (one placed already) with
    the qualified Birgit Qvist and the unqualified Ulla Ulriksen; Skolen ved Søen takes PAU
    but has no supervisor. Needing: four SSA, one SSH, one PAU."""
    a = WorkplaceFactory(department=elderly, name="Døgnplejen Nord")
    b = WorkplaceFactory(department=school, name="Skolen ved Søen")
    capacity(a, "SSA", 3)
    capacity(b, "PAU", 2)
    q = supervisor(a, qualified=True)
    u = supervisor(a, qualified=False)
    q.name, u.name = "Birgit Qvist", "Ulla Ulriksen"
    q.save()
    u.save()
    placement(trainee(elderly, "SSA", hr_id="E-OLD"), a, q)
    for i in range(4):
        trainee(elderly, "SSA", hr_id=f"E-SSA{i}", first_name=f"Elev{i}", last_name="Andersen")
    trainee(elderly, "SSH", hr_id="E-SSH")
    trainee(school, "PAU", hr_id="E-PAU")
    return {"a": a, "b": b, "q": q, "u": u}


def select_by_keys(page, select, key, times=1):
    """Change a focused native <select> with the arrow keys, as a keyboard user does."""
    for _ in range(times):
        page.keyboard.press(key)
    return select.input_value()


def test_hr_proposes_moves_and_confirms_a_plan_with_the_keyboard(page_for, hr, named):
    page = page_for(hr)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Praktikplanlægning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikplanlægning")
    page.get_by_label("Fra").fill("01.02.2027")
    page.get_by_label("Til").fill("30.06.2027")
    page.get_by_role("button", name="Vis periode").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Foreslå plan").click()
    expect(page.get_by_role("status").first).to_contain_text("2 af 6 elever er placeret")
    assert_accessible(page)

    draft = PlacementDraft.objects.get(status=DraftStatus.DRAFT)
    row = DraftAssignment.objects.select_related("trainee").get(draft=draft, supervisor=named["q"])
    name = row.trainee.full_name
    conflicts = page.get_by_role("region", name="Konflikter i perioden")
    expect(conflicts).not_to_contain_text(NOT_TAKEN)

    # Move to Skolen ved Søen (PAU only) without a supervisor, with the keyboard alone.
    workplace = page.get_by_label(f"Arbejdsplads for {name}")
    supervisor = page.get_by_label(f"Vejleder for {name}")
    tab_to(page, workplace)
    assert select_by_keys(page, workplace, "ArrowDown") == str(named["b"].pk)
    tab_to(page, supervisor)
    assert select_by_keys(page, supervisor, "Home") == ""
    tab_to(page, page.get_by_role("button", name=f"Flyt {name}"))
    page.keyboard.press("Enter")
    expect(conflicts).to_contain_text(NOT_TAKEN)
    expect(conflicts.get_by_role("row", name=NOT_TAKEN)).to_contain_text(name)
    expect(conflicts.get_by_role("status")).to_contain_text(f"{name} er flyttet.")
    row.refresh_from_db()
    assert (row.workplace_id, row.supervisor_id) == (named["b"].pk, None)
    assert_accessible(page)

    # And back to Døgnplejen Nord with Birgit Qvist: the conflict is gone.
    workplace = page.get_by_label(f"Arbejdsplads for {name}")
    supervisor = page.get_by_label(f"Vejleder for {name}")
    tab_to(page, workplace, backwards=True)
    assert select_by_keys(page, workplace, "ArrowUp") == str(named["a"].pk)
    tab_to(page, supervisor)
    assert select_by_keys(page, supervisor, "ArrowDown") == str(named["q"].pk)
    tab_to(page, page.get_by_role("button", name=f"Flyt {name}"))
    page.keyboard.press("Enter")
    expect(conflicts).not_to_contain_text(NOT_TAKEN)
    expect(conflicts.get_by_role("status")).to_contain_text("1 konflikt i perioden")
    assert_accessible(page)

    # Confirm, with a confirmation step.
    page.get_by_role("link", name="Bekræft plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft plan")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, bekræft planen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Planen er bekræftet: 2 praktikperioder er oprettet."
    )
    placed = Placement.objects.filter(
        start_date=START, end_date=END, trainee__hr_id__startswith="E-SSA"
    )
    assert placed.count() == 2
    assert placed.filter(trainee=row.trainee, workplace=named["a"], supervisor=named["q"]).exists()
    assert PlacementDraft.objects.get(pk=draft.pk).status == DraftStatus.CONFIRMED
