"""The snapshot every page reads: everything one database state says about the catalogue's
indicators (current values, municipalities, membership, population, targets, breaks, the trend
table with its sentences, the network aggregates), read from the store once; and the small
lookups the page views share (one series, one trend row, the network series, names, demo flags).

Views (one module per page beside this one) are pure functions over a Snapshot; the UI caches
them per database state. Imports the store, stats and text layers; never streamlit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from indicators.catalog import Catalog, Indicator, default_catalog
from indicators.stats import network as network_stats
from indicators.stats import trendmath, trends
from indicators.store import Store, observations, uploads
from indicators.text import provenance
from indicators.text.labels import band_label
from indicators.text.summaries import add_summaries


@dataclass(frozen=True)
class Snapshot:
    catalog: Catalog
    current: pd.DataFrame          # indicator_id, kommunkod, year, value, source_kind, comment, provenance
    municipalities: pd.DataFrame   # kommunkod, name, lan_code, lan_name
    membership: pd.DataFrame       # kommunkod, from_year, to_year
    population: pd.DataFrame       # kommunkod, year, population
    targets: pd.DataFrame          # every active target (national: kommunkod NULL)
    breaks: pd.DataFrame           # series breaks (national: kommunkod NULL)
    trends: pd.DataFrame           # one row per (kommunkod, indicator_id): the trend table
    network: pd.DataFrame          # indicator_id, year, n, members, mean, weighted_mean, median, min, max,
                                   # preliminary, headline, headline_weighted (stats.networkmath.network_frame)
    network_verdicts: pd.DataFrame  # one row per indicator: the network average's own verdict (complete years)
    year_verdicts: pd.DataFrame    # indicator_id, kommunkod, year, verdict: members as of the network year
    preliminary_share: float = trends.PRELIMINARY_SHARE   # the stored setting the figures were computed with

    def names(self) -> dict[str, str]:
        return dict(zip(self.municipalities["kommunkod"], self.municipalities["name"]))

    def members(self, year: int | None = None) -> set[str]:
        m = self.membership
        if year is None:
            return set(m["kommunkod"])
        ok = (m["from_year"] <= year) & (m["to_year"].isna() | (m["to_year"] >= year))
        return set(m.loc[ok, "kommunkod"])


def load_snapshot(store: Store, catalog: Catalog | None = None) -> Snapshot:
    """Everything the pages show, read from the store once (only the catalogue's indicators):
    the reference tables once, the trend engine's one query, the current values; all on one
    connection (opening the file costs ~15 ms, and no process holds it between reads)."""
    catalog = catalog or default_catalog()
    with store.reading():
        refs = trends.read_reference(store)
        current = observations.fetch_current(store, catalog.ids)[
            ["indicator_id", "kommunkod", "year", "value", "source_kind", "comment", "provenance"]]
        table, network = trends.trends_and_network_from_store(store, catalog, refs=refs)
    municipalities = refs.municipalities
    add_summaries(table, catalog, dict(zip(municipalities["kommunkod"], municipalities["name"])))
    return Snapshot(
        catalog=catalog, current=current.astype({"year": int}), municipalities=municipalities,
        membership=refs.membership[["kommunkod", "from_year", "to_year"]], population=refs.population,
        targets=refs.targets, breaks=refs.breaks, trends=table.rename(columns={"indicator": "indicator_id"}),
        network=network, network_verdicts=network_stats.network_verdicts(network, catalog).rename(
            columns={"indicator": "indicator_id"}),
        year_verdicts=network_stats.verdicts_in_network_year(table, current, catalog, network, refs.membership,
                                                             refs.breaks),
        preliminary_share=refs.preliminary_share)


def trend_records(store: Store, kommun: str | None = None, indicator: str | None = None) -> list[dict]:
    """The trend table as JSON-ready dicts with both languages' sentences: what `trends --json`
    prints (and the open API serves)."""
    with store.reading():
        refs = trends.read_reference(store)
        table = trends.trend_table_from_store(store, kommuner=[kommun] if kommun else None,
                                              indicators=[indicator] if indicator else None, refs=refs)
    municipalities = refs.municipalities
    add_summaries(table, default_catalog(), dict(zip(municipalities["kommunkod"], municipalities["name"])))
    return trendmath.table_records(table)


def load_comments(store: Store, kommun: str) -> dict[str, str]:
    """The municipality's newest comment per indicator (plain text: the UI must escape it)."""
    frame = uploads.fetch_comments(store, kommun)
    out: dict[str, str] = {}
    for row in frame.sort_values("created_at", ascending=False).itertuples():
        out.setdefault(row.indicator_id, str(row.text))
    return out


def trend_row(snap: Snapshot, kommun: str, indicator_id: str) -> dict | None:
    """One (municipality, indicator) row of the trend table as a plain dict, or None."""
    tt = snap.trends
    hit = tt[(tt["kommunkod"] == kommun) & (tt["indicator_id"] == indicator_id)]
    return trendmath.table_records(hit)[0] if len(hit) else None


def trend_rows(snap: Snapshot, kommun: str) -> dict[str, dict]:
    """Every trend-table row of one municipality as plain dicts by indicator id (one scan of the
    table, where a trend_row per indicator would scan it once each)."""
    tt = snap.trends
    return {r["indicator_id"]: r for r in trendmath.table_records(tt[tt["kommunkod"] == kommun])}


def network_series(snap: Snapshot, indicator_id: str) -> pd.DataFrame:
    """The SEKOM average of one indicator per year (n, members, mean, weighted mean, median, min,
    max, preliminary, headline), preliminary years included: mark them, never show them as the
    network's figure."""
    net = snap.network
    return net[net["indicator_id"] == indicator_id].sort_values("year")


def network_year(snap: Snapshot, indicator_id: str) -> int | None:
    """The latest complete (not preliminary) year of an indicator: where the network's figures,
    ranks, best and worst lists come from."""
    net = network_series(snap, indicator_id)
    done = net[~net["preliminary"]]
    return int(done["year"].iloc[-1]) if len(done) else None


def network_point(snap: Snapshot, indicator_id: str) -> dict | None:
    """The network's figure: the network_series row of the network year, as a dict."""
    year = network_year(snap, indicator_id)
    if year is None:
        return None
    net = network_series(snap, indicator_id)
    return net[net["year"] == year].iloc[0].to_dict()


def later_preliminary(snap: Snapshot, indicator_id: str) -> pd.DataFrame:
    """The preliminary years after the network year (an early report, the reporting season)."""
    net = network_series(snap, indicator_id)
    year = network_year(snap, indicator_id)
    return net[net["preliminary"] & (net["year"] > (year if year is not None else -1))]


def series_of(snap: Snapshot, indicator_id: str, kommuner) -> pd.DataFrame:
    """Current values of one indicator for some municipalities (in the order given), with names."""
    cur = snap.current
    part = cur[(cur["indicator_id"] == indicator_id) & cur["kommunkod"].isin(list(kommuner))].copy()
    part["name"] = part["kommunkod"].map(snap.names())
    order = {k: i for i, k in enumerate(kommuner)}
    return part.sort_values(["kommunkod", "year"], key=lambda s: s.map(order) if s.name == "kommunkod" else s)


def missing(x) -> bool:
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


def source_text(snap: Snapshot, indicator_id: str, lang: str) -> str:
    """The source named under an indicator's chart or table: the catalogue's source, or Kolada (with the
    original producer) when the values are Kolada's, or us when they are derived from Kolada's data."""
    cur = snap.current[snap.current["indicator_id"] == indicator_id]
    return provenance.source_text(snap.catalog[indicator_id].source, cur["provenance"], lang)


def computed_note(snap: Snapshot, indicator_id: str, lang: str) -> str:
    """How our calculations over the indicator's values (average, target path) are labelled."""
    cur = snap.current[snap.current["indicator_id"] == indicator_id]
    return provenance.computed_label(cur["provenance"], lang)
