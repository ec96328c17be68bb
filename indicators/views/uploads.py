"""Reporting results as people read them: localised tables for the pages (problems, preview,
flagged values awaiting a comment, uploads, a value's history) and plain lines for the CLI.
The page and the CLI show the same report. Pure formatting of frames; never imports
streamlit and runs no SQL.
"""
from __future__ import annotations

import pandas as pd

from indicators.catalog import Catalog, default_catalog
from indicators.ingest.checks import Report
from indicators.text.i18n import t
from indicators.ingest.reporting import counts


def problem_table(report: Report, lang: str = "sv", warnings: bool = False) -> pd.DataFrame:
    """Row, column, code, value and what to do: one line per problem."""
    f = report.problem_frame(lang, warnings)
    return f.rename(columns={"row": t("report.col_row", lang), "column": t("report.col_column", lang),
                             "code": t("report.col_code", lang), "value": t("report.col_value", lang),
                             "message": t("report.col_message", lang)})


def _indicator_names(r: pd.DataFrame, lang: str, catalog: Catalog | None) -> pd.Series:
    names = {i.id: i.name(lang) for i in (catalog or default_catalog())}
    return r["indicator_id"] + " " + r["indicator_id"].map(names).fillna("")


def preview_table(report: Report, lang: str = "sv", catalog: Catalog | None = None) -> pd.DataFrame:
    """The preview: new, changed (old → new) and unchanged values, with flags and comments."""
    r = report.rows
    return pd.DataFrame({
        t("report.col_row", lang): r["row"].astype("int64"), t("common.municipality", lang): r["kommunkod"],
        t("common.indicator", lang): _indicator_names(r, lang, catalog), t("common.year", lang): r["year"],
        t("report.col_status", lang): r["status"].map({s: t(f"report.status_{s}", lang)
                                                        for s in ("new", "changed", "unchanged")}),
        t("report.col_old", lang): r["old_value"], t("report.col_new", lang): r["value"],
        t("report.col_flags", lang): r["flag_detail"], t("report.col_comment", lang): r["comment"],
    }).reset_index(drop=True)


def flagged_table(report: Report, lang: str = "sv", catalog: Catalog | None = None) -> pd.DataFrame:
    """The flagged values only, indexed like report.rows, for typing the comments they need."""
    r = report.rows[report.rows["flags"] != ""]
    return pd.DataFrame({
        t("report.col_row", lang): r["row"].astype("int64"), t("common.municipality", lang): r["kommunkod"],
        t("common.indicator", lang): _indicator_names(r, lang, catalog), t("common.year", lang): r["year"],
        t("report.col_new", lang): r["value"], t("report.col_flags", lang): r["flag_detail"],
        t("report.col_comment", lang): r["comment"]}, index=r.index)


def comments_from_table(report: Report, edited: pd.DataFrame, lang: str = "sv") -> dict:
    """{(kommunkod, indicator_id, year): text} for the comments typed into flagged_table."""
    col = t("report.col_comment", lang)
    rows = report.rows.loc[edited.index]
    return {(k, i, int(y)): str(c).strip() for k, i, y, c in
            zip(rows["kommunkod"], rows["indicator_id"], rows["year"], edited[col].fillna(""))
            if str(c).strip()}


def upload_table(uploads: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    u = uploads
    return pd.DataFrame({
        t("uploads.col_id", lang): u["id"], t("uploads.col_when", lang): u["created_at"],
        t("uploads.col_who", lang): u["created_by"], t("uploads.col_file", lang): u["filename"],
        t("uploads.col_new", lang): u["n_new"], t("uploads.col_changed", lang): u["n_changed"],
        t("uploads.col_unchanged", lang): u["n_unchanged"], t("uploads.col_flagged", lang): u["n_flagged"],
        t("uploads.col_status", lang): u["status"].map(lambda s: t(f"uploads.state_{s}", lang))})


def history_table(history: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """A value's revisions, newest first; a retraction (NULL) shows as an empty value."""
    h = history
    return pd.DataFrame({
        t("uploads.col_revision", lang): h["revision"], t("common.year", lang): h["year"],
        t("common.value", lang): h["value"], t("uploads.col_kind", lang): h["source_kind"],
        t("uploads.col_who", lang): h["created_by"], t("uploads.col_when", lang): h["created_at"],
        t("uploads.col_upload", lang): h["upload_id"].astype("Int64"), t("uploads.col_file", lang): h["filename"],
        t("report.col_comment", lang): h["comment"]})


def decimal_text(report: Report, lang: str = "sv") -> str:
    """Which decimal convention the file's values were read with, and a value that shows it."""
    key = {",": "comma", ".": "point", "both": "both"}.get(report.decimal_mark, "none")
    return t("report.decimal_line", lang, mark=t(f"report.decimal_{key}", lang, example=report.decimal_example))


def report_lines(report: Report, lang: str = "en") -> list[str]:
    """The report as plain lines (the CLI prints these; the page shows the same as tables)."""
    lines = [t("report.cli_read", lang, filename=report.filename, kind=report.kind or "?",
               encoding=report.encoding or "?", layout=report.layout, n=report.n_read, blank=report.n_blank)]
    if report.n_read:
        lines.append("  " + decimal_text(report, lang))
    lines.extend(note_lines(report, lang))
    for p in report.problems:
        lines.append(problem_line(p, lang))
    if report.ok and "status" in report.rows:
        n = counts(report.rows)
        lines.append(t("report.cli_preview", lang, new=n["new"], changed=n["changed"], unchanged=n["unchanged"],
                       flagged=report.n_flagged))
        for p in report.warnings:
            lines.append(t("report.cli_warning", lang, row=p.row or "–", code=p.code, message=p.message(lang)))
    return lines


def note_lines(report: Report, lang: str = "en") -> list[str]:
    """Notes that are neither problems nor warnings: the table view's skipped network and national rows."""
    return [t("report.note_skipped_aggregate", lang, n=n, name=name) for name, n in report.skipped_aggregates.items()]


def problem_line(p, lang: str = "en") -> str:
    return t("report.cli_problem", lang, row=p.row or "–", column=p.column or "–", code=p.code,
             message=p.message(lang))

