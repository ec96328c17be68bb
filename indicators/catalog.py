"""The indicator catalogue: loads data/indicators.toml and validates it.

A malformed catalogue fails loudly at start with a CatalogError naming the
indicator and the field. Pure data; no database, no UI imports.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from indicators.errors import CatalogError
from indicators.paths import CATALOG_FILE

THEMES = ("Klimat", "Transporter", "Natur och jordbruk", "Avfall och resurser", "Energi",
          "Kommunorganisationen")
BETTER = ("higher", "lower")
REPORTED_BY = ("member", "central")
TARGET_KINDS = ("absolute", "relative")
KOLADA_LEVELS = ("kommun", "county")       # the municipality's own value | its county's (region's) value
KOLADA_TYPES = ("K", "L", "A")             # Kolada's municipality_type: kommuner, regions only, all
_LEVEL_TYPES = {"kommun": ("K", "A"), "county": ("L", "A")}
_KPI_ID = re.compile(r"^[A-Z][0-9]{5}$")
_FORMULA = re.compile(r"^\s*([A-Z][0-9]{5})((?:\s*[*/]\s*(?:[A-Z][0-9]{5}|[0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?))*)\s*$")
_FORMULA_TERM = re.compile(r"([*/])\s*([A-Z][0-9]{5}|[0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)")
_REQUIRED = {"id": str, "name_sv": str, "name_en": str, "unit": str, "better": str, "theme": str,
             "start_year": int, "decimals": int, "source": str, "reported_by": str}


@dataclass(frozen=True)
class Target:
    value: float
    year: int
    label: str
    kind: str = "absolute"          # "relative": value is percent change versus base_year
    base_year: int | None = None
    kommunkod: str | None = None    # None for a national target


@dataclass(frozen=True)
class SeriesBreak:
    year: int
    note: str = ""


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


@dataclass(frozen=True)
class Indicator:
    id: str
    name_sv: str
    name_en: str
    unit: str
    better: str
    theme: str
    start_year: int
    decimals: int
    source: str
    reported_by: str
    plausible_yoy_change: float = 0.5
    kolada: KoladaMapping | None = None
    note: str = ""
    band_edges: tuple[float, ...] = ()
    band_labels: tuple[str, ...] = ()
    series_breaks: tuple[SeriesBreak, ...] = ()
    national_target: Target | None = None

    def name(self, lang: str = "sv") -> str:
        return self.name_en if lang == "en" else self.name_sv

    @property
    def kolada_kpi(self) -> str | None:
        """The Kolada KPI id(s) the indicator is imported from ("N45970,N01951" when derived)."""
        return ",".join(self.kolada.kpis) if self.kolada else None

    @property
    def is_share(self) -> bool:
        """A percentage: values must lie in 0..100."""
        return self.unit.strip() == "%"

    @property
    def max_value(self) -> float | None:
        return 100.0 if self.is_share else None

    @property
    def min_value(self) -> float:
        return 0.0   # every Gröna nyckeltal figure is a non-negative quantity or share


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...] = field(default_factory=tuple)
    kolada_kpis: tuple[KoladaKpi, ...] = ()     # every KPI the Kolada import reads ([[kolada.kpi]])
    population_kpi: str | None = None           # the KPI that also fills population per year

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self):
        return len(self.indicators)

    def __contains__(self, key):
        return any(i.id == key for i in self.indicators)

    def __getitem__(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == key:
                return ind
        raise KeyError(key)

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def member_reported(self) -> list[Indicator]:
        return [i for i in self.indicators if i.reported_by == "member"]

    def kolada_mapped(self) -> list[Indicator]:
        """The indicators the Kolada import fills, in catalogue order."""
        return [i for i in self.indicators if i.kolada is not None]

    def kolada_kpi(self, kpi_id: str) -> KoladaKpi:
        for kpi in self.kolada_kpis:
            if kpi.id == kpi_id:
                return kpi
        raise KeyError(kpi_id)


def _fail(where: str, fieldname: str, problem: str):
    raise CatalogError("catalog.invalid", f"indicator catalogue: {where}: field '{fieldname}' {problem}")


def _check_required(raw: dict, where: str) -> None:
    for name, typ in _REQUIRED.items():
        if name not in raw:
            _fail(where, name, "is missing")
        if not isinstance(raw[name], typ) or isinstance(raw[name], bool):
            _fail(where, name, f"must be {typ.__name__}, got {raw[name]!r}")
    if raw["better"] not in BETTER:
        _fail(where, "better", f"must be one of {BETTER}, got {raw['better']!r}")
    if raw["theme"] not in THEMES:
        _fail(where, "theme", f"must be one of {THEMES}, got {raw['theme']!r}")
    if raw["reported_by"] not in REPORTED_BY:
        _fail(where, "reported_by", f"must be one of {REPORTED_BY}, got {raw['reported_by']!r}")
    if not 1900 <= raw["start_year"] <= 2100:
        _fail(where, "start_year", f"is not a plausible year: {raw['start_year']}")
    if not 0 <= raw["decimals"] <= 6:
        _fail(where, "decimals", f"must be 0..6, got {raw['decimals']}")


def _parse_bands(raw: dict, where: str) -> tuple[tuple[float, ...], tuple[str, ...]]:
    edges = tuple(float(x) for x in raw.get("band_edges", []))
    labels = tuple(str(x) for x in raw.get("band_labels", []))
    if (edges or labels) and len(labels) != len(edges) + 1:
        _fail(where, "band_labels", f"needs {len(edges) + 1} entries (one more than band_edges), got {len(labels)}")
    if any(b <= a for a, b in zip(edges, edges[1:])):
        _fail(where, "band_edges", "must rise strictly from low to high")
    return edges, labels


def _parse_target(raw: dict | None, where: str) -> Target | None:
    if raw is None:
        return None
    try:
        kind = raw.get("kind", "absolute")
        if kind not in TARGET_KINDS:
            _fail(where, "national_target.kind", f"must be one of {TARGET_KINDS}")
        if kind == "relative" and not isinstance(raw.get("base_year"), int):
            _fail(where, "national_target.base_year", "is required for a relative target")
        return Target(value=float(raw["value"]), year=int(raw["year"]), label=str(raw.get("label", "")),
                      kind=kind, base_year=raw.get("base_year"))
    except KeyError as exc:
        _fail(where, f"national_target.{exc.args[0]}", "is missing")
    except (TypeError, ValueError) as exc:
        _fail(where, "national_target", f"is malformed: {exc}")


def _parse_kolada(raw, where: str) -> KoladaMapping | None:
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


def parse_kolada_kpis(raw, inds: tuple[Indicator, ...]) -> tuple[tuple[KoladaKpi, ...], str | None]:
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


def parse_indicator(raw: dict, position: int) -> Indicator:
    where = f"indicator #{position} ({raw.get('id', '?')})"
    _check_required(raw, where)
    edges, labels = _parse_bands(raw, where)
    breaks = []
    for b in raw.get("series_breaks", []):
        if not isinstance(b, dict) or not isinstance(b.get("year"), int):
            _fail(where, "series_breaks", f"each entry needs an integer 'year', got {b!r}")
        breaks.append(SeriesBreak(year=b["year"], note=str(b.get("note", ""))))
    thr = raw.get("plausible_yoy_change", 0.5)
    if not isinstance(thr, (int, float)) or thr <= 0:
        _fail(where, "plausible_yoy_change", f"must be a positive number, got {thr!r}")
    return Indicator(
        id=raw["id"], name_sv=raw["name_sv"], name_en=raw["name_en"], unit=raw["unit"],
        better=raw["better"], theme=raw["theme"], start_year=raw["start_year"], decimals=raw["decimals"],
        source=raw["source"], reported_by=raw["reported_by"], plausible_yoy_change=float(thr),
        kolada=_parse_kolada(raw.get("kolada"), where), note=raw.get("note", ""), band_edges=edges, band_labels=labels,
        series_breaks=tuple(sorted(breaks, key=lambda b: b.year)),
        national_target=_parse_target(raw.get("national_target"), where))


def parse_catalog(data: dict) -> Catalog:
    items = data.get("indicator")
    if not isinstance(items, list) or not items:
        raise CatalogError("catalog.invalid", "indicator catalogue: no [[indicator]] entries found")
    inds = tuple(parse_indicator(raw, n) for n, raw in enumerate(items, start=1))
    seen = set()
    for ind in inds:
        if ind.id in seen:
            raise CatalogError("catalog.invalid", f"indicator catalogue: field 'id' {ind.id!r} appears twice")
        seen.add(ind.id)
    kpis, population = parse_kolada_kpis(data.get("kolada"), inds)
    return Catalog(inds, kpis, population)


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate the catalogue file; raise CatalogError naming the bad field."""
    p = Path(path) if path else CATALOG_FILE
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError("catalog.invalid", f"indicator catalogue {p}: not valid TOML: {exc}") from exc
    return parse_catalog(data)


@lru_cache(maxsize=4)
def default_catalog() -> Catalog:
    return load_catalog(CATALOG_FILE)
