"""Plotly figure builders: plain data in, a figure out. Pure functions, no database, no UI.

Every figure has a title, language-correct number separators ("1 234,5" in Swedish),
and never encodes meaning by colour alone: source kinds differ by marker symbol and
legend entry, target lines are dashed and labelled, bands carry their label as text,
verdict bars carry a pattern and a text label. Our own computations (the SEKOM average,
the target path) say "Beräknat av Gröna nyckeltal" in their legend or hover. No UI imports.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.text import provenance
from indicators.text.numbers import format_number, format_percent, format_value
from indicators.text.i18n import t

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
NETWORK_COLOUR = "#6b6b6b"
TARGET_COLOUR = "#7a1f5c"
SEQUENTIAL = "Viridis"          # perceptually uniform and colour-blind safe
NON_MEMBER_FILL = "#f0f0f0"     # neutral greys: outside every viridis colour
NO_DATA_FILL = "#b8b8b8"
STALE_FILL = "#8c8c8c"          # a member whose latest value is years old: darker grey, own legend entry
BREAK_COLOUR = "#444444"
SOURCE_SYMBOLS = {"reported": "circle", "central": "circle", "imported": "circle",
                  "imputed": "diamond-open", "demo": "square-open", "kolada": "circle",
                  "kolada_county": "triangle-up-open", "kolada_derived": "circle-open"}
VERDICT_STYLE = {   # verdict -> (colour, bar pattern); the pattern keeps it readable without colour
    "right": ("#009E73", ""), "unchanged": ("#9e9e9e", "."), "wrong": ("#D55E00", "/"),
    "insufficient": ("#e8e8e8", "x")}
BAND_SHADES = ("#D55E00", "#E69F00", "#F0E442", "#56B4E9", "#009E73")   # worst .. best, drawn faint
FONT = {"family": "Source Sans, sans-serif", "size": 14}


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators per language."""
    return ", " if lang == "sv" else ".,"


def _pct_suffix(lang: str) -> str:
    return " %" if lang == "sv" else "%"


def _d3(decimals: int) -> str:
    return f",.{max(int(decimals), 0)}f"


def value_texts(values, unit: str, decimals: int, lang: str) -> list[str]:
    """The values as the shared formatter writes them (rounded half up, '49 %' / '49%'): hover
    and labels show this text, never plotly's own rounding (half to even on the binary value)."""
    return [format_value(v, unit, lang, decimals) if v is not None and not (isinstance(v, float) and math.isnan(v))
            else "" for v in values]


def break_gaps(years: Sequence, values: Sequence, break_years: Iterable[int]) -> tuple[list, list]:
    """x and y with a gap (None) wherever a series break falls between two points, so a line is
    never drawn across a change of definition."""
    cuts = sorted({int(b) for b in break_years})
    xs, ys = [], []
    prev = None
    for x, y in zip(years, values):
        if prev is not None and any(prev < b <= x for b in cuts):
            xs.append(None)
            ys.append(None)
        xs.append(x)
        ys.append(y)
        prev = x
    return xs, ys


def mark_breaks(fig: go.Figure, breaks: Sequence[dict], lang: str) -> None:
    """A dotted line between the last year before and the first year of each new definition, its
    label above the plotting area: the mark never covers a data point."""
    for br in breaks:
        fig.add_vline(x=br["year"] - 0.5, line={"dash": "dot", "color": BREAK_COLOUR, "width": 1})
        fig.add_annotation(x=br["year"] - 0.5, y=1, xref="x", yref="paper", yanchor="bottom", xanchor="center",
                           showarrow=False, text=t("chart.series_break", lang, year=int(br["year"])),
                           font={"size": 11, "color": BREAK_COLOUR}, bgcolor="rgba(255,255,255,0.9)")


def base_layout(fig: go.Figure, title: str, lang: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}}, separators=separators(lang),
        height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10}, font=FONT, template="plotly_white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "xanchor": "left"},
        hovermode="closest")
    return fig


