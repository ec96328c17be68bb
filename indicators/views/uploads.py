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


SYSTEM_ACTORS = ("demo", "catalog")          # not people: written by the demo generator, the catalogue


def actor_text(name, lang: str):
    """Who wrote something, as people read it: a user name, or what the system actor is."""
    return t(f"uploads.by_{name}", lang) if name in SYSTEM_ACTORS else name


def _present(value) -> bool:
    return value is not None and not pd.isna(value)


def is_undo(row) -> bool:
    """An upload row that undoes another upload (written by revert_upload)."""
    return _present(row["reverts"])


def undoable_ids(uploads: pd.DataFrame) -> list[int]:
    """The uploads that can still be undone: saved, not themselves an undo."""
    return [int(r["id"]) for _, r in uploads.iterrows() if r["status"] == "committed" and not is_undo(r)]


def _file_name(row, names: dict) -> str | None:
    """The file an upload read; an undo shows the file of the upload it undoes."""
    if is_undo(row):
        original = names.get(int(row["reverts"]))
        return original if original is not None else str(row["filename"] or "").split(": ", 1)[-1] or None
    return row["filename"]


def upload_state(row, lang: str) -> str:
    """'sparad', 'ångrad av #2' or, for an undo, 'ångrar #1': an undo is the undo of its upload."""
    if is_undo(row):
        return t("uploads.state_undo", lang, id=int(row["reverts"]))
    if row["status"] == "reverted" and _present(row["reverted_by"]):
        return t("uploads.state_reverted_by", lang, id=int(row["reverted_by"]))
    return t(f"uploads.state_{row['status']}", lang)


def upload_label(row, names: dict, lang: str) -> str:
    """'#1 boras_2024.csv' for the undo picker."""
    return f"#{int(row['id'])} {_file_name(row, names) or ''}".strip()


def upload_table(uploads: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """The uploads as people read them: an undo is listed as 'ångrar #1' with the file it undid,
    and the upload it undid as 'ångrad av #2' (never as a new upload of a file called 'revert')."""
    u = uploads
    names = {int(i): f for i, f in zip(u["id"], u["filename"])}
    rows = [(r, _file_name(r, names)) for _, r in u.iterrows()]
    return pd.DataFrame({
        t("uploads.col_id", lang): u["id"].astype("int64").tolist(),
        t("uploads.col_when", lang): [r["created_at"].strftime("%Y-%m-%d %H:%M") for r, _ in rows],
        t("uploads.col_who", lang): [actor_text(r["created_by"], lang) for r, _ in rows],
        t("uploads.col_file", lang): [f for _, f in rows],
        t("uploads.col_new", lang): u["n_new"].tolist(), t("uploads.col_changed", lang): u["n_changed"].tolist(),
        t("uploads.col_unchanged", lang): u["n_unchanged"].tolist(),
        t("uploads.col_flagged", lang): u["n_flagged"].tolist(),
        t("uploads.col_status", lang): [upload_state(r, lang) for r, _ in rows]})


def history_table(history: pd.DataFrame, lang: str = "sv") -> pd.DataFrame:
    """A value's revisions, newest first; a retraction (NULL) shows as an empty value. Source kinds
    and system actors in words, the upload as '#1'; numbers stay numbers (the page formats them)."""
    h = history
    return pd.DataFrame({
        t("uploads.col_revision", lang): h["revision"], t("common.year", lang): h["year"],
        t("common.value", lang): h["value"],
        t("uploads.col_kind", lang): h["source_kind"].map(lambda k: t(f"chart.source.{k}", lang)),
        t("uploads.col_who", lang): h["created_by"].map(lambda n: actor_text(n, lang)),
        t("uploads.col_when", lang): h["created_at"].map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
        t("uploads.col_upload", lang): [_history_upload(r, lang) for _, r in h.iterrows()],
        t("uploads.col_file", lang): [r["reverted_filename"] if _present(r.get("upload_reverts")) else r["filename"]
                                      for _, r in h.iterrows()],
        t("report.col_comment", lang): h["comment"]})


def _history_upload(row, lang: str) -> str | None:
    """'#1', or for a value written by an undo '#2 (ångrar #1)'."""
    if not _present(row["upload_id"]):
        return None
    if _present(row.get("upload_reverts")):
        return f"#{int(row['upload_id'])} ({t('uploads.state_undo', lang, id=int(row['upload_reverts']))})"
    return f"#{int(row['upload_id'])}"


def comment_table(comments: pd.DataFrame, lang: str = "sv", catalog: Catalog | None = None) -> pd.DataFrame:
    """A municipality's comments with translated headers; the text stays plain text (a table cell)."""
    c = comments
    names = {i.id: i.name(lang) for i in (catalog or default_catalog())}
    return pd.DataFrame({
        t("common.indicator", lang): (c["indicator_id"] + " " + c["indicator_id"].map(names).fillna("")).str.strip(),
        t("common.year", lang): c["year"].astype("Int64"), t("report.col_comment", lang): c["text"],
        t("uploads.col_who", lang): c["created_by"].map(lambda n: actor_text(n, lang)),
        t("uploads.col_when", lang): c["created_at"].map(lambda d: d.strftime("%Y-%m-%d %H:%M"))})


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

