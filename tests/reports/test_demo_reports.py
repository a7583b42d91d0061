"""The annual status report from the demo data: `manage.py strategy_report` writes a PDF and
a Word file for Frederikssund and Hillerød (2025) that hold the strategy, every focus area,
Bilag 1's initiatives with status and year, the dropout reasons with their counts and the
KPI values the API serves; a leader's report holds only their departments, a KKR reader's
no count under 5.

One test, as rendering the reports is slow; the demo is the run's shared copy (`demo`)."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Q
from docx import Document
from pypdf import PdfReader

from apps.accounts.models import User
from apps.accounts.scope import scope_for_user
from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.kpis.choices import Metric
from apps.kpis.facts import FactTable
from apps.kpis.models import Indicator
from apps.kpis.targets import value_text
from apps.organisation.models import Department, Municipality
from apps.reports.documents import default_strategy, render
from apps.reports.gather import report_data
from apps.strategy.models import Goal, Initiative

pytestmark = pytest.mark.django_db

YEAR = 2025


def flat(text: str) -> str:
    """Whitespace and line breaks (also after a PDF's hyphenation) folded to single spaces."""
    return " ".join(text.replace("\u00ad", "").split())


def pdf_text(path) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(path).pages))


def docx_parts(path) -> tuple[str, list[list[str]]]:
    document = Document(path)
    rows = [
        [flat(cell.text) for cell in row.cells] for table in document.tables for row in table.rows
    ]
    text = " ".join(p.text for p in document.paragraphs)
    return flat(text + " " + " ".join(" ".join(r) for r in rows)), rows


def loose(text: str) -> str:
    """A pattern for `text` that allows a hyphenation break ("- ") between any letters."""
    return r"-? ?".join(re.escape(ch) for ch in flat(text).replace(" ", "\x00")).replace(
        "\x00", r"\s+"
    )


def api_values(client, user) -> dict[int, float | None]:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    data = client.get("/api/v1/indicators/").json()["results"]
    client.logout()
    values = {}
    for item in data:
        shown = [m for m in item["measurements"] if m["period"] <= YEAR]
        values[item["id"]] = (shown[-1]["value"], shown[-1]["period"]) if shown else None
    return values


def test_the_status_reports_of_frederikssund_and_hillerod(demo, client, tmp_path):

    for code in (250, 219):
        municipality = Municipality.objects.get(code=code)
        strategy = default_strategy(municipality)
        files = {}
        for fmt in ("pdf", "docx"):
            files[fmt] = tmp_path / f"{code}.{fmt}"
            call_command(
                "strategy_report",
                "--municipality",
                str(code),
                "--year",
                str(YEAR),
                "--format",
                fmt,
                "--output",
                str(files[fmt]),
                stdout=io.StringIO(),
            )
        text = pdf_text(files["pdf"])
        word, word_rows = docx_parts(files["docx"])

        for found in (text, word):
            assert re.search(loose(strategy.title), found), strategy.title
            for area in strategy.focus_areas.all():
                assert re.search(loose(area.title), found), area.title
        assert "Side 2 af" in text  # page numbers
        assert "Indhold" in text and "Bilag 1. Status på indsatser" in text

        # Bilag 1: every initiative with its status and year implemented.
        initiatives = list(Initiative.objects.filter(strategy=strategy))
        for initiative in initiatives:
            row = next(r for r in word_rows if r[0].endswith(flat(initiative.title)))
            year = str(initiative.implemented_year or "")
            assert row[1:3] == [initiative.get_status_display(), year]
        if code == 250:
            kloge = next(r for r in word_rows if r[0].startswith("Kloge hænder"))
            assert kloge[1:3] == ["Implementeret", "2016"]
            assert re.search(r"Kloge hænder.{0,200}?Implementeret\s+2016", text)

        # Bilag 2: the dropout reasons with their counts, as the coordinator sees them.
        coordinator = Scope(user_id=None, role=Role.COORDINATOR, municipality_id=municipality.pk)
        table = FactTable.load(municipality_ids=[municipality.pk])
        reasons = table.kpi(Metric.DROPOUTS_BY_REASON, scope=coordinator, year=YEAR)
        assert reasons.rows, "the demo has dropouts in 2025"
        for row in reasons.rows:
            assert [row.label, str(row.count)] in word_rows
            assert re.search(loose(row.label) + r"\s+" + str(row.count) + r"\b", text)

        # The KPI values are the API's, for the same reader.
        user = User.objects.filter(municipality=municipality, role=Role.COORDINATOR).first()
        api = api_values(client, user)
        checked = 0
        linked = Indicator.objects.filter(municipality=municipality, goals__isnull=False)
        for indicator in linked.distinct():
            if api.get(indicator.pk) is None or api[indicator.pk][0] is None:
                continue
            value, period = api[indicator.pk]
            shown = flat(f"{value_text(value, indicator.unit)} ({period})")
            assert shown in text, (indicator.name, shown)
            assert any(r[0] == flat(indicator.name) for r in word_rows)
            assert [flat("Seneste værdi"), shown] in word_rows
            checked += 1
        assert checked >= 1

    # A leader's report: their departments' goals and initiatives and the fælles mål only.
    leader = User.objects.get(username="leder")
    scope = scope_for_user(leader)
    municipality = leader.municipality
    strategy = default_strategy(municipality)
    report = report_data(scope=scope, municipality=municipality, strategy=strategy, year=YEAR)
    own = set(leader.departments.values_list("name", flat=True))
    assert report.departments == sorted(own)
    shown = [g for a in report.areas for g in a.goals]
    assert {g.department for g in shown} == own | {"Fælles mål"}
    goals = Goal.objects.filter(focus_area__strategy=strategy)
    assert (
        len(shown)
        == goals.filter(Q(department__isnull=True) | Q(department__in=scope.department_ids)).count()
    )
    assert len(shown) < goals.count()
    others = set(
        Initiative.objects.filter(strategy=strategy, department__isnull=False)
        .exclude(department__in=scope.department_ids)
        .values_list("title", flat=True)
    )
    assert not {i.title for i in report.initiatives} & others
    path = tmp_path / "leader.docx"
    path.write_bytes(render(report, "docx"))
    word, _rows = docx_parts(path)
    other_departments = Department.objects.filter(municipality=municipality).exclude(
        pk__in=scope.department_ids
    )
    assert other_departments.exists()
    for department in other_departments:
        assert f"{department.name} · Ejer" not in word
    assert f"{sorted(own)[0]} · Ejer" in word

    # A KKR reader's report holds no count of 1–4.
    for code in (250, 219):
        municipality = Municipality.objects.get(code=code)
        kkr = Scope(user_id=None, role=Role.KKR_ANALYST, municipality_id=municipality.pk)
        report = report_data(
            scope=kkr,
            municipality=municipality,
            strategy=default_strategy(municipality),
            year=YEAR,
        )
        counts = [
            row.count
            for table in (report.dropouts_by_reason, report.dropouts_by_phase, report.hired_into)
            for row in table.rows
        ] + [row.intake_count for row in report.intake]
        assert any(c for c in counts if c is not None)
        assert not [c for c in counts if c is not None and 0 < c < 5]
        assert report.dropouts_by_reason.rounded
