"""Rapporteringsstatus: who has reported what. The members × indicators status matrix of a
year (delivered, flagged, missing) with completeness per member and per indicator, as plain
frames for the page. Never imports streamlit; SQL lives in the store layer.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.store import observations
from indicators.store import reference
from indicators.store import uploads
from indicators.catalog import Catalog, default_catalog
from indicators.text.i18n import t
from indicators.text.numbers import round_column

STATES = ("delivered", "flagged", "missing")


@dataclass
class StatusBoard:
    year: int
    cells: pd.DataFrame          # long: kommunkod, name, indicator_id, state, revised
    per_member: pd.DataFrame     # kommunkod, name, delivered, flagged, missing, completeness (0..1)
    per_indicator: pd.DataFrame  # indicator_id, delivered, flagged, missing, completeness (0..1)
    completeness: float          # share of all cells delivered or flagged


def status_board(store, year: int, indicator_ids: list[str] | None = None,
                 catalog: Catalog | None = None) -> StatusBoard:
    """The matrix for the members of `year` and (by default) the member-reported indicators."""
    catalog = catalog or default_catalog()
    ids = list(indicator_ids) if indicator_ids else [i.id for i in catalog.member_reported()]
    members = reference.fetch_members(store, int(year))
    names = dict(zip(*reference.fetch_municipalities(store)[["kommunkod", "name"]].T.values))
    grid = pd.MultiIndex.from_product([members, ids], names=["kommunkod", "indicator_id"]).to_frame(index=False)
    got = uploads.fetch_status_cells(store, int(year), ids)
    cells = grid.merge(got, on=["kommunkod", "indicator_id"], how="left")
    cells["state"] = "missing"
    cells.loc[cells["value"].notna(), "state"] = "delivered"
    cells.loc[cells["value"].notna() & cells["flagged"].fillna(False).astype(bool), "state"] = "flagged"
    cells["revised"] = cells["n_revisions"].fillna(0) > 1
    cells["name"] = cells["kommunkod"].map(names)
    cells = cells[["kommunkod", "name", "indicator_id", "state", "revised", "value"]]
    return StatusBoard(int(year), cells, _tally(cells, ["kommunkod", "name"]), _tally(cells, ["indicator_id"]),
                       float((cells["state"] != "missing").mean()) if len(cells) else 0.0)


def latest_year(store) -> int | None:
    """The latest year with any value: what the status page opens on."""
    year = observations.fetch_latest_year(store)
    return int(year) if year is not None else None


def _tally(cells: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    tab = pd.crosstab([cells[b] for b in by], cells["state"]).reindex(columns=list(STATES), fill_value=0)
    tab["completeness"] = (tab["delivered"] + tab["flagged"]) / tab[list(STATES)].sum(axis=1)
    return tab.reset_index().rename_axis(columns=None)


def status_table(board: StatusBoard, lang: str = "sv") -> pd.DataFrame:
    """One row per member, one column per indicator (localised state), completeness in percent:
    what the page shows and what the CSV export holds."""
    labels = {s: t(f"status.state_{s}", lang) for s in STATES}
    wide = board.cells.assign(state=board.cells["state"].map(labels)).pivot(
        index=["kommunkod", "name"], columns="indicator_id", values="state")
    order = list(dict.fromkeys(board.cells["indicator_id"]))
    wide = wide[order].reset_index()
    pct = board.per_member.set_index("kommunkod")["completeness"]
    wide[t("status.col_completeness", lang)] = round_column(wide["kommunkod"].map(pct) * 100, 0).astype("Int64")
    return wide.rename(columns={"kommunkod": t("status.col_code", lang), "name": t("common.municipality", lang)})


def indicator_table(board: StatusBoard, lang: str = "sv", catalog: Catalog | None = None) -> pd.DataFrame:
    catalog = catalog or default_catalog()
    names = {i.id: i.name(lang) for i in catalog}
    p = board.per_indicator
    return pd.DataFrame({
        t("common.indicator", lang): p["indicator_id"] + " " + p["indicator_id"].map(names),
        t("status.state_delivered", lang): p["delivered"], t("status.state_flagged", lang): p["flagged"],
        t("status.state_missing", lang): p["missing"],
        t("status.col_completeness", lang): round_column(p["completeness"] * 100, 0).astype("Int64")})
