"""The application-service layer that the dashboard pages and the CLI share.

A Snapshot holds everything one database state says about the catalogue's indicators:
current values, municipalities, membership, population, targets, the trend table and the
network aggregates. It is read once (the UI caches it per database file) and every page's
data comes from pure functions over it: the overview tiles, one municipality's scorecard,
the ranking and map of one indicator, comparisons and theme views. The trend maths is the
trend engine's (indicators.trends); this module only selects, joins and labels.
No SQL (that is queries.py) and no UI imports.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.stats import network as network_mod
from indicators.stats import targets as targets_mod
from indicators.stats import trendmath
from indicators.stats import trends
from indicators.store import observations
from indicators.store import reference
from indicators.store import uploads
from indicators.catalog import Catalog, Indicator, default_catalog
from indicators.text.i18n import t
from indicators.text.summaries import add_summaries, verdict_sentence
from indicators.store import Store

THEME_SLUGS = {"Klimat": "klimat", "Transporter": "transporter", "Natur och jordbruk": "natur",
               "Avfall och resurser": "avfall", "Energi": "energi", "Kommunorganisationen": "organisation"}
SLUG_THEMES = {v: k for k, v in THEME_SLUGS.items()}
BAND_KEYS = {"Mycket låg": "very_low", "Låg": "low", "Medel": "medium", "Hög": "high", "Mycket hög": "very_high",
             "Full": "full", "Mycket god": "very_good", "God": "good", "Mindre god": "fair", "Dålig": "poor"}
VERDICT_ICONS = {"right": ":material/check_circle:", "wrong": ":material/cancel:",
                 "unchanged": ":material/remove_circle:", "insufficient": ":material/help:"}
DIRECTION_ICONS = {"improving": ":material/trending_up:", "worsening": ":material/trending_down:",
                   "no_clear_change": ":material/trending_flat:", "insufficient": ":material/more_horiz:"}
VERDICT_COLOURS = {"right": "green", "wrong": "red", "unchanged": "gray", "insufficient": "gray"}
SIZE_BANDS = (0, 15_000, 50_000, 100_000, math.inf)      # inhabitants: small, medium, large, city
LARGE_DIFFERENCE = 0.5          # |value − group median| ≥ 50 % of the median is "a large difference"


@dataclass(frozen=True)
class Snapshot:
    catalog: Catalog
    current: pd.DataFrame          # indicator_id, kommunkod, year, value, source_kind, comment
    municipalities: pd.DataFrame   # kommunkod, name, lan_code, lan_name
    membership: pd.DataFrame       # kommunkod, from_year, to_year
    population: pd.DataFrame       # kommunkod, year, population
    targets: pd.DataFrame          # every active target (national: kommunkod NULL)
    breaks: pd.DataFrame           # series breaks (national: kommunkod NULL)
    trends: pd.DataFrame           # one row per (kommunkod, indicator_id): the trend table
    network: pd.DataFrame          # indicator_id, year, mean, n, weighted_mean, median, min, max
    network_verdicts: pd.DataFrame  # one row per indicator: the network average's own verdict

    def names(self) -> dict[str, str]:
        return dict(zip(self.municipalities["kommunkod"], self.municipalities["name"]))

    def members(self, year: int | None = None) -> set[str]:
        m = self.membership
        if year is None:
            return set(m["kommunkod"])
        ok = (m["from_year"] <= year) & (m["to_year"].isna() | (m["to_year"] >= year))
        return set(m.loc[ok, "kommunkod"])


def theme_slug(theme: str) -> str:
    return THEME_SLUGS[theme]


def theme_from_slug(slug: str | None) -> str | None:
    return SLUG_THEMES.get(slug or "")


def band_label(label: str | None, lang: str) -> str:
    """A band label from the catalogue (Swedish) in the UI language."""
    if not label:
        return ""
    key = BAND_KEYS.get(label)
    return t(f"band.{key}", lang) if key else label


def target_label(label: str | None, ind: Indicator, lang: str) -> str:
    """A target's label in the UI language: the catalogue's national ones are translated,
    a municipality's own label is shown as its author wrote it."""
    nt = ind.national_target
    if nt is not None and label == nt.label:
        return t(f"national_target.{ind.id.replace('.', '_')}", lang)
    return label or ""


def state_style(kind: str, code: str) -> tuple[str, str]:
    """(material icon, colour name) for a verdict, direction or target state: shown with text."""
    if kind == "verdict":
        return VERDICT_ICONS.get(code, ":material/help:"), VERDICT_COLOURS.get(code, "gray")
    if kind == "direction":
        colour = {"improving": "green", "worsening": "red"}.get(code, "gray")
        return DIRECTION_ICONS.get(code, ":material/more_horiz:"), colour
    icon = {"achieved": ":material/flag:", "on_track": ":material/check_circle:",
            "off_track": ":material/warning:"}.get(code, ":material/help:")
    return icon, {"achieved": "green", "on_track": "green", "off_track": "orange"}.get(code, "gray")