def _value_range(values: Iterable[float], zero_based: bool = True) -> tuple[float, float]:
    vals = [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vals:
        return 0.0, 1.0
    lo, hi = min(vals), max(vals)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
    if not zero_based:
        return lo - pad, hi + pad
    return (0.0 if lo >= 0 else lo - pad), hi + pad     # non-negative figures start at zero: no truncated axis


def _add_bands(fig, bands: Sequence[dict], y_range: tuple[float, float], better: str, lang: str, row=None,
               col=None) -> None:
    """Faint horizontal band backgrounds, each labelled with its name (not colour alone)."""
    n = len(bands)
    for i, band in enumerate(bands):
        lo = y_range[0] if band.get("low") is None else max(band["low"], y_range[0])
        hi = y_range[1] if band.get("high") is None else min(band["high"], y_range[1])
        if hi <= lo:
            continue
        rank = i if better == "higher" else n - 1 - i      # 0 = worst
        shade = BAND_SHADES[round(rank * (len(BAND_SHADES) - 1) / max(n - 1, 1))]
        kwargs = {"row": row, "col": col} if row else {}
        fig.add_hrect(y0=lo, y1=hi, fillcolor=shade, opacity=0.09, line_width=0, layer="below",
                      annotation_text=band["label"], annotation_position="top left",
                      annotation_font={"size": 11, "color": "#555"}, **kwargs)


def _add_source_markers(fig, sub: pd.DataFrame, colour: str, seen: set, name: str, unit: str,
                        decimals: int, lang: str) -> None:
    """One marker trace per kind of value (source kind, or Kolada provenance: county value, derived),
    each with its legend entry; the hover names the source and, for Kolada, the KPI."""
    prov = sub["provenance"] if "provenance" in sub else pd.Series(None, index=sub.index, dtype=object)
    classes = [provenance.provenance_class(k, p) for k, p in zip(sub["source_kind"], prov)]
    details = [provenance.source_detail(k, p, lang) for k, p in zip(sub["source_kind"], prov)]
    sub = sub.assign(_class=classes, _detail=details)
    for cls, part in sub.groupby("_class", sort=False):
        symbol = SOURCE_SYMBOLS.get(cls, "circle")
        label = provenance.source_label(part["source_kind"].iloc[0], prov[part.index[0]], lang)
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["value"], customdata=part[["_detail"]], mode="markers", name=label,
            legendgroup=f"kind.{cls}", showlegend=cls not in seen,
            marker={"symbol": symbol, "size": 8, "color": colour, "line": {"width": 1.5, "color": colour}},
            text=value_texts(part["value"], unit, decimals, lang),
            hovertemplate=f"<b>{name}</b> %{{x}}: %{{text}}<br>%{{customdata[0]}}<extra></extra>"))
        seen.add(cls)


def _network_traces(fig: go.Figure, network: pd.DataFrame, unit: str, decimals: int, lang: str,
                    break_years: list[int], computed: str) -> list[float]:
    """The SEKOM average: a line with small points (a year alone after a break still shows) over
    the complete years (broken at series breaks) and, apart,
    hollow markers for preliminary years ('preliminär (n = 3 av 94)'), never joined to the line.
    network: year, mean or headline, n; optional members, preliminary, headline_weighted."""
    net = network.sort_values("year")
    col = "headline" if "headline" in net else "mean"
    prelim = net["preliminary"].astype(bool) if "preliminary" in net else pd.Series(False, index=net.index)
    members = net["members"] if "members" in net else net["n"]
    done, early = net[~prelim], net[prelim]
    if len(done):
        latest = done.iloc[-1]
        key = "chart.network_legend_weighted" if bool(latest.get("headline_weighted", False)) else "chart.network_legend"
        xs, ys = break_gaps(list(done["year"]), list(done[col]), break_years)
        texts = value_texts(done[col], unit, decimals, lang)
        custom = []
        it = iter(zip(texts, done["n"], members[~prelim]))
        for x in xs:
            custom.append(["", "", ""] if x is None else list(next(it)))
        fig.add_trace(go.Scatter(
            x=xs, y=ys, customdata=custom, mode="lines+markers", connectgaps=False,
            name=t(key, lang, n=int(latest["n"]), year=int(latest["year"])),
            line={"color": NETWORK_COLOUR, "width": 3, "dash": "solid"}, marker={"size": 5, "color": NETWORK_COLOUR},
            hovertemplate=(f"<b>{t('chart.network', lang)}</b> %{{x}}: %{{customdata[0]}}"
                           f"<br>n = %{{customdata[1]}} ({t('chart.of_members', lang)} %{{customdata[2]}})"
                           f"<br>{computed}<extra></extra>")))
    if len(early):
        labels = [t("chart.preliminary_point", lang, n=int(n), members=int(m))
                  for n, m in zip(early["n"], members[prelim])]
        fig.add_trace(go.Scatter(
            x=early["year"], y=early[col], mode="markers", name=t("chart.network_preliminary", lang),
            marker={"symbol": "circle-open", "size": 10, "color": NETWORK_COLOUR, "line": {"width": 2}},
            text=[f"{v}<br>{lab}" for v, lab in zip(value_texts(early[col], unit, decimals, lang), labels)],
            hovertemplate=f"<b>{t('chart.network', lang)}</b> %{{x}}: %{{text}}<extra></extra>"))
    return list(done[col]) + list(early[col])


