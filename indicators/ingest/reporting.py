"""The reporting flow shared by the upload page and `python -m indicators import`:
prepare (parse + validate + preview), commit (all or nothing, as revisions), revert,
the upload list and each value's history.

Every write checks who is acting (PermissionDenied) here, not only in the page. A commit
classifies the values again inside its own transaction, so concurrent uploads never
lose an update. Never imports streamlit; SQL lives in the store layer (indicators/store).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import pandas as pd

from indicators.ingest import checks
from indicators.ingest import incumbent
from indicators.ingest import parse
from indicators.store import observations
from indicators.store import reference
from indicators.store import uploads
from indicators.auth.users import User, require_can_write, require_user
from indicators.catalog import Catalog, default_catalog
from indicators.ingest.checks import Report
from indicators.errors import GNError, PermissionDenied, ValidationError
from indicators.text.tables import CANONICAL_HEADER_EN, CANONICAL_HEADER_SV
from indicators.text.i18n import t

SOURCE_KINDS = ("reported", "imported", "central", "imputed")
STATUSES = ("new", "changed", "unchanged")
Progress = Callable[[float, str], None]


class RevertError(GNError):
    """The upload cannot be reverted (unknown or already reverted)."""


@dataclass(frozen=True)
class CommitResult:
    upload_id: int
    n_new: int
    n_changed: int
    n_unchanged: int
    n_flagged: int


@dataclass(frozen=True)
class RevertResult:
    upload_id: int          # the new upload row that records the revert
    reverted: int           # the upload that was reverted
    n_restored: int         # values given back their earlier value (or retracted)
    n_skipped: int          # values changed again by a later upload: left as they are


def prepare_upload(store, data: bytes, filename: str, user: User | None, catalog: Catalog | None = None,
                   today: dt.date | None = None, progress: Progress | None = None,
                   indicator: str | None = None) -> Report:
    """Parse, validate and preview one file. Writes nothing. report.rows gets `status`
    (new | changed | unchanged) and `old_value` when the file is valid. With `indicator` the file is
    the incumbent's table view of that one indicator (ingest.incumbent)."""
    require_user(user)
    step = progress or (lambda fraction, key: None)
    step(0.05, "report.progress_parse")
    extra, skipped = [], {}
    if indicator is None:
        parsed = parse.parse_upload(data, filename)
    else:
        munis = reference.fetch_municipalities(store)
        table = incumbent.parse_incumbent(data, filename, (catalog or default_catalog())[indicator],
                                          dict(zip(munis["name"], munis["kommunkod"])))
        parsed, extra, skipped = table.parsed, table.name_problems, table.skipped
    step(0.4, "report.progress_validate")
    with store.reading():          # the checks' and the preview's reads share one connection
        report = checks.validate(store, parsed, user, catalog, today)
        report.skipped_aggregates = skipped
        if extra:
            report.problems = sorted(report.problems + extra, key=lambda p: (p.row or 0, p.code))
        if report.ok:
            step(0.8, "report.progress_preview")
            with store.cursor() as cur:
                report.rows = classify(cur, report.rows)
    step(1.0, "report.progress_done")
    return report


def classify(cur, rows: pd.DataFrame) -> pd.DataFrame:
    """Add old_value, old_comment and status (new | changed | unchanged) against the store."""
    rows = rows.drop(columns=["old_value", "old_comment", "status"], errors="ignore")
    old = observations.fetch_current_for_keys(cur, rows)
    old = old.astype({"indicator_id": str, "kommunkod": str, "year": "int64"})
    out = rows.merge(old, on=["indicator_id", "kommunkod", "year"], how="left", validate="one_to_one")
    same = (out["value"] - out["old_value"]).abs() <= 1e-9 * np.maximum(1.0, out["old_value"].abs())
    out["status"] = np.where(out["old_value"].isna(), "new", np.where(same, "unchanged", "changed"))
    return out


def counts(rows: pd.DataFrame) -> dict[str, int]:
    vc = rows["status"].value_counts() if "status" in rows else pd.Series(dtype=int)
    return {s: int(vc.get(s, 0)) for s in STATUSES}