# ------------------------------------------------------------------ loading

def load_snapshot(store: Store, catalog: Catalog | None = None) -> Snapshot:
    """Everything the pages show, read from the store once (only the catalogue's indicators):
    one connection, each table read once (the reference tables serve the trend engine too)."""
    catalog = catalog or default_catalog()
    with store.reading():
        refs = reference.fetch_engine_reference(store)
        current = observations.fetch_current(store, catalog.ids)[
            ["indicator_id", "kommunkod", "year", "value", "source_kind", "comment"]]
        table, network = trends.trends_and_network_from_store(store, catalog, refs=refs)
    municipalities = refs["municipalities"]
    add_summaries(table, catalog, dict(zip(municipalities["kommunkod"], municipalities["name"])))
    return Snapshot(
        catalog=catalog, current=current.astype({"year": int}), municipalities=municipalities,
        membership=refs["membership"][["kommunkod", "from_year", "to_year"]],
        population=refs["population"], targets=refs["targets"], breaks=refs["breaks"],
        trends=table.rename(columns={"indicator": "indicator_id"}),
        network=network, network_verdicts=network_mod.network_verdicts(network, catalog).rename(
            columns={"indicator": "indicator_id"}))


def load_trend_table(store: Store, kommun: str | None = None, indicator: str | None = None) -> list[dict]:
    """The trend table as JSON-ready dicts (the CLI `trends --json` and tests use this)."""
    table = trends.trend_table_from_store(store, kommuner=[kommun] if kommun else None,
                                          indicators=[indicator] if indicator else None)
    municipalities = reference.fetch_municipalities(store)
    add_summaries(table, default_catalog(), dict(zip(municipalities["kommunkod"], municipalities["name"])))
    return trendmath.table_records(table)


def load_comments(store: Store, kommun: str) -> dict[str, str]:
    """The municipality's newest comment per indicator (plain text: the UI must escape it)."""
    frame = uploads.fetch_comments(store, kommun)
    out: dict[str, str] = {}
    for row in frame.sort_values("created_at", ascending=False).itertuples():
        out.setdefault(row.indicator_id, str(row.text))
    return out


# ------------------------------------------------------------------ small lookups

def _row(snap: Snapshot, kommun: str, indicator_id: str) -> dict | None:
    tt = snap.trends
    hit = tt[(tt["kommunkod"] == kommun) & (tt["indicator_id"] == indicator_id)]
    return trendmath.table_records(hit)[0] if len(hit) else None


def _network(snap: Snapshot, indicator_id: str) -> pd.DataFrame:
    net = snap.network
    return net[net["indicator_id"] == indicator_id].sort_values("year")


def _series(snap: Snapshot, indicator_id: str, kommuner) -> pd.DataFrame:
    cur = snap.current
    part = cur[(cur["indicator_id"] == indicator_id) & cur["kommunkod"].isin(list(kommuner))].copy()
    part["name"] = part["kommunkod"].map(snap.names())
    order = {k: i for i, k in enumerate(kommuner)}
    return part.sort_values(["kommunkod", "year"], key=lambda s: s.map(order) if s.name == "kommunkod" else s)


def value_text(value, ind: Indicator, lang: str) -> str:
    from indicators.text.numbers import format_value
    return format_value(value, ind.unit, lang, ind.decimals)


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def kommun_name(snap: Snapshot, kommun: str) -> str:
    return snap.names().get(kommun, kommun)


def is_member(snap: Snapshot, kommun: str) -> bool:
    return kommun in snap.members()


def has_demo(snap: Snapshot, indicator_ids=None, kommuner=None) -> bool:
    """Whether any demo value is among what a page shows (for the demo banner)."""
    cur = snap.current
    if indicator_ids is not None:
        cur = cur[cur["indicator_id"].isin(list(indicator_ids))]
    if kommuner is not None:
        cur = cur[cur["kommunkod"].isin(list(kommuner))]
    return bool((cur["source_kind"] == "demo").any())


def demo_marker(snap: Snapshot, indicator_ids=None, kommuner=None) -> pd.DataFrame:
    """A one-row frame that ui.demo_banner understands: source_kind 'demo' when demo is shown."""
    kind = "demo" if has_demo(snap, indicator_ids, kommuner) else "other"
    return pd.DataFrame({"source_kind": [kind]})