def trend_figure(series: pd.DataFrame, *, title: str, unit: str, decimals: int, better: str, lang: str,
                 network: pd.DataFrame | None = None, targets: Sequence[dict] = (),
                 target_path: dict | None = None, bands: Sequence[dict] = (),
                 breaks: Sequence[dict] = (), notes: Sequence[dict] = (), zero_based: bool = True,
                 note: str = "", height: int = 440, computed_note: str | None = None) -> go.Figure:
    """Line chart: municipalities (series: kommunkod, name, year, value, source_kind) against the
    SEKOM average (network: year, mean or headline, n; preliminary years apart), with labelled
    dashed targets (value, year, label), a dotted target path (from_year, from_value, to_year,
    to_value, label), faint bands (low, high, label), series breaks (year, note: every line is
    broken there, the mark sits above the plot) and notes (x, y, text: an arrow annotation).
    Hover and labels carry the shared formatter's text. computed_note labels our own calculations
    (average, target path); default "Beräknat av Gröna nyckeltal"."""
    fig = go.Figure()
    computed = computed_note or t("chart.computed_by_us", lang)
    ys = list(series["value"]) if len(series) else []
    break_years = [int(b["year"]) for b in breaks]
    if network is not None and len(network):
        ys += _network_traces(fig, network, unit, decimals, lang, break_years, computed)
    seen: set = set()
    for i, (kod, sub) in enumerate(series.groupby("kommunkod", sort=False)):
        sub = sub.sort_values("year")
        colour = PALETTE[i % len(PALETTE)]
        name = str(sub["name"].iloc[0])
        xs, vs = break_gaps(list(sub["year"]), list(sub["value"]), break_years)
        fig.add_trace(go.Scatter(x=xs, y=vs, mode="lines", name=name, connectgaps=False,
                                 line={"color": colour, "width": 2.5}, hoverinfo="skip", legendgroup=kod))
        _add_source_markers(fig, sub, colour, seen, name, unit, decimals, lang)
    for tg in targets:
        ys.append(tg["value"])
        text = t("chart.target_label", lang, label=tg["label"], year=int(tg["year"]),
                 value=format_value(tg["value"], unit, lang, decimals))
        fig.add_hline(y=tg["value"], line={"dash": "dash", "color": TARGET_COLOUR, "width": 1.5},
                      annotation_text=text, annotation_position="bottom right",
                      annotation_font={"color": TARGET_COLOUR, "size": 12})
        fig.add_trace(go.Scatter(x=[tg["year"]], y=[tg["value"]], mode="markers", showlegend=False,
                                 marker={"symbol": "star", "size": 12, "color": TARGET_COLOUR},
                                 hovertemplate=f"{text}<extra></extra>"))
    if target_path:
        fig.add_trace(go.Scatter(
            x=[target_path["from_year"], target_path["to_year"]],
            y=[target_path["from_value"], target_path["to_value"]], mode="lines", name=target_path["label"],
            line={"dash": "dot", "color": TARGET_COLOUR, "width": 2},
            hovertemplate=f"{target_path['label']}<br>{computed}<extra></extra>"))
    y_range = _value_range(ys, zero_based)
    _add_bands(fig, bands, y_range, better, lang)
    mark_breaks(fig, breaks, lang)
    for arrow in notes:
        fig.add_annotation(x=arrow["x"], y=arrow["y"], text=arrow["text"], showarrow=True, arrowhead=2, ax=0, ay=45,
                           bgcolor="rgba(255,255,255,0.85)", font={"size": 12})
    base_layout(fig, title, lang, height)
    fig.update_layout(showlegend=True)      # plotly hides a one-trace legend: a lone SEKOM line must still say what it is
    if breaks:
        fig.update_layout(margin={"t": 80})            # room for the break labels above the plot
    fig.update_yaxes(title_text=unit, range=list(y_range), tickformat=_d3(decimals), rangemode="tozero")
    fig.update_xaxes(tickformat="d", dtick=_year_tick(series, targets, network))     # years need no axis title
    return bottom_note(fig, note, height)


