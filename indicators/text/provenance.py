"""Where a value comes from, in words (Swedish and English): the badge of one value from its source kind
and provenance detail, the source line of a chart or table, and how our own calculations are labelled.

A provenance detail is NULL or space-separated key:value tokens written by an import (store/schema.py):
`kolada:N00403` (Kolada's value as published: "Källa: Kolada"), `kolada:N60404 county:0014` (the
county's value shown for each of its municipalities: "länsvärde"), `kolada:N45970,N01951
derived:N45970*1e6/N01951` (computed by us from Kolada's data: never labelled as Kolada's figure, as
Kolada's terms require). Without a detail the source kind's own label is used. Imports only the
string table; no SQL, no UI imports.
"""
from __future__ import annotations

from collections.abc import Iterable

from indicators.text.i18n import t

KOLADA, KOLADA_COUNTY, KOLADA_DERIVED = "kolada", "kolada_county", "kolada_derived"
_LABEL_KEYS = {KOLADA: "provenance.kolada", KOLADA_COUNTY: "provenance.kolada_county",
               KOLADA_DERIVED: "provenance.derived"}


def parse_provenance(provenance) -> dict[str, str]:
    """'kolada:N60404 county:0014' -> {'kolada': 'N60404', 'county': '0014'}; {} for NULL or ''."""
    if not isinstance(provenance, str):
        return {}
    out = {}
    for token in provenance.split():
        key, _, value = token.partition(":")
        out[key] = value
    return out


def provenance_class(source_kind, provenance) -> str:
    """kolada | kolada_county | kolada_derived for a Kolada value, else the source kind itself."""
    p = parse_provenance(provenance)
    if "kolada" in p:
        return KOLADA_DERIVED if "derived" in p else KOLADA_COUNTY if "county" in p else KOLADA
    return source_kind if isinstance(source_kind, str) else ""


def source_label(source_kind, provenance, lang: str = "sv") -> str:
    """The short badge of one value: 'Källa: Kolada', 'Källa: Kolada (länsvärde)', 'Beräknat av Gröna
    nyckeltal från Kolada-data', or the source kind's label ('Rapporterat av kommunen', …)."""
    cls = provenance_class(source_kind, provenance)
    if cls in _LABEL_KEYS:
        return t(_LABEL_KEYS[cls], lang)
    return t(f"chart.source.{cls}", lang) if cls else ""


def source_detail(source_kind, provenance, lang: str = "sv") -> str:
    """The badge with its KPI ids (hover text): 'Källa: Kolada (N60404), länsvärde för 0014'."""
    p = parse_provenance(provenance)
    cls = provenance_class(source_kind, provenance)
    kpi = p.get("kolada", "").replace(",", ", ")
    if cls == KOLADA_DERIVED:
        return t("provenance.detail_derived", lang, formula=p.get("derived", ""))
    if cls == KOLADA_COUNTY:
        return t("provenance.detail_county", lang, kpi=kpi, region=p.get("county", ""))
    if cls == KOLADA:
        return t("provenance.detail_kolada", lang, kpi=kpi)
    return source_label(source_kind, provenance, lang)


def source_labels(kinds: Iterable, provenances: Iterable | None, lang: str = "sv") -> list[str]:
    """source_label for parallel sequences (a table column); provenances None: no details."""
    kinds = list(kinds)
    provs = list(provenances) if provenances is not None else [None] * len(kinds)
    return [source_label(k, p, lang) for k, p in zip(kinds, provs)]


def has_kolada(provenances: Iterable) -> bool:
    return any("kolada" in parse_provenance(p) for p in provenances)


def computed_label(provenances: Iterable, lang: str = "sv") -> str:
    """How our own calculations (averages, target paths) over these values are labelled: 'Beräknat av
    Gröna nyckeltal från Kolada-data' when any is Kolada's, else 'Beräknat av Gröna nyckeltal'."""
    return t("provenance.derived" if has_kolada(provenances) else "provenance.computed", lang)


def source_text(source: str, provenances: Iterable, lang: str = "sv") -> str:
    """The source named under a chart or table: the catalogue's source, or, when values come from
    Kolada, 'Kolada (ursprung: Avfall Sverige)'; derived values name us, from Kolada's data."""
    classes = {provenance_class(None, p) for p in provenances} - {""}
    if KOLADA_DERIVED in classes:
        return t("provenance.source_derived", lang, source=source)
    if classes & {KOLADA, KOLADA_COUNTY}:
        return t("provenance.source_kolada", lang, source=source)
    return source
