"""The status report from the portal and the command line, on a small strategy: who may
download it, what a leader's holds, the audit entry, and the Danish refusals."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from apps.core.models import AuditEntry
from apps.strategy.choices import GoalStatus, InitiativeStatus
from apps.strategy.models import StatusUpdate
from tests.factories import FocusAreaFactory, GoalFactory, InitiativeFactory, StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(municipality, elderly, school, coordinator):
    strategy = StrategyFactory(municipality=municipality, title="Fremtidens velfærdsuddannelser")
    area = FocusAreaFactory(strategy=strategy, title="Flere i uddannelse")
    GoalFactory(focus_area=area, text="Fælles mål om optag", status=GoalStatus.IN_PROGRESS)
    elderly_goal = GoalFactory(focus_area=area, department=elderly, text="Ældremålet")
    GoalFactory(focus_area=area, department=school, text="Skolemålet")
    StatusUpdate.objects.create(
        municipality=municipality,
        goal=elderly_goal,
        status=GoalStatus.IN_PROGRESS,
        note="Drøftet på ledermødet",
        author=coordinator,
    )
    InitiativeFactory(
        strategy=strategy,
        focus_area=area,
        department=elderly,
        title="Sprogstøtte",
        status=InitiativeStatus.IMPLEMENTED,
        implemented_year=2021,
        next_step="Udbredes til alle centre",
    )
    InitiativeFactory(strategy=strategy, focus_area=area, department=school, title="Skolebesøg")
    return strategy


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def url(strategy, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("reports:strategy_report", args=[strategy.pk]) + (f"?{query}" if query else "")


def test_a_coordinator_downloads_the_pdf_and_the_download_is_audited(login, coordinator, strategy):
    response = login(coordinator).get(url(strategy, aar=2025, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "statusrapport-hilleroed-2025.pdf" in response["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Fremtidens velfærdsuddannelser",
        "Udkast".upper(),
        "Ældremålet",
        "Skolemålet",
    ):
        assert expected in text
    assert "Drøftet på ledermødet" in text
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == coordinator
    assert entry.context["list"] == "statusrapport"
    assert entry.context["format"] == "pdf"
    assert entry.context["criteria"]["år"] == "2025"


def test_a_leaders_word_report_holds_only_their_department(login, leader, strategy):
    response = login(leader).get(url(strategy, aar=2025, format="docx"))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "Ældremålet" in text and "Fælles mål om optag" in text
    assert "Sprogstøtte" in text and "2021" in text and "Udbredes til alle centre" in text
    assert "Skolemålet" not in text
    assert "Skolebesøg" not in text


def test_the_form_page_and_a_wrong_year_get_a_danish_answer(login, coordinator, strategy):
    client = login(coordinator)
    page = client.get(url(strategy))
    assert page.status_code == 200
    assert "Hent rapporten" in page.content.decode()
    response = client.get(url(strategy, aar="tyve", format="pdf"))
    assert response.status_code == 400
    assert "Skriv året som et helt tal, fx 2025." in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_roles_that_may_not_make_the_report_are_refused(login, hr, kkr, strategy):
    assert login(hr).get(url(strategy, format="pdf")).status_code == 403
    assert login(kkr).get(url(strategy, format="pdf")).status_code == 403


def test_another_municipalitys_strategy_is_not_found(login, outsider, strategy):
    assert login(outsider).get(url(strategy, format="pdf")).status_code == 404


def test_the_command_writes_the_word_file(strategy, tmp_path):
    out = tmp_path / "rapport.docx"
    call_command(
        "strategy_report",
        "--municipality=219",
        "--year=2025",
        "--format=docx",
        f"--output={out}",
        stdout=io.StringIO(),
    )
    text = docx_text(out.read_bytes())
    assert "Fremtidens velfærdsuddannelser" in text
    assert "Skolemålet" in text and "Ældremålet" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality=999"], "Ukendt kommunenummer 999."),
        (
            ["--municipality=219", "--strategy=0"],
            "--strategy: Hillerød har ingen strategi med id 0.",
        ),
        (["--municipality=219", "--department=0"], "--department: Hillerød har intet fagområde"),
        (["--municipality=219", "--year=1900"], "--year: 1900 er ikke et gyldigt år"),
    ],
)
def test_the_command_refuses_bad_input_in_danish_and_writes_nothing(
    strategy, tmp_path, args, message
):
    out = tmp_path / "rapport.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("strategy_report", *args, "--format=pdf", f"--output={out}")
    assert list(tmp_path.iterdir()) == []


def test_the_command_refuses_a_missing_folder(strategy, tmp_path):
    out = tmp_path / "mangler" / "rapport.pdf"
    with pytest.raises(CommandError, match="--output: mappen .* findes ikke."):
        call_command("strategy_report", "--municipality=219", "--format=pdf", f"--output={out}")


def test_gathering_the_report_takes_the_same_queries_for_more_goals(
    strategy, coordinator, django_assert_num_queries
):
    from apps.accounts.scope import scope_for_user
    from apps.reports.gather import report_data

    scope = scope_for_user(coordinator)
    municipality = strategy.municipality

    def gather():
        return report_data(scope=scope, municipality=municipality, strategy=strategy, year=2025)

    with django_assert_num_queries(13):
        report = gather()
    assert len(report.areas[0].goals) == 3
    area = strategy.focus_areas.get()
    for n in range(5):
        GoalFactory(focus_area=area, text=f"Endnu et mål {n}")
    with django_assert_num_queries(13):
        assert len(gather().areas[0].goals) == 8


def test_the_report_states_the_latest_applied_import_of_each_kind(strategy, coordinator):
    import datetime

    from django.utils import timezone

    from apps.accounts.scope import scope_for_user
    from apps.imports.models import BatchStatus, ImportBatch, ImportKind
    from apps.reports.gather import report_data

    def batch(kind, status, day):
        at = timezone.make_aware(datetime.datetime(2026, 3, day, 12))
        ImportBatch.objects.create(
            municipality=strategy.municipality,
            kind=kind,
            status=status,
            file_name="elever.xlsx",
            applied_at=at,
        )

    batch(ImportKind.TRAINEES, BatchStatus.APPLIED, 2)
    batch(ImportKind.TRAINEES, BatchStatus.APPLIED, 9)
    batch(ImportKind.TRAINEES, BatchStatus.UNDONE, 20)
    batch(ImportKind.ABSENCE, BatchStatus.APPLIED, 5)
    report = report_data(
        scope=scope_for_user(coordinator),
        municipality=strategy.municipality,
        strategy=strategy,
        year=2025,
    )
    lines = dict(report.as_of_lines)
    assert lines["Elever"] == "09.03.2026"
    assert lines["Fravær"] == "05.03.2026"
    assert lines["Vejledere"] == "ingen"


def test_a_department_report_from_the_command_holds_that_department(strategy, school, tmp_path):
    out = tmp_path / "skole.docx"
    call_command(
        "strategy_report",
        "--municipality=219",
        f"--department={school.pk}",
        "--format=docx",
        f"--output={out}",
        stdout=io.StringIO(),
    )
    text = docx_text(out.read_bytes())
    assert "Skolemålet" in text and "Skolebesøg" in text and "Fælles mål om optag" in text
    assert "Ældremålet" not in text and "Sprogstøtte" not in text


def test_the_strategy_page_links_to_the_report_for_those_who_may_make_it(
    login, coordinator, hr, strategy
):
    link = reverse("reports:strategy_report", args=[strategy.pk])
    page = reverse("strategy:strategy_detail", args=[strategy.pk])
    assert link in login(coordinator).get(page).content.decode()
    assert link not in login(hr).get(page).content.decode()


def test_the_word_file_is_danish_and_hyphenated(strategy, coordinator):
    from docx.oxml.ns import qn

    from apps.accounts.scope import scope_for_user
    from apps.reports.documents import render
    from apps.reports.gather import report_data

    report = report_data(
        scope=scope_for_user(coordinator),
        municipality=strategy.municipality,
        strategy=strategy,
        year=2025,
    )
    document = Document(io.BytesIO(render(report, "docx")))
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    langs = rpr.find(qn("w:rPr")).findall(qn("w:lang"))
    assert [lang.get(qn("w:val")) for lang in langs] == ["da-DK"]
    tags = [child.tag for child in document.settings.element]
    assert tags.index(qn("w:autoHyphenation")) == tags.index(qn("w:defaultTabStop")) + 1
    assert "UDKAST" in document.sections[0].header.paragraphs[0].text


def test_the_summary_names_the_indicators_behind_their_target(strategy, coordinator, elderly):
    from apps.accounts.scope import scope_for_user
    from apps.kpis.models import Indicator, Measurement
    from apps.reports.gather import report_data

    goal = strategy.focus_areas.get().goals.get(text="Fælles mål om optag")
    indicator = Indicator.objects.create(
        municipality=strategy.municipality,
        name="Optag af SSA-elever",
        baseline_value=60,
        baseline_period=2022,
        target_value=100,
        target_period=2026,
    )
    indicator.goals.add(goal)
    Measurement.objects.create(
        municipality=strategy.municipality, indicator=indicator, period=2024, value=70
    )
    Measurement.objects.create(
        municipality=strategy.municipality, indicator=indicator, period=2027, value=99
    )
    report = report_data(
        scope=scope_for_user(coordinator),
        municipality=strategy.municipality,
        strategy=strategy,
        year=2025,
    )
    kpi = report.areas[0].goals[0].kpis[0]
    assert (kpi.value, kpi.period, kpi.baseline) == ("70\xa0%", 2024, "60\xa0% (2022)")
    assert [p.period for p in kpi.trend] == [2024]  # nothing after the report's year
    assert kpi.svg.startswith("<svg") and "polyline" in kpi.svg
    assert report.kpis_by_status == [("Bagud", 1)]
    assert [line.replace("\xa0", " ") for line in report.kpis_behind] == [
        "Optag af SSA-elever: 70 % (2024); mål 100 % (niveau) i 2026"
    ]
