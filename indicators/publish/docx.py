"""The municipality report as a Word file (.docx), with python-docx.

Owns the Word layout of the same content as the PDF: real heading styles (Heading 1 for the
title, Heading 2 for sections, Heading 3 for themes and charts), real tables (one per theme, the
header row repeated on a new page), the charts as PNG pictures two to a row, the chart's table
in its place when there is no picture, and the demo line in every section's header. A municipal
officer can paste any part into their own report. Text goes in as runs (python-docx escapes it);
nothing is read as markup or as a field. Reads only `content`, `charts_png` and `style`.
"""
from __future__ import annotations

import io
import os

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import style
from .charts_png import CHART_HEIGHT_PX, CHART_WIDTH_PX, ChartRenderer, ChartSet, render_charts
from .content import ReportContent, Table, plain_text

PICTURE_WIDTH = Cm(8.2)
INDICATOR_WIDTHS = (Cm(3.7), Cm(2.7), Cm(3.0), Cm(2.4), Cm(3.0), Cm(2.2))   # the 17 cm between the margins
WORD_FONT = "Arial"     # on every Windows and Mac; LibreOffice uses the metric twin Liberation Sans
LANG_TAGS = {"sv": "sv-SE", "en": "en-GB"}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _run(paragraph, text: str, *, bold: bool = False, colour: str | None = None, size: float | None = None):
    run = paragraph.add_run(plain_text(text))
    run.bold = bold or None
    if colour:
        run.font.color.rgb = _rgb(colour)
    if size:
        run.font.size = Pt(size)
    return run


def _mark(paragraph, kind: str, code: str, text: str) -> None:
    symbol, colour = style.state_mark(kind, code)
    if symbol:
        _run(paragraph, symbol + " ", bold=True, colour=colour)
    _run(paragraph, text)


