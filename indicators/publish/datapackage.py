"""The Frictionless Data Package (datapackage.json) that describes the bulk files: the current
values as CSV (Swedish Excel dialect: UTF-8 with BOM, ';', decimal comma) and Parquet, and the
indicator catalogue as CSV, with their schemas, units (per indicator, joined by a foreign key),
sources and licences. Resource paths are relative to the descriptor, so the package works both
from the server (/api/v1/datapackage.json) and from files saved side by side.
Pure: data in, dict out; imports the catalogue and publish.terms; never streamlit.
"""
from __future__ import annotations

import pandas as pd

from indicators.catalog import Catalog
from indicators.publish.terms import (CC_BY, KOLADA_URL, LICENSES, PUBLISHER, SOURCE_TERMS, KOLADA_TERMS,
                                      VALUE_TERMS)

PACKAGE_NAME = "gronanyckeltal"
CSV_DIALECT = {"delimiter": ";", "header": True}
SOURCE_KINDS = ["reported", "central", "imported", "imputed", "demo"]


def indicator_rows(catalog: Catalog) -> pd.DataFrame:
    """The catalogue as the flat table served at /api/v1/indicators.csv (one row per indicator)."""
    return pd.DataFrame([{
        "id": i.id, "namn": i.name_sv, "name_en": i.name_en, "enhet": i.unit, "bättre": i.better,
        "tema": i.theme, "startår": i.start_year, "decimaler": i.decimals, "källa": i.source,
        "rapporteras_av": i.reported_by, "källa_licens": SOURCE_TERMS if i.reported_by == "central" else CC_BY,
    } for i in catalog], columns=INDICATOR_COLUMNS)


INDICATOR_COLUMNS = ["id", "namn", "name_en", "enhet", "bättre", "tema", "startår", "decimaler", "källa",
                     "rapporteras_av", "källa_licens"]

VALUE_FIELDS = [
    {"name": "kommunkod", "type": "string", "title": "Kommunkod",
     "description": "SCB:s fyrsiffriga kommunkod (0180 Stockholm, 1490 Borås).",
     "constraints": {"required": True, "pattern": "[0-9]{4}"}},
    {"name": "indikator", "type": "string", "title": "Nyckeltal",
     "description": "Nyckeltalets id i katalogen (resursen nyckeltal: namn, enhet, källa).",
     "constraints": {"required": True}},
    {"name": "år", "type": "integer", "title": "År", "constraints": {"required": True, "minimum": 1970}},
    {"name": "värde", "type": "number", "title": "Värde", "decimalChar": ",",
     "description": "Det aktuella värdet i nyckeltalets enhet (enhet i resursen nyckeltal).",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "kommentar", "type": "string", "title": "Kommentar",
     "description": "Rapportörens kommentar till värdet (tom om ingen)."},
    {"name": "källtyp", "type": "string", "title": "Källtyp",
     "description": "reported = rapporterat av kommunen, central = nationell statistik, imported = importerat, "
                    "imputed = imputerat (länets värde), demo = påhittat demovärde.",
     "constraints": {"required": True, "enum": SOURCE_KINDS}},
    {"name": "källa", "type": "string", "title": "Källa", "description": "Varifrån värdet kommer.",
     "constraints": {"required": True}},
    {"name": "licens", "type": "string", "title": "Licens", "description": "Villkoren för värdet.",
     "constraints": {"required": True}},
]


def _parquet_fields() -> list[dict]:
    return [{k: v for k, v in f.items() if k != "decimalChar"} for f in VALUE_FIELDS]


def _indicator_fields() -> list[dict]:
    types = {"startår": "integer", "decimaler": "integer"}
    titles = {"id": "Id", "namn": "Namn", "name_en": "Name (English)", "enhet": "Enhet", "bättre": "Bättre är",
              "tema": "Tema", "startår": "Startår", "decimaler": "Decimaler", "källa": "Källa",
              "rapporteras_av": "Rapporteras av", "källa_licens": "Villkor för värdena"}
    fields = [{"name": c, "type": types.get(c, "string"), "title": titles[c]} for c in INDICATOR_COLUMNS]
    fields[0]["constraints"] = {"required": True, "unique": True}
    fields[4]["constraints"] = {"enum": ["higher", "lower"]}
    fields[9]["constraints"] = {"enum": ["member", "central"]}
    return fields


def _values_schema(fields: list[dict]) -> dict:
    return {"fields": fields, "primaryKey": ["kommunkod", "indikator", "år"],
            "foreignKeys": [{"fields": ["indikator"], "reference": {"resource": "nyckeltal", "fields": ["id"]}}]}


def _terms_text() -> str:
    lines = [f"{kind}: {kalla.replace('{source}', 'nyckeltalets källa')} — {licens}"
             for kind, (kalla, licens) in VALUE_TERMS.items()]
    return "Källa och licens per källtyp: " + "; ".join(lines) + "."


def data_package(catalog: Catalog, homepage: str = "") -> dict:
    """The descriptor (Frictionless Data Package v1 with Table Schema) for the bulk files."""
    sources = [{"title": PUBLISHER, "path": homepage} if homepage else {"title": PUBLISHER},
               {"title": "Kolada (RKA)", "path": KOLADA_URL}]
    sources += [{"title": s} for s in dict.fromkeys(i.source for i in catalog)]
    desc = (f"Gröna nyckeltal: miljönyckeltalen som medlemmarna i Sveriges Ekokommuner följer. Aktuella värden per "
            f"kommun, nyckeltal och år. Våra sammanställningar och medlemmarnas rapporterade värden: {CC_BY}. "
            f"Värden från andra källor behåller källans villkor; värden från Kolada: {KOLADA_TERMS}. "
            + _terms_text())
    return {
        "name": PACKAGE_NAME, "title": "Gröna nyckeltal – Sveriges Ekokommuner", "description": desc,
        **({"homepage": homepage} if homepage else {}),
        "licenses": LICENSES, "sources": sources,
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "keywords": ["miljö", "kommuner", "nyckeltal", "Sveriges Ekokommuner", "SEKOM"],
        "resources": [
            {"name": "varden_csv", "title": "Aktuella värden (CSV)", "path": "values.csv", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8-sig", "dialect": CSV_DIALECT,
             "description": "UTF-8 med BOM, semikolon och decimalkomma (öppnas direkt i svenska Excel).",
             "licenses": LICENSES, "schema": _values_schema(VALUE_FIELDS)},
            {"name": "varden_parquet", "title": "Aktuella värden (Parquet)", "path": "values.parquet",
             "format": "parquet", "mediatype": "application/vnd.apache.parquet",
             "licenses": LICENSES, "schema": _values_schema(_parquet_fields())},
            {"name": "nyckeltal", "title": "Nyckeltalen (katalogen)", "path": "indicators.csv", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8-sig", "dialect": CSV_DIALECT, "licenses": LICENSES,
             "schema": {"fields": _indicator_fields(), "primaryKey": ["id"]}},
        ],
    }
