"""Goal and initiative exports: content, formula cells neutralised, the list's filters, the
access log, scope (another municipality's rows never), and a constant number of queries."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.core.models import AuditEntry
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import KkrTheme, StatusUpdate
from tests.factories import FocusAreaFactory, GoalFactory, InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db

INITIATIVES = reverse("strategy:initiative_export")
GOALS = reverse("strategy:goal_export")


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def plan(municipality, elderly, school, coordinator, other_municipality):
    strategy = StrategyFactory(municipality=municipality, title="Uddannelsesstrategi 2025")
    theme = KkrTheme.objects.order_by("order").first()
    area = FocusAreaFactory(strategy=strategy, title="Rekruttering", kkr_theme=theme)
    common = GoalFactory(focus_area=area, text="Flere elever gennemfører", owner=coordinator)
    elderly_goal = GoalFactory(
        focus_area=area, department=elderly, text="=HYPERLINK(1)", status=GoalStatus.BEHIND
    )
    StatusUpdate.objects.create(
        municipality=municipality,
        goal=elderly_goal,
        status=GoalStatus.BEHIND,
        note="Færre praktikpladser",
        author=coordinator,
    )
    kloge = InitiativeFactory(
        strategy=strategy,
        focus_area=area,
        reference="1",
        title="Kloge hænder",
        status=InitiativeStatus.IMPLEMENTED,
        implemented_year=2016,
        responsible="HR",
        next_step="+45 ring til skolen",
        budget_dkk=120000,
        goals=[common, elderly_goal],
    )
    InitiativeFactory(
        strategy=strategy,
        department=school,
        title="Mentorordning",
        status=InitiativeStatus.PLANNED,
    )
    theirs = StrategyFactory(municipality=other_municipality)
    GoalFactory(focus_area=FocusAreaFactory(strategy=theirs), text="Albertslunds mål")
    InitiativeFactory(strategy=theirs, title="Albertslunds indsats")
    return {"strategy": strategy, "area": area, "kloge": kloge, "elderly_goal": elderly_goal}


def test_initiative_export_has_status_year_goals_and_no_formula(login, coordinator, plan):
    rows = read_xlsx(login(coordinator).get(INITIATIVES, {"format": "xlsx"}).content)
    header, body = rows[0], {row[1]: row for row in rows[1:]}
    assert set(body) == {"Kloge hænder", "Mentorordning"}
    kloge = dict(zip(header, body["Kloge hænder"], strict=True))
    assert kloge["Status"] == "Implementeret"
    assert kloge["Implementeret år"] == 2016
    assert kloge["Budget (kr.)"] == 120000
    assert kloge["KKR-tema"] == KkrTheme.objects.order_by("order").first().name
    assert kloge["Næste skridt"] == "'+45 ring til skolen"
    # One cell, one goal per line; the cell starts with text, so no spreadsheet runs it.
    assert kloge["Målsætninger"].split("\n") == ["Flere elever gennemfører", "=HYPERLINK(1)"]
    assert dict(zip(header, body["Mentorordning"], strict=True))["Fagområde"] == "Skole"


def test_initiative_export_applies_the_list_filters_and_logs_them(login, coordinator, plan):
    rows = read_csv(
        login(coordinator).get(INITIATIVES, {"format": "csv", "status": "planned"}).content
    )
    assert [row[1] for row in rows[1:]] == ["Mentorordning"]
    entry = AuditEntry.objects.get(action="export")
    assert entry.context == {
        "list": "strategy.initiative",
        "criteria": {"status": "planned"},
        "format": "csv",
        "rows": 1,
    }


def test_an_invalid_filter_exports_no_rows_rather_than_all(login, coordinator, plan):
    rows = read_csv(login(coordinator).get(INITIATIVES, {"format": "csv", "status": "x"}).content)
    assert len(rows) == 1


def test_goal_export_has_owner_status_latest_note_and_initiatives(login, coordinator, plan):
    response = login(coordinator).get(GOALS, {"format": "csv", "strategy": plan["strategy"].pk})
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response.content)
    header = rows[0]
    body = {row[4]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(body) == {"Flere elever gennemfører", "'=HYPERLINK(1)"}
    behind = body["'=HYPERLINK(1)"]
    assert behind["Status"] == "Bagud"
    assert behind["Fagområde"] == "Ældre og Sundhed"
    assert behind["Seneste statusnote"] == "Færre praktikpladser"
    assert behind["Indsatser"] == "Kloge hænder"
    assert body["Flere elever gennemfører"]["Fagområde"] == "Hele kommunen"
    assert body["Flere elever gennemfører"]["Ansvarlig"]


def test_goal_export_filters_by_department(login, coordinator, plan, elderly):
    rows = read_csv(
        login(coordinator).get(GOALS, {"format": "csv", "department": elderly.pk}).content
    )
    assert [row[4] for row in rows[1:]] == ["'=HYPERLINK(1)"]
    assert AuditEntry.objects.get(action="export").context["criteria"] == {
        "department": str(elderly.pk)
    }


def test_another_municipalitys_strategy_is_neither_exported_nor_a_filter(login, outsider, plan):
    client = login(outsider)
    goals = read_csv(client.get(GOALS, {"format": "csv"}).content)
    assert [row[4] for row in goals[1:]] == ["Albertslunds mål"]
    # Filtering on another municipality's strategy is an invalid choice: no rows.
    foreign = read_csv(
        client.get(GOALS, {"format": "csv", "strategy": plan["strategy"].pk}).content
    )
    assert len(foreign) == 1
    initiatives = read_csv(client.get(INITIATIVES, {"format": "csv"}).content)
    assert [row[1] for row in initiatives[1:]] == ["Albertslunds indsats"]


def test_a_leader_may_export_kkr_may_not(login, leader, kkr, plan):
    assert login(leader).get(INITIATIVES, {"format": "csv"}).status_code == 200
    assert login(kkr).get(GOALS, {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("url", [GOALS, INITIATIVES])
def test_export_queries_do_not_grow_with_the_rows(
    login, coordinator, plan, url, django_assert_num_queries
):
    client = login(coordinator)
    client.get(url, {"format": "xlsx"})
    with django_assert_num_queries(QUERIES[url]) as small:
        client.get(url, {"format": "xlsx"})
    for n in range(5):
        goal = GoalFactory(focus_area=plan["area"], text=f"Mål {n}")
        InitiativeFactory(strategy=plan["strategy"], title=f"Ny {n}", goals=[goal])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"format": "xlsx"})


# session, user, count, rows, prefetches (goals: notes and initiatives; initiatives: goals and
# the filter's origin choices), the audit entry and the session's save (each in a savepoint)
QUERIES = {GOALS: 12, INITIATIVES: 12}


def test_the_pages_link_to_the_exports(login, coordinator, plan):
    client = login(coordinator)
    listing = client.get(reverse("strategy:initiative_list"), {"status": "planned"})
    assert f"{INITIATIVES}?status=planned&amp;format=xlsx" in listing.content.decode()
    detail = client.get(reverse("strategy:strategy_detail", args=[plan["strategy"].pk]))
    assert f"{GOALS}?strategy={plan['strategy'].pk}&amp;format=csv" in detail.content.decode()
    assert GOALS in client.get(reverse("strategy:followup")).content.decode()
