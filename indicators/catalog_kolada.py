"""The Kolada part of the indicator catalogue (data/indicators.toml): an indicator's mapping
(`kolada = { kpi | formula, level }`), the `[kolada]` table (each KPI the import reads, with the title
and level Kolada gave it when the definitions were compared, and the population KPI), the formula
grammar of derived figures (KPI ids and numbers joined by * and /), and the provenance detail an
imported revision carries. Validation fails loudly with a CatalogError naming the field.
Pure data; imports only the error types; no database, no UI imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indicators.errors import CatalogError

KOLADA_LEVELS = ("kommun", "county")       # the municipality's own value | its county's (region's) value
KOLADA_TYPES = ("K", "L", "A")             # Kolada's municipality_type: kommuner, regions only, all
_LEVEL_TYPES = {"kommun": ("K", "A"), "county": ("L", "A")}
_KPI_ID = re.compile(r"^[A-Z][0-9]{5}$")
_FORMULA = re.compile(r"^\s*([A-Z][0-9]{5})((?:\s*[*/]\s*(?:[A-Z][0-9]{5}|[0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?))*)\s*$")
_FORMULA_TERM = re.compile(r"([*/])\s*([A-Z][0-9]{5}|[0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)")


def _fail(where: str, fieldname: str, problem: str):
    raise CatalogError("catalog.invalid", f"indicator catalogue: {where}: field '{fieldname}' {problem}")


@dataclass(frozen=True)
class KoladaKpi:
    """A Kolada KPI the import reads, as Kolada described it when the mapping was checked."""
    id: str
    title: str
    municipality_type: str          # K | L | A


@dataclass(frozen=True)
class KoladaMapping:
    """Where an indicator's values come from in Kolada. `kpi` (direct) or `formula` (derived, e.g.
    "N45970 * 1e6 / N01951": products and quotients of KPIs and numbers, our own calculation)."""
    kpi: str | None = None
    formula: str | None = None
    level: str = "kommun"           # kommun | county (the region 00+county code, for each municipality)

    @property
    def derived(self) -> bool:
        return self.formula is not None

    @property
    def kpis(self) -> tuple[str, ...]:
        """The KPI ids read, in the order they appear."""
        if self.formula is None:
            return (self.kpi,)
        return tuple(dict.fromkeys(x for _, x in formula_terms(self.formula) if isinstance(x, str)))

    def provenance(self, region: str | None = None) -> str:
        """The provenance detail stored on each imported revision (space-separated key:value tokens):
        `kolada:N00403`, `kolada:N60404 county:0014`, `kolada:N45970,N01951 derived:N45970*1e6/N01951`."""
        out = "kolada:" + ",".join(self.kpis)
        if self.level == "county" and region:
            out += f" county:{region}"
        if self.formula is not None:
            out += " derived:" + "".join(self.formula.split())
        return out


def formula_terms(formula: str) -> list[tuple[str, str | float]]:
    """'N45970 * 1e6 / N01951' -> [('*', 'N45970'), ('*', 1000000.0), ('/', 'N01951')];
    ValueError when it is anything but KPI ids and numbers joined by * and /."""
    m = _FORMULA.match(formula)
    if not m:
        raise ValueError(f"not a formula of KPI ids and numbers joined by * and /: {formula!r}")
    terms: list[tuple[str, str | float]] = [("*", m.group(1))]
    for op, operand in _FORMULA_TERM.findall(m.group(2)):
        terms.append((op, operand if _KPI_ID.match(operand) else float(operand)))
    return terms


def parse_kolada_mapping(raw, where: str) -> KoladaMapping | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"kpi", "formula", "level"}:
        _fail(where, "kolada", f"must be a table with kpi or formula (and level), got {raw!r}")
    if ("kpi" in raw) == ("formula" in raw):
        _fail(where, "kolada", "needs exactly one of kpi (a Kolada id) and formula (a derived figure)")
    level = raw.get("level", "kommun")
    if level not in KOLADA_LEVELS:
        _fail(where, "kolada.level", f"must be one of {KOLADA_LEVELS}, got {level!r}")
    if "kpi" in raw and not (isinstance(raw["kpi"], str) and _KPI_ID.match(raw["kpi"])):
        _fail(where, "kolada.kpi", f"must be a Kolada id such as N00403, got {raw['kpi']!r}")
    if "formula" in raw:
        try:
            formula_terms(str(raw["formula"]))
        except ValueError as exc:
            _fail(where, "kolada.formula", str(exc))
    return KoladaMapping(kpi=raw.get("kpi"), formula=raw.get("formula"), level=level)


def parse_kolada_kpis(raw, inds) -> tuple[tuple[KoladaKpi, ...], str | None]:
    """The [kolada] table: the KPI list with their expected titles and levels, the population KPI;
    every KPI an indicator names must be listed, at a level its mapping can read."""
    raw = raw or {}
    kpis = []
    for n, item in enumerate(raw.get("kpi", []), start=1):
        where = f"[[kolada.kpi]] #{n} ({item.get('id', '?') if isinstance(item, dict) else '?'})"
        for name in ("id", "title", "municipality_type"):
            if not isinstance(item, dict) or not isinstance(item.get(name), str) or not item[name].strip():
                _fail(where, name, "is missing or empty")
        if not _KPI_ID.match(item["id"]):
            _fail(where, "id", f"must be a Kolada id such as N00403, got {item['id']!r}")
        if item["municipality_type"] not in KOLADA_TYPES:
            _fail(where, "municipality_type", f"must be one of {KOLADA_TYPES}, got {item['municipality_type']!r}")
        kpis.append(KoladaKpi(item["id"], item["title"], item["municipality_type"]))
    listed = {k.id: k for k in kpis}
    if len(listed) != len(kpis):
        _fail("[[kolada.kpi]]", "id", "lists a KPI twice")
    population = raw.get("population_kpi")
    if population is not None and population not in listed:
        _fail("[kolada]", "population_kpi", f"{population!r} is not listed under [[kolada.kpi]]")
    for ind in inds:
        for kpi in (ind.kolada.kpis if ind.kolada else ()):
            if kpi not in listed:
                _fail(f"indicator {ind.id}", "kolada", f"names {kpi}, which is not listed under [[kolada.kpi]]")
            if listed[kpi].municipality_type not in _LEVEL_TYPES[ind.kolada.level]:
                _fail(f"indicator {ind.id}", "kolada.level",
                      f"{ind.kolada.level!r} cannot read {kpi} (Kolada level {listed[kpi].municipality_type})")
    return tuple(kpis), population
