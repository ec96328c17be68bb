"""From Kolada's rows to the indicators' values, as the catalogue's mapping says (data/indicators.toml).

Owns: choosing the indicators of a run (`--kpi`, by KPI or indicator id), which KPIs to read at which
level, checking Kolada's KPI metadata against what the catalogue recorded (gone, renamed, changed
level), and turning value rows into cells: a municipality's own value, a county value fanned out to
every municipality of the county (`00` + county code), a derived value computed by the catalogue's
formula, and the population per year. Gender `T` only, null values skipped, deleted values kept as
deletions (the importer retracts what it wrote earlier). Pure: no HTTP, no database, no streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, Indicator
from indicators.catalog_kolada import formula_terms
from indicators.errors import GNError

ROW_COLUMNS = ["kpi", "area", "year", "value", "deleted"]
CELL_COLUMNS = ["indicator_id", "kommunkod", "year", "value", "provenance", "deleted"]
POPULATION_COLUMNS = ["kommunkod", "year", "population", "deleted"]
LEVEL_NAMES = {"K": "K (kommuner)", "L": "L (regioner)", "A": "A (kommuner, regioner och riket)"}


class UnknownKpiError(GNError):
    """`--kpi` named something the catalogue does not map (key kolada.unknown_kpi)."""


class KoladaMappingError(GNError):
    """Kolada changed a mapped KPI: gone, renamed or another level. `problems` lists KpiProblem."""

    def __init__(self, problems: list[KpiProblem]):
        details = "; ".join(p.english() for p in problems)
        super().__init__("kolada.kpi_changed", f"Kolada changed {len(problems)} mapped KPI(s); the import "
                         f"stopped and wrote nothing: {details}. Check the definitions and update [[kolada.kpi]] "
                         "in data/indicators.toml (and the indicators' kolada mapping) before importing again.",
                         n=len(problems), details=details)
        self.problems = problems


@dataclass(frozen=True)
class KpiProblem:
    kpi: str
    kind: str              # gone | renamed | level
    expected: str = ""
    found: str = ""

    def english(self) -> str:
        if self.kind == "gone":
            return f"{self.kpi} is no longer in Kolada"
        what = "title" if self.kind == "renamed" else "level (municipality_type)"
        return f"{self.kpi} has a new {what}: expected {self.expected!r}, Kolada now says {self.found!r}"


def select_indicators(catalog: Catalog, wanted: Iterable[str] | None = None) -> list[Indicator]:
    """The mapped indicators to import: all of them, or those using a named KPI (N00403) or named by id
    (GN.3, any case). An unknown name is an UnknownKpiError listing what may be named."""
    mapped = catalog.kolada_mapped()
    if not wanted:
        return mapped
    chosen: set[str] = set()
    for name in wanted:
        key = name.strip().upper()
        hits = [i.id for i in mapped if key in i.kolada.kpis or key == i.id.upper()]
        if not hits:
            options = ", ".join(k.id for k in catalog.kolada_kpis)
            raise UnknownKpiError("kolada.unknown_kpi", f"{name!r} is not a mapped Kolada KPI or indicator "
                                  f"(mapped KPIs: {options})", value=name, options=options)
        chosen.update(hits)
    return [i for i in mapped if i.id in chosen]


def kpis_by_level(catalog: Catalog, indicators: list[Indicator]) -> dict[str, list[str]]:
    """{'kommun': [...], 'county': [...]}: the KPIs to request per level, in the catalogue's order.
    The population KPI rides with the municipal request whenever an indicator reads it."""
    wanted: dict[str, set[str]] = {"kommun": set(), "county": set()}
    for ind in indicators:
        wanted[ind.kolada.level].update(ind.kolada.kpis)
    return {level: [k.id for k in catalog.kolada_kpis if k.id in ids] for level, ids in wanted.items()}


def check_kpis(catalog: Catalog, kpi_ids: list[str], found: list[dict]) -> list[KpiProblem]:
    """Compare Kolada's /kpi answer with the titles and levels the catalogue recorded."""
    by_id = {str(k.get("id")): k for k in found}
    problems = []
    for kpi_id in kpi_ids:
        expected = catalog.kolada_kpi(kpi_id)
        got = by_id.get(kpi_id)
        if got is None:
            problems.append(KpiProblem(kpi_id, "gone"))
            continue
        title = " ".join(str(got.get("title", "")).split())
        if title != " ".join(expected.title.split()):
            problems.append(KpiProblem(kpi_id, "renamed", expected.title, title))
        if str(got.get("municipality_type", "")) != expected.municipality_type:
            problems.append(KpiProblem(kpi_id, "level", expected.municipality_type,
                                       str(got.get("municipality_type", ""))))
    return problems


