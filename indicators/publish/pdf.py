"""The municipality report as an A4 PDF, with reportlab (Platypus) and an embedded font.

Owns the PDF layout: the politician's part (title, summary, best and weakest three, one table of
every indicator grouped by theme, the municipality's comments, sources, licence, citation) on one
or two pages, then the charts three to a row on the following pages, each chart's table in its
place when there is no picture. Every word is text in the PDF's text layer; the demo line is
drawn in the header of every page. All content text is escaped before it reaches reportlab's
paragraph markup, so a comment's "<b>" or "<script>" is printed, never interpreted.
Reads only `content` and `charts_png`; no streamlit, no store.
"""
from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Frame, FrameBreak, Image, KeepTogether, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from . import style
from .charts_png import CHART_HEIGHT_PX, CHART_WIDTH_PX, ChartRenderer, ChartSet, render_charts
from .content import ReportContent, plain_text

FONT, FONT_BOLD = "GN-Sans", "GN-Sans-Bold"
PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 20 * mm, 15 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
COLUMN_GAP = 5 * mm
CHART_COLUMNS = 3


def _keep_narrow_no_break_space() -> None:
    """reportlab 5.1 counts U+202F NARROW NO-BREAK SPACE as a place to break a line (it is in its
    whitespace list), so "1 234,5" could be split over two lines and the narrow space would be
    written as a plain space. For a text holding U+202F, split words on every other whitespace
    instead; the regex is the one reportlab already uses for texts with U+00A0. Any other text
    takes reportlab's own path unchanged."""
    from reportlab.platypus import paragraph as rl_paragraph
    if getattr(rl_paragraph.split, "keeps_narrow_nbsp", False):
        return
    original = rl_paragraph.split
    split_re = re.compile("[%s]+" % re.escape(rl_paragraph._wsc.replace("\u202f", ""))).split

    def split(text, delim=None):
        if delim is None and isinstance(text, str) and "\u202f" in text:
            return split_re(text)
        return original(text, delim)
    split.keeps_narrow_nbsp = True
    rl_paragraph.split = split


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Embed DejaVu Sans Condensed (subset) under our own names; bold maps through <b>."""
    _keep_narrow_no_break_space()
    rl_config.useA85 = 0      # binary streams: smaller files, and reportlab's pure-Python ASCII85 is slow
    pdfmetrics.registerFont(TTFont(FONT, str(style.FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(style.FONT_BOLD)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    ink, muted, brand = (colors.HexColor(c) for c in (style.INK, style.MUTED, style.BRAND))
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.6, leading=11, textColor=ink)

    def make(name, **kw):
        return ParagraphStyle(name, parent=base, **kw)
    return {
        "body": base,
        "title": make("title", fontName=FONT_BOLD, fontSize=19, leading=23, textColor=brand, spaceAfter=1 * mm),
        "meta": make("meta", fontSize=9, leading=12, textColor=muted, spaceAfter=3 * mm),
        "summary": make("summary", fontSize=10.5, leading=14),
        "h2": make("h2", fontName=FONT_BOLD, fontSize=11.5, leading=14, textColor=brand, spaceBefore=4 * mm,
                   spaceAfter=1.5 * mm),
        "cell": make("cell", fontSize=7.8, leading=9.6),
        "cell_head": make("cell_head", fontName=FONT_BOLD, fontSize=7.8, leading=9.6, textColor=brand),
        "theme": make("theme", fontName=FONT_BOLD, fontSize=8.2, leading=10, textColor=brand),
        "small": make("small", fontSize=7.4, leading=9.4, textColor=muted),
        "list": make("list", fontSize=8.6, leading=11, leftIndent=9, firstLineIndent=-9, spaceAfter=1.2 * mm),
        "comment_head": make("comment_head", spaceBefore=1.6 * mm, keepWithNext=1),
        "comment": make("comment", leftIndent=3 * mm, borderPadding=0),
        "caption": make("caption", fontName=FONT_BOLD, fontSize=8, leading=9.8, spaceBefore=1 * mm),
        "tiny": make("tiny", fontSize=6.8, leading=8.2),
        "tiny_head": make("tiny_head", fontName=FONT_BOLD, fontSize=6.8, leading=8.2),
    }


def _t(text: str) -> str:
    """Content text as reportlab paragraph markup: escaped, line ends as <br/>."""
    return escape(plain_text(text)).replace("\n", "<br/>")


def _mark(kind: str, code: str, text: str) -> str:
    symbol, colour = style.state_mark(kind, code)
    if not symbol:
        return _t(text)
    return f'<font color="{colour}"><b>{symbol}</b></font> {_t(text)}'


class _NumberedCanvas(Canvas):
    """Holds every page until the end, so each footer can say "page n of N"."""

    page_label = "{page} / {pages}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):   # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor(style.MUTED))
            self.drawRightString(PAGE_W - MARGIN_X, 8 * mm,
                                 self.page_label.format(page=self._pageNumber, pages=total))
            super().showPage()
        super().save()


def _page_decoration(content: ReportContent):
    labels = content.labels

    def draw(canvas: Canvas, doc) -> None:
        canvas.saveState()
        top = PAGE_H - 9 * mm
        if content.demo:
            canvas.setFillColor(colors.HexColor(style.DEMO_FILL))
            canvas.rect(0, PAGE_H - 13 * mm, PAGE_W, 13 * mm, stroke=0, fill=1)
            canvas.setFillColor(colors.HexColor(style.DEMO_INK))
            canvas.setFont(FONT_BOLD, 9.5)
            canvas.drawCentredString(PAGE_W / 2, PAGE_H - 8 * mm, plain_text(labels.demo))
            top = PAGE_H - 17.5 * mm
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor(style.MUTED))
        if not content.demo:
            canvas.drawString(MARGIN_X, top, plain_text(f"{labels.product} · {labels.report_kind}"))
            canvas.drawRightString(PAGE_W - MARGIN_X, top,
                                   plain_text(f"{content.municipality} ({content.municipality_code})"))
        canvas.setStrokeColor(colors.HexColor(style.RULE))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, 12 * mm, PAGE_W - MARGIN_X, 12 * mm)
        canvas.drawString(MARGIN_X, 8 * mm, plain_text(
            f"{labels.product} · {content.municipality} ({content.municipality_code}) · {content.date}"))
        canvas.restoreState()
    return draw


def _table_style(commands: list) -> TableStyle:
    """A table style whose cells default to our font (reportlab's default is a non-embedded
    Helvetica, set on every table even when no text uses it)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _summary_box(content: ReportContent, st) -> Table:
    box = Table([[Paragraph(_t(content.summary), st["summary"])]], colWidths=[BODY_W])
    box.setStyle(_table_style([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(style.TINT)),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(style.BRAND)),
        ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm)]))
    return box


