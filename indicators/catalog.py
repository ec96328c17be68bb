"""The indicator catalogue: loads data/indicators.toml and validates it.

A malformed catalogue fails loudly at start with a CatalogError naming the
indicator and the field. Pure data; no database, no UI imports.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from indicators.catalog_kolada import (KoladaKpi, KoladaMapping, parse_kolada_kpis,
                                       parse_kolada_mapping)
from indicators.errors import CatalogError
from indicators.paths import catalog_path

# The themes (the catalogue's Swedish names) and their URL slugs, in display order; UI strings
# for a theme are keyed by its slug (theme.<slug>).
THEME_SLUGS = {"Klimat": "klimat", "Transporter": "transporter", "Natur och jordbruk": "natur",
               "Avfall och resurser": "avfall", "Energi": "energi", "Kommunorganisationen": "organisation"}
THEMES = tuple(THEME_SLUGS)
BETTER = ("higher", "lower")
REPORTED_BY = ("member", "central")
TARGET_KINDS = ("absolute", "relative")
# The weight a network mean may use: "population" for per-inhabitant figures (sum of quantities /
# sum of population), "none" otherwise (shares, per-employee figures: there is no area or staff data).
WEIGHTS = ("population", "none")
_REQUIRED = {"id": str, "name_sv": str, "name_en": str, "unit": str, "unit_en": str, "better": str, "theme": str,
             "start_year": int, "decimals": int, "source": str, "reported_by": str, "weight": str}


@dataclass(frozen=True)
class Target:
    value: float
    year: int
    label: str
    kind: str = "absolute"          # "relative": value is percent change versus base_year
    base_year: int | None = None
    kommunkod: str | None = None    # None for a national target
    label_en: str = ""              # the label in English (the catalogue's national targets)


@dataclass(frozen=True)
class SeriesBreak:
    year: int
    note: str = ""


@dataclass(frozen=True)
class DemoProfile:
    """How the demo generator invents a series: a level between low and high in its first year,
    a mean relative change per year and its spread; zero_share of the municipalities get a
    constant 0 (e.g. no emissions-trading plants); at a series break the level shifts by
    break_shift (relative)."""
    low: float
    high: float
    drift: float
    spread: float
    zero_share: float = 0.0
    break_shift: float = 0.0


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
    plausible_range: tuple[float, float] | None = None    # outside: a flag that needs a comment
    kolada: KoladaMapping | None = None
    note: str = ""
    band_edges: tuple[float, ...] = ()
    band_labels: tuple[str, ...] = ()
    series_breaks: tuple[SeriesBreak, ...] = ()
    national_target: Target | None = None
    demo: DemoProfile | None = None
    unit_en: str = ""               # the unit in English ("trips/inhabitant" for "resor/inv")
    weight: str = "none"            # see WEIGHTS

    def name(self, lang: str = "sv") -> str:
        return self.name_en if lang == "en" else self.name_sv

    def unit_for(self, lang: str = "sv") -> str:
        """The unit in the UI language."""
        return (self.unit_en or self.unit) if lang == "en" else self.unit

    @property
    def weighted(self) -> bool:
        """Whether the network mean may be population-weighted (per-inhabitant figures only)."""
        return self.weight == "population"

    @property
    def kolada_kpi(self) -> str | None:
        """The Kolada KPI id(s) the indicator is imported from ("N45970,N01951" when derived)."""
        return ",".join(self.kolada.kpis) if self.kolada else None

    @property
    def theme_slug(self) -> str:
        return THEME_SLUGS[self.theme]

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


def theme_slug(theme: str) -> str:
    return THEME_SLUGS[theme]


def theme_from_slug(slug: str | None) -> str | None:
    """The theme named by a URL slug, or None for an unknown or missing slug."""
    return {v: k for k, v in THEME_SLUGS.items()}.get(slug or "")


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
    if raw["weight"] not in WEIGHTS:
        _fail(where, "weight", f"must be one of {WEIGHTS}, got {raw['weight']!r}")
    if raw["weight"] == "population" and raw["unit"].strip() == "%":
        _fail(where, "weight", "must be \"none\" for a share (%): a population-weighted mean is for per-inhabitant figures")
    if not raw["unit_en"].strip():
        _fail(where, "unit_en", "is empty (the unit in English, for the English UI)")
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
        if not str(raw.get("label_en", "")).strip():
            _fail(where, "national_target.label_en", "is missing (the English label, for the English UI)")
        return Target(value=float(raw["value"]), year=int(raw["year"]), label=str(raw.get("label", "")),
                      kind=kind, base_year=raw.get("base_year"), label_en=str(raw["label_en"]))
    except KeyError as exc:
        _fail(where, f"national_target.{exc.args[0]}", "is missing")
    except (TypeError, ValueError) as exc:
        _fail(where, "national_target", f"is malformed: {exc}")


def _parse_range(raw: dict, where: str, is_share: bool) -> tuple[float, float] | None:
    rng = raw.get("plausible_range")
    if rng is None:
        return None
    if not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                           and math.isfinite(x) for x in rng)):
        _fail(where, "plausible_range", f"must be two finite numbers [low, high], got {rng!r}")
    lo, hi = float(rng[0]), float(rng[1])
    if not 0 <= lo < hi:
        _fail(where, "plausible_range", f"needs 0 <= low < high, got {rng!r}")
    if is_share and hi > 100:
        _fail(where, "plausible_range", f"is a share: high must be at most 100, got {hi}")
    return lo, hi


def _parse_demo(raw: dict | None, where: str) -> DemoProfile | None:
    if raw is None:
        return None
    try:
        profile = DemoProfile(**{k: float(v) for k, v in raw.items()})
    except (TypeError, ValueError) as exc:
        _fail(where, "demo", f"needs numbers low, high, drift, spread (zero_share, break_shift optional): {exc}")
    if not profile.low <= profile.high or profile.spread < 0 or not 0 <= profile.zero_share <= 1:
        _fail(where, "demo", "needs low <= high, spread >= 0 and zero_share in 0..1")
    return profile


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
        plausible_range=_parse_range(raw, where, raw["unit"].strip() == "%"),
        kolada=parse_kolada_mapping(raw.get("kolada"), where), note=raw.get("note", ""), band_edges=edges, band_labels=labels,
        series_breaks=tuple(sorted(breaks, key=lambda b: b.year)),
        national_target=_parse_target(raw.get("national_target"), where), demo=_parse_demo(raw.get("demo"), where),
        unit_en=raw["unit_en"], weight=raw["weight"])


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
    p = Path(path) if path else catalog_path()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError("catalog.invalid", f"indicator catalogue {p}: not valid TOML: {exc}") from exc
    return parse_catalog(data)


def default_catalog() -> Catalog:
    """The catalogue in use ($GN_CATALOG or data/indicators.toml), read once per file."""
    return _cached_catalog(str(catalog_path()))


@lru_cache(maxsize=4)
def _cached_catalog(path: str) -> Catalog:
    return load_catalog(path)
