"""The open read API under /api/v1/, served by the dashboard's own process (app.py mounts `mount()`
into st.App). Handlers are plain functions from a Starlette request to a response, over the
per-database-state data in publish.dataset; Starlette runs them in its thread pool.

The contract: GET (and HEAD) only, anything else is a 405 JSON error naming the allowed methods;
an unknown path under /api/ is a 404 JSON error; a bad or unknown query parameter is a 400 JSON
error naming the parameter and why (Swedish `message`, English `message_en`, strings in the locale
files). CORS for GET from any origin (Starlette's CORSMiddleware, which also answers preflights).
Every response has a weak ETag over its body (a matching If-None-Match gets 304), `Cache-Control:
no-cache` (clients revalidate, so a new upload shows at once), and a Link header to the data
package and the licence; JSON bodies name `källa` and `licens`, CSV and Parquet rows carry them
as columns. Imports publish.*, views, text and the catalogue; never streamlit.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from indicators.catalog import default_catalog
from indicators.errors import StoreError, StoreLocked
from indicators.publish import dataset
from indicators.publish.datapackage import data_package, indicator_rows
from indicators.publish.links import API_ROOT, DATAPACKAGE_PATH, origin_of, public_base
from indicators.publish.openapi import openapi_document
from indicators.publish.terms import CC_BY_URL, COMPILATION
from indicators.text.i18n import t
from indicators.text.tables import to_excel_csv, to_json, to_parquet

_log = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"
CSV = "text/csv; charset=utf-8; header=present"
PARQUET = "application/vnd.apache.parquet"
FILTERS = ("kommun", "indikator")
LINK = (f'<{DATAPACKAGE_PATH}>; rel="describedby"; type="application/json", '
        f'<{CC_BY_URL}>; rel="license"')
KOMMUN_CODE = re.compile(r"^[0-9]{4}$")


class BadParameter(Exception):
    """A query parameter the API cannot use: `code` names the problem (api.error.<code>)."""

    def __init__(self, code: str, parameter: str, value: str = "", **params):
        super().__init__(code)
        self.code, self.parameter, self.value, self.params = code, parameter, value, params


# ------------------------------------------------------------------ responses

def _etag(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match against our weak tag (weak comparison: W/ prefixes ignored; * matches)."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag.strip() == "*" or tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def _respond(request: Request, body: bytes, media_type: str, status: int = 200,
             headers: dict | None = None) -> Response:
    """The response with its validators and links; 304 when the client already has this body."""
    etag = _etag(body)
    common = {"ETag": etag, "Link": LINK, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff",
              **(headers or {})}
    if status == 200 and _matches(request.headers.get("if-none-match"), etag):
        common.pop("Content-Disposition", None)
        return Response(status_code=304, headers=common)
    return Response(body, status_code=status, media_type=media_type, headers=common)


def _json(request: Request, obj, status: int = 200, headers: dict | None = None) -> Response:
    return _respond(request, to_json(obj).encode("utf-8"), JSON, status, headers)


def _envelope(data: list, **extra) -> dict:
    """Data with its source and licence: our compilation, CC BY 4.0."""
    return {**COMPILATION, "datapaket": DATAPACKAGE_PATH, **extra, "antal": len(data), "data": data}


def _enveloped(request: Request, data: list, **extra) -> Response:
    return _json(request, _envelope(data, **extra))


def error_body(status: int, code: str, **fields) -> dict:
    """The JSON error: status, a stable code, the fields (parameter, value ...) and the message in
    Swedish and English (api.error.<code> in the locale files), with the source and licence."""
    params = {k: v for k, v in fields.items() if v is not None}
    return {"error": {"status": status, "code": code, **params,
                      "message": t(f"api.error.{code}", "sv", **params),
                      "message_en": t(f"api.error.{code}", "en", **params)},
            **COMPILATION}


def _error(request: Request, status: int, code: str, headers: dict | None = None, **fields) -> Response:
    return _json(request, error_body(status, code, **fields), status, headers)


def _attachment(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _base(request: Request) -> str:
    return public_base(origin_of(str(request.url)))


# ------------------------------------------------------------------ parameters

def _filters(request: Request, pub: dataset.Published) -> tuple[str | None, str | None]:
    """(kommun, indikator) from the query, each None when absent or empty; BadParameter otherwise."""
    items = request.query_params.multi_items()
    names = [k for k, _ in items]
    for name in names:
        if name not in FILTERS:
            raise BadParameter("unknown-parameter", name, allowed=", ".join(FILTERS))
        if names.count(name) > 1:
            raise BadParameter("repeated-parameter", name)
    query = dict(items)
    kommun = query.get("kommun", "").strip() or None
    indikator = query.get("indikator", "").strip() or None
    if kommun is not None:
        if not KOMMUN_CODE.match(kommun):
            hint = kommun.zfill(4) if re.fullmatch(r"[0-9]{1,3}", kommun) else "1490"
            raise BadParameter("bad-kommun", "kommun", kommun, hint=hint)
        if kommun not in pub.kommuner:
            raise BadParameter("unknown-kommun", "kommun", kommun)
    if indikator is not None and indikator not in pub.catalog:
        raise BadParameter("unknown-indikator", "indikator", indikator, hint=_closest_id(indikator, pub),
                           allowed=", ".join(pub.catalog.ids))
    return kommun, indikator


def _closest_id(raw: str, pub: dataset.Published) -> str:
    key = re.sub(r"[^0-9a-z]", "", raw.lower())
    for ind_id in pub.catalog.ids:
        if re.sub(r"[^0-9a-z]", "", ind_id.lower()) == key:
            return ind_id
    return "GN.7"


def _no_params(request: Request) -> None:
    for name, _ in request.query_params.multi_items():
        raise BadParameter("unknown-parameter", name, allowed="–")


def _guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Turn the errors a client or the database state can cause into JSON answers."""
    def endpoint(request: Request) -> Response:
        try:
            return handler(request)
        except BadParameter as exc:
            return _error(request, 400, exc.code, parameter=exc.parameter, value=exc.value or None, **exc.params)
        except StoreLocked:
            return _error(request, 503, "busy", headers={"Retry-After": "5"})
        except StoreError as exc:      # server paths and DuckDB's words stay in the server log
            _log.warning("API %s: database unavailable: %s: %s", request.url.path, exc.key, exc)
            return _error(request, 503, "unavailable", headers={"Retry-After": "30"})
    endpoint.__name__ = handler.__name__
    return endpoint


