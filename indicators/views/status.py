"""Who has reported what: the members × indicators status matrix of a year (delivered,
flagged, missing) with completeness per member and per indicator; the report template
pre-filled for one municipality; and reporters' comments per municipality × indicator.

Comments are plain text: whoever shows them must escape HTML and markdown (st.text,
st.dataframe). Never imports streamlit; SQL lives in queries.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import queries
from .auth import User, require_can_write
from .catalog import Catalog, default_catalog
from .errors import GNError
from .export import CANONICAL_HEADER_EN, CANONICAL_HEADER_SV
from .i18n import t

STATES = ("delivered", "flagged", "missing")
MAX_COMMENT_LENGTH = 2000


class CommentError(GNError):
    """A comment that cannot be stored (empty, too long, unknown indicator)."""


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
    members = queries.fetch_members(store, int(year))
    names = dict(zip(*queries.fetch_municipalities(store)[["kommunkod", "name"]].T.values))
    grid = pd.MultiIndex.from_product([members, ids], names=["kommunkod", "indicator_id"]).to_frame(index=False)
    got = queries.fetch_status_cells(store, int(year), ids)
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
    year = queries.fetch_latest_year(store)
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
    wide[t("status.col_completeness", lang)] = (wide["kommunkod"].map(pct) * 100).round(0).astype("Int64")
    return wide.rename(columns={"kommunkod": t("status.col_code", lang), "name": t("common.municipality", lang)})


def indicator_table(board: StatusBoard, lang: str = "sv", catalog: Catalog | None = None) -> pd.DataFrame:
    catalog = catalog or default_catalog()
    names = {i.id: i.name(lang) for i in catalog}
    p = board.per_indicator
    return pd.DataFrame({
        t("common.indicator", lang): p["indicator_id"] + " " + p["indicator_id"].map(names),
        t("status.state_delivered", lang): p["delivered"], t("status.state_flagged", lang): p["flagged"],
        t("status.state_missing", lang): p["missing"],
        t("status.col_completeness", lang): (p["completeness"] * 100).round(0).astype("Int64")})


# ------------------------------------------------------------------ template

def template_frame(store, user: User | None, kommunkod: str, year: int, lang: str = "sv",
                   catalog: Catalog | None = None) -> pd.DataFrame:
    """The report template: the municipality, each member-reported indicator, the year, an
    empty value and comment, plus hint columns (name, unit, last year's value) that the
    parser ignores when the file comes back."""
    require_can_write(user, [kommunkod])
    catalog = catalog or default_catalog()
    inds = catalog.member_reported()
    last = queries.fetch_template_values(store, kommunkod, [i.id for i in inds], [int(year) - 1])
    hint = dict(zip(last["indicator_id"], last["value"]))
    header = CANONICAL_HEADER_EN if lang == "en" else CANONICAL_HEADER_SV
    frame = pd.DataFrame({header[0]: kommunkod, header[1]: [i.id for i in inds], header[2]: int(year),
                          header[3]: None, header[4]: ""})
    frame[t("report.template_name", lang)] = [i.name(lang) for i in inds]
    frame[t("report.template_unit", lang)] = [i.unit for i in inds]
    frame[t("report.template_hint", lang, year=int(year) - 1)] = [hint.get(i.id) for i in inds]
    return frame


# ------------------------------------------------------------------ comments

def add_comment(store, user: User | None, kommunkod: str, indicator_id: str, text: str,
                year: int | None = None, catalog: Catalog | None = None) -> None:
    """Store a reporter's comment (an empty text withdraws the current one)."""
    require_can_write(user, [kommunkod])
    catalog = catalog or default_catalog()
    if indicator_id not in catalog:
        raise CommentError("comment.unknown_indicator", f"Unknown indicator {indicator_id!r}.")
    text = (text or "").strip()
    if len(text) > MAX_COMMENT_LENGTH:
        raise CommentError("comment.too_long", f"A comment may have at most {MAX_COMMENT_LENGTH} characters.",
                           n=MAX_COMMENT_LENGTH)
    row = pd.DataFrame({"kommunkod": [kommunkod], "indicator_id": [indicator_id],
                        "year": pd.array([year], dtype="Int64"), "text": [text], "created_by": [user.username],
                        "upload_id": pd.array([None], dtype="Int64")})
    with store.transaction() as cur:
        queries.insert_comments(cur, row)


def comments_for(store, kommunkod: str, indicator_id: str | None = None) -> pd.DataFrame:
    """Current comments of a municipality (indicator_id, year, text, created_by, created_at),
    newest first. Public. Show `text` as plain text only (st.text / st.dataframe)."""
    return queries.fetch_comments(store, kommunkod, indicator_id)
