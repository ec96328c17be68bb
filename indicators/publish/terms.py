"""Who a published figure comes from and under which terms: the attribution line, the licences,
and the small explicit table that gives every current value its `källa` (source) and `licens`
(licence) from its source kind. The open API, the bulk files, the data package and the embeds
all say it with these words. Pure data and pandas; imports the catalogue only; never streamlit.

The decisions, in one place:
- our own compilations (the catalogue, SEKOM averages, verdicts, directions, ranks, the tables
  and files served here) are CC BY 4.0, credited to Sveriges Ekokommuner – Gröna nyckeltal;
- a member's reported value is published by the network as part of Gröna nyckeltal, so under
  the same CC BY 4.0 (as the Om page says of the tables downloaded here);
- a value from national statistics (`central`) or imported from another source keeps that
  source's own terms: we name the source from the catalogue and grant no licence of our own;
- a value from Kolada keeps Kolada's terms ("Källa: Kolada", no CC licence from us), also a county's
  value shown for its municipalities; a figure we derive from Kolada's data is our calculation
  (CC BY 4.0) over values that keep Kolada's terms. A Kolada value is told by its provenance detail
  (`kolada:KPI`, written by the Kolada import), when the store has one;
- imputed values are our calculation (CC BY 4.0) over a source value that keeps its terms;
- demo values are invented by us and labelled as such.
"""
from __future__ import annotations

import pandas as pd

from indicators.catalog import Catalog

PUBLISHER = "Sveriges Ekokommuner – Gröna nyckeltal"
ATTRIBUTION_SV = f"Källa: {PUBLISHER}"
ATTRIBUTION_EN = f"Source: {PUBLISHER}"
CC_BY = "CC BY 4.0"
CC_BY_ID = "CC-BY-4.0"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_TITLE = "Creative Commons Attribution 4.0"
SOURCE_TERMS = "Källans villkor"
KOLADA_TERMS = "Kolada:s villkor (ingen CC-licens)"
KOLADA_URL = "https://www.kolada.se"

# source kind -> (källa, licens). "{source}" is the indicator's source in the catalogue.
VALUE_TERMS: dict[str, tuple[str, str]] = {
    "reported": ("Kommunen, rapporterat till Sveriges Ekokommuner", CC_BY),
    "central": ("{source}", SOURCE_TERMS),
    "imported": ("{source} (importerat)", SOURCE_TERMS),
    "kolada": ("Kolada", KOLADA_TERMS),
    "kolada_county": ("Kolada (länsvärde)", KOLADA_TERMS),
    "kolada_derived": ("Gröna nyckeltal, beräknat från Kolada-data", f"{CC_BY} (beräkningen); underlaget: "
                                                                     f"{KOLADA_TERMS}"),
    "imputed": ("Gröna nyckeltal, imputerat från länets värde ({source})", f"{CC_BY} (beräkningen); underlaget: "
                                                                           f"{SOURCE_TERMS.lower()}"),
    "demo": ("Demodata – inte officiella siffror (påhittade av Gröna nyckeltal)", CC_BY),
}

# The licences a data package lists (Frictionless `licenses`), ours first.
LICENSES = [
    {"name": CC_BY_ID, "path": CC_BY_URL, "title": f"{CC_BY_TITLE} (våra sammanställningar och medlemmarnas "
                                                  f"rapporterade värden)"},
]
COMPILATION = {"källa": PUBLISHER, "licens": CC_BY, "licens_url": CC_BY_URL}


def value_terms(source_kind: str, source: str) -> tuple[str, str]:
    """(källa, licens) of one value of an indicator whose catalogue source is `source`."""
    kalla, licens = VALUE_TERMS.get(source_kind, ("{source}", SOURCE_TERMS))
    return kalla.format(source=source), licens


def value_class(source_kind: str, provenance=None) -> str:
    """The row of VALUE_TERMS for a value: its source kind, or for a Kolada import (a provenance detail
    such as `kolada:N60404 county:0014`) kolada, kolada_county or kolada_derived."""
    tokens = dict(tok.partition(":")[::2] for tok in provenance.split()) if isinstance(provenance, str) else {}
    if "kolada" in tokens:
        return "kolada_derived" if "derived" in tokens else "kolada_county" if "county" in tokens else "kolada"
    return source_kind


def with_terms(frame: pd.DataFrame, catalog: Catalog, provenance=None) -> pd.DataFrame:
    """The canonical export frame (with `källtyp`) plus `källa` and `licens` for every row (replacing a
    `källa` it may already have); provenance: the values' provenance details, row by row, if known."""
    sources = {i.id: i.source for i in catalog}
    klass = [value_class(k, p) for k, p in zip(frame["källtyp"], provenance if provenance is not None
                                                 else [None] * len(frame))]
    keys = pd.DataFrame({"klass": klass, "indikator": frame["indikator"].to_numpy()})
    pairs = keys.drop_duplicates()
    terms = [value_terms(kind, sources.get(ind, "")) for kind, ind in zip(pairs["klass"], pairs["indikator"])]
    pairs = pairs.assign(källa=[k for k, _ in terms], licens=[lic for _, lic in terms])
    found = keys.merge(pairs, on=["klass", "indikator"], how="left", validate="many_to_one")
    out = frame.drop(columns=[c for c in ("källa", "licens") if c in frame]).reset_index(drop=True)
    return out.assign(källa=found["källa"].to_numpy(), licens=found["licens"].to_numpy())