def _page_field(paragraph) -> None:
    """A PAGE field, so Word numbers the pages itself."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_font(style_, name: str) -> None:
    """The font for every script (Word keeps separate names for the theme, East Asian and
    complex scripts; the theme's would otherwise win)."""
    style_.font.name = name
    fonts = style_.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _fix_widths(table, widths) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid and every cell); no row
    is split over two pages."""
    table.autofit = False
    for tr in table.rows:
        tr._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for column, width in zip(table.columns, widths):
        column.width = width
    for tr in table.rows:
        for cell, width in zip(tr.cells, widths):
            cell.width = width


def _setup(document, content: ReportContent) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        _set_font(document.styles[name], WORD_FONT)
    lang = OxmlElement("w:lang")      # spell-checking and hyphenation in the report's language
    lang.set(qn("w:val"), LANG_TAGS[content.language])
    normal.element.get_or_add_rPr().append(lang)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].font.color.rgb = _rgb(style.BRAND)
    props = document.core_properties
    props.title, props.subject = _property(content.title), _property(content.summary)
    props.author = props.last_modified_by = plain_text(content.labels.product)
    props.language = LANG_TAGS[content.language]
    props.keywords = _property(f"{content.municipality} {content.municipality_code}")


def _property(text: str) -> str:
    """A document property: Word's core properties hold at most 255 characters (the summary can be
    longer; the whole of it is in the document itself)."""
    text = plain_text(text)
    return text if len(text) <= 255 else text[:254].rstrip() + "…"


def _header_footer(document, content: ReportContent) -> None:
    lab = content.labels
    for section in document.sections:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if content.demo:
            _run(head, lab.demo, bold=True, colour=style.DEMO_INK)
        else:
            _run(head, f"{lab.product} · {lab.report_kind} · {content.municipality}", colour=style.MUTED, size=8)
        foot = section.footer.paragraphs[0]
        _run(foot, f"{lab.product} · {content.municipality} ({content.municipality_code}) · {content.date} · ",
             colour=style.MUTED, size=8)
        _page_field(foot)


def _text_table(document, table: Table, *, size: float = 8.5):
    out = document.add_table(rows=1, cols=len(table.headers))
    out.style = document.styles["Light List Accent 1"]
    for cell, text in zip(out.rows[0].cells, table.headers):
        _run(cell.paragraphs[0], text, bold=True, size=size)
    _repeat_header(out.rows[0])
    for values in table.rows:
        for cell, text in zip(out.add_row().cells, values):
            _run(cell.paragraphs[0], text, size=size)
    rest = (Cm(17) - Cm(2.5)) // max(len(table.headers) - 1, 1)
    _fix_widths(out, (Cm(2.5), *[rest] * (len(table.headers) - 1)))
    return out


def _highlights(document, content: ReportContent) -> None:
    for heading, items, symbol, colour in ((content.labels.best, content.best, "✓", style.GOOD),
                                           (content.labels.weakest, content.weakest, "✗", style.BAD)):
        document.add_heading(plain_text(heading), level=2)
        for item in items:
            p = document.add_paragraph()
            p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = Cm(0.5), Cm(-0.5)
            p.paragraph_format.space_after = Pt(2)
            _run(p, symbol + " ", bold=True, colour=colour)
            _run(p, item.name, bold=True)
            _run(p, " – " + item.detail)


def _indicator_tables(document, content: ReportContent) -> None:
    lab = content.labels
    document.add_heading(plain_text(lab.indicators), level=2)
    heads = (lab.col_indicator, lab.col_value, lab.col_verdict, lab.col_direction, lab.col_target, lab.col_rank)
    for theme, rows in content.themes():
        document.add_heading(plain_text(theme), level=3)
        table = document.add_table(rows=1, cols=len(heads))
        table.style = document.styles["Light List Accent 1"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, text in zip(table.rows[0].cells, heads):
            _run(cell.paragraphs[0], text, bold=True, size=8.5)
        _repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            p = cells[0].paragraphs[0]
            _run(p, row.name, bold=True, size=8.5)
            for note in row.notes:
                _run(p, f" [{note}]", colour=style.BAD, size=7.5)
            _run(cells[0].add_paragraph(), row.indicator_id, colour=style.MUTED, size=7.5)
            _run(cells[1].paragraphs[0], row.value, bold=True, size=8.5)
            _run(cells[1].add_paragraph(), row.year, size=8.5)
            for cell, kind, code, text in ((cells[2], "verdict", row.verdict_code, row.verdict),
                                           (cells[3], "direction", row.direction_code, row.direction),
                                           (cells[4], "target", row.target_code, row.target)):
                _mark(cell.paragraphs[0], kind, code, text)
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(8.5)
            _run(cells[5].paragraphs[0], row.rank, size=8.5)
        _fix_widths(table, INDICATOR_WIDTHS)


def _closing(document, content: ReportContent) -> None:
    lab = content.labels
    document.add_heading(plain_text(lab.comments), level=2)
    if content.comments:
        _run(document.add_paragraph(), lab.comments_note, colour=style.MUTED, size=8.5)
        for comment in content.comments:
            _run(document.add_paragraph(), comment.subject, bold=True)
            p = document.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.5)
            _run(p, comment.text)
    else:
        document.add_paragraph(plain_text(lab.no_comments))
    document.add_heading(plain_text(lab.sources), level=2)
    for source in content.sources:
        p = document.add_paragraph(style="List Bullet")
        _run(p, source.name, bold=True)
        if source.detail:
            _run(p, ": " + source.detail)
        if source.own_calculation:
            _run(p, f" ({lab.own_calculation})", colour=style.MUTED)
    document.add_heading(plain_text(lab.licence), level=2)
    document.add_paragraph(plain_text(content.licence))
    document.add_heading(plain_text(lab.citation), level=2)
    document.add_paragraph(plain_text(content.citation))


def _charts(document, content: ReportContent, charts: ChartSet) -> None:
    lab = content.labels
    document.add_page_break()
    document.add_heading(plain_text(lab.charts), level=2)
    if charts.unavailable:
        _run(document.add_paragraph(), lab.charts_unavailable, colour=style.MUTED)
    pictures = [(row, image) for row, image in zip(content.rows, charts.images)
                if row.chart is not None and image is not None and image.png is not None]
    grid = document.add_table(rows=0, cols=2) if pictures else None
    for i, (row, image) in enumerate(pictures):
        cells = grid.add_row().cells if i % 2 == 0 else grid.rows[-1].cells
        cell = cells[i % 2]
        caption = cell.paragraphs[0]
        caption.paragraph_format.space_before, caption.paragraph_format.keep_with_next = Pt(8), True
        _run(caption, row.name, bold=True, size=9)
        picture = cell.add_paragraph()
        picture.paragraph_format.space_after = Pt(2)
        shape = picture.add_run().add_picture(
            io.BytesIO(image.png), width=PICTURE_WIDTH, height=int(PICTURE_WIDTH * CHART_HEIGHT_PX / CHART_WIDTH_PX))
        shape._inline.docPr.set("descr", plain_text(row.chart.alt or row.name))    # alt text for screen readers
    for row, image in zip(content.rows, charts.images):
        if row.chart is None or image is None or image.png is not None:
            continue
        document.add_heading(plain_text(row.name), level=3)
        if not charts.unavailable:
            _run(document.add_paragraph(), lab.chart_failed, colour=style.MUTED, size=8.5)
        _text_table(document, row.chart.table)
    if grid is not None:
        _fix_widths(grid, (Cm(8.5), Cm(8.5)))


def render_docx(content: ReportContent, *, charts: ChartSet | None = None, renderer: ChartRenderer | None = None,
                chromium: str | os.PathLike | None = None) -> bytes:
    """The report as .docx bytes; `charts`, `renderer` and `chromium` as for pdf.render_pdf."""
    if charts is None:
        charts = render_charts(content.rows, renderer, chromium=chromium)
    document = docx.Document()
    _setup(document, content)
    _header_footer(document, content)
    document.add_heading(plain_text(content.title), level=1)
    _run(document.add_paragraph(), f"{content.labels.municipality_code} {content.municipality_code} · "
                                    f"{content.labels.date} {content.date}", colour=style.MUTED)
    summary = document.add_paragraph()
    _run(summary, content.summary, size=11.5)
    _highlights(document, content)
    _indicator_tables(document, content)
    _closing(document, content)
    if content.charted_rows():
        _charts(document, content, charts)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
