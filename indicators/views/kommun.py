"""Kommun: one municipality's scorecard. Per indicator the latest value and year (a preliminary
year marked 'preliminär (n = 3 av 94)', a stale value marked 'senaste värdet är från 2012'),
band, the network's verdict sentence, the recent direction, the target, the rank among the
members reporting the same year (ties said, or why there is no rank) and a plain-language
summary; the municipality's position among the members as a chart and a table.
Pure functions over a Snapshot; never streamlit.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.catalog import Indicator
from indicators.stats import trends
from indicators.stats.targets import primary_target
from indicators.text import provenance
from indicators.text.i18n import labelled, t
from indicators.text.labels import band_label, target_label, value_text
from indicators.text.numbers import format_number, round_column
from indicators.text.summaries import ordinal, pp_unit, preliminary_label, rank_text, verdict_sentence
from indicators.views import charts
from indicators.views.snapshot import Snapshot, kommun_name, missing, trend_rows


def _pace_text(pace, ind: Indicator, lang: str) -> str:
    unit = pp_unit(abs(pace), ind.decimals + 1, lang) if ind.is_share else ind.unit_for(lang)
    sign = "+" if pace > 0 else "−"
    return f"{sign}{format_number(abs(pace), lang, ind.decimals + 1)} {unit}"


def target_text(target: dict | None, ind: Indicator, lang: str) -> tuple[str, str]:
    """(one line about the primary target, its status code) for a trend-table target dict."""
    if not target or target.get("on_track") == "no_target" or \
            (missing(target.get("target_value")) and target.get("on_track") != "not_applicable"):
        return "", "no_target"
    status = target["on_track"]
    if status == "not_applicable":
        return t("target.line_not_applicable", lang, label=target_label(target["label"], ind, lang),
                 year=int(target["target_year"]), base=target.get("base_year"),
                 reason=t(f"target.reason_{target.get('reason') or 'no_base_value'}", lang,
                          base=target.get("base_year"))), status
    line = t("target.line", lang, label=target_label(target["label"], ind, lang),
             value=value_text(target["target_value"], ind, lang),
             year=int(target["target_year"]), status=t(f"target.{status}", lang))
    pace = target.get("required_pace_per_year")
    if status in ("off_track", "uncertain") and not missing(pace) and not target.get("target_passed"):
        line += " " + t("target.pace", lang, pace=_pace_text(pace, ind, lang)) + "."
    return line, status


def _latest_kind(snap: Snapshot, kommun: str) -> dict[str, tuple]:
    """Per indicator, the (source kind, provenance) of the municipality's latest value."""
    cur = snap.current[snap.current["kommunkod"] == kommun]
    last = cur.sort_values("year").groupby("indicator_id").tail(1)
    return {i: (k, p) for i, k, p in zip(last["indicator_id"], last["source_kind"], last["provenance"])}


def scorecard(snap: Snapshot, kommun: str, lang: str) -> list[dict]:
    """Every indicator for one municipality: value, band, verdict sentence, direction, target,
    rank of n and the plain-language summary, ready to display."""
    kinds = _latest_kind(snap, kommun)
    rows = trend_rows(snap, kommun)
    cards = []
    for ind in snap.catalog:
        row = rows.get(ind.id)
        card = {"id": ind.id, "name": ind.name(lang), "theme": ind.theme, "theme_slug": ind.theme_slug,
                "source": ind.source, "has_value": row is not None}
        if row is not None:
            target = primary_target(row["targets"] or [], row["latest_year"])
            line, status = target_text(target, ind, lang)
            card.update(
                value=value_text(row["latest_value"], ind, lang), year=int(row["latest_year"]),
                year_note=preliminary_label(row["latest_year_n"], row["latest_year_members"], lang)
                if row["network_preliminary"] else "",
                stale=bool(row["stale"]),
                stale_text=t("kommun.stale", lang, year=int(row["latest_year"])) if row["stale"] else "",
                band=band_label(row["band"], lang) if not missing(row["band"]) else "",
                verdict=row["verdict"], sentence=verdict_sentence(row["verdict"], row["base_year"], lang),
                direction=row["direction"], target=line, target_status=status,
                rank=rank_text(row, lang), ranked=not missing(row["rank"]),
                preliminary=bool(row["network_preliminary"]),
                rank_place=None if missing(row["rank"]) else (int(row["rank"]), int(row["rank_n"]),
                                                              int(row["rank_shared"] or 1)),
                base_year=None if missing(row["base_year"]) else int(row["base_year"]),
                summary=row["summary_en" if lang == "en" else "summary_sv"],
                source_kind=kinds.get(ind.id, ("", None))[0],
                source_label=provenance.source_label(*kinds.get(ind.id, ("", None)), lang),
                provenance_note=provenance.source_detail(*kinds.get(ind.id, ("", None)), lang)
                if provenance.has_kolada([kinds.get(ind.id, ("", None))[1]]) else "")
            card["notes"] = [x for x in (card["year_note"], card["stale_text"]) if x]   # the report prints these
        cards.append(card)
    return cards


