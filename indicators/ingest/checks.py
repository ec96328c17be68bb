"""Validation and plausibility of a parsed report: every problem at once, vectorised.

Turns the raw text cells of ingest.ParsedFile into typed values (municipality code, indicator
id, year, number) and a Report: errors (each with code, row, column, value and a fix-it
message) and plausibility warnings (a value outside the indicator's `plausible_range`, a
year-on-year change beyond its `plausible_yoy_change`, and robust outliers against the other
members' current values). Numbers are read with the file's settled decimal mark (decimals.py).
A report with any error must write nothing. Reads the store only through indicators/store.
Never imports streamlit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, default_catalog
from indicators.ingest import limits
from indicators.ingest.decimals import SANE_BOUND, parse_numbers, read_numbers, readings
from indicators.ingest.parse import ParsedFile, Problem
from indicators.store import observations, reference

__all__ = ["Report", "validate", "parse_numbers", "normalise_codes", "normalise_indicators", "current_year"]

MIN_YEAR = 1970
YOY_MAX_GAP = 3        # compare with the nearest earlier year at most this many years back
OUTLIER_Z = 3.5        # modified z-score 0.6745·|x − median| / MAD (Iglewicz & Hoaglin)
OUTLIER_MIN_PEERS = 10  # fewer member values that year: no outlier test


@dataclass
class Report:
    """The outcome of reading and checking one file. `rows` holds the valid values."""
    filename: str
    sha256: str
    kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    layout: str = "long"
    decimal_mark: str = ""      # "," or "." when the file's values settle it; "both"; "" when none needed
    decimal_example: str = ""   # a value of the file that shows the mark
    problems: list = field(default_factory=list)     # errors: the file is rejected
    warnings: list = field(default_factory=list)     # plausibility flags: need a comment
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_read: int = 0
    n_blank: int = 0
    n_duplicates: int = 0
    skipped_aggregates: dict = field(default_factory=dict)   # table view: {"Riket": rows skipped, …}

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def n_flagged(self) -> int:
        return int((self.rows["flags"] != "").sum()) if "flags" in self.rows else 0

    def problem_frame(self, lang: str = "sv", warnings: bool = False) -> pd.DataFrame:
        items = self.warnings if warnings else self.problems
        return pd.DataFrame({"row": pd.array([p.row for p in items], dtype="Int64"),
                             "column": [p.column or "" for p in items], "code": [p.code for p in items],
                             "value": [p.value for p in items], "message": [p.message(lang) for p in items]},
                            columns=["row", "column", "code", "value", "message"])


def current_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year


def normalise_codes(raw: pd.Series, names: dict[str, str]) -> pd.Series:
    """'180' -> '0180' (Excel drops the zero), '180.0' too; a municipality's name -> its code."""
    s = raw.fillna("").astype("string").str.replace(r"\s", "", regex=True).str.replace(r"\.0$", "", regex=True)
    digits = s.str.fullmatch(r"\d{1,4}").fillna(False)
    by_name = raw.fillna("").astype("string").str.strip().str.lower().map(names)
    return s.str.zfill(4).where(digits, by_name.astype("string"))


def _id_key(text) -> str:
    """An indicator id as a reader might write it, reduced to letters and digits, lower case."""
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def normalise_indicators(raw: pd.Series, catalog: Catalog | None = None) -> pd.Series:
    """'GN.2a', 'gn2A', 'GN 10' -> catalogue ids (from the catalogue itself); NA when unknown."""
    ids = {_id_key(i): i for i in (catalog or default_catalog()).ids}
    return raw.fillna("").astype("string").map(lambda v: ids.get(_id_key(v), pd.NA)).astype("string")


class _Collector:
    """Gathers problems from boolean masks over the cells and remembers which rows are bad."""

    def __init__(self, cells: pd.DataFrame, problems: list):
        self.c, self.problems = cells, problems
        self.bad = pd.Series(False, index=cells.index)
        self.skip = pd.Series(False, index=cells.index)    # rows already reported while parsing

    def add(self, code, mask, column, raw, detail="", header_row: int | None = None) -> None:
        mask = mask.fillna(False).astype(bool) & ~self.skip.reindex(mask.index, fill_value=False)
        self.bad |= mask
        if header_row is not None:      # wide layout: a bad year is a header, reported once
            for hdr in pd.unique(column[mask]):
                self.problems.append(Problem(code, header_row, str(hdr), str(hdr), str(detail)))
            return
        n = int(mask.sum())
        cols = column[mask] if isinstance(column, pd.Series) else [column] * n
        details = detail[mask] if isinstance(detail, pd.Series) else [detail] * n
        self.problems.extend(Problem(code, int(r), cn, str(v), str(d))
                             for r, cn, v, d in zip(self.c["row"][mask], cols, raw[mask], details))


