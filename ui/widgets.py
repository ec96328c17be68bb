"""Widgets the pages share (the pickers have their own module, ui/pickers.py): tables with their
CSV/XLSX downloads, charts (offline, named PNG downloads), verdict/direction/target badges (icon
and text, never colour alone), the demo banner, source lines and error rendering. Imports
ui.state, ui.loaders and indicators/; never ui.session.
"""
from __future__ import annotations

import textwrap
from html import escape

import plotly.graph_objects as go
import streamlit as st

from indicators.publish import report
from indicators.publish.charts_png import shared_renderer
from indicators.errors import GNError, PermissionDenied, StoreError, StoreLocked
from indicators.text import numbers
from indicators.text.tables import to_excel_csv, to_xlsx
from indicators.views.jamfor import LARGE_DIFFERENCE
from indicators.views.snapshot import source_text
from ui import a11y, loaders
from ui.state import lang, tr

PLOTLY_CONFIG = {"topojsonURL": "app/static/", "displaylogo": False}

VERDICT_ICONS = {"right": ":material/check_circle:", "wrong": ":material/cancel:",
                 "unchanged": ":material/remove_circle:", "insufficient": ":material/help:"}
VERDICT_COLOURS = {"right": "green", "wrong": "red", "unchanged": "gray", "insufficient": "gray"}
DIRECTION_ICONS = {"improving": ":material/trending_up:", "worsening": ":material/trending_down:",
                   "no_clear_change": ":material/trending_flat:", "insufficient": ":material/more_horiz:"}
TARGET_ICONS = {"achieved": ":material/flag:", "on_track": ":material/check_circle:",
                "off_track": ":material/warning:", "uncertain": ":material/help:", "not_applicable": ":material/block:"}
TARGET_COLOURS = {"achieved": "green", "on_track": "green", "off_track": "orange", "uncertain": "gray",
                  "not_applicable": "gray"}


# ------------------------------------------------------------------ expanders bound to the URL

def remember_opened(key: str, indicator_id: str) -> None:
    """Expander callback: the opened indicator goes into ?indikator= so a copied link reopens it."""
    if st.session_state.get(key):
        st.query_params["indikator"] = indicator_id
    elif st.query_params.get("indikator") == indicator_id:
        del st.query_params["indikator"]


# ------------------------------------------------------------------ banners, badges, errors

def demo_banner(shown: bool) -> None:
    """Shown wherever demo values are on screen."""
    if shown:
        st.warning(f"**{tr('banner.demo')}**  \n{tr('banner.demo_detail')}", icon="⚠️")


def state_style(kind: str, code: str) -> tuple[str, str]:
    """(material icon, colour name) for a verdict, direction or target state: shown with text."""
    if kind == "verdict":
        return VERDICT_ICONS.get(code, ":material/help:"), VERDICT_COLOURS.get(code, "gray")
    if kind == "direction":
        return (DIRECTION_ICONS.get(code, ":material/more_horiz:"),
                {"improving": "green", "worsening": "red"}.get(code, "gray"))
    return TARGET_ICONS.get(code, ":material/help:"), TARGET_COLOURS.get(code, "gray")


def state_badge(kind: str, code: str, text: str) -> None:
    """A verdict/direction/target state as icon AND text (never colour alone)."""
    icon, colour = state_style(kind, code)
    st.markdown(f":{colour}[{icon} {text}]")


def tile_value(number: str, unit: str, lang_code: str, help: str | None = None) -> None:
    """A tile's key figure: the number large, its unit smaller beside it, wrapping between words and
    after a '/' ("661 kWh/" "årsarbetare") instead of being cut with "…" as st.metric cuts it
    (style: ui/a11y.py). English writes a percent sign without a space ('43%')."""
    joiner = "" if unit == "%" and lang_code == "en" else " "
    unit_html = escape(unit).replace("/", "/<wbr>")
    st.markdown(f'<p class="{a11y.TILE_VALUE_CLASS}"><span class="gn-num">{escape(number)}</span>{joiner}'
                f'<span class="gn-unit">{unit_html}</span></p>', unsafe_allow_html=True, help=help)


def scorecard_lead(overview: dict, lead: dict) -> None:
    """The Kommun scorecard's first lines: the sentence on what goes best and worst (what it leaves
    out said under it), then position and direction side by side as two labelled things."""
    parts = [f'<p class="gn-sc-sentence">{escape(overview["sentence"])}</p>']
    if overview["left_out"]:
        parts.append(f'<p class="gn-sc-small">{escape(overview["left_out"])}</p>')
    parts.append(f'<p class="gn-sc-lead"><strong>{escape(lead["position_label"])}:</strong> {escape(lead["position"])}'
                 f'<br><strong>{escape(lead["direction_label"])}:</strong> {escape(lead["direction"])}</p>')
    with st.container(key="kommun.sentence"):
        st.html("".join(parts))