def verdict_tally(snap: Snapshot, kommun: str, lang: str) -> dict[str, int]:
    """How many of the municipality's indicators go each way."""
    tally = {v: 0 for v in trends.VERDICTS}
    for card in scorecard(snap, kommun, lang):
        if card["has_value"]:
            tally[card["verdict"]] += 1
    return tally


def positions(snap: Snapshot, kommun: str) -> pd.DataFrame:
    """Per ranked indicator (catalogue order): indicator_id, rank of rank_n among the members
    reporting the same year, how many share that rank, and share: the share of the other members
    it does strictly better than (100 = better than all, 0 = none; a tie is not 'better')."""
    tt = snap.trends[(snap.trends["kommunkod"] == kommun) & snap.trends["rank"].notna()]
    order = {i.id: n for n, i in enumerate(snap.catalog)}
    tt = tt.sort_values("indicator_id", key=lambda s: s.map(order))
    rank, n = tt["rank"].astype(int), tt["rank_n"].astype(int)
    shared = tt["rank_shared"].astype(int)
    share = 100.0 * (n - rank - (shared - 1)) / (n - 1).clip(lower=1)
    return pd.DataFrame({"indicator_id": tt["indicator_id"].to_numpy(), "rank": rank.to_numpy(),
                         "rank_n": n.to_numpy(), "rank_shared": shared.to_numpy(),
                         "share": round_column(share, 0).to_numpy()})


def position_table(snap: Snapshot, kommun: str, lang: str) -> pd.DataFrame:
    """The position chart's table twin, in the UI language."""
    pos = positions(snap, kommun)
    pos.insert(0, "indicator", [snap.catalog[i].name(lang) for i in pos["indicator_id"]])
    return labelled(pos, lang, {"indicator": "common.indicator", "rank": "common.rank", "rank_n": "common.n",
                                "rank_shared": "common.rank_shared", "share": "chart.position_axis"})


def scorecard_table(snap: Snapshot, kommun: str, lang: str) -> pd.DataFrame:
    """The scorecard as one table (download and table twin)."""
    rows = []
    for card in scorecard(snap, kommun, lang):
        if not card["has_value"]:
            continue
        rows.append({t("common.indicator", lang): card["name"], t("common.latest_value", lang): card["value"],
                     t("common.latest_year", lang): card["year"],
                     t("common.flag", lang): "; ".join(x for x in (card["year_note"], card["stale_text"]) if x),
                     t("common.band", lang): card["band"],
                     t("common.verdict", lang): card["sentence"],
                     t("common.direction", lang): t(f"direction.{card['direction']}", lang),
                     t("common.target_status", lang): card["target"], t("common.rank", lang): card["rank"],
                     t("common.source_kind", lang): card["source_label"],
                     t("common.summary", lang): card["summary"]})
    return pd.DataFrame(rows)


def position_figure(snap: Snapshot, kommun: str, lang: str) -> go.Figure:
    pos = positions(snap, kommun)
    frame = pd.DataFrame({"label": [snap.catalog[i].name(lang) for i in pos["indicator_id"]], "share": pos["share"],
                          "text": [t("common.rank_of_tied", lang, rank=ordinal(r, lang), n=n, shared=c) if c > 1 else
                                   t("common.rank_of", lang, rank=r, n=n)
                                   for r, n, c in zip(pos["rank"], pos["rank_n"], pos["rank_shared"])]})
    return charts.position_bars(frame, title=t("kommun.position_title", lang, name=kommun_name(snap, kommun)),
                                lang=lang)