def validate(store, parsed: ParsedFile, user, catalog: Catalog | None = None,
             today: dt.date | None = None) -> Report:
    """Check every cell; return the complete report (rows holds the valid values)."""
    catalog = catalog or default_catalog()
    rep = Report(parsed.filename, parsed.sha256, parsed.kind, parsed.encoding, parsed.delimiter, parsed.layout,
                 problems=list(parsed.problems), n_blank=parsed.n_blank, n_read=len(parsed.cells))
    if parsed.problems:
        return rep
    rep.problems.extend(parsed.cell_problems)
    if parsed.cells.empty:
        return rep
    munis = reference.fetch_municipalities(store)
    names = dict(zip(munis["name"].str.lower(), munis["kommunkod"]))
    c, col = parsed.cells, parsed.columns
    kod = normalise_codes(c["kommunkod"], names)
    ind = normalise_indicators(c["indicator"], catalog)
    year = pd.to_numeric(c["year"].str.replace(r"\.0$", "", regex=True), errors="coerce")
    numbers = read_numbers(c["value"], c["exact"] if "exact" in c else None)
    value = numbers.values
    rep.decimal_mark, rep.decimal_example = numbers.mark, numbers.example
    known_kod = kod.isin(set(munis["kommunkod"])).fillna(False)
    known_ind = ind.isin(catalog.ids).fillna(False)
    out = _Collector(c, rep.problems)
    out.skip = c["row"].isin({p.row for p in parsed.cell_problems})
    out.bad |= out.skip
    value_control = _check_text(out, c, col)
    out.add("unknown-municipality", ~known_kod, col["kommunkod"], c["kommunkod"], "0180, 1490 …")
    if user is not None and user.role != "admin":
        out.add("not-your-municipality", known_kod & ~kod.isin(list(user.municipalities)), col["kommunkod"],
                c["kommunkod"], ", ".join(user.municipalities))
    out.add("unknown-indicator", ~known_ind, col["indicator"], c["indicator"], ", ".join(catalog.ids))
    _check_years(out, c, year, current_year(today), parsed.header_row if parsed.layout == "wide" else None)
    _check_ambiguous(out, c, numbers.ambiguous)
    out.add("not-a-number", value.isna() & ~numbers.ambiguous & ~value_control, c["value_col"], c["value"])
    _check_ranges(out, c, ind, value, catalog, known_ind)
    frame = pd.DataFrame({"row": c["row"], "kommunkod": kod, "indicator_id": ind, "year": year, "value": value,
                          "comment": c["comment"].fillna(""), "value_col": c["value_col"],
                          "raw_value": c["value"]})[~out.bad]
    frame, rep.n_duplicates = _check_duplicates(out, frame)
    rep.problems.sort(key=lambda p: (p.row or 0, p.code))
    rep.rows = frame.drop(columns=["value_col", "raw_value"]).astype(
        {"year": "int64", "kommunkod": str, "indicator_id": str, "comment": str}).reset_index(drop=True)
    if rep.ok:
        flag_plausibility(store, rep, catalog)
    return rep


def _check_years(out: _Collector, c, year, this_year: int, header_row: int | None) -> None:
    whole = year.notna() & (year == year.round())
    out.add("bad-year", ~whole | (year < MIN_YEAR), c["year_col"], c["year"], f"{MIN_YEAR}–{this_year}", header_row)
    out.add("future-year", whole & (year > this_year), c["year_col"], c["year"], str(this_year), header_row)


def _check_text(out: _Collector, c, col: dict) -> pd.Series:
    """Control characters in any cell we read, and comments longer than the comment form allows.
    Returns which value cells hold a control character (they need no not-a-number on top)."""
    value_control = pd.Series(False, index=c.index)
    for name in ("kommunkod", "indicator", "year", "value", "comment"):
        text = c[name].fillna("")
        bad = text.str.contains(limits.CONTROL, regex=True).fillna(False)
        if name == "value":
            value_control = bad.astype(bool)
        if bad.any():
            where = c["value_col"] if name == "value" else c["year_col"] if name == "year" else col.get(name, name)
            out.add("control-character", bad, where, text, text[bad].map(limits.describe_control).reindex(
                c.index, fill_value=""))
    long = c["comment"].fillna("").str.len() > limits.MAX_COMMENT_LENGTH
    out.add("comment-too-long", long, col.get("comment", "kommentar"), c["comment"].str.len().astype(str),
            str(limits.MAX_COMMENT_LENGTH))
    return value_control