BOTTOM_MARGIN = 120     # px: tick labels, up to two legend rows, then the source line


def bottom_note(fig: go.Figure, text: str, height: int) -> go.Figure:
    """Legend and source line in the bottom margin, placed in pixels so they never overlap, and
    the PNG a user downloads still names its source and what we computed."""
    fig.update_layout(margin={"b": BOTTOM_MARGIN},
                      legend={"yref": "container", "y": 24 / height, "yanchor": "bottom"})
    if text:
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, yshift=-(BOTTOM_MARGIN - 3),
                           xanchor="left", yanchor="bottom", showarrow=False, font={"size": 11, "color": "#555"})
    return fig


def _year_tick(series: pd.DataFrame, targets: Sequence[dict], network: pd.DataFrame | None = None) -> int:
    """A year tick step for the span drawn: the places' years, the targets' and the SEKOM line's
    (a chart with only the SEKOM line drew a tick every year, crowded on a phone)."""
    years = (list(series["year"]) if len(series) else []) + [tg["year"] for tg in targets]
    if network is not None and len(network):
        years += list(network["year"])
    span = (max(years) - min(years)) if years else 0
    return 1 if span <= 8 else 2 if span <= 16 else 5


SPARK_HEIGHT = 84       # px: the line, and the first and last value written above it


def sparkline_figure(years: Sequence[int], values: Sequence[float], title: str, lang: str,
                     breaks: Sequence[int] = (), preliminary: Sequence[tuple[int, float]] = (),
                     decimals: int | None = None, unit: str = "") -> go.Figure:
    """A tiny trend line with the last point marked; no axes. The first and the last value are
    written at their points (with `decimals`), so the scale is never hidden: a line that climbs
    from 2,50 to 2,53 says so. The line is broken at series breaks (a dotted mark between the
    years, over no point); preliminary years are hollow points apart from the line."""
    xs, ys = break_gaps(list(years), list(values), breaks)
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines+markers", line={"color": NETWORK_COLOUR, "width": 2},
                               marker={"size": 3, "color": NETWORK_COLOUR}, connectgaps=False, hoverinfo="skip"))
    if len(years):
        fig.add_trace(go.Scatter(x=[years[-1]], y=[values[-1]], mode="markers", hoverinfo="skip",
                                 marker={"color": PALETTE[0], "size": 7}))
        ends = [0, len(years) - 1] if len(years) > 1 else [0]
        suffix = _pct_suffix(lang) if unit.strip() == "%" else ""
        fig.add_trace(go.Scatter(
            x=[years[i] for i in ends], y=[values[i] for i in ends], mode="text", hoverinfo="skip", cliponaxis=False,
            text=[f"{format_number(values[i], lang, decimals if decimals is not None else 2)}{suffix}" for i in ends],
            textposition=["top right", "top left"][:len(ends)] if len(ends) > 1 else ["top left"],
            textfont={"size": 12, "color": "#31333f"}))
    if preliminary:
        fig.add_trace(go.Scatter(x=[p[0] for p in preliminary], y=[p[1] for p in preliminary], mode="markers",
                                 hoverinfo="skip", marker={"symbol": "circle-open", "color": NETWORK_COLOUR, "size": 7}))
    for b in breaks:
        if len(years) and min(years) < b <= max(years):
            fig.add_vline(x=b - 0.5, line={"dash": "dot", "color": BREAK_COLOUR, "width": 1})
    # the title names the figure (PNG, tests) but is not drawn: the tile names the indicator above it
    fig.update_layout(title={"text": title, "font": {"size": 1, "color": "rgba(0,0,0,0)"}}, separators=separators(lang),
                      height=SPARK_HEIGHT, margin={"l": 4, "r": 6, "t": 22, "b": 2}, showlegend=False, template="plotly_white",
                      xaxis={"visible": False}, yaxis={"visible": False})
    return fig


