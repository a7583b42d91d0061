"""The status report as PDF: the report template typeset by WeasyPrint (A4, page numbers,
table of contents with page references, Danish hyphenation from `lang="da"`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from apps.reports.gather import Report


def report_html(report: Report) -> str:
    with translation.override("da"):
        return render_to_string("reports/report.html", {"report": report})


def report_pdf(report: Report) -> bytes:
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is made

    stylesheet = finders.find("css/report.css") or str(settings.BASE_DIR / "static/css/report.css")
    return HTML(string=report_html(report), base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=stylesheet)]
    )
