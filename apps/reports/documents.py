"""One status report as a file: which strategy and year by default, and the two formats."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.text import slugify

from apps.dashboards.goal_overview import strategy_in_force
from apps.kpis.facts import FactTable
from apps.kpis.registry import default_period
from apps.organisation.models import Municipality
from apps.reports.gather import Report
from apps.strategy.models import Strategy

PDF, DOCX = "pdf", "docx"
FORMATS = (PDF, DOCX)
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def default_strategy(municipality: Municipality) -> Strategy | None:
    return strategy_in_force(Strategy.objects.filter(municipality=municipality))


def default_year(municipality: Municipality, today: datetime.date | None = None) -> int:
    """The dashboards' default year: the latest finished year with data."""
    table = FactTable.load(municipality_ids=[municipality.pk])
    return default_period([table], today or timezone.localdate())


def render(report: Report, fmt: str) -> bytes:
    if fmt == PDF:
        from apps.reports.pdf import report_pdf

        return report_pdf(report)
    from apps.reports.word import report_docx

    return report_docx(report)


DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def filename(report: Report, fmt: str) -> str:
    """ "statusrapport-hilleroed-2025.pdf": ASCII, with æ, ø and å spelt out."""
    name = slugify(f"statusrapport {report.municipality} {report.year}".translate(DANISH_LETTERS))
    return f"{name}.{fmt}"