def _highlights(content: ReportContent, st) -> Table:
    def column(heading: str, items, mark: str, colour: str) -> list:
        out = [Paragraph(_t(heading), st["h2"])]
        for item in items:
            out.append(Paragraph(f'<font color="{colour}"><b>{mark}</b></font> <b>{_t(item.name)}</b> – '
                                 f'{_t(item.detail)}', st["list"]))
        return out
    half = (BODY_W - COLUMN_GAP) / 2
    table = Table([[column(content.labels.best, content.best, "✓", style.GOOD), "",
                    column(content.labels.weakest, content.weakest, "✗", style.BAD)]],
                  colWidths=[half, COLUMN_GAP, half])
    table.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    return table


INDICATOR_COLS = (0.23, 0.16, 0.17, 0.14, 0.19, 0.11)   # share of the body width per column


def _indicator_table(content: ReportContent, st) -> Table:
    lab = content.labels
    head = [Paragraph(_t(x), st["cell_head"]) for x in
            (lab.col_indicator, lab.col_value, lab.col_verdict, lab.col_direction, lab.col_target, lab.col_rank)]
    data, styles = [head], []
    for theme, rows in content.themes():
        first = len(data)
        # a theme stays on one page with its heading row (themes hold five rows at most)
        styles += [("SPAN", (0, first), (-1, first)), ("NOSPLIT", (0, first), (-1, first + len(rows))),
                   ("BACKGROUND", (0, first), (-1, first), colors.HexColor(style.TINT))]
        data.append([Paragraph(_t(theme), st["theme"]), "", "", "", "", ""])
        for row in rows:
            notes = "".join(f' <font color="{style.BAD}" size="6.8">[{_t(n)}]</font>' for n in row.notes)
            data.append([
                Paragraph(f"<b>{_t(row.name)}</b>{notes}<br/><font color='{style.MUTED}' size='6.8'>"
                          f"{_t(row.indicator_id)}</font>", st["cell"]),
                Paragraph(f"<b>{_t(row.value)}</b><br/>{_t(row.year)}", st["cell"]),
                Paragraph(_mark("verdict", row.verdict_code, row.verdict), st["cell"]),
                Paragraph(_mark("direction", row.direction_code, row.direction), st["cell"]),
                Paragraph(_mark("target", row.target_code, row.target), st["cell"]),
                Paragraph(_t(row.rank), st["cell"])])
    table = Table(data, colWidths=[w * BODY_W for w in INDICATOR_COLS], repeatRows=1)
    table.setStyle(_table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, colors.HexColor(style.BRAND)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(style.RULE)),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.2), ("RIGHTPADDING", (0, 0), (-1, -1), 2.2),
        ("TOPPADDING", (0, 0), (-1, -1), 2.0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.4), *styles]))
    return table