def rows_frame(rows: Iterable) -> pd.DataFrame:
    """Kolada ValueRows as a frame: gender T only; nulls dropped (missing, never 0); deletions kept."""
    keep = [(r.kpi, r.municipality, int(r.period), r.value, bool(r.isdeleted)) for r in rows
            if r.gender == "T" and (r.isdeleted or r.value is not None)]
    frame = pd.DataFrame(keep, columns=ROW_COLUMNS).astype(
        {"kpi": str, "area": str, "year": "int64", "value": "float64", "deleted": bool})
    # A row is a deletion or a number, never both; the newest answer for a cell wins (pages are ordered).
    return frame.drop_duplicates(["kpi", "area", "year"], keep="last").reset_index(drop=True)


def indicator_cells(indicators: list[Indicator], frame: pd.DataFrame, municipalities: pd.DataFrame,
                    derived_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cells to import, one row per (indicator, municipality, year) from the indicator's start year:
    value (NaN for a deletion), provenance and whether Kolada deleted it. `municipalities` has kommunkod
    and lan_code. Derived indicators are computed from `derived_frame` (default `frame`)."""
    parts = []
    codes = set(municipalities["kommunkod"])
    for ind in indicators:
        mapping = ind.kolada
        if mapping.derived:
            cells = _derived(mapping, frame if derived_frame is None else derived_frame)
            cells = cells[cells["kommunkod"].isin(codes)]
        elif mapping.level == "county":
            cells = _county(mapping, frame, municipalities)
        else:
            own = frame[(frame["kpi"] == mapping.kpi) & frame["area"].isin(codes)]
            cells = pd.DataFrame({"kommunkod": own["area"], "year": own["year"], "value": own["value"],
                                  "provenance": mapping.provenance(), "deleted": own["deleted"]})
        cells = cells[cells["year"] >= ind.start_year]
        parts.append(cells.assign(indicator_id=ind.id))
    if not parts:
        return pd.DataFrame(columns=CELL_COLUMNS)
    out = pd.concat(parts, ignore_index=True)[CELL_COLUMNS]
    out.loc[out["deleted"], "value"] = np.nan
    return out.astype({"indicator_id": str, "kommunkod": str, "year": "int64", "value": "float64",
                       "provenance": str, "deleted": bool}).reset_index(drop=True)


def _county(mapping, frame: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    regions = frame[(frame["kpi"] == mapping.kpi) & frame["area"].str.fullmatch(r"00\d\d")]
    regions = regions.assign(lan_code=regions["area"].str[2:])
    fanned = regions.merge(municipalities[["kommunkod", "lan_code"]], on="lan_code")
    return pd.DataFrame({"kommunkod": fanned["kommunkod"], "year": fanned["year"], "value": fanned["value"],
                         "provenance": [mapping.provenance(a) for a in fanned["area"]], "deleted": fanned["deleted"]})


def _derived(mapping, frame: pd.DataFrame) -> pd.DataFrame:
    """Apply the formula per (area, year) where every input is a number; where an input is deleted and
    the value cannot be computed, the derived value is deleted too. Division by zero gives nothing."""
    kpis = list(mapping.kpis)
    part = frame[frame["kpi"].isin(kpis)].set_index(["area", "year", "kpi"])
    values = part["value"].unstack("kpi").reindex(columns=kpis)
    deleted = part["deleted"].astype(object).unstack("kpi").reindex(columns=kpis).fillna(False).astype(bool)
    result = pd.Series(1.0, index=values.index)
    for op, operand in formula_terms(mapping.formula):
        term = values[operand] if isinstance(operand, str) else float(operand)
        result = result * term if op == "*" else result / term
    result = result.where(np.isfinite(result))
    gone = result.isna() & deleted.any(axis=1)
    keep = result.notna() | gone
    idx = values.index[keep]
    return pd.DataFrame({"kommunkod": idx.get_level_values("area"), "year": idx.get_level_values("year"),
                         "value": result[keep].to_numpy(), "provenance": mapping.provenance(),
                         "deleted": gone[keep].to_numpy()})


def population_cells(population_kpi: str | None, frame: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """The population per municipality and year from the population KPI (every year Kolada has)."""
    if population_kpi is None:
        return pd.DataFrame(columns=POPULATION_COLUMNS)
    part = frame[(frame["kpi"] == population_kpi) & frame["area"].isin(set(codes))]
    return pd.DataFrame({"kommunkod": part["area"].astype(str), "year": part["year"].astype("int64"),
                         "population": part["value"].round().astype("Int64"), "deleted": part["deleted"]}
                        ).reset_index(drop=True)


def derived_inputs(indicators: list[Indicator]) -> list[str]:
    """The KPIs that derived indicators read (their other input must be read again after --since)."""
    return list(dict.fromkeys(k for i in indicators if i.kolada.derived for k in i.kolada.kpis))
