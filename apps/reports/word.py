"""The status report as Word (.docx), which the secretariat edits before it goes to the
committee: real headings (Word builds its table of contents and navigation from them), a
table of contents field, real tables, Danish as the document language, page numbers in the
footer. The trend is written as its values per year (Word has no SVG without a converter)."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from apps.reports.figures import CountTable
from apps.reports.gather import Report


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) that Word fills in when the document is opened."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _language(document) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "da-DK")
    # Word reads settings in schema order: autoHyphenation follows defaultTabStop.
    settings = document.settings.element
    hyphenate = OxmlElement("w:autoHyphenation")
    hyphenate.set(qn("w:val"), "true")
    tab_stop = settings.find(qn("w:defaultTabStop"))
    if tab_stop is not None:
        tab_stop.addnext(hyphenate)
    else:
        settings.insert(0, hyphenate)


def _table(document, headers: list[str], rows: list[list[str]], caption: str = ""):
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    # The header row repeats on every page.
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    return table


def _counts(document, table: CountTable) -> None:
    rows = [[r.label, r.text] for r in table.rows] or [[_("Ingen i året."), ""]]
    if table.total:
        rows.append([_("I alt"), table.total])
    _table(document, ["", _("Antal")], rows, table.title)
    document.add_paragraph()


def _front(document, report: Report) -> None:
    municipality = document.add_paragraph(report.municipality.upper())
    municipality.runs[0].font.size = Pt(13)
    document.add_heading(report.strategy_title, level=0)
    subtitle = document.add_paragraph(_("Status for %(year)s") % {"year": report.year})
    subtitle.runs[0].font.size = Pt(16)
    if report.draft:
        draft = document.add_paragraph().add_run(_("Udkast").upper())
        draft.bold = True
        draft.font.size = Pt(14)
        draft.font.color.rgb = RGBColor(0xAA, 0x33, 0x33)
    facts = []
    if report.strategy_version:
        facts.append((_("Version"), report.strategy_version))
    status = report.strategy_status
    if report.adopted_on:
        status += " (" + _("vedtaget %(date)s") % {"date": report.adopted_on} + ")"
    facts += [(_("Strategiens status"), status), (_("Året"), str(report.year))]
    if report.departments:
        facts.append((_("Fagområder"), ", ".join(report.departments)))
    facts.append((_("Dannet"), report.generated_on))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _area(document, area) -> None:
    document.add_heading(area.title, level=1)
    if area.description:
        document.add_paragraph(area.description).runs[0].italic = True
    if not area.goals:
        document.add_paragraph(_("Ingen målsætninger under dette indsatsområde."))
    for goal in area.goals:
        document.add_heading(goal.text, level=2)
        meta = [goal.department, f"{_('Ejer')}: {goal.owner}", f"{_('Status')}: {goal.status}"]
        if goal.suggestion:
            meta.append(f"{_('Forslag fra nøgletallene')}: {goal.suggestion}")
        document.add_paragraph(" · ".join(meta))
        if goal.note:
            document.add_paragraph(
                f"{_('Seneste statusnote')} ({goal.note_date}): {goal.note}", style="Quote"
            )
        for kpi in goal.kpis:
            value = kpi.value + (f" ({kpi.period})" if kpi.period else "")
            status = kpi.status_label + (f" – {kpi.distance}" if kpi.distance else "")
            rows = [
                [_("Seneste værdi"), value],
                [_("Baseline"), kpi.baseline],
                [_("Mål"), kpi.target],
                [_("Status"), status],
            ]
            if kpi.trend:
                rows.append([_("Udvikling"), kpi.trend_text])
            _table(document, [kpi.name, ""], rows)
            document.add_paragraph()


def report_docx(report: Report) -> bytes:
    with translation.override("da"):
        return _build(report)


def _build(report: Report) -> bytes:
    document = Document()
    _language(document)
    document.core_properties.title = f"{report.title} – {report.municipality}"
    document.core_properties.language = "da-DK"
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run(_("Side") + " ")
    _field(footer, "PAGE", "1")
    footer.add_run(" " + _("af") + " ")
    _field(footer, "NUMPAGES", "1")
    if report.draft:
        header = document.sections[0].header.paragraphs[0]
        header.add_run(_("Udkast").upper()).bold = True
    _front(document, report)

    document.add_heading(_("Indhold"), level=1)
    _field(
        document.add_paragraph(),
        'TOC \\o "1-1" \\h \\z \\u',
        _("Højreklik og vælg Opdater felt for at vise indholdsfortegnelsen."),
    )
    document.add_section(WD_SECTION.NEW_PAGE)

    document.add_heading(_("Sammenfatning"), level=1)
    for caption, rows in (
        (_("Målsætninger efter status"), report.goals_by_status),
        (_("Målsætninger efter nøgletallenes forslag"), report.goals_by_suggestion),
        (_("Nøgletal i forhold til målet"), report.kpis_by_status),
        (_("Indsatser efter status"), report.initiatives_by_status),
    ):
        body = [[label, str(count)] for label, count in rows] or [[_("Ingen"), ""]]
        _table(document, ["", _("Antal")], body, caption)
        document.add_paragraph()
    if report.kpis_behind:
        document.add_heading(_("Nøgletal bagud"), level=2)
        for line in report.kpis_behind:
            document.add_paragraph(line, style="List Bullet")

    for area in report.areas:
        document.add_page_break()
        _area(document, area)

    document.add_page_break()
    document.add_heading(_("Bilag 1. Status på indsatser"), level=1)
    _table(
        document,
        [_("Indsats"), _("Status"), _("Implementeret"), _("Ansvarlig"), _("Næste skridt")],
        [
            [
                f"{i.reference} {i.title}".strip(),
                i.status,
                i.implemented_year,
                i.responsible,
                i.next_step,
            ]
            for i in report.initiatives
        ],
        _("Indsatserne og deres status, %(year)s") % {"year": report.year},
    )
    document.add_page_break()
    document.add_heading(_("Bilag 2. Frafald"), level=1)
    _counts(document, report.dropouts_by_reason)
    _counts(document, report.dropouts_by_phase)
    document.add_heading(_("Bilag 3. Ansættelse efter endt uddannelse"), level=1)
    _counts(document, report.hired_into)
    document.add_heading(_("Bilag 4. Optag i forhold til dimensionering"), level=1)
    _table(
        document,
        [_("Uddannelse"), _("Optag"), _("Dimensionering"), _("Opfyldt")],
        [[r.programme, r.intake, r.quota, r.share] for r in report.intake],
        _("Optag og dimensionering, %(year)s") % {"year": report.year},
    )
    document.add_heading(_("Om tallene"), level=1)
    document.add_paragraph(report.small_numbers_note)
    _table(
        document,
        [_("Data"), _("Seneste import")],
        [[kind, date] for kind, date in report.as_of_lines],
        _("Data opdateret (seneste import af hver slags)"),
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