def verdict_bars(frame: pd.DataFrame, *, title: str, lang: str) -> go.Figure:
    """Horizontal stacked bars: per indicator (label) the share of members by verdict.
    frame: label, verdict, count. Each segment has a text label and a pattern."""
    fig = go.Figure()
    totals = frame.groupby("label", sort=False)["count"].sum()
    order = list(dict.fromkeys(frame["label"]))
    for verdict in ("right", "unchanged", "wrong", "insufficient"):
        part = frame[frame["verdict"] == verdict].set_index("label").reindex(order)
        counts = part["count"].fillna(0)
        shares = [100 * c / totals[lab] if totals[lab] else 0 for lab, c in zip(order, counts)]
        colour, pattern = VERDICT_STYLE[verdict]
        name = t(f"verdict.short.{verdict}", lang)
        fig.add_trace(go.Bar(
            y=order, x=shares, orientation="h", name=name, customdata=counts.astype(int),
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "#333", "size": 6}},
            text=[format_percent(s, lang) if s >= 8 else "" for s in shares], textposition="inside",
            insidetextanchor="middle", hovertext=[format_percent(s, lang) for s in shares],
            hovertemplate=f"%{{y}}<br>{name}: %{{customdata}} (%{{hovertext}})<extra></extra>"))
    height = max(260, 34 * len(order) + 160)
    base_layout(fig, title, lang, height=height)
    bottom_note(fig, "", height)
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(range=[0, 100], ticksuffix=_pct_suffix(lang), title_text=t("chart.share_of_members", lang))
    fig.update_yaxes(autorange="reversed")
    return fig