def source_caption(ind, computed: bool = True) -> None:
    """Name the source of a figure (Kolada, with the original producer, when its values are Kolada's),
    and say when the figure is our own computation."""
    st.caption(tr("common.source_line", source=loaders.cached(source_text, ind.id, lang()),
                  computed=tr("common.computed_by_us") if computed else ""))


def show_error(exc: GNError) -> None:
    """One place that renders the errors a user can cause; never a traceback."""
    if isinstance(exc, StoreLocked):
        st.error(tr("error.store_locked", holder=exc.params.get("holder", "?")))
    elif isinstance(exc, StoreError):
        st.error(tr("error.store_error", detail=str(exc)))
    elif isinstance(exc, PermissionDenied):
        st.error(tr("error.permission", detail=str(exc)))
    else:
        st.error(tr("error.generic", detail=str(exc)))


def show_domain_error(exc: GNError) -> None:
    """A typed error in the UI language when its key has a string; else the generic renderer."""
    try:
        st.error(tr(exc.key, **exc.params))
    except (KeyError, IndexError):
        show_error(exc)


# ------------------------------------------------------------------ tables and downloads

@st.cache_data(show_spinner=False, max_entries=128)
def _export_bytes(frame, kind: str) -> bytes:
    """Export once per distinct table: building an XLSX costs ~50 ms, a rerun must not pay it."""
    return to_excel_csv(frame) if kind == "csv" else to_xlsx(frame)


def download_buttons(frame, basename: str, key: str) -> None:
    """CSV for Swedish Excel and XLSX of exactly the table shown."""
    with st.container(horizontal=True):
        st.download_button(tr("download.csv"), _export_bytes(frame, "csv"), f"{basename}.csv", "text/csv",
                           key=f"{key}.csv", icon=":material/download:")
        st.download_button(tr("download.xlsx"), _export_bytes(frame, "xlsx"), f"{basename}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}.xlsx",
                           icon=":material/download:")


def _number(value, decimals, lg: str) -> str:
    """A number in the UI language; decimals None: as many as the value has (at most 2)."""
    if decimals is not None:
        return numbers.format_number(value, lg, decimals)
    text = numbers.format_number(value, lg, 2)
    sep = "," if lg == "sv" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text


def _styler(frame, decimals: dict | None):
    """Display values for the UI language: decimal numbers formatted, every missing value a dash
    (never "None" or "nan"); the data underneath stays numbers, so sorting still works."""
    styler, lg = frame.style.hide(axis="index").format(na_rep="–"), lang()
    floats = [c for c in frame.columns if frame[c].dtype.kind == "f"]
    for col in floats:
        dec = (decimals or {}).get(col)
        styler = styler.format(lambda v, d=dec: _number(v, d, lg), subset=[col], na_rep="–")
    return styler


def table(frame, key: str, decimals: dict | None = None, height="auto", column_config: dict | None = None,
          row_height: int | None = None) -> None:
    """A sortable table with numbers formatted in the UI language (sorting uses the numbers)."""
    st.dataframe(_styler(frame, decimals), key=key, hide_index=True, height=height, placeholder="–",
                 column_config=column_config, row_height=row_height)


WRAP_MIN_ROW_HEIGHT = 65        # Streamlit wraps the text of a cell only in rows taller than 4rem


