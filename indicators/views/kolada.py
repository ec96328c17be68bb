"""A Kolada import run as people read it: the per-indicator summary table and the list of cells left
alone because the municipality reported them (the admin page), the same as plain lines (the CLI), and
a stopped run's reasons (a KPI gone, renamed or moved to another level). Pure formatting; never
imports streamlit and runs no SQL.
"""
from __future__ import annotations

import pandas as pd

from indicators.catalog import Catalog, default_catalog
from indicators.ingest.kolada import STATUSES, KoladaResult
from indicators.ingest.kolada_mapping import LEVEL_NAMES, KoladaMappingError
from indicators.text.i18n import t
from indicators.text.numbers import format_number

COLUMNS = (*STATUSES, "flagged")


def summary_table(result: KoladaResult, lang: str = "sv", catalog: Catalog | None = None) -> pd.DataFrame:
    """One row per indicator: its KPI(s) and how many values were new, changed, retracted, unchanged,
    left alone (reported by the municipality) and flagged."""
    catalog = catalog or default_catalog()
    rows = []
    for ind_id, counts in result.counts.items():
        ind = catalog[ind_id]
        row = {t("common.indicator", lang): f"{ind.id} {ind.name(lang)}", "Kolada": ind.kolada_kpi}
        row.update({t(f"kolada.col_{s}", lang): counts.get(s, 0) for s in COLUMNS})
        rows.append(row)
    return pd.DataFrame(rows)


def skipped_table(result: KoladaResult, lang: str = "sv", names: dict | None = None) -> pd.DataFrame:
    """The cells the import left alone because the municipality reported its own value."""
    s = result.skipped
    names = names or {}
    return pd.DataFrame({t("common.indicator", lang): s["indicator_id"],
                         t("common.municipality", lang): [f"{k} {names.get(k, '')}".strip() for k in s["kommunkod"]],
                         t("common.year", lang): s["year"].astype("int64"),
                         t("kolada.col_reported_value", lang): s["cur_value"],
                         t("kolada.col_kolada_value", lang): s["value"]})


def headline(result: KoladaResult, lang: str = "sv") -> str:
    key = "kolada.done_dry_run" if result.dry_run else ("kolada.done" if result.upload_id else "kolada.done_nothing")
    return t(key, lang, new=result.total("new"), changed=result.total("changed"),
             retracted=result.total("retracted"), unchanged=result.total("unchanged"),
             skipped=result.total("skipped_reported"), id=result.upload_id or "–")


def run_facts(result: KoladaResult, lang: str = "sv") -> str:
    pop = result.population
    return t("kolada.facts", lang, requests=result.requests, retries=result.retries,
             seconds=format_number(result.seconds, lang, 1), url=result.base_url,
             since=result.since or t("kolada.since_all", lang), pop_new=pop.get("new", 0),
             pop_changed=pop.get("changed", 0), pop_unchanged=pop.get("unchanged", 0))


def summary_lines(result: KoladaResult, lang: str = "en", catalog: Catalog | None = None) -> list[str]:
    """The run as plain lines for the CLI: the headline, one line per indicator, the facts and the
    cells left alone."""
    lines = [headline(result, lang)]
    table = summary_table(result, lang, catalog)
    for row in table.to_dict("records"):
        name, kpi = row.pop(t("common.indicator", lang)), row.pop("Kolada")
        lines.append(f"  {name} ({kpi}): " + ", ".join(f"{k} {v}" for k, v in row.items()))
    lines.append(run_facts(result, lang))
    if len(result.skipped):
        lines.append(t("kolada.skipped_header", lang, n=len(result.skipped)))
        for r in result.skipped.itertuples():
            lines.append(t("kolada.skipped_line", lang, indicator=r.indicator_id, kommun=r.kommunkod,
                           year=int(r.year), reported=_num(r.cur_value, lang), kolada=_num(r.value, lang)))
    return lines


def mapping_problem_lines(exc: KoladaMappingError, lang: str = "sv") -> list[str]:
    """Why a run stopped: one line per KPI that Kolada changed, then what to do."""
    lines = [t("kolada.kpi_changed_header", lang, n=len(exc.problems))]
    for p in exc.problems:
        expected, found = p.expected, p.found
        if p.kind == "level":
            expected, found = LEVEL_NAMES.get(expected, expected), LEVEL_NAMES.get(found, found)
        lines.append(t(f"kolada.kpi_{p.kind}", lang, kpi=p.kpi, expected=expected, found=found))
    lines.append(t("kolada.kpi_changed_fix", lang))
    return lines


def _num(value, lang: str) -> str:
    return format_number(float(value), lang, 2).rstrip("0").rstrip(",.") if value == value else "–"