def _closing(content: ReportContent, st) -> list:
    lab, out = content.labels, []
    out.append(Paragraph(_t(lab.comments), st["h2"]))
    if content.comments:
        out.append(Paragraph(_t(lab.comments_note), st["small"]))
        for c in content.comments:
            out += [Paragraph(f"<b>{_t(c.subject)}</b>", st["comment_head"]), Paragraph(_t(c.text), st["comment"])]
    else:
        out.append(Paragraph(_t(lab.no_comments), st["body"]))
    out.append(Paragraph(_t(lab.sources), st["h2"]))
    for s in content.sources:
        own = f' <font color="{style.MUTED}">({_t(lab.own_calculation)})</font>' if s.own_calculation else ""
        detail = f": {_t(s.detail)}" if s.detail else ""
        out.append(Paragraph(f"• <b>{_t(s.name)}</b>{detail}{own}", st["list"]))
    out.append(KeepTogether([Paragraph(_t(lab.licence), st["h2"]), Paragraph(_t(content.licence), st["body"])]))
    out.append(KeepTogether([Paragraph(_t(lab.citation), st["h2"]), Paragraph(_t(content.citation), st["body"])]))
    return out


def _tiny_table(table, width: float, st) -> Table:
    data = [[Paragraph(_t(h), st["tiny_head"]) for h in table.headers]]
    data += [[Paragraph(_t(c), st["tiny"]) for c in row] for row in table.rows]
    first = width * (0.2 if len(table.headers) > 1 else 1.0)    # the year column is narrow
    rest = [(width - first) / (len(table.headers) - 1)] * (len(table.headers) - 1)
    out = Table(data, colWidths=[first, *rest], repeatRows=1)
    out.setStyle(_table_style([("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(style.BRAND)),
                             ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor(style.RULE)),
                             ("LEFTPADDING", (0, 0), (-1, -1), 1.5), ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
                             ("TOPPADDING", (0, 0), (-1, -1), 0.8), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8)]))
    return out


def _caption(text: str, width: float, st) -> Table:
    """The chart's name in a box two lines high, so every chart block has the same height and
    the three columns line up like a grid."""
    box = Table([[Paragraph(_t(text), st["caption"])]], colWidths=[width],
                rowHeights=[2 * st["caption"].leading + 1.5 * mm])
    box.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0.8 * mm)]))
    return box


