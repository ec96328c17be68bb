"""The content of a municipality report, already translated: plain typed dataclasses.

Owns the shape both renderers (pdf.py, docx.py) read, and `plain_text`, the one cleaner every
user-written string passes through before it reaches a file. Every string here is final text in
the report's language (numbers already formatted, "1 234,5 %"); the renderers add no words of
their own except what `ReportLabels` carries. Comments are the reporter's own words: plain text,
never markup; the renderers escape them. The only non-standard-library import is a Plotly figure
type for the optional chart. Must not import streamlit, the store, or the renderers.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Codes as the trend engine names them; a renderer uses them for a symbol and colour, always
# shown next to the text, never instead of it.
VERDICT_CODES = ("right", "wrong", "unchanged", "insufficient")
DIRECTION_CODES = ("improving", "worsening", "no_clear_change", "insufficient")
TARGET_CODES = ("achieved", "on_track", "off_track", "uncertain", "not_applicable", "insufficient", "no_target")

# XML 1.0 forbids C0 controls other than tab/newline/CR; Word and PDF text layers choke on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def plain_text(text: str | None) -> str:
    """User text made safe to place in a document as text: control characters removed,
    line ends normalised to \\n. Markup is left as the literal characters it is."""
    if not text:
        return ""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Table:
    """A small table of final text: the table twin of a chart (shown when no image can be made)."""
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"table row {row!r} has {len(row)} cells, the header {len(self.headers)}")


@dataclass(frozen=True)
class Chart:
    """A dashboard figure with the table behind it. The table replaces the image when Chromium
    is missing or the export fails, so the report never loses the numbers."""
    figure: go.Figure
    table: Table
    alt: str = ""            # one line describing the chart, used as the image's alt text


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator for the municipality, every field final text (codes next to their text)."""
    theme: str                       # "Klimat"
    indicator_id: str                # "GN.1a"
    name: str                        # "Växthusgasutsläpp"
    value: str                       # "4,2 ton CO₂e/person" (number with unit)
    year: str                        # "2023"
    verdict: str                     # "Utvecklingen går åt rätt håll sedan 2014"
    verdict_code: str                # one of VERDICT_CODES
    direction: str                   # "Förbättras de senaste åren"
    direction_code: str              # one of DIRECTION_CODES
    target: str                      # "Nationellt mål: 1,0 ton år 2045. Inte i fas mot målet." or ""
    target_code: str                 # one of TARGET_CODES
    rank: str                        # "delad plats 1 av 90 (54 kommuner)"
    notes: tuple[str, ...] = ()      # ("preliminärt", "inaktuellt")
    chart: Chart | None = None

    def __post_init__(self) -> None:
        for name, code, allowed in (("verdict_code", self.verdict_code, VERDICT_CODES),
                                    ("direction_code", self.direction_code, DIRECTION_CODES),
                                    ("target_code", self.target_code, TARGET_CODES)):
            if code not in allowed:
                raise ValueError(f"{self.indicator_id}: {name} {code!r} is not one of {allowed}")


@dataclass(frozen=True)
class Highlight:
    """One of the best three or weakest three: the indicator and why it is there."""
    name: str                        # "Ekologiska livsmedel"
    detail: str                      # "plats 2 av 54 · 45,5 % (2023)"


@dataclass(frozen=True)
class Comment:
    """A reporter's comment, as they wrote it: plain text, possibly hostile."""
    subject: str                     # the indicator's name, or a general heading
    text: str


@dataclass(frozen=True)
class Source:
    """Where figures come from. `own_calculation` marks what Gröna nyckeltal computed itself
    (averages, verdicts, ranks), so it is never presented as the official source's."""
    name: str                        # "Naturvårdsverket, nationella emissionsdatabasen"
    detail: str = ""                 # "GN.1a, GN.1b" or a URL as text
    own_calculation: bool = False


@dataclass(frozen=True)
class ReportLabels:
    """Every fixed word the renderers print, in the report's language (from the locale files).
    `page` has {page} and {pages}; the others are plain text."""
    product: str                     # "Gröna nyckeltal"
    report_kind: str                 # "Kommunrapport"
    municipality_code: str           # "Kommunkod"
    date: str                        # "Datum"
    demo: str                        # "Demodata – inte officiella siffror"
    page: str                        # "Sida {page} av {pages}"
    best: str                        # "Bäst tre"
    weakest: str                     # "Svagast tre"
    indicators: str                  # "Alla nyckeltal"
    col_indicator: str               # "Nyckeltal"
    col_value: str                   # "Värde (år)"
    col_verdict: str                 # "Sedan basåret"
    col_direction: str               # "Senaste åren"
    col_target: str                  # "Mål"
    col_rank: str                    # "Plats"
    charts: str                      # "Diagram"
    charts_unavailable: str          # one line: why tables stand where charts would be
    chart_failed: str                # one line: this one chart could not be drawn
    comments: str                    # "Kommunens kommentarer"
    comments_note: str               # "Kommentarerna är kommunens egna ..."
    no_comments: str                 # "Inga kommentarer."
    sources: str                     # "Källor"
    own_calculation: str             # "beräknat av Gröna nyckeltal"
    licence: str                     # "Licens"
    citation: str                    # "Så citerar du"


LABEL_PREFIX = "publish."


def labels_from(translate: Callable[[str], str]) -> ReportLabels:
    """ReportLabels with every field looked up under `publish.<field>` in the locale files, e.g.
    `labels_from(lambda key: t(key, lang))`. `page` keeps its {page}/{pages} placeholders: pass
    a translate that leaves text without parameters unformatted (i18n.t does)."""
    return ReportLabels(**{f.name: translate(LABEL_PREFIX + f.name) for f in fields(ReportLabels)})


@dataclass(frozen=True)
class ReportContent:
    """A whole report for one municipality in one language, ready to render."""
    municipality: str                # "Ekokommun"
    municipality_code: str           # "1490"
    date: str                        # "30 november 2026" (already formatted)
    language: str                    # "sv" | "en" (document language metadata)
    title: str                       # "Gröna nyckeltal 2026 – Borås"
    summary: str                     # one sentence
    rows: tuple[IndicatorRow, ...]
    best: tuple[Highlight, ...]
    weakest: tuple[Highlight, ...]
    comments: tuple[Comment, ...]
    sources: tuple[Source, ...]
    licence: str
    citation: str
    labels: ReportLabels
    demo: bool = False

    def __post_init__(self) -> None:
        if self.language not in ("sv", "en"):
            raise ValueError(f"language {self.language!r} is not 'sv' or 'en'")

    def themes(self) -> list[tuple[str, list[IndicatorRow]]]:
        """The rows grouped by theme, in first-seen order (the catalogue's order)."""
        groups: dict[str, list[IndicatorRow]] = {}
        for row in self.rows:
            groups.setdefault(row.theme, []).append(row)
        return list(groups.items())

    def charted_rows(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.chart is not None]
