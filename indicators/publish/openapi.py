"""The OpenAPI 3.1 description of the open read API (served at /api/v1/openapi.json): every route,
its parameters (with the catalogue's ids as the allowed indicators), its response types, the
error object, caching (ETag, If-None-Match, 304) and the licence. Pure: data in, dict out;
imports the catalogue and publish.terms/links; never streamlit.
"""
from __future__ import annotations

from indicators import __version__
from indicators.catalog import Catalog
from indicators.publish.links import API_ROOT
from indicators.publish.terms import CC_BY_TITLE, CC_BY_URL, PUBLISHER


def _param(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _responses(ok: dict, params: bool) -> dict:
    out = {"200": ok,
           "304": {"description": "Oförändrat sedan If-None-Match (samma ETag): ingen kropp."},
           "404": {"$ref": "#/components/responses/NotFound"},
           "405": {"$ref": "#/components/responses/MethodNotAllowed"},
           "503": {"$ref": "#/components/responses/Unavailable"}}
    if params:
        out["400"] = {"$ref": "#/components/responses/BadParameter"}
    return out


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "headers": _HEADERS, "content": {"application/json": {"schema": schema}}}


def _file(description: str, media_type: str) -> dict:
    return {"description": description, "headers": _HEADERS,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}


_HEADERS = {
    "ETag": {"description": "Svag validerare för innehållet; skicka den i If-None-Match.", "schema": {"type": "string"}},
    "Link": {"description": "<" + API_ROOT + "/datapackage.json>; rel=\"describedby\" och licensen (rel=\"license\").",
             "schema": {"type": "string"}},
}

_ERROR = {"type": "object", "required": ["error"], "properties": {
    "error": {"type": "object", "required": ["status", "code", "message", "message_en"], "properties": {
        "status": {"type": "integer"}, "code": {"type": "string"},
        "parameter": {"type": "string", "description": "Parametern som var fel (400)."},
        "value": {"type": "string"}, "message": {"type": "string", "description": "På svenska."},
        "message_en": {"type": "string", "description": "In English."}}},
    "källa": {"type": "string"}, "licens": {"type": "string"}}}


def _envelope(data: dict) -> dict:
    return {"type": "object", "required": ["källa", "licens", "data"], "properties": {
        "källa": {"type": "string"}, "licens": {"type": "string"}, "licens_url": {"type": "string"},
        "datapaket": {"type": "string"}, "antal": {"type": "integer"}, "data": {"type": "array", "items": data}}}


def openapi_document(catalog: Catalog, server: str = "") -> dict:
    kommun = _param("kommun", "SCB:s fyrsiffriga kommunkod, t.ex. 1490 (Borås). Tom eller utelämnad: alla.",
                    {"type": "string", "pattern": "^([0-9]{4})?$"})
    indikator = _param("indikator", "Nyckeltalets id, t.ex. GN.7. Tom eller utelämnad: alla.",
                       {"type": "string", "enum": ["", *catalog.ids]})
    filters = [kommun, indikator]
    paths = {
        f"{API_ROOT}/indicators": {"get": {
            "summary": "Nyckeltalen (katalogen) som JSON", "operationId": "indicators",
            "responses": _responses(_json("Katalogen.", _envelope({"type": "object"})), False)}},
        f"{API_ROOT}/indicators.csv": {"get": {
            "summary": "Nyckeltalen som CSV (en rad per nyckeltal: enhet, källa ...)", "operationId": "indicatorsCsv",
            "responses": _responses(_file("CSV för svenska Excel.", "text/csv"), False)}},
        f"{API_ROOT}/trends": {"get": {
            "summary": "Bedömning, riktning, mål och rang per kommun och nyckeltal (som `trends --json`)",
            "operationId": "trends", "parameters": filters,
            "responses": _responses(_json("Trendobjekten.", _envelope({"type": "object", "required": [
                "kommunkod", "indicator", "verdict"]})), True)}},
        f"{API_ROOT}/values.csv": {"get": {
            "summary": "Aktuella värden i kanoniskt långt format, med källtyp, källa och licens (CSV)",
            "operationId": "valuesCsv", "parameters": filters,
            "responses": _responses(_file("UTF-8 med BOM, semikolon, decimalkomma.", "text/csv"), True)}},
        f"{API_ROOT}/values.parquet": {"get": {
            "summary": "Samma värden som Parquet", "operationId": "valuesParquet", "parameters": filters,
            "responses": _responses(_file("Parquet.", "application/vnd.apache.parquet"), True)}},
        f"{API_ROOT}/datapackage.json": {"get": {
            "summary": "Frictionless Data Package som beskriver bulkfilerna", "operationId": "datapackage",
            "responses": _responses(_json("Datapaketet.", {"type": "object"}), False)}},
        f"{API_ROOT}/openapi.json": {"get": {
            "summary": "Den här beskrivningen", "operationId": "openapi",
            "responses": _responses(_json("OpenAPI 3.1.", {"type": "object"}), False)}},
    }
    problem = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Gröna nyckeltal – öppet läs-API", "version": __version__,
                 "description": ("Läs-API för Gröna nyckeltal (Sveriges Ekokommuner). Endast GET. CORS för alla "
                                 "ursprung. Varje svar har en ETag (svara 304 på If-None-Match) och en Link-rubrik "
                                 "till datapaketet. Varje svar namnger källa och licens."),
                 "contact": {"name": PUBLISHER},
                 "license": {"name": CC_BY_TITLE, "url": CC_BY_URL}},
        **({"servers": [{"url": server}]} if server else {}),
        "paths": paths,
        "components": {
            "schemas": {"Error": _ERROR},
            "responses": {
                "BadParameter": {"description": "En parameter är fel: error.parameter säger vilken och varför.",
                                 **problem},
                "NotFound": {"description": "Ingen sådan adress under /api/.", **problem},
                "MethodNotAllowed": {"description": "Endast GET (och HEAD).", **problem},
                "Unavailable": {"description": "Databasen kan inte läsas just nu; försök igen.", **problem}}},
    }