def _chart_flowables(content: ReportContent, charts: ChartSet, st, width: float) -> list:
    lab = content.labels
    out: list = [Paragraph(_t(lab.charts), st["h2"])]
    if charts.unavailable:
        out.append(Paragraph(_t(lab.charts_unavailable), st["small"]))
    out.append(FrameBreak())
    img_h = width * CHART_HEIGHT_PX / CHART_WIDTH_PX
    for row, image in zip(content.rows, charts.images):
        if row.chart is None or image is None:
            continue
        caption = _caption(row.name, width, st)
        if image.png is not None:
            out.append(KeepTogether([caption, Image(io.BytesIO(image.png), width=width, height=img_h),
                                     Spacer(1, 2 * mm)]))
        else:
            out.append(caption)
            if not charts.unavailable:
                out.append(Paragraph(_t(lab.chart_failed), st["small"]))
            out += [_tiny_table(row.chart.table, width, st), Spacer(1, 2.5 * mm)]
    return out


def _templates(content: ReportContent) -> list[PageTemplate]:
    deco = _page_decoration(content)
    body_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    main = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, body_h, id="body", leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0)
    col_w = (BODY_W - (CHART_COLUMNS - 1) * COLUMN_GAP) / CHART_COLUMNS
    head_h = 12 * mm

    def columns(height: float) -> list[Frame]:
        return [Frame(MARGIN_X + i * (col_w + COLUMN_GAP), MARGIN_BOTTOM, col_w, height, id=f"col{i}",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0) for i in range(CHART_COLUMNS)]
    head = Frame(MARGIN_X, MARGIN_BOTTOM + body_h - head_h, BODY_W, head_h, id="charthead", leftPadding=0,
                 rightPadding=0, topPadding=0, bottomPadding=0)
    return [PageTemplate("main", [main], onPage=deco),
            PageTemplate("charts-first", [head, *columns(body_h - head_h)], onPage=deco),
            PageTemplate("charts", columns(body_h), onPage=deco)]


def render_pdf(content: ReportContent, *, charts: ChartSet | None = None, renderer: ChartRenderer | None = None,
               chromium: str | os.PathLike | None = None) -> bytes:
    """The report as PDF bytes. `charts` (from charts_png.render_charts) may be passed when the
    same pictures go into a Word file too; otherwise they are rendered here with `renderer`
    (default: the process-wide warm one) or the given Chromium."""
    register_fonts()
    if charts is None:
        charts = render_charts(content.rows, renderer, chromium=chromium)
    st = _styles()
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                          bottomMargin=MARGIN_BOTTOM, title=plain_text(content.title),
                          author=plain_text(content.labels.product), subject=plain_text(content.summary),
                          creator=plain_text(content.labels.product), lang=content.language,
                          initialFontName=FONT)     # else each page starts in a non-embedded Helvetica
    doc.addPageTemplates(_templates(content))
    story = [Paragraph(_t(content.title), st["title"]),
             Paragraph(_t(f"{content.labels.municipality_code} {content.municipality_code} · "
                          f"{content.labels.date} {content.date}"), st["meta"]),
             _summary_box(content, st), Spacer(1, 1 * mm), _highlights(content, st),
             Paragraph(_t(content.labels.indicators), st["h2"]), _indicator_table(content, st),
             *_closing(content, st)]
    if content.charted_rows():
        col_w = (BODY_W - (CHART_COLUMNS - 1) * COLUMN_GAP) / CHART_COLUMNS
        story += [NextPageTemplate("charts-first"), PageBreak(), NextPageTemplate("charts"),
                  *_chart_flowables(content, charts, st, col_w)]
    page_label = content.labels.page

    class Numbered(_NumberedCanvas):
        pass
    Numbered.page_label = page_label
    doc.build(story, canvasmaker=Numbered)
    return buf.getvalue()