def theme_indicators(snap: Snapshot, theme: str | None) -> list[Indicator]:
    return [i for i in snap.catalog if theme is None or i.theme == theme]


def bands_for(ind: Indicator, lang: str) -> list[dict]:
    edges = (None, *ind.band_edges, None)
    return [{"low": edges[i], "high": edges[i + 1], "label": band_label(label, lang)}
            for i, label in enumerate(ind.band_labels)]


def breaks_for(snap: Snapshot, ind: Indicator, kommun: str | None = None) -> list[dict]:
    b = snap.breaks[snap.breaks["indicator_id"] == ind.id]
    b = b[b["kommunkod"].isna() | (b["kommunkod"] == kommun)]
    return [{"year": int(r.year), "note": r.note or ""} for r in b.drop_duplicates("year").itertuples()]


# ------------------------------------------------------------------ Översikt

def overview_tiles(snap: Snapshot, lang: str, theme: str | None = None) -> list[dict]:
    """One tile per indicator: the latest SEKOM average, n, the average's verdict and direction
    and its series for a sparkline."""
    verdicts = snap.network_verdicts.set_index("indicator_id")
    tiles = []
    for ind in theme_indicators(snap, theme):
        net = _network(snap, ind.id)
        tile = {"id": ind.id, "name": ind.name(lang), "theme": ind.theme, "theme_slug": THEME_SLUGS[ind.theme],
                "better": ind.better, "source": ind.source, "has_data": bool(len(net))}
        if len(net):
            last = net.iloc[-1]
            v = verdicts.loc[ind.id]
            tile.update(year=int(last["year"]), n=int(last["n"]), value=value_text(last["mean"], ind, lang),
                        verdict=v["verdict"], sentence=verdict_sentence(v["verdict"], v["base_year"], lang),
                        direction=v["direction"], spark=[round(float(x), 4) for x in net["mean"]],
                        years=[int(y) for y in net["year"]])
        tiles.append(tile)
    return tiles


def verdict_counts(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """Per indicator, how many members' series go each way (members in their latest year)."""
    inds = theme_indicators(snap, theme)
    tt = snap.trends[snap.trends["indicator_id"].isin([i.id for i in inds]) & snap.trends["rank"].notna()]
    counts = tt.groupby(["indicator_id", "verdict"]).size().rename("count").reset_index()
    names = {i.id: i.name(lang) for i in inds}
    counts["label"] = counts["indicator_id"].map(names)
    order = {i.id: n for n, i in enumerate(inds)}
    return counts.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)