# ------------------------------------------------------------------ handlers

def index(request: Request) -> Response:
    _no_params(request)
    base = _base(request)
    routes = [f"{base}{API_ROOT}/{name}" for name in ROUTE_NAMES]
    return _enveloped(request, routes, beskrivning=t("api.index", "sv"), description=t("api.index", "en"))


def indicators(request: Request) -> Response:
    _no_params(request)
    catalog = default_catalog()
    rows = indicator_rows(catalog).to_dict("records")
    for row, ind in zip(rows, catalog):
        row["bands"] = [{"upper": edge, "label": label} for edge, label in
                        zip((*ind.band_edges, None), ind.band_labels)]
        target = ind.national_target
        row["nationellt_mål"] = None if target is None else {
            "value": target.value, "year": target.year, "kind": target.kind, "base_year": target.base_year,
            "label": target.label, "label_en": target.label_en}
        row["serieavbrott"] = [{"year": b.year, "note": b.note} for b in ind.series_breaks]
    return _enveloped(request, rows)


def indicators_csv(request: Request) -> Response:
    _no_params(request)
    body = to_excel_csv(indicator_rows(default_catalog()))
    return _respond(request, body, CSV, headers=_attachment("gronanyckeltal_nyckeltal.csv"))


def trends(request: Request) -> Response:
    pub = dataset.published()
    kommun, indikator = _filters(request, pub)
    body = pub.body(("trends", kommun, indikator), lambda: to_json(_envelope(
        pub.trends(kommun, indikator), kommun=kommun, indikator=indikator)).encode("utf-8"))
    return _respond(request, body, JSON)


def _values(request: Request, kind: str) -> Response:
    pub = dataset.published()
    kommun, indikator = _filters(request, pub)
    name = "_".join(["gronanyckeltal_varden", *(x for x in (kommun, indikator) if x)])

    def build() -> bytes:
        frame = pub.values
        if kommun:
            frame = frame[frame["kommunkod"] == kommun]
        if indikator:
            frame = frame[frame["indikator"] == indikator]
        frame = frame.reset_index(drop=True)
        return to_excel_csv(frame) if kind == "csv" else to_parquet(frame)
    body = pub.body((kind, kommun, indikator), build)
    return _respond(request, body, CSV if kind == "csv" else PARQUET, headers=_attachment(f"{name}.{kind}"))


def values_csv(request: Request) -> Response:
    return _values(request, "csv")


def values_parquet(request: Request) -> Response:
    return _values(request, "parquet")


def datapackage(request: Request) -> Response:
    _no_params(request)
    return _json(request, data_package(default_catalog(), homepage=_base(request)))


def openapi(request: Request) -> Response:
    _no_params(request)
    return _json(request, openapi_document(default_catalog(), server=_base(request)))


HANDLERS = {"indicators": indicators, "indicators.csv": indicators_csv, "trends": trends,
            "values.csv": values_csv, "values.parquet": values_parquet, "datapackage.json": datapackage,
            "openapi.json": openapi}
ROUTE_NAMES = list(HANDLERS)


# ------------------------------------------------------------------ the mounted application

def _not_found(request: Request, exc: HTTPException) -> Response:
    return _error(request, 404, "not-found", path=request.url.path, routes=f"{API_ROOT}/")


def _not_allowed(request: Request, exc: HTTPException) -> Response:
    return _error(request, 405, "method-not-allowed", headers={"Allow": "GET, HEAD"}, method=request.method)


def _server_error(request: Request, exc: Exception) -> Response:
    """A bug: the client gets a JSON 500 without internals; the traceback goes to the server log."""
    return Response(to_json(error_body(500, "internal-error")).encode("utf-8"), status_code=500, media_type=JSON,
                    headers={"Link": LINK, "Cache-Control": "no-store"})


def application() -> Starlette:
    """The API as its own small Starlette app (its 404/405 answers are JSON, its CORS its own)."""
    v1 = API_ROOT.removeprefix("/api")
    routes = [Route(f"{v1}/{name}", _guarded(handler), methods=["GET"]) for name, handler in HANDLERS.items()]
    routes += [Route(v1, _guarded(index), methods=["GET"]), Route(f"{v1}/", _guarded(index), methods=["GET"])]
    return Starlette(
        routes=routes,
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                               allow_headers=["If-None-Match"], max_age=86400,
                               expose_headers=["ETag", "Link", "Content-Disposition"])],
        exception_handlers={404: _not_found, 405: _not_allowed, 500: _server_error})


def mount() -> Mount:
    """What app.py lists in st.App's routes: everything under /api/."""
    return Mount("/api", app=application())