def choropleth_figure(map_df: pd.DataFrame, geojson: dict | str, *, title: str, unit: str, decimals: int,
                      better: str, lang: str, note: str = "", height: int = 720,
                      bounds: dict | None = None) -> go.Figure:
    """Map of all municipalities. map_df: kommunkod, name, value, status ('value' | 'no_data' |
    'stale' | 'non_member'; optional latest_year: a stale member's latest year). Values use
    viridis oriented so that the same colour always means better; non-members, members without
    data and members whose latest value is years old get distinct neutral greys, each in the
    legend. geojson: a FeatureCollection keyed by feature id, or the URL the browser loads it from.
    bounds ({"lon": [w, e], "lat": [s, n]}): the frame the map fills (else plotly fits the shapes);
    the colour scale sits top left (over Norway) and the legend of the greys bottom right (over the
    sea), so neither covers a municipality."""
    fig = go.Figure()

    def subset(codes):
        if isinstance(geojson, str):
            return geojson          # every trace draws only its own locations from the shared file
        feats = {f["id"]: f for f in geojson["features"]}
        return {"type": "FeatureCollection", "features": [feats[c] for c in codes if c in feats]}

    for status, fill in (("non_member", NON_MEMBER_FILL), ("no_data", NO_DATA_FILL), ("stale", STALE_FILL)):
        part = map_df[map_df["status"] == status]
        if status == "stale" and not len(part):
            continue
        label = t(f"map.{status}", lang)
        texts = list(part["name"])
        if status == "stale" and "latest_year" in part:
            texts = [f"{n}<br>{t('map.stale_hover', lang, year=int(y))}" for n, y in zip(part["name"], part["latest_year"])]
        fig.add_trace(go.Choropleth(
            geojson=subset(part["kommunkod"]), locations=list(part["kommunkod"]), z=[0] * len(part),
            featureidkey="id", colorscale=[[0, fill], [1, fill]], showscale=False, name=label, showlegend=True,
            text=texts, marker={"line": {"color": "#c8c8c8", "width": 0.4}},
            hovertemplate=f"<b>%{{text}}</b><br>{label}<extra></extra>"))
    part = map_df[map_df["status"] == "value"]
    better_text = t(f"map.better_{better}", lang)
    fig.add_trace(go.Choropleth(
        geojson=subset(part["kommunkod"]), locations=list(part["kommunkod"]), z=list(part["value"]),
        featureidkey="id", colorscale=SEQUENTIAL, reversescale=(better == "lower"), text=list(part["name"]),
        customdata=[[v] for v in value_texts(part["value"], unit, decimals, lang)], name=unit, showlegend=False,
        marker={"line": {"color": "#ffffff", "width": 0.4}},
        colorbar={"title": {"text": f"{unit}<br><sub>{better_text}</sub>"}, "tickformat": _d3(decimals),
                  "len": 0.3, "y": 0.97, "yanchor": "top", "thickness": 14, "x": 0.0, "xanchor": "left"},
        hovertemplate="<b>%{text}</b><br>%{customdata[0]}<extra></extra>"))
    if bounds:
        fig.update_geos(fitbounds=False, lonaxis_range=bounds["lon"], lataxis_range=bounds["lat"],
                        center={"lon": sum(bounds["lon"]) / 2, "lat": sum(bounds["lat"]) / 2},
                        visible=False, projection_type="mercator", domain={"x": [0, 1], "y": [0, 1]})
    else:
        fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    base_layout(fig, title, lang, height)
    fig.update_layout(legend={"orientation": "v", "y": 0.02, "x": 1.0, "xanchor": "right", "yanchor": "bottom",
                              "bgcolor": "rgba(255,255,255,0.85)"}, margin={"l": 4, "r": 4, "t": 44, "b": 4})
    if note:
        fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=-0.01, xanchor="left", yanchor="top",
                           showarrow=False, font={"size": 11, "color": "#555"})
        fig.update_layout(margin={"b": 30})
    return fig


PANEL_TITLE_CHARS = 26     # a panel title wraps into lines of this length: two panels side by side fit a phone