def verdict_count_table(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """The table twin of the overview chart: one row per indicator, a column per verdict."""
    counts = verdict_counts(snap, lang, theme)
    wide = counts.pivot_table(index="label", columns="verdict", values="count", aggfunc="sum", fill_value=0,
                              sort=False)
    wide = wide.reindex(columns=list(trends.VERDICTS), fill_value=0).astype(int)
    wide.columns = [t(f"verdict.short.{v}", lang) for v in wide.columns]
    return wide.rename_axis(t("common.indicator", lang)).reset_index()


def network_table(snap: Snapshot, lang: str, theme: str | None = None) -> pd.DataFrame:
    """The sparklines' table twin: the SEKOM average per indicator and year, with n."""
    inds = theme_indicators(snap, theme)
    net = snap.network[snap.network["indicator_id"].isin([i.id for i in inds])]
    names = {i.id: i.name(lang) for i in inds}
    units = {i.id: i.unit for i in inds}
    return pd.DataFrame({t("common.indicator", lang): net["indicator_id"].map(names).to_numpy(),
                         t("common.unit", lang): net["indicator_id"].map(units).to_numpy(),
                         t("common.year", lang): net["year"].astype(int).to_numpy(),
                         t("common.network_mean", lang): net["mean"].round(3).to_numpy(),
                         t("common.n", lang): net["n"].astype(int).to_numpy()})


def overview_headline(snap: Snapshot, theme: str | None = None) -> dict:
    ids = [i.id for i in theme_indicators(snap, theme)]
    nv = snap.network_verdicts[snap.network_verdicts["indicator_id"].isin(ids)]
    return {"right": int((nv["verdict"] == "right").sum()), "total": len(ids)}


def overview_chart_summary(snap: Snapshot, lang: str, theme: str | None = None) -> dict:
    counts = verdict_counts(snap, lang, theme)
    if not len(counts):
        return {}
    tot = counts.groupby("label", sort=False)["count"].sum()
    right = counts[counts["verdict"] == "right"].set_index("label")["count"].reindex(tot.index, fill_value=0)
    share = (100 * right / tot).sort_values()
    from indicators.text.numbers import format_percent
    return {"best_name": share.index[-1], "best_share": format_percent(share.iloc[-1], lang),
            "worst_name": share.index[0], "worst_share": format_percent(share.iloc[0], lang)}


# ------------------------------------------------------------------ Kommun (scorecard)

def _pace_text(pace, ind: Indicator, lang: str) -> str:
    from indicators.text.numbers import format_number
    unit = t("common.pp", lang) if ind.is_share else ind.unit
    sign = "+" if pace > 0 else "−"
    return f"{sign}{format_number(abs(pace), lang, ind.decimals + 1)} {unit}"


def target_text(target: dict | None, ind: Indicator, lang: str) -> tuple[str, str]:
    """(one line about the primary target, its status code) for a trend-table target dict."""
    if not target or target.get("on_track") == "no_target" or _missing(target.get("target_value")):
        return "", "no_target"
    status = target["on_track"]
    line = t("target.line", lang, label=target_label(target["label"], ind, lang),
             value=value_text(target["target_value"], ind, lang),
             year=int(target["target_year"]), status=t(f"target.{status}", lang))
    pace = target.get("required_pace_per_year")
    if status == "off_track" and not _missing(pace) and not target.get("target_passed"):
        line += " " + t("target.pace", lang, pace=_pace_text(pace, ind, lang)) + "."
    return line, status


def _latest_kind(snap: Snapshot, kommun: str) -> dict[str, str]:
    cur = snap.current[snap.current["kommunkod"] == kommun]
    last = cur.sort_values("year").groupby("indicator_id").tail(1)
    return dict(zip(last["indicator_id"], last["source_kind"]))


def scorecard(snap: Snapshot, kommun: str, lang: str) -> list[dict]:
    """Every indicator for one municipality: value, band, verdict sentence, direction, target,
    rank of n and the plain-language summary, ready to display."""
    kinds = _latest_kind(snap, kommun)
    cards = []
    for ind in snap.catalog:
        row = _row(snap, kommun, ind.id)
        card = {"id": ind.id, "name": ind.name(lang), "theme": ind.theme, "theme_slug": THEME_SLUGS[ind.theme],
                "source": ind.source, "has_value": row is not None}
        if row is not None:
            target = targets_mod.primary_target(row["targets"] or [], row["latest_year"])
            line, status = target_text(target, ind, lang)
            card.update(
                value=value_text(row["latest_value"], ind, lang), year=int(row["latest_year"]),
                band=band_label(row["band"], lang) if not _missing(row["band"]) else "",
                verdict=row["verdict"], sentence=verdict_sentence(row["verdict"], row["base_year"], lang),
                direction=row["direction"], target=line, target_status=status,
                rank=t("common.rank_of", lang, rank=int(row["rank"]), n=int(row["rank_n"]))
                if not _missing(row["rank"]) else "",
                summary=row["summary_en" if lang == "en" else "summary_sv"],
                source_kind=kinds.get(ind.id, ""))
        cards.append(card)
    return cards


def verdict_tally(snap: Snapshot, kommun: str, lang: str) -> dict[str, int]:
    """How many of the municipality's indicators go each way."""
    tally = {v: 0 for v in trends.VERDICTS}
    for card in scorecard(snap, kommun, lang):
        if card["has_value"]:
            tally[card["verdict"]] += 1
    return tally


def position_table(snap: Snapshot, kommun: str, lang: str) -> pd.DataFrame:
    """Per ranked indicator: rank of n among the members and the share of the other members
    the municipality does better than (100 % = best, 0 % = last)."""
    tt = snap.trends[(snap.trends["kommunkod"] == kommun) & snap.trends["rank"].notna()]
    names = {i.id: i.name(lang) for i in snap.catalog}
    order = {i.id: n for n, i in enumerate(snap.catalog)}
    tt = tt.sort_values("indicator_id", key=lambda s: s.map(order))
    rank, n = tt["rank"].astype(int), tt["rank_n"].astype(int)
    share = np.where(n > 1, 100.0 * (n - rank) / (n - 1).clip(lower=1), 100.0)
    return pd.DataFrame({t("common.indicator", lang): tt["indicator_id"].map(names).to_numpy(),
                         t("common.rank", lang): rank.to_numpy(), t("common.n", lang): n.to_numpy(),
                         t("chart.position_axis", lang): np.round(share, 0)})


def scorecard_table(snap: Snapshot, kommun: str, lang: str) -> pd.DataFrame:
    """The scorecard as one table (download and table twin)."""
    rows = []
    for card in scorecard(snap, kommun, lang):
        if not card["has_value"]:
            continue
        rows.append({t("common.indicator", lang): card["name"], t("common.latest_value", lang): card["value"],
                     t("common.latest_year", lang): card["year"], t("common.band", lang): card["band"],
                     t("common.verdict", lang): card["sentence"],
                     t("common.direction", lang): t(f"direction.{card['direction']}", lang),
                     t("common.target_status", lang): card["target"], t("common.rank", lang): card["rank"],
                     t("common.source_kind", lang): t(f"chart.source.{card['source_kind']}", lang),
                     t("common.summary", lang): card["summary"]})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ one indicator: chart, map, table

def default_kommuner(snap: Snapshot, indicator_id: str) -> list[str]:
    """The best and the worst member on their latest values (the chart's default)."""
    tt = snap.trends[(snap.trends["indicator_id"] == indicator_id) & snap.trends["rank"].notna()]
    if not len(tt):
        return []
    tt = tt.sort_values(["rank", "kommunkod"])
    return list(dict.fromkeys([tt["kommunkod"].iloc[0], tt["kommunkod"].iloc[-1]]))


def chart_table(snap: Snapshot, indicator_id: str, kommuner: tuple, lang: str) -> pd.DataFrame:
    """The table twin of a trend chart: per year each municipality's value and kind, and the
    SEKOM average with n."""
    ind = snap.catalog[indicator_id]
    net = _network(snap, indicator_id)[["year", "mean", "n"]].rename(
        columns={"mean": t("common.network_mean", lang), "n": t("common.n", lang)})
    series = _series(snap, indicator_id, kommuner)
    out = net.set_index("year")
    for kod, part in series.groupby("kommunkod", sort=False):
        name = str(part["name"].iloc[0])
        p = part.set_index("year")
        out = out.join(p["value"].rename(name), how="outer").join(
            p["source_kind"].map(lambda k: t(f"chart.source.{k}", lang)).rename(
                f"{name}: {t('common.source_kind', lang).lower()}"), how="outer")
    out = out.reset_index().rename(columns={"year": t("common.year", lang)})
    return out.round(ind.decimals + 1)


def ranking_table(snap: Snapshot, indicator_id: str, lang: str) -> pd.DataFrame:
    """Members ranked on their latest values: value, year, change since base, verdict, band,
    kind of value. Rank 1 is best along the better direction."""
    ind = snap.catalog[indicator_id]
    tt = snap.trends[(snap.trends["indicator_id"] == indicator_id) & snap.trends["rank"].notna()]
    tt = tt.sort_values(["rank", "kommunkod"])
    kinds = snap.current[snap.current["indicator_id"] == indicator_id].set_index(["kommunkod", "year"])["source_kind"]
    names = snap.names()
    return pd.DataFrame({
        t("common.rank", lang): tt["rank"].astype(int).to_numpy(),
        t("common.municipality", lang): tt["kommunkod"].map(names).to_numpy(),
        f"{t('common.value', lang)} ({ind.unit})": tt["latest_value"].round(ind.decimals).to_numpy(),
        t("common.year", lang): tt["latest_year"].astype(int).to_numpy(),
        f"{t('common.change_since_base', lang)} ({t('common.pp', lang) if ind.is_share else ind.unit})":
            tt["change"].round(ind.decimals).to_numpy(),
        t("common.base_year", lang): tt["base_year"].to_numpy(),
        t("common.verdict", lang): [t(f"verdict.short.{v}", lang) for v in tt["verdict"]],
        t("common.band", lang): [band_label(b, lang) if not _missing(b) else "" for b in tt["band"]],
        t("common.source_kind", lang): [t(f"chart.source.{kinds.get((k, y), 'reported')}", lang)
                                        for k, y in zip(tt["kommunkod"], tt["latest_year"])],
        t("common.rank_n", lang): tt["rank_n"].astype(int).to_numpy()})


def map_years(snap: Snapshot, indicator_id: str) -> list[int]:
    return [int(y) for y in _network(snap, indicator_id)["year"]]


def map_frame(snap: Snapshot, indicator_id: str, year: int) -> pd.DataFrame:
    """All 290 municipalities for one year: value, and status value / no_data / non_member."""
    members = snap.members(year)
    cur = snap.current[(snap.current["indicator_id"] == indicator_id) & (snap.current["year"] == year)]
    values = dict(zip(cur["kommunkod"], cur["value"]))
    m = snap.municipalities[["kommunkod", "name"]].copy()
    m["value"] = [values.get(k) if k in members else None for k in m["kommunkod"]]
    m["status"] = ["non_member" if k not in members else "value" if k in values else "no_data"
                   for k in m["kommunkod"]]
    return m


def map_table(snap: Snapshot, indicator_id: str, year: int, lang: str) -> pd.DataFrame:
    """The map's table twin: every municipality, its value or why it has none."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    return pd.DataFrame({t("common.municipality", lang): m["name"], "kommunkod": m["kommunkod"],
                         f"{t('common.value', lang)} ({ind.unit})": m["value"].astype(float).round(ind.decimals),
                         t("common.year", lang): year,
                         t("common.flag", lang): [t(f"map.{s}", lang) if s != "value" else "" for s in m["status"]]})


def year_ranking(snap: Snapshot, indicator_id: str, year: int, lang: str) -> pd.DataFrame:
    """The members' values in one year, best first (the map's best and worst lists)."""
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    m = m[m["status"] == "value"].sort_values(["value", "name"], ascending=[ind.better == "lower", True])
    return pd.DataFrame({t("common.rank", lang): m["value"].rank(method="min", ascending=ind.better == "lower")
                         .astype(int).to_numpy(), t("common.municipality", lang): m["name"].to_numpy(),
                         f"{t('common.value', lang)} ({ind.unit})": m["value"].astype(float).round(ind.decimals).to_numpy()})


def map_summary(snap: Snapshot, indicator_id: str, year: int, lang: str) -> dict:
    ind = snap.catalog[indicator_id]
    m = map_frame(snap, indicator_id, year)
    vals = m[m["status"] == "value"].sort_values("value", ascending=ind.better == "lower")
    if not len(vals):
        return {}
    best, worst = vals.iloc[0], vals.iloc[-1]
    top, bottom = (best, worst) if ind.better == "higher" else (worst, best)
    return {"n_values": len(vals), "n_members": int((m["status"] != "non_member").sum()), "year": year,
            "top": top["name"], "top_value": value_text(top["value"], ind, lang),
            "bottom": bottom["name"], "bottom_value": value_text(bottom["value"], ind, lang)}


def network_summary(snap: Snapshot, indicator_id: str, lang: str) -> dict:
    """The SEKOM average's latest value, n and verdict sentence, for a chart's text summary."""
    ind = snap.catalog[indicator_id]
    net = _network(snap, indicator_id)
    if not len(net):
        return {}
    v = snap.network_verdicts.set_index("indicator_id").loc[indicator_id]
    return {"mean": value_text(net["mean"].iloc[-1], ind, lang), "year": int(net["year"].iloc[-1]),
            "n": int(net["n"].iloc[-1]), "verdict": verdict_sentence(v["verdict"], v["base_year"], lang)}


def kommun_summaries(snap: Snapshot, indicator_id: str, kommuner: tuple, lang: str) -> str:
    col = "summary_en" if lang == "en" else "summary_sv"
    tt = snap.trends[(snap.trends["indicator_id"] == indicator_id) & snap.trends["kommunkod"].isin(list(kommuner))]
    order = {k: i for i, k in enumerate(kommuner)}
    return " ".join(tt.sort_values("kommunkod", key=lambda s: s.map(order))[col])


def indicator_facts(snap: Snapshot, indicator_id: str, lang: str) -> pd.DataFrame:
    """Källa och metod: the catalogue's facts about one indicator as a two-column table."""
    ind = snap.catalog[indicator_id]
    tg = snap.targets[(snap.targets["indicator_id"] == indicator_id) & snap.targets["kommunkod"].isna()]
    targets = "; ".join(f"{target_label(r.label, ind, lang)} ({value_text(r.value, ind, lang) if r.kind == 'absolute' else _signed_pct(r.value, lang)}"
                        f", {int(r.year)})" for r in tg.itertuples()) or t("indicator.fact_none", lang)
    breaks = "; ".join(f"{b['year']}: {b['note']}" for b in breaks_for(snap, ind)) or t("indicator.fact_none", lang)
    facts = [("indicator.fact_unit", ind.unit), ("indicator.fact_source", ind.source),
             ("indicator.fact_reported_by", t(f"reported_by.{ind.reported_by}", lang)),
             ("indicator.fact_start_year", str(ind.start_year)), ("indicator.fact_better", t(f"better.{ind.better}", lang)),
             ("indicator.fact_targets", targets), ("indicator.fact_breaks", breaks), ("common.theme", theme_name(ind.theme, lang))]
    return pd.DataFrame({t("indicator.facts", lang): [t(k, lang) for k, _ in facts], "": [v for _, v in facts]})


