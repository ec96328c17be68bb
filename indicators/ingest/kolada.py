"""The Kolada import, shared by `python -m indicators kolada` and the admin page's button.

Owns one run: read `/kpi/{ids}` first and stop, writing nothing, when a mapped KPI is gone, renamed or
changed level; read the values (gender T, all years, kept from each indicator's start year; `--since`
passes `from_date`, and a derived value whose input changed reads its other input again in full);
compare each cell with its current value and write, in one transaction, only what changed: new and
changed values as revisions (`source_kind = imported`, created by `kolada`, provenance `kolada:…`),
a NULL revision where Kolada deleted a value we imported, the population per year (N01951), an
`upload` row (kind kolada, so the run is in the history and can be undone) and the plausibility
flags, which are recorded but never block. A cell whose current value the municipality reported
itself is left alone and listed. A dry run does everything but the write. The counts, requests made
and time taken come back in a KoladaResult. Never imports streamlit; SQL lives in the store layer;
HTTP in kolada_client; the mapping in kolada_mapping.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from indicators.auth.users import User, require_admin, system_admin
from indicators.catalog import Catalog, default_catalog
from indicators.ingest import checks
from indicators.ingest import kolada_mapping as mapping
from indicators.ingest.kolada_client import KoladaClient, batched
from indicators.store import imports, observations, reference, uploads

SOURCE_NAME = "Kolada (RKA)"
SOURCE_KIND = "imported"
KOLADA_USER = "kolada"
STATUSES = ("new", "changed", "retracted", "unchanged", "skipped_reported")
Progress = Callable[[float, str], None]


@dataclass
class KoladaResult:
    """What a run did (or, for a dry run, would do)."""
    base_url: str
    since: str | None
    dry_run: bool
    kpis: list[str]
    counts: dict[str, dict[str, int]]          # indicator id -> status (STATUSES + flagged) -> n
    skipped: pd.DataFrame                       # indicator_id, kommunkod, year, value (Kolada's), cur_value
    population: dict[str, int]                  # new, changed, unchanged, removed
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    upload_id: int | None = None
    flags: pd.DataFrame = field(default_factory=pd.DataFrame)

    def total(self, status: str) -> int:
        return sum(c.get(status, 0) for c in self.counts.values())

    @property
    def written(self) -> int:
        return sum(self.total(s) for s in ("new", "changed", "retracted"))


def run_import(store, catalog: Catalog | None = None, *, base_url: str | None = None,
               kpis: list[str] | None = None, since: date | str | None = None, dry_run: bool = False,
               user: User | None = None, client: KoladaClient | None = None,
               progress: Progress | None = None) -> KoladaResult:
    """One import run (see the module docstring). Raises UnknownKpiError (bad --kpi), KoladaMappingError
    (a KPI changed: nothing written), KoladaError (Kolada unreachable: nothing written)."""
    started = time.monotonic()
    catalog = catalog or default_catalog()
    user = require_admin(user or system_admin())
    step = progress or (lambda fraction, key: None)
    chosen = mapping.select_indicators(catalog, kpis)
    own_client = client is None
    client = client or KoladaClient(base_url)
    since_text = None if since is None else str(since)
    try:
        step(0.02, "kolada.progress_metadata")
        levels = mapping.kpis_by_level(catalog, chosen)
        wanted = [k.id for k in catalog.kolada_kpis if k.id in set(levels["kommun"]) | set(levels["county"])]
        problems = mapping.check_kpis(catalog, wanted, client.fetch_kpis(wanted))
        if problems:
            raise mapping.KoladaMappingError(problems)
        munis = reference.fetch_municipalities(store)
        frame, derived_frame = _fetch(client, chosen, levels, munis, since, step)
        step(0.75, "kolada.progress_compare")
        cells = mapping.indicator_cells(chosen, frame, munis, derived_frame)
        pop_kpi = catalog.population_kpi if catalog.population_kpi in levels["kommun"] else None
        population = mapping.population_cells(pop_kpi, frame, munis["kommunkod"])
        with store.cursor() as cur:
            classified = classify(cur, cells)
        step(0.85, "kolada.progress_flags")
        flags = _flag(store, classified, catalog)
        result = KoladaResult(client.base_url, since_text, dry_run, wanted, {}, pd.DataFrame(), {})
        if not dry_run:
            step(0.92, "kolada.progress_write")
            classified, result.population, result.upload_id = _commit(store, user, classified, population,
                                                                      flags, result, client)
        else:
            with store.cursor() as cur:
                result.population = _population_plan(cur, population)[1]
        _summarise(result, chosen, classified, flags)
        result.requests, result.retries = client.requests_made, client.retries
        result.seconds = time.monotonic() - started
        step(1.0, "kolada.progress_done")
        return result
    finally:
        if own_client:
            client.close()


def _fetch(client, chosen, levels, munis: pd.DataFrame, since, step) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All value rows of the run (one request per 25 municipalities, plus the regions), and the rows
    the derived indicators are computed from."""
    codes = munis["kommunkod"].tolist()
    regions = sorted({"00" + lan for lan in munis["lan_code"].dropna()})
    jobs = [(levels["kommun"], b) for b in batched(codes)] if levels["kommun"] else []
    jobs += [(levels["county"], b) for b in batched(regions)] if levels["county"] else []
    rows = []
    for n, (kpi_ids, areas) in enumerate(jobs, start=1):
        rows.extend(client.fetch_values(kpi_ids, areas, from_date=since, genders={"T"}))
        step(0.05 + 0.65 * n / len(jobs), "kolada.progress_fetch")
    frame = mapping.rows_frame(rows)
    inputs = mapping.derived_inputs(chosen)
    if since is None or not inputs:
        return frame, frame
    # A changed input of a derived value: read all of its inputs again (without from_date).
    touched = sorted(set(frame.loc[frame["kpi"].isin(inputs), "area"]) & set(codes))
    again = [r for b in batched(touched) for r in client.fetch_values(inputs, b, genders={"T"})] if touched else []
    return frame, mapping.rows_frame(again)


