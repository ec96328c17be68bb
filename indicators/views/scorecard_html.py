"""The Kommun scorecard drawn as HTML: pure builders, rows in (kommun_scorecard.scorecard_rows),
markup out. One markup serves both screens: the style sheet (ui/a11y.py, classes `gn-sc-*`) lays
a row out as one line of six cells on a wide screen and as a short card on a phone (value and
verdict first, position and target below).

The sparkline and the position strip are small SVG pictures in <img> tags (data URIs): st.html
sanitises with DOMPurify's HTML profile, which drops inline <svg>, but keeps an <img> with a data
URI and its alt text. The sparkline's alt says what it shows; the strip is decoration (alt="")
because its rank and quartile word stand beside it as text: colour is never the only cue.
Every text is escaped here. Imports views.charts for the shared colours; never streamlit.
"""
from __future__ import annotations

import base64
from html import escape

from indicators.views.charts import NETWORK_COLOUR, PALETTE, break_gaps

SPARK_W, SPARK_H, SPARK_PAD = 140, 36, 3
STRIP_W, STRIP_H, DOT_R = 150, 18, 6
STRIP_SHADES = ("#D55E00", "#E69F00", "#8FD0B0", "#009E73")   # weakest quarter .. best quarter
NO_POSITION_SHADE = "#d9d9d9"
VERDICT_MARKS = {"right": "✓", "wrong": "✗", "unchanged": "=", "insufficient": "…"}


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _path(xs: list, ys: list) -> str:
    """An SVG path through the points, lifted (a new M) wherever a point is None (a series break)."""
    out, pen = [], "M"
    for x, y in zip(xs, ys):
        if x is None or y is None:
            pen = "M"
            continue
        out.append(f"{pen}{x:.1f} {y:.1f}")
        pen = "L"
    return " ".join(out)


def sparkline_svg(spark: dict) -> str:
    """The municipality (solid, its last point marked) against the SEKOM average (dashed) on one
    scale that starts at zero for non-negative figures, so a small change looks small."""
    years = spark["years"] + spark["net_years"]
    values = spark["values"] + spark["net_values"]
    if not years:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_W}" height="{SPARK_H}"></svg>'
    x0, x1 = min(years), max(years)
    lo, hi = min(0.0, min(values)), max(values)
    hi = hi if hi > lo else lo + 1.0

    def sx(x):
        return None if x is None else SPARK_PAD + (x - x0) / max(x1 - x0, 1) * (SPARK_W - 2 * SPARK_PAD)

    def sy(y):
        return None if y is None else SPARK_H - SPARK_PAD - (y - lo) / (hi - lo) * (SPARK_H - 2 * SPARK_PAD)

    parts = []
    for xs_, ys_, style in ((spark["net_years"], spark["net_values"],
                             f'stroke="{NETWORK_COLOUR}" stroke-width="1.5" stroke-dasharray="3 2"'),
                            (spark["years"], spark["values"], f'stroke="{PALETTE[0]}" stroke-width="2"')):
        if xs_:
            gx, gy = break_gaps(xs_, ys_, spark["breaks"])
            parts.append(f'<path d="{_path([sx(x) for x in gx], [sy(y) for y in gy])}" fill="none" {style}/>')
    if spark["years"]:
        parts.append(f'<circle cx="{sx(spark["years"][-1]):.1f}" cy="{sy(spark["values"][-1]):.1f}" r="2.8" '
                     f'fill="{PALETTE[0]}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_W}" height="{SPARK_H}" '
            f'viewBox="0 0 {SPARK_W} {SPARK_H}">{"".join(parts)}</svg>')


def strip_svg(position: float | None) -> str:
    """Four quarters coloured from weakest (left) to best (right) and a black dot with a white ring
    at the position; no position: a grey strip without a dot."""
    quarter = (STRIP_W - 2 * DOT_R) / 4
    top, bar = (STRIP_H - 8) / 2, 8
    rects = []
    for i, shade in enumerate(STRIP_SHADES):
        fill = shade if position is not None else NO_POSITION_SHADE
        rects.append(f'<rect x="{DOT_R + i * quarter + (1 if i else 0):.1f}" y="{top}" width="{quarter - 1:.1f}" '
                     f'height="{bar}" rx="2" fill="{fill}"/>')
    if position is not None:
        cx = DOT_R + max(0.0, min(1.0, position)) * (STRIP_W - 2 * DOT_R)
        rects.append(f'<circle cx="{cx:.1f}" cy="{STRIP_H / 2}" r="{DOT_R}" fill="#111111" stroke="#ffffff" '
                     f'stroke-width="2"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{STRIP_W}" height="{STRIP_H}" '
            f'viewBox="0 0 {STRIP_W} {STRIP_H}">{"".join(rects)}</svg>')


def _label(text: str) -> str:
    return f'<span class="gn-sc-label">{escape(text)}: </span>'


def _row(row: dict, labels: dict[str, str]) -> str:
    note = f'<span class="gn-sc-note">{escape(row["note"])}</span>' if row["note"] else ""
    level = f'gn-level-{row["level"]}' if row["level"] else "gn-level-none"
    since = f' <span class="gn-sc-small">{escape(row["since"])}</span>' if row["since"] else ""
    spark = row["spark"]
    span = f'{spark["years"][0]}–{spark["years"][-1]}' if len(spark["years"]) > 1 else \
        (str(spark["years"][0]) if spark["years"] else "")
    return "".join([
        f'<div class="gn-sc-row {level}" role="listitem" data-indicator="{escape(row["id"])}">',
        f'<div class="gn-sc-name">{escape(row["name"])}</div>',
        f'<div class="gn-sc-value">{_label(labels["value"])}<strong>{escape(row["value"])}</strong> '
        f'<span class="gn-sc-small">{row["year"]}</span>{note}</div>',
        f'<div class="gn-sc-verdict gn-v-{escape(row["verdict"])}">{_label(labels["direction"])}'
        f'<span aria-hidden="true" class="gn-sc-mark">{VERDICT_MARKS.get(row["verdict"], "")}</span> '
        f'{escape(row["direction_text"])}{since}</div>',
        f'<div class="gn-sc-spark"><img src="{data_uri(sparkline_svg(spark))}" alt="{escape(spark["alt"])}" '
        f'width="{SPARK_W}" height="{SPARK_H}"><span class="gn-sc-small">{span}</span></div>',
        f'<div class="gn-sc-pos">{_label(labels["position"])}'
        f'<img class="gn-sc-strip" src="{data_uri(strip_svg(row["position"]))}" alt="" width="{STRIP_W}" '
        f'height="{STRIP_H}"><span class="gn-sc-level">{escape(row["level_text"])}</span> '
        f'<span class="gn-sc-rank">{escape(row["rank_text"])}</span></div>',
        f'<div class="gn-sc-target gn-t-{escape(row["target_status"])}">{_label(labels["target"])}'
        f'{escape(row["target"])}</div>',
        "</div>"])


def render(rows: list[dict], labels: dict[str, str], aria_label: str) -> str:
    """The whole scorecard: column heads for a wide screen (hidden from screen readers and on a
    phone: every cell carries its own label, read aloud and shown in the cards), then a list of rows."""
    heads = "".join(f'<span class="gn-sc-h-{k}">{escape(labels["head_" + k])}</span>'
                    for k in ("name", "value", "trend", "position", "direction", "target"))
    body = "".join(_row(r, labels) for r in rows)
    return (f'<div class="gn-sc-wrap"><div class="gn-sc-head" aria-hidden="true">{heads}</div>'
            f'<div class="gn-sc" role="list" aria-label="{escape(aria_label)}">{body}</div></div>')