def _signed_pct(value: float, lang: str) -> str:
    from indicators.text.numbers import format_percent
    return ("−" if value < 0 else "+") + format_percent(abs(value), lang)


def theme_name(theme: str, lang: str) -> str:
    return t(f"theme.{THEME_SLUGS[theme]}", lang)


# ------------------------------------------------------------------ Jämför

PEER_GROUPS = ("custom", "county", "members", "size")


def size_band(snap: Snapshot, kommun: str) -> tuple[float, float] | None:
    pop = snap.population[snap.population["kommunkod"] == kommun]
    if not len(pop):
        return None
    people = float(pop.sort_values("year")["population"].iloc[-1])
    for low, high in zip(SIZE_BANDS, SIZE_BANDS[1:]):
        if low <= people < high:
            return low, high
    return None


def peer_group(snap: Snapshot, kind: str, kommun: str, chosen: tuple = ()) -> list[str]:
    """The municipalities to compare: own choice, the members of the same county, all
    members, or the members of the same size band (needs population). Base first."""
    members = snap.members(None if not len(snap.current) else int(snap.current["year"].max()))
    if kind == "custom":
        return list(dict.fromkeys([kommun, *chosen])) if kommun else list(chosen)
    if kind == "county":
        m = snap.municipalities
        lan = m.loc[m["kommunkod"] == kommun, "lan_code"]
        codes = set(m.loc[m["lan_code"] == lan.iloc[0], "kommunkod"]) & members if len(lan) else set()
    elif kind == "size":
        band = size_band(snap, kommun)
        if band is None:
            return []
        pop = snap.population.sort_values("year").groupby("kommunkod").tail(1)
        codes = set(pop.loc[(pop["population"] >= band[0]) & (pop["population"] < band[1]), "kommunkod"]) & members
    else:
        codes = members
    names = snap.names()
    return [kommun] + sorted(codes - {kommun}, key=lambda k: names.get(k, k))


