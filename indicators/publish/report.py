"""The politician's municipality report: its content built from the dashboard's own views (the
Kommun page's scorecard, positions and trend charts, over one Snapshot), and the PDF or Word file
made from it. The CLI (`python -m indicators report`) and the Kommun page's download buttons call
`report_file`, so both give the same file. Above the views layer: imports views, text and the
renderers beside it; never streamlit.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from pathlib import Path

import pandas as pd
from babel.dates import format_date

from indicators.publish import docx, pdf
from indicators.publish.charts_png import ChartRenderer, render_charts
from indicators.publish.content import (Chart, Comment, Highlight, IndicatorRow, ReportContent, Source, Table,
                                        labels_from, plain_text)
from indicators.text.i18n import t
from indicators.text.labels import theme_name
from indicators.text.numbers import format_number
from indicators.views.kommun import scorecard
from indicators.views.kommun_scorecard import best_worst, lead, scorecard_rows
from indicators.views.snapshot import Snapshot, has_demo, kommun_name, source_text
from indicators.views.trend_chart import chart_table, kommun_figure

FORMATS = ("pdf", "docx")
MIME = {"pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
HIGHLIGHTS = 3


def _cell(value, decimals: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, lang, decimals) if isinstance(value, float) else str(value)
    return plain_text(str(value))


def _table(frame: pd.DataFrame, decimals: int, lang: str) -> Table:
    rows = tuple(tuple(_cell(v, decimals, lang) for v in row) for row in frame.itertuples(index=False))
    return Table(tuple(str(c) for c in frame.columns), rows)


def _highlights(snap: Snapshot, kommun: str, lang: str) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...]]:
    """Best and weakest three by the municipality's position among the members reporting the same
    complete year, ranked as the Kommun page's sentence ranks them (preliminary and stale values never
    count; between equal positions, the rank shared by fewer municipalities first)."""
    compared = [r for r in scorecard_rows(snap, kommun, lang) if r["compared"]]
    cards = {c["id"]: c for c in scorecard(snap, kommun, lang)}

    def one(r) -> Highlight:
        card = cards[r["id"]]
        return Highlight(card["name"], f"{card['rank']} · {card['value']} ({card['year']})")
    best = sorted(compared, key=lambda r: (-r["position"], r["rank_place"][2]))[:HIGHLIGHTS]
    rest = [r for r in compared if r not in best]
    weakest = sorted(rest, key=lambda r: (r["position"], r["rank_place"][2]))[:HIGHLIGHTS]
    return tuple(map(one, best)), tuple(map(one, weakest))


def _summary(snap: Snapshot, kommun: str, lang: str) -> str:
    """The Kommun page's first screen in words: what goes best and worst among the members reporting
    the same complete year, then position and direction as two labelled things (a count of
    "right way" alone would hide a low position)."""
    rows = scorecard_rows(snap, kommun, lang)
    lead_ = lead(snap, kommun, lang, rows)
    return (f"{best_worst(snap, kommun, lang, rows)['sentence']} {lead_['position_label']}: {lead_['position']}. "
            f"{lead_['direction_label']}: {lead_['direction']}.")


def _sources(snap: Snapshot, lang: str) -> tuple[Source, ...]:
    by_source: dict[str, list[str]] = {}
    for ind in snap.catalog:
        by_source.setdefault(source_text(snap, ind.id, lang), []).append(ind.id)   # Kolada's values name Kolada
    own = Source(t("publish.own_source", lang), t("publish.own_source_detail", lang), own_calculation=True)
    return (*[Source(name, ", ".join(ids)) for name, ids in by_source.items()], own)


def build_report(snap: Snapshot, kommun: str, lang: str, comments: dict[str, str] | None = None,
                 today: dt.date | None = None, with_charts: bool = True) -> ReportContent:
    """Everything the report says, in `lang`, from the same view functions as the Kommun page."""
    today = today or dt.date.today()
    name = kommun_name(snap, kommun)
    rows = []
    for card in scorecard(snap, kommun, lang):
        if not card["has_value"]:
            continue
        ind = snap.catalog[card["id"]]
        chart = None
        if with_charts:
            twin = chart_table(snap, ind.id, (kommun,), lang)
            if set(snap.current.loc[(snap.current["kommunkod"] == kommun)
                                    & (snap.current["indicator_id"] == ind.id), "source_kind"]) <= {"demo", "reported"}:
                twin = twin.iloc[:, :4]  # demo is said on every page, reported needs no mark: keep it narrow
            chart = Chart(kommun_figure(snap, kommun, ind.id, lang), _table(twin, ind.decimals + 1, lang),
                          alt=plain_text(card["summary"]))
        rows.append(IndicatorRow(
            theme=theme_name(ind.theme, lang), indicator_id=ind.id, name=card["name"], value=card["value"],
            year=str(card["year"]), verdict=card["sentence"], verdict_code=card["verdict"],
            direction=t(f"direction.{card['direction']}", lang), direction_code=card["direction"],
            target=card["target"], target_code=card["target_status"], rank=card["rank"] or "–",
            notes=tuple(card.get("notes", ())) + ((card["provenance_note"],) if card.get("provenance_note") else ()),
            chart=chart))
    best, weakest = _highlights(snap, kommun, lang)
    catalog = snap.catalog
    notes = tuple(Comment(catalog[i].name(lang) if i in catalog else i, plain_text(text))
                  for i, text in (comments or {}).items())
    date_text = format_date(today, format="long", locale="sv_SE" if lang == "sv" else "en_GB")
    return ReportContent(
        municipality=name, municipality_code=kommun, date=date_text, language=lang,
        title=t("publish.title", lang, name=name, year=today.year), summary=_summary(snap, kommun, lang),
        rows=tuple(rows), best=best, weakest=weakest, comments=notes, sources=_sources(snap, lang),
        licence=t("publish.licence_text", lang), citation=t("publish.citation_text", lang, date=today.isoformat()),
        labels=labels_from(lambda key: t(key, lang)), demo=has_demo(snap, None, (kommun,)))


def report_file(snap: Snapshot, kommun: str, fmt: str, lang: str, comments: dict[str, str] | None = None,
                renderer: ChartRenderer | None = None, chromium: str | None = None,
                today: dt.date | None = None) -> bytes:
    """The report as PDF or Word bytes. Charts are the dashboard's own Plotly figures rendered by
    kaleido (a warm `renderer` when given); without a Chromium the report holds tables instead."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {FORMATS}")
    content = build_report(snap, kommun, lang, comments, today)
    charts = render_charts(content.rows, renderer, chromium=chromium)
    render = pdf.render_pdf if fmt == "pdf" else docx.render_docx
    return render(content, charts=charts)


def file_name(snap: Snapshot, kommun: str, fmt: str, lang: str, today: dt.date | None = None) -> str:
    """gronanyckeltal_1490_Boras_2026-11-30.pdf: names the municipality and the day."""
    today = today or dt.date.today()
    ascii_name = unicodedata.normalize("NFKD", kommun_name(snap, kommun)).encode("ascii", "ignore").decode()
    plain = "".join(ch if ch.isalnum() else "-" for ch in ascii_name).strip("-")
    word = "rapport" if lang == "sv" else "report"
    return f"gronanyckeltal_{word}_{kommun}_{plain}_{today.isoformat()}.{fmt}"


def write_reports(snap: Snapshot, kommuner: list[str], fmt: str, lang: str, out_dir: Path,
                  comments_of, renderer: ChartRenderer | None = None) -> list[Path]:
    """One file per municipality in out_dir (the CLI's --all-members); comments_of(kod) -> dict."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kod in kommuner:
        path = out_dir / file_name(snap, kod, fmt, lang)
        path.write_bytes(report_file(snap, kod, fmt, lang, comments_of(kod), renderer))
        paths.append(path)
    return paths