def apply_comments(report: Report, comments: dict | None) -> pd.DataFrame:
    """The valid rows with comments typed in the preview ({(kommunkod, indicator_id, year): text})."""
    rows = report.rows.copy()
    if comments:
        keys = list(zip(rows["kommunkod"], rows["indicator_id"], rows["year"].astype(int)))
        typed = pd.Series([comments.get(k) for k in keys], index=rows.index, dtype="object")
        use = typed.notna() & typed.astype(str).str.strip().ne("")
        rows.loc[use, "comment"] = typed[use].astype(str).str.strip()
    rows["comment"] = rows["comment"].fillna("").astype(str).str.strip()
    return rows


def missing_comments(rows: pd.DataFrame) -> list[parse.Problem]:
    """A flagged value needs a short comment before the upload can be confirmed."""
    need = (rows.get("flags", pd.Series("", index=rows.index)) != "") & (rows["comment"] == "")
    return [parse.Problem("comment-required", int(r), None, checks._num(v), str(d))
            for r, v, d in zip(rows.loc[need, "row"], rows.loc[need, "value"], rows.loc[need, "flag_detail"])]


def commit_upload(store, report: Report, user: User | None, comments: dict | None = None,
                  source_kind: str = "reported") -> CommitResult:
    """Write the file's new and changed values as revisions, the upload row, its flags and
    comments: one transaction, all or nothing."""
    if not report.ok:
        raise ValidationError(report, f"{len(report.problems)} problem(s) in the file; nothing was written")
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {SOURCE_KINDS}")
    rows = apply_comments(report, comments)
    require_can_write(user, rows["kommunkod"].unique())
    # An admin's historic import of another source's figures records the flags without blocking.
    missing = [] if source_kind == "imported" and user.is_admin else missing_comments(rows)
    if missing:    # the caller's report stays as it was: the user adds comments and confirms again
        raise ValidationError(replace(report, problems=report.problems + missing),
                              f"{len(missing)} flagged value(s) need a comment; nothing was written")
    with store.transaction() as cur:
        rows = classify(cur, rows)        # again, inside the transaction: no lost update
        n = counts(rows)
        writes = rows[rows["status"] != "unchanged"]
        flagged = writes[writes["flags"] != ""]
        upload_id = uploads.insert_upload(cur, user.username, report.filename, report.sha256, n["new"],
                                          n["changed"], n["unchanged"], len(flagged), _summary(report, source_kind))
        observations.write_revisions(cur, _observations(writes, upload_id, user.username, source_kind))
        uploads.insert_value_flags(cur, _flags(flagged, upload_id))
        uploads.insert_comments(cur, _comments(rows, upload_id, user.username))
    return CommitResult(int(upload_id), n["new"], n["changed"], n["unchanged"], len(flagged))


def _summary(report: Report, source_kind: str) -> str:
    flags = report.rows["flags"].str.split().explode().value_counts() if "flags" in report.rows else {}
    return json.dumps({"kind": report.kind, "encoding": report.encoding, "layout": report.layout,
                       "source_kind": source_kind, "n_blank": report.n_blank, "n_duplicates": report.n_duplicates,
                       "flags": {str(k): int(v) for k, v in dict(flags).items()},
                       "kommuner": sorted(report.rows["kommunkod"].unique().tolist())}, ensure_ascii=False)


def _observations(writes: pd.DataFrame, upload_id: int, username: str, source_kind: str) -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": writes["indicator_id"].astype(str), "kommunkod": writes["kommunkod"].astype(str),
        "year": writes["year"].astype("int64"), "value": writes["value"].astype("float64"),
        "source_kind": source_kind, "upload_id": upload_id, "created_by": username,
        "comment": writes["comment"].where(writes["comment"] != "", None),
        "provenance": None})[observations.OBSERVATION_COLUMNS]


def _flags(flagged: pd.DataFrame, upload_id: int) -> pd.DataFrame:
    codes = flagged.assign(code=flagged["flags"].str.split()).explode("code")
    return pd.DataFrame({"upload_id": upload_id, "indicator_id": codes["indicator_id"].astype(str),
                         "kommunkod": codes["kommunkod"].astype(str), "year": codes["year"].astype("int64"),
                         "code": codes["code"].astype(str), "detail": codes["flag_detail"].astype(str)})


def _comments(rows: pd.DataFrame, upload_id: int, username: str) -> pd.DataFrame:
    c = rows[(rows["comment"] != "") & (rows["comment"] != rows["old_comment"].fillna(""))]
    return pd.DataFrame({"kommunkod": c["kommunkod"].astype(str), "indicator_id": c["indicator_id"].astype(str),
                         "year": c["year"].astype("int64"), "text": c["comment"].astype(str),
                         "created_by": username, "upload_id": upload_id})