def wrapped_table(frame, key: str, wide: dict[str, int], decimals: dict | None = None) -> None:
    """A table whose long text columns wrap instead of being cut: `wide` gives those columns a
    width in pixels; rows grow to the longest text (a few lines at most, then it scrolls)."""
    chars_per_line = {col: max(20, width // 7) for col, width in wide.items()}
    lines = max([1] + [-(-len(str(v)) // chars_per_line[col]) for col in wide for v in frame[col].dropna()])
    config = {col: st.column_config.TextColumn(width=width) for col, width in wide.items()}
    table(frame, key, decimals, column_config=config, row_height=max(WRAP_MIN_ROW_HEIGHT, min(lines, 6) * 21 + 14))


FLAG_SHADES = {"better": "#dcefe3", "worse": "#fbe0d2", "no_data": "#eeeeee"}    # light: dark text stays ≥ 4.5:1
GOOD_END, BAD_END = (127, 200, 160), (244, 165, 130)    # the diverging scale's ends: green better, orange worse


def diverging_shade(score: float | None) -> str:
    """A background on the good→bad scale: white at the median, greener the better (score > 0,
    1 = 100 % better than the median), more orange the worse; '' without a score. Always light
    enough for dark text; the words in the flag column say the same (never colour alone)."""
    if score is None:
        return ""
    s = max(-1.0, min(1.0, float(score)))
    end = GOOD_END if s > 0 else BAD_END
    r, g, b = (round(255 + (c - 255) * abs(s)) for c in end)
    return f"background-color: #{r:02x}{g:02x}{b:02x}"


def flagged_table(frame, key: str, flags: list[str], scores: list[float | None] | None = None,
                  decimals: dict | None = None, shade_column: str | None = None) -> None:
    """A table whose flagged rows are also shaded: much better than the median green, much worse
    orange, no data grey (the flag column says it in words first); `shade_column` (the difference
    from the median) carries the diverging good→bad scale of every row's score."""
    styler = _styler(frame, decimals)
    if len(frame):
        shades = [FLAG_SHADES.get(f, "") for f in flags]
        styler = styler.apply(lambda col: [f"background-color: {c}" if c else "" for c in shades], axis=0)
        if scores is not None and shade_column in frame.columns:
            styler = styler.apply(lambda col: [diverging_shade(x) for x in scores], axis=0, subset=[shade_column])
    st.dataframe(styler, key=key, hide_index=True, placeholder="–")


def table_twin(frame, basename: str, key: str, decimals: dict | None = None, expanded: bool = False) -> None:
    """The table behind a chart, with CSV/XLSX downloads of exactly that table. Drawn only when
    opened: a formatted table of thousands of rows would cost every rerun ~0.5 s."""
    box = st.expander(tr("common.table_twin"), expanded=expanded, icon=":material/table:", key=f"{key}.open",
                      on_change="rerun")
    if box.open:
        with box:
            table(frame, key=f"{key}.table", decimals=decimals)
            download_buttons(frame, basename, key=f"{key}.download")


def value_decimals(frame, decimals: int) -> dict:
    """{column: decimals} for the float columns of a table (formatted in the UI language)."""
    return {c: decimals for c in frame.columns if frame[c].dtype.kind == "f"}


def large_difference_text() -> str:
    return numbers.format_percent(LARGE_DIFFERENCE * 100, lang())


def percent_text(value: float) -> str:
    """A percentage in the UI language ('50 %' / '50%'), rounded half up."""
    return numbers.format_percent(value, lang())


# ------------------------------------------------------------------ charts

TITLE_LINE_CHARS = 38       # a 17 px chart title line that still fits a 390 px phone
TITLE_LINE_PX = 22          # the height of one more title line


def fit_title(fig) -> dict | object:
    """The figure with a long title broken into lines between words (a Plotly title never wraps:
    on a phone it was cut at the edge), and the top margin grown to hold them. Works on a copy
    (figures come from the cache); a figure whose title fits is returned as it is."""
    title = fig.layout.title.text or ""
    head, sep, rest = title.partition("<br>")
    if len(head) <= TITLE_LINE_CHARS:
        return fig
    spec = fig.to_dict()
    lines = textwrap.wrap(head, TITLE_LINE_CHARS, break_long_words=False, break_on_hyphens=False)
    layout, extra = spec["layout"], TITLE_LINE_PX * (len(lines) - 1)
    layout["title"]["text"] = "<br>".join(lines) + sep + rest
    layout["margin"] = {**layout.get("margin", {}), "t": layout.get("margin", {}).get("t", 60) + extra}
    if layout.get("height"):
        layout["height"] += extra           # the plot keeps its size; the title gets the room
    # st.plotly_chart refuses a figure *dict* without traces (an empty database): give it a Figure then
    return spec if spec.get("data") else go.Figure(spec)


def plotly_chart(fig, key: str, filename: str, summary: str) -> None:
    """Local topojson (offline), a PNG download named after what is shown, a title that fits a
    phone, and the chart's text alternative: `summary`, the sentence the page shows with the
    chart (ui/a11y.py)."""
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "filename": filename}}
    st.plotly_chart(fit_title(fig), config=config, key=key, width="stretch")
    a11y.label_chart(key, summary)


def sparkline(fig, key: str, summary: str) -> None:
    """A tile's sparkline: a static picture, no toolbar, with its text alternative (ui/a11y.py)."""
    st.plotly_chart(fig, config={"displayModeBar": False, "staticPlot": True}, key=key, width="stretch")
    a11y.label_chart(key, summary)


def chart_filename(indicator_id: str, kommuner) -> str:
    """A PNG/CSV file name that names the indicator and the municipalities shown."""
    labels = loaders.municipality_labels()
    names = [labels.get(k, k).replace(" (", "_").replace(")", "").replace(" ", "-") for k in kommuner][:4]
    return "_".join(["gronanyckeltal", indicator_id, *names])


def report_buttons(kod: str) -> None:
    """"Ladda ner rapport (PDF)" and "(Word)" for the municipality on screen: the same file as
    `python -m indicators report`, made when the button is clicked (a few seconds), with the
    dashboard's own charts drawn by the server's warm renderer."""
    snap, comments, lg = loaders.snapshot_now(), loaders.comments(kod), lang()
    with st.container(horizontal=True):
        for fmt in report.FORMATS:
            st.download_button(
                tr(f"kommun.report_{fmt}"),
                lambda fmt=fmt: report.report_file(snap, kod, fmt, lg, comments, renderer=shared_renderer()),
                report.file_name(snap, kod, fmt, lg), report.MIME[fmt], key=f"kommun.report.{fmt}",
                icon=":material/picture_as_pdf:" if fmt == "pdf" else ":material/description:", on_click="ignore")