def small_multiples(frame: pd.DataFrame, panels: Sequence[dict], *, title: str, lang: str,
                    network: pd.DataFrame | None = None, highlight: Sequence[str] | None = None,
                    cols: int = 3, note: str = "") -> go.Figure:
    """One small line chart per indicator (panels: id, title, unit, decimals, optional breaks:
    years where the line is broken) with the same municipalities in the same colours. frame:
    indicator_id, kommunkod, name, year, value. network (optional): indicator_id, year, mean or
    headline (preliminary years are left out) — a dashed grey line in each panel.
    highlight: the municipalities drawn in colour; the rest become thin grey lines. Every panel has
    the same year axis (the years of all panels), so the panels can be read against each other."""
    rows = max(1, math.ceil(len(panels) / cols))
    x_range = shared_year_range(frame, network)
    titles = ["<br>".join(textwrap.wrap(p["title"], PANEL_TITLE_CHARS, break_long_words=False)) for p in panels]
    fig = make_subplots(rows=rows, cols=min(cols, max(len(panels), 1)), subplot_titles=titles,
                        horizontal_spacing=0.07, vertical_spacing=0.16 if rows > 1 else 0.2)
    codes = list(dict.fromkeys(frame["kommunkod"]))
    coloured = [k for k in codes if highlight is None or k in highlight]
    colours = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(coloured)}
    shown: set = set()
    for n, panel in enumerate(panels):
        r, c = n // cols + 1, n % cols + 1
        fmt = _d3(panel["decimals"])
        cuts = panel.get("breaks", ())
        sub = frame[frame["indicator_id"] == panel["id"]]
        for kod, part in sorted(sub.groupby("kommunkod", sort=False), key=lambda kv: kv[0] in colours):
            part = part.sort_values("year")
            name = str(part["name"].iloc[0])
            on = kod in colours
            group = kod if on else "others"
            xs, ys = break_gaps(list(part["year"]), list(part["value"]), cuts)
            texts = iter(value_texts(part["value"], panel["unit"], panel["decimals"], lang))
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers" if on else "lines", connectgaps=False,
                name=name if on else t("compare.others", lang), legendgroup=group, showlegend=group not in shown,
                line={"color": colours.get(kod, "#c9c9c9"), "width": 2.5 if on else 1}, marker={"size": 5},
                text=["" if x is None else next(texts) for x in xs],
                hovertemplate=f"<b>{name}</b> %{{x}}: %{{text}}<extra></extra>"), row=r, col=c)
            shown.add(group)
        if network is not None and len(network):
            net = network[network["indicator_id"] == panel["id"]].sort_values("year")
            if "preliminary" in net:
                net = net[~net["preliminary"].astype(bool)]
            col = "headline" if "headline" in net else "mean"
            xs, ys = break_gaps(list(net["year"]), list(net[col]), cuts)
            texts = iter(value_texts(net[col], panel["unit"], panel["decimals"], lang))
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", connectgaps=False, name=t("chart.network", lang), legendgroup="network",
                showlegend="network" not in shown, line={"color": NETWORK_COLOUR, "width": 2.5, "dash": "dash"},
                text=["" if x is None else next(texts) for x in xs],
                hovertemplate=f"{t('chart.network', lang)} %{{x}}: %{{text}}<br>"
                              f"{t('chart.computed_by_us', lang)}<extra></extra>"), row=r, col=c)
            shown.add("network")
        fig.update_yaxes(tickformat=fmt, row=r, col=c, rangemode="tozero", title_text=panel["unit"],
                         title_font={"size": 11})
        fig.update_xaxes(tickformat="d", row=r, col=c, range=x_range)
    height = 280 * rows + 150
    base_layout(fig, title, lang, height=height)
    # the title hangs from the top edge: a title wrapped for a phone grows down into the top margin
    # (ui.widgets.fit_title grows the margin), never over the panels' own titles
    fig.update_layout(title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}}, margin={"t": 100})
    fig.update_annotations(font={"size": 13})          # the panels' titles, in up to two lines each
    return bottom_note(fig, note, height)


def shared_year_range(frame: pd.DataFrame, network: pd.DataFrame | None) -> list[float] | None:
    """One year axis for all small multiples: the first to the last year any panel draws (the
    network's preliminary years are not drawn), half a year of room at each end."""
    years = list(frame["year"]) if len(frame) else []
    if network is not None and len(network):
        net = network[~network["preliminary"].astype(bool)] if "preliminary" in network else network
        years += list(net["year"])
    return [min(years) - 0.5, max(years) + 0.5] if years else None


def position_bars(frame: pd.DataFrame, *, title: str, lang: str) -> go.Figure:
    """Where one municipality stands among the members, per indicator. frame: label, share
    (percent of the other reporting members it does better than), text ('Plats 3 av 87').
    One colour only: the position is read from the bar length and the text, not from colour."""
    fig = go.Figure(go.Bar(y=frame["label"], x=frame["share"], orientation="h", marker={"color": PALETTE[0]},
                           text=frame["text"], textposition="auto", cliponaxis=False,
                           hovertemplate="%{y}<br>%{text}<extra></extra>"))
    base_layout(fig, title, lang, height=max(280, 30 * len(frame) + 120))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 118], ticksuffix=_pct_suffix(lang), tickvals=[0, 25, 50, 75, 100],
                     title_text=t("chart.position_axis", lang))
    fig.update_layout(showlegend=False, margin={"r": 40})
    return fig