def group_label(snap: Snapshot, kind: str, kommun: str, lang: str) -> str:
    from indicators.text.numbers import format_number
    name = kommun_name(snap, kommun)
    if kind == "county":
        m = snap.municipalities
        return str(m.loc[m["kommunkod"] == kommun, "lan_name"].iloc[0])
    if kind == "size":
        band = size_band(snap, kommun)
        if band is None:
            return ""
        low = format_number(band[0], lang)
        return t("compare.size_band_top", lang, low=low) if math.isinf(band[1]) else \
            t("compare.size_band", lang, low=low, high=format_number(band[1], lang))
    return t("compare.group_members", lang) if kind == "members" else name


def compare_frame(snap: Snapshot, kommuner: tuple, theme: str) -> pd.DataFrame:
    ids = [i.id for i in theme_indicators(snap, theme)]
    cur = snap.current[snap.current["indicator_id"].isin(ids) & snap.current["kommunkod"].isin(list(kommuner))]
    return cur.assign(name=cur["kommunkod"].map(snap.names()))


def compare_table(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> pd.DataFrame:
    """Rank within the group on each theme indicator's latest values, with the group median and
    a text flag where a value lies LARGE_DIFFERENCE or more from it (better or worse)."""
    names, rows = snap.names(), []
    for ind in theme_indicators(snap, theme):
        tt = snap.trends[(snap.trends["indicator_id"] == ind.id) & snap.trends["kommunkod"].isin(list(kommuner))]
        if not len(tt):
            continue
        vals = tt["latest_value"].astype(float)
        median = float(vals.median())
        ranks = vals.rank(method="min", ascending=ind.better == "lower").astype(int)
        for (_, r), rank in zip(tt.iterrows(), ranks):
            diff = (r["latest_value"] - median) / abs(median) if median else np.nan
            good = (diff > 0) == (ind.better == "higher")
            flag = "" if not abs(diff) >= LARGE_DIFFERENCE else t(
                "compare.flag_better" if good else "compare.flag_worse", lang)
            rows.append({t("common.indicator", lang): ind.name(lang), t("common.rank", lang): int(rank),
                         t("common.municipality", lang): names.get(r["kommunkod"], r["kommunkod"]),
                         t("common.value", lang): round(float(r["latest_value"]), ind.decimals),
                         t("common.unit", lang): ind.unit, t("common.year", lang): int(r["latest_year"]),
                         t("common.median", lang): round(median, ind.decimals),
                         t("common.diff_median", lang): float(round(100 * diff, 0)) if not np.isnan(diff) else np.nan,
                         t("common.flag", lang): flag})
    out = pd.DataFrame(rows)
    if len(out):
        key = [t("common.indicator", lang), t("common.rank", lang)]
        order = {i.name(lang): n for n, i in enumerate(snap.catalog)}
        out = out.sort_values(key, key=lambda s: s.map(order) if s.name == key[0] else s).reset_index(drop=True)
    return out


def compare_sections(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> list[dict]:
    """compare_table split per indicator for display: name, the group median as text, the rows."""
    table = compare_table(snap, kommuner, theme, lang)
    if not len(table):
        return []
    ind_col, median_col, unit_col = t("common.indicator", lang), t("common.median", lang), t("common.unit", lang)
    by_name = {i.name(lang): i for i in snap.catalog}
    out = []
    for name, part in table.groupby(ind_col, sort=False):
        ind = by_name[name]
        out.append({"id": ind.id, "name": name, "median": value_text(part[median_col].iloc[0], ind, lang),
                    "table": part.drop(columns=[ind_col, median_col, unit_col]).reset_index(drop=True)})
    return out


def compare_series_table(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> pd.DataFrame:
    """The small multiples' table twin: every value drawn, per indicator, municipality and year."""
    frame = compare_frame(snap, kommuner, theme)
    names = {i.id: i.name(lang) for i in snap.catalog}
    order = {k: n for n, k in enumerate(kommuner)}
    frame = frame.sort_values(["indicator_id", "kommunkod", "year"],
                              key=lambda s: s.map(order) if s.name == "kommunkod" else s)
    return pd.DataFrame({t("common.indicator", lang): frame["indicator_id"].map(names).to_numpy(),
                         t("common.municipality", lang): frame["name"].to_numpy(),
                         t("common.year", lang): frame["year"].astype(int).to_numpy(),
                         t("common.value", lang): frame["value"].to_numpy(),
                         t("common.source_kind", lang): [t(f"chart.source.{k}", lang) for k in frame["source_kind"]]})


def compare_summary(snap: Snapshot, kommuner: tuple, theme: str, lang: str) -> str:
    """The small multiples in words: the base municipality's place in the group per indicator."""
    table = compare_table(snap, kommuner, theme, lang)
    if not len(table):
        return ""
    base = kommun_name(snap, kommuner[0])
    mine = table[table[t("common.municipality", lang)] == base]
    size = table.groupby(t("common.indicator", lang)).size()
    parts = [t("compare.summary_part", lang, indicator=r[t("common.indicator", lang)], rank=int(r[t("common.rank", lang)]),
               n=int(size[r[t("common.indicator", lang)]])) for _, r in mine.iterrows()]
    return t("compare.summary", lang, name=base, parts="; ".join(parts)) if parts else ""


# ------------------------------------------------------------------ Tema

def theme_table(snap: Snapshot, theme: str, kommun: str, lang: str) -> pd.DataFrame:
    """Per theme indicator and year: the municipality's value and kind, the SEKOM average and n."""
    frames = []
    for ind in theme_indicators(snap, theme):
        tab = chart_table(snap, ind.id, (kommun,), lang)
        tab.insert(0, t("common.indicator", lang), ind.name(lang))
        tab.insert(1, t("common.unit", lang), ind.unit)
        frames.append(tab)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# ------------------------------------------------------------------ Om och metod

EXAMPLE = ((2014, 32.0), (2015, 31.2), (2016, 30.6), (2017, 31.1), (2018, 30.9), (2019, 31.7), (2020, 32.6),
           (2021, 31.9), (2022, 32.1), (2023, 32.3))


def example_series() -> pd.DataFrame:
    """Invented values that show the verdict rule: only the base and the latest value count."""
    return pd.DataFrame({"kommunkod": "exempel", "name": "", "year": [y for y, _ in EXAMPLE],
                         "value": [v for _, v in EXAMPLE], "source_kind": "example"})


def example_table(snap: Snapshot, lang: str) -> pd.DataFrame:
    ex = example_series()
    return pd.DataFrame({t("common.year", lang): ex["year"], t("common.value", lang): ex["value"]})


def sources_table(snap: Snapshot, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [i.id for i in snap.catalog], t("common.indicator", lang): [i.name(lang) for i in snap.catalog],
        t("common.theme", lang): [theme_name(i.theme, lang) for i in snap.catalog],
        t("common.unit", lang): [i.unit for i in snap.catalog],
        t("indicator.fact_source", lang): [i.source for i in snap.catalog],
        t("indicator.fact_reported_by", lang): [t(f"reported_by.{i.reported_by}", lang) for i in snap.catalog],
        t("indicator.fact_start_year", lang): [i.start_year for i in snap.catalog]})


# The functions the UI may call through its cache (ui.data): name -> function(snapshot, *args).
UI_CALLS = {f.__name__: f for f in (
    overview_tiles, verdict_count_table, overview_headline, overview_chart_summary, scorecard, verdict_tally,
    scorecard_table, position_table, default_kommuner, chart_table, ranking_table, map_years, map_table, map_summary,
    network_summary, kommun_summaries, indicator_facts, peer_group, group_label, compare_table, compare_sections,
    theme_table, year_ranking, network_table, compare_series_table, compare_summary,
    example_table, sources_table, kommun_name, is_member, demo_marker, size_band)}
