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
- a value from Kolada keeps Kolada's terms ("Källa: Kolada", no CC licence from us);
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


def with_terms(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The canonical export frame (with `källtyp`) plus `källa` and `licens` for every row."""
    sources = {i.id: i.source for i in catalog}
    pairs = frame[["källtyp", "indikator"]].drop_duplicates()
    terms = [value_terms(kind, sources.get(ind, "")) for kind, ind in zip(pairs["källtyp"], pairs["indikator"])]
    pairs = pairs.assign(källa=[k for k, _ in terms], licens=[lic for _, lic in terms])
    return frame.merge(pairs, on=["källtyp", "indikator"], how="left", validate="many_to_one")