def _check_ambiguous(out: _Collector, c, ambiguous: pd.Series) -> None:
    """A value whose reading depends on the decimal mark the file does not settle."""
    idx = ambiguous[ambiguous].index
    out.bad |= ambiguous
    for i in idx:
        thousands, decimal = readings(c.at[i, "value"])
        out.problems.append(Problem("ambiguous-decimal", int(c.at[i, "row"]), str(c.at[i, "value_col"]),
                                    str(c.at[i, "value"]), extra=(("thousands", thousands), ("decimal", decimal))))


def _check_ranges(out: _Collector, c, ind, value, catalog: Catalog, known_ind) -> None:
    shares = [i.id for i in catalog if i.is_share]
    lows = ind.map({i.id: i.min_value for i in catalog}).astype("float64")
    too_low = known_ind & value.notna() & (value < lows)
    too_high = known_ind & value.notna() & ind.isin(shares) & (value > 100)
    insane = value.notna() & (value.abs() > SANE_BOUND)
    detail = np.where(ind.isin(shares), "0–100 %", "≥ 0")
    detail = np.where(insane & ~ind.isin(shares), f"0–{SANE_BOUND:.0e}", detail)
    out.add("out-of-range", too_low | too_high | insane, c["value_col"], c["value"],
            pd.Series(detail, index=c.index))