def classify(cur, cells: pd.DataFrame) -> pd.DataFrame:
    """Add cur_value, cur_kind, cur_provenance and status: new | changed | unchanged | skipped_reported for
    a value; retracted for a deletion of a value we imported; ignore for any other deletion."""
    current = imports.fetch_current_detail_for_keys(cur, cells)
    out = cells.merge(current.astype({"indicator_id": str, "kommunkod": str, "year": "int64"}),
                      on=["indicator_id", "kommunkod", "year"], how="left", validate="one_to_one")
    has = out["cur_value"].notna()
    ours = has & (out["cur_kind"] == SOURCE_KIND) & out["cur_provenance"].fillna("").str.startswith("kolada:")
    same = has & ((out["value"] - out["cur_value"]).abs() <= 1e-9 * np.maximum(1.0, out["cur_value"].abs()))
    unchanged = same & (out["cur_kind"] == SOURCE_KIND) & (out["cur_provenance"] == out["provenance"])
    status = np.select(
        [out["deleted"] & ours, out["deleted"], out["cur_kind"] == "reported", ~has, unchanged],
        ["retracted", "ignore", "skipped_reported", "new", "unchanged"], default="changed")
    return out.assign(status=status)


def _flag(store, classified: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Plausibility flags (the upload checks' rules) on the values to write: indicator_id, kommunkod,
    year, code, detail. Recorded for the secretariat; they never block an import."""
    writes = classified[classified["status"].isin(["new", "changed"])]
    rep = checks.Report(filename=SOURCE_NAME, sha256="")
    rep.rows = pd.DataFrame({"row": np.arange(1, len(writes) + 1), "indicator_id": writes["indicator_id"].to_numpy(),
                             "kommunkod": writes["kommunkod"].to_numpy(), "year": writes["year"].to_numpy(),
                             "value": writes["value"].to_numpy()})
    checks.flag_plausibility(store, rep, catalog)
    flagged = rep.rows[rep.rows.get("flags", pd.Series(dtype=str)).fillna("") != ""] if len(rep.rows) else rep.rows
    if not len(flagged):
        return pd.DataFrame(columns=["indicator_id", "kommunkod", "year", "code", "detail"])
    codes = flagged.assign(code=flagged["flags"].str.split()).explode("code")
    return pd.DataFrame({"indicator_id": codes["indicator_id"].astype(str), "kommunkod": codes["kommunkod"].astype(str),
                         "year": codes["year"].astype("int64"), "code": codes["code"].astype(str),
                         "detail": codes["flag_detail"].astype(str)}).reset_index(drop=True)


def _population_plan(cur, population: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int], pd.DataFrame]:
    """(rows to write, counts, withdrawn keys) for the population table."""
    counts = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
    if not len(population):
        return population, counts, population
    current = imports.fetch_population_for_keys(cur, population).astype({"kommunkod": str, "year": "int64"})
    p = population.merge(current, on=["kommunkod", "year"], how="left")
    gone = p[p["deleted"] & (p["cur_kind"] == SOURCE_KIND)]
    live = p[~p["deleted"]]
    new = live["cur_population"].isna()
    same = ~new & (live["population"].astype("float64") == live["cur_population"].astype("float64")) & \
        (live["cur_kind"] == SOURCE_KIND)
    counts.update(new=int(new.sum()), changed=int((~new & ~same).sum()), unchanged=int(same.sum()),
                  removed=len(gone))
    write = live[~same].assign(source_kind=SOURCE_KIND)[["kommunkod", "year", "population", "source_kind"]]
    return write, counts, gone[["kommunkod", "year"]]


def _commit(store, user: User, classified: pd.DataFrame, population: pd.DataFrame, flags: pd.DataFrame,
            result: KoladaResult, client) -> tuple[pd.DataFrame, dict[str, int], int | None]:
    """One transaction: classify again (a reporter may have written meanwhile), then the upload row,
    the revisions, the flags and the population. Nothing at all when nothing changed."""
    with store.transaction() as cur:
        classified = classify(cur, classified[mapping.CELL_COLUMNS])
        pop_write, pop_counts, pop_gone = _population_plan(cur, population)
        writes = classified[classified["status"].isin(["new", "changed", "retracted"])]
        if not len(writes) and not len(pop_write) and not len(pop_gone):
            return classified, pop_counts, None
        keys = writes[["indicator_id", "kommunkod", "year"]]
        flags = flags.merge(keys[writes["status"] != "retracted"], on=["indicator_id", "kommunkod", "year"])
        n = classified["status"].value_counts()
        summary = {"kind": "kolada", "source": SOURCE_NAME, "base_url": client.base_url, "since": result.since,
                   "kpis": result.kpis, "retracted": int(n.get("retracted", 0)),
                   "skipped_reported": int(n.get("skipped_reported", 0)), "requests": client.requests_made,
                   "population": pop_counts, "flags": {str(k): int(v) for k, v in flags["code"].value_counts().items()}}
        upload_id = uploads.insert_upload(
            cur, user.username, f"{SOURCE_NAME} {client.base_url}"[:200], None, int(n.get("new", 0)), int(n.get("changed", 0)),
            int(n.get("unchanged", 0)), int(len(flags[["indicator_id", "kommunkod", "year"]].drop_duplicates())),
            json.dumps(summary, ensure_ascii=False))
        observations.insert_observations(cur, pd.DataFrame({
            "indicator_id": writes["indicator_id"], "kommunkod": writes["kommunkod"], "year": writes["year"],
            "value": writes["value"].where(writes["status"] != "retracted"), "source_kind": SOURCE_KIND,
            "upload_id": upload_id, "created_by": KOLADA_USER, "comment": None,
            "provenance": writes["provenance"]})[observations.OBSERVATION_COLUMNS])
        uploads.insert_value_flags(cur, flags.assign(upload_id=upload_id)[
            ["upload_id", "indicator_id", "kommunkod", "year", "code", "detail"]])
        if len(pop_write):
            reference.replace_population(cur, pop_write)
        imports.delete_imported_population(cur, pop_gone)
    return classified, pop_counts, int(upload_id)


def _summarise(result: KoladaResult, chosen, classified: pd.DataFrame, flags: pd.DataFrame) -> None:
    table = classified.groupby(["indicator_id", "status"]).size()
    flagged = flags.drop_duplicates(["indicator_id", "kommunkod", "year"]).groupby("indicator_id").size() \
        if len(flags) else pd.Series(dtype=int)
    result.counts = {ind.id: {**{s: int(table.get((ind.id, s), 0)) for s in STATUSES},
                              "flagged": int(flagged.get(ind.id, 0))} for ind in chosen}
    skipped = classified[classified["status"] == "skipped_reported"]
    result.skipped = skipped[["indicator_id", "kommunkod", "year", "value", "cur_value"]].reset_index(drop=True)
    result.flags = flags