# ------------------------------------------------------------------ revert, uploads, history

def revert_upload(store, user: User | None, upload_id: int) -> RevertResult:
    """Give every value the upload wrote its previous value back, as new revisions (a value
    that did not exist before gets a NULL retraction). Values changed again by a later
    upload are left alone. Nothing is deleted."""
    require_user(user)
    with store.transaction() as cur:
        up = uploads.fetch_upload(cur, upload_id)
        if up is None:
            raise RevertError("revert.unknown", f"There is no upload #{upload_id}.", id=upload_id)
        if up["status"] == "reverted":
            raise RevertError("revert.already", f"Upload #{upload_id} is already reverted.", id=upload_id)
        if not pd.isna(up["reverts"]):
            raise RevertError("revert.is_undo", f"Upload #{upload_id} is the undo of #{int(up['reverts'])}; "
                              "it cannot be undone itself.", id=upload_id, original=int(up["reverts"]))
        plan = uploads.fetch_revert_plan(cur, upload_id)
        if plan.empty and not user.is_admin and up["created_by"] != user.username:
            raise PermissionDenied("auth.not_your_upload", f"Upload #{upload_id} is not yours.")
        require_can_write(user, plan["kommunkod"].unique())
        todo = plan[plan["still_current"]]
        new_id = uploads.insert_upload(cur, user.username, f"revert #{upload_id}: {up['filename'] or ''}"[:200],
                                       None, 0, len(todo), 0, 0,
                                       json.dumps({"reverts": int(upload_id), "skipped": int(len(plan) - len(todo))}),
                                       reverts=int(upload_id))
        obs = pd.DataFrame({
            "indicator_id": todo["indicator_id"], "kommunkod": todo["kommunkod"], "year": todo["year"].astype("int64"),
            "value": todo["prev_value"].where(todo["had_prev"]).astype("float64"),
            "source_kind": todo["prev_kind"].where(todo["had_prev"], todo["source_kind"]),
            "upload_id": new_id, "created_by": user.username,
            "comment": todo["prev_comment"].where(todo["had_prev"], None),
            "provenance": todo["prev_provenance"].where(todo["had_prev"], todo["provenance"])
            })[observations.OBSERVATION_COLUMNS]
        observations.write_revisions(cur, obs)
        uploads.mark_upload_reverted(cur, upload_id, new_id)
    return RevertResult(int(new_id), int(upload_id), len(todo), int(len(plan) - len(todo)))


def list_uploads(store, user: User | None) -> pd.DataFrame:
    """Admins see every upload; a reporter sees theirs and those touching their municipalities."""
    require_user(user)
    if user.is_admin:
        return uploads.fetch_uploads(store)
    return uploads.fetch_uploads(store, kommuner=list(user.municipalities), created_by=user.username)


def value_history(store, indicator_id: str, kommunkod: str, year: int | None = None) -> pd.DataFrame:
    """Every revision: value, source kind, who, when, upload (public, like the values)."""
    return observations.fetch_value_history(store, indicator_id, kommunkod, year)


# ------------------------------------------------------------------ template

def template_frame(store, user: User | None, kommunkod: str, year: int, lang: str = "sv",
                   catalog: Catalog | None = None) -> pd.DataFrame:
    """The report template: the municipality, each member-reported indicator, the year, an
    empty value and comment, plus hint columns (name, unit, last year's value) that the
    parser ignores when the file comes back."""
    require_can_write(user, [kommunkod])
    catalog = catalog or default_catalog()
    inds = catalog.member_reported()
    last = observations.fetch_template_values(store, kommunkod, [i.id for i in inds], [int(year) - 1])
    hint = dict(zip(last["indicator_id"], last["value"]))
    header = CANONICAL_HEADER_EN if lang == "en" else CANONICAL_HEADER_SV
    frame = pd.DataFrame({header[0]: kommunkod, header[1]: [i.id for i in inds], header[2]: int(year),
                          header[3]: None, header[4]: ""})
    frame[t("report.template_name", lang)] = [i.name(lang) for i in inds]
    frame[t("report.template_unit", lang)] = [i.unit_for(lang) for i in inds]
    frame[t("report.template_hint", lang, year=int(year) - 1)] = [hint.get(i.id) for i in inds]
    return frame