def _check_duplicates(out: _Collector, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The same municipality, indicator and year twice: identical values are kept once;
    different values are a conflict on every row involved."""
    key = ["kommunkod", "indicator_id", "year"]
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame, 0
    groups = frame[dup].groupby(key, sort=False)
    nvals = groups["value"].transform("nunique")
    rows = groups["row"].transform(lambda r: ", ".join(str(int(x)) for x in r))
    conflict = pd.Series(False, index=frame.index)
    conflict[nvals.index] = nvals > 1
    detail = pd.Series("", index=frame.index, dtype="string")
    detail[rows.index] = rows
    out.c = frame
    out.add("conflicting-duplicate", conflict, frame["value_col"], frame["raw_value"], detail)
    kept = frame[~conflict]
    deduped = kept.drop_duplicates(key)
    return deduped, len(kept) - len(deduped)


def flag_plausibility(store, rep: Report, catalog: Catalog) -> None:
    """Add warnings and a `flags` column (space-separated codes) to rep.rows."""
    rows = rep.rows
    rows["flags"] = ""
    rows["flag_detail"] = ""
    if rows.empty:
        return
    years = rows["year"]
    hist = observations.fetch_values_for_checks(store, sorted(rows["indicator_id"].unique()),
                                           int(years.min()) - YOY_MAX_GAP, int(years.max()))
    key = ["indicator_id", "kommunkod", "year"]
    hist = hist.astype({"indicator_id": str, "kommunkod": str, "year": "int64"})
    hist = hist.merge(rows[key], on=key, how="left", indicator=True)
    hist = hist[hist["_merge"] == "left_only"].drop(columns="_merge")
    combined = pd.concat([hist, rows[key + ["value"]]], ignore_index=True)
    _flag_range(rep, catalog)
    _flag_yoy(rep, combined, catalog)
    _flag_outliers(store, rep, combined)


def _add_flag(rep: Report, mask: pd.Series, code: str, detail) -> None:
    """Flag the rows in mask; detail(idx) returns one text per flagged row (formatted only for those)."""
    rows = rep.rows
    idx = mask[mask.fillna(False).astype(bool)].index
    if not len(idx):
        return
    texts = pd.Series(detail(idx), index=idx, dtype=str)
    rows.loc[idx, "flags"] = (rows.loc[idx, "flags"] + " " + code).str.strip()
    rows.loc[idx, "flag_detail"] = (rows.loc[idx, "flag_detail"] + "; " + texts).str.strip("; ")
    rep.warnings.extend(Problem(code, int(r), None, _num(v), d) for r, v, d in
                        zip(rows.loc[idx, "row"].to_numpy(), rows.loc[idx, "value"].to_numpy(), texts.to_numpy()))


def _num(v: float) -> str:
    """A number as plain text without exponent or trailing zeros: 1234.5, 0.25, 12."""
    return f"{float(v):.6f}".rstrip("0").rstrip(".")


def _flag_yoy(rep: Report, combined: pd.DataFrame, catalog: Catalog) -> None:
    rows = rep.rows
    left = rows[["indicator_id", "kommunkod", "year", "value"]].reset_index().sort_values("year")
    right = combined.rename(columns={"year": "prev_year", "value": "prev_value"}).dropna(subset=["prev_value"])
    right = right.sort_values("prev_year")
    left["year"] = left["year"].astype("int64")
    right["prev_year"] = right["prev_year"].astype("int64")
    m = pd.merge_asof(left, right, left_on="year", right_on="prev_year", by=["indicator_id", "kommunkod"],
                      allow_exact_matches=False, tolerance=YOY_MAX_GAP).set_index("index").reindex(rows.index)
    prev, new = m["prev_value"], rows["value"]
    change = (new - prev).abs() / prev.abs()
    change = change.where(prev != 0, np.where(new == 0, 0.0, np.inf))
    limit = rows["indicator_id"].map({i.id: i.plausible_yoy_change for i in catalog})
    mask = prev.notna() & (change > limit)
    def detail(idx):
        return [f"{int(py)}: {_num(pv)} → {_num(nv)} (±{round(lim * 100)} %)" for py, pv, nv, lim in
                zip(m.loc[idx, "prev_year"].to_numpy(), prev[idx].to_numpy(), new[idx].to_numpy(),
                    limit[idx].to_numpy())]
    _add_flag(rep, mask, "implausible-change", detail)


def _flag_range(rep: Report, catalog: Catalog) -> None:
    """Outside the indicator's plausible range (catalogue): possible, but needs a comment."""
    rows = rep.rows
    ranges = {i.id: i.plausible_range for i in catalog if i.plausible_range}
    lo = rows["indicator_id"].map({k: r[0] for k, r in ranges.items()}).astype("float64")
    hi = rows["indicator_id"].map({k: r[1] for k, r in ranges.items()}).astype("float64")
    units = rows["indicator_id"].map({i.id: i.unit for i in catalog})
    mask = (rows["value"] < lo) | (rows["value"] > hi)
    def detail(idx):
        return [f"{_num(a)}–{_num(b)} {u}" for a, b, u in zip(lo[idx], hi[idx], units[idx])]
    _add_flag(rep, mask, "implausible-value", detail)


def _peer_values(store, combined: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Per (indicator, year of the file): every member's value that year, or its latest of the
    YOY_MAX_GAP years before (the current values), so the check runs before others report."""
    members = reference.fetch_membership(store)
    parts = []
    for year in years:
        active = members[(members["from_year"] <= year) & (members["to_year"].isna() | (members["to_year"] >= year))]
        sub = combined[(combined["year"] <= year) & (combined["year"] >= year - YOY_MAX_GAP)
                       & combined["kommunkod"].isin(set(active["kommunkod"])) & combined["value"].notna()]
        latest = sub.sort_values("year", kind="stable").drop_duplicates(["indicator_id", "kommunkod"], keep="last")
        parts.append(latest.assign(year=year))
    return pd.concat(parts, ignore_index=True) if parts else combined.iloc[:0]


def _flag_outliers(store, rep: Report, combined: pd.DataFrame) -> None:
    rows = rep.rows
    peers = _peer_values(store, combined, sorted(int(y) for y in rows["year"].unique()))
    stats = peers.groupby(["indicator_id", "year"])["value"].agg(
        median="median", n="count", mad=lambda v: float(np.median(np.abs(v - np.median(v)))))
    m = rows[["indicator_id", "year"]].merge(stats.reset_index(), on=["indicator_id", "year"], how="left")
    m.index = rows.index
    z = 0.6745 * (rows["value"] - m["median"]).abs() / m["mad"]
    mask = (m["n"] >= OUTLIER_MIN_PEERS) & (m["mad"] > 0) & (z > OUTLIER_Z)
    def detail(idx):
        return [f"median {_num(med)}, n = {int(n)}, z > {OUTLIER_Z}" for med, n in
                zip(m.loc[idx, "median"].to_numpy(), m.loc[idx, "n"].to_numpy())]
    _add_flag(rep, mask, "outlier", detail)
