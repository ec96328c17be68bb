"""The open read API over real HTTP: a real `streamlit run app.py` on a free loopback port over its own
copy of the demo database (plus one value of every non-demo source kind), requests with urllib.
Every route, the errors (400 naming the parameter, 404, 405), CORS, ETag/304, the Link header,
CSV/Parquet content with källa/licens, trends exactly as `trends --json`, the data package validated
with frictionless, the OpenAPI document validated, and `make run PORT=N` serving pages and API."""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pandas as pd
import pytest

from indicators.publish.api import ROUTE_NAMES
from indicators.store import observations, open_store
from tests.conftest import ROOT
from tests.live_server import free_port, serve, wait_healthy

EXTRA = pd.DataFrame({   # one value of every non-demo source kind, in a year the demo data do not have
    "indicator_id": ["GN.10", "GN.1a", "GN.2a", "GN.8a"], "kommunkod": ["0180", "0180", "0180", "0180"],
    "year": [2025, 2025, 2025, 2025], "value": [61.5, 3.25, 120.0, 12.0],
    "source_kind": ["reported", "central", "imported", "imputed"], "upload_id": [None] * 4,
    "created_by": ["test"] * 4, "comment": ["=SUMMA(A1)", None, None, None]})


@pytest.fixture(scope="module")
def api_db(demo_db_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.duckdb"
    shutil.copy(demo_db_template, path)
    store = open_store(path)
    with store.transaction() as cur:
        observations.write_revisions(cur, EXTRA)
    store.close()
    return path


@pytest.fixture(scope="module")
def server(api_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("api_server") / "server.duckdb"
    shutil.copy(api_db, db)
    with serve(db) as srv:
        yield srv


def fetch(url: str, method: str = "GET", headers: dict | None = None):
    """(status, headers, body bytes) of one real HTTP request; HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get_json(url: str) -> dict:
    status, _, body = fetch(url)
    assert status == 200, body
    return json.loads(body)


def read_csv(body: bytes) -> pd.DataFrame:
    assert body.startswith("\ufeff".encode()), "UTF-8 with BOM"
    return pd.read_csv(io.BytesIO(body), sep=";", decimal=",", encoding="utf-8-sig",
                       dtype={"kommunkod": str, "kommentar": str}, keep_default_na=False)


ROUTES = {name: f"/api/v1/{name}" for name in ROUTE_NAMES}
TYPES = {"indicators": "application/json", "indicators.csv": "text/csv", "trends": "application/json",
         "values.csv": "text/csv", "values.parquet": "application/vnd.apache.parquet",
         "datapackage.json": "application/json", "openapi.json": "application/json"}


def test_the_route_list_is_the_documented_one():
    assert ROUTE_NAMES == ["indicators", "indicators.csv", "trends", "values.csv", "values.parquet",
                           "datapackage.json", "openapi.json"]


@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_every_route_answers_get_naming_source_licence_and_data_package(server, name):
    status, headers, body = fetch(server["url"] + ROUTES[name])
    assert status == 200
    assert headers["Content-Type"].startswith(TYPES[name])
    assert headers["ETag"].startswith('W/"') and headers["Cache-Control"] == "no-cache"
    assert '</api/v1/datapackage.json>; rel="describedby"' in headers["Link"]
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in headers["Link"]
    if name in ("indicators", "trends"):
        doc = json.loads(body)
        assert doc["källa"] == "Sveriges Ekokommuner – Gröna nyckeltal" and doc["licens"] == "CC BY 4.0"
        assert doc["antal"] == len(doc["data"]) > 0
    if name == "datapackage.json":
        assert json.loads(body)["licenses"][0]["name"] == "CC-BY-4.0"
    if name == "openapi.json":
        assert json.loads(body)["info"]["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    if name.endswith(".csv"):
        assert headers["Content-Disposition"].startswith("attachment; filename=")


def test_head_answers_like_get_without_a_body(server):
    status, headers, body = fetch(server["url"] + "/api/v1/indicators", method="HEAD")
    assert status == 200 and body == b"" and headers["ETag"].startswith('W/"')


def test_index_lists_every_route_at_the_address_it_was_asked_on(server):
    doc = get_json(server["url"] + "/api/v1/")
    assert doc["data"] == [server["url"] + ROUTES[n] for n in ROUTE_NAMES]


def test_indicators_are_the_catalogue_with_units_sources_and_targets(server):
    doc = get_json(server["url"] + "/api/v1/indicators")
    by_id = {row["id"]: row for row in doc["data"]}
    assert list(by_id)[:3] == ["GN.1a", "GN.1b", "GN.2a"] and len(by_id) == 16
    assert by_id["GN.10"]["enhet"] == "%" and by_id["GN.10"]["bättre"] == "higher"
    assert by_id["GN.10"]["nationellt_mål"]["value"] == 60 and by_id["GN.10"]["nationellt_mål"]["year"] == 2030
    assert by_id["GN.1a"]["källa"].startswith("Nationella emissionsdatabasen")
    assert by_id["GN.1a"]["källa_licens"] == "Källans villkor" and by_id["GN.7"]["källa_licens"] == "CC BY 4.0"
    csv = read_csv(fetch(server["url"] + "/api/v1/indicators.csv")[2])
    assert list(csv["id"]) == list(by_id) and list(csv["enhet"]) == [r["enhet"] for r in doc["data"]]


def test_trends_are_exactly_what_trends_json_prints(server, api_db, tmp_path):
    cli_db = tmp_path / "cli.duckdb"
    shutil.copy(api_db, cli_db)
    out = subprocess.run([sys.executable, "-m", "indicators", "trends", "--kommun", "1490", "--indicator", "GN.7",
                          "--json", "--db", str(cli_db)], cwd=ROOT, capture_output=True, text=True, check=True)
    doc = get_json(server["url"] + "/api/v1/trends?kommun=1490&indikator=GN.7")
    assert doc["data"] == json.loads(out.stdout)
    assert len(doc["data"]) == 1 and doc["data"][0]["kommunkod"] == "1490" and doc["data"][0]["indicator"] == "GN.7"
    assert doc["kommun"] == "1490" and doc["indikator"] == "GN.7"


def test_trends_filters_narrow_the_objects(server):
    one_kommun = get_json(server["url"] + "/api/v1/trends?kommun=1490")["data"]
    with_values = set(read_csv(fetch(server["url"] + "/api/v1/values.csv?kommun=1490")[2])["indikator"])
    assert {r["kommunkod"] for r in one_kommun} == {"1490"}
    assert sorted(r["indicator"] for r in one_kommun) == sorted(with_values) and len(with_values) >= 15
    one_indicator = get_json(server["url"] + "/api/v1/trends?indikator=GN.7&kommun=")["data"]
    assert {r["indicator"] for r in one_indicator} == {"GN.7"} and len(one_indicator) > 50
    everything = get_json(server["url"] + "/api/v1/trends")["data"]
    assert len(everything) > len(one_indicator)
    assert next(r for r in everything if (r["kommunkod"], r["indicator"]) == ("1490", "GN.7")) == \
        next(r for r in one_kommun if r["indicator"] == "GN.7")


def test_values_csv_and_parquet_hold_the_current_values_with_kalla_and_licens(server, api_db, tmp_path):
    copy = tmp_path / "read.duckdb"
    shutil.copy(api_db, copy)
    store = open_store(copy, read_only=True)
    current = observations.fetch_current(store)
    store.close()
    csv = read_csv(fetch(server["url"] + "/api/v1/values.csv")[2])
    parquet = pd.read_parquet(io.BytesIO(fetch(server["url"] + "/api/v1/values.parquet")[2]))
    columns = ["kommunkod", "indikator", "år", "värde", "kommentar", "källtyp", "källa", "licens"]
    assert list(csv.columns) == columns and list(parquet.columns) == columns
    assert len(csv) == len(parquet) == len(current)
    key = ["kommunkod", "indikator", "år"]
    merged = csv.merge(current.rename(columns={"indicator_id": "indikator", "year": "år"}), on=key)
    assert len(merged) == len(current)
    assert (merged["värde"] - merged["value"]).abs().max() < 1e-9
    assert (merged["källtyp"] == merged["source_kind"]).all()
    pd.testing.assert_frame_equal(csv.drop(columns="kommentar").reset_index(drop=True),
                                  parquet.drop(columns="kommentar").astype({"år": "int64"}).reset_index(drop=True),
                                  check_dtype=False)
    rows = parquet[(parquet["kommunkod"] == "0180") & (parquet["år"] == 2025)].set_index("indikator")
    assert rows.loc["GN.10", ["källtyp", "källa", "licens"]].tolist() == [
        "reported", "Kommunen, rapporterat till Sveriges Ekokommuner", "CC BY 4.0"]
    assert rows.loc["GN.1a", ["källa", "licens"]].tolist() == [
        "Nationella emissionsdatabasen (Naturvårdsverket/SCB)", "Källans villkor"]
    assert rows.loc["GN.2a", "licens"] == "Källans villkor" and rows.loc["GN.2a", "källa"].endswith("(importerat)")
    assert rows.loc["GN.8a", "källa"].startswith("Gröna nyckeltal, imputerat")
    assert rows.loc["GN.10", "kommentar"] == "=SUMMA(A1)"                      # Parquet keeps the text as it is
    assert csv[(csv["kommunkod"] == "0180") & (csv["år"] == 2025) & (csv["indikator"] == "GN.10")][
        "kommentar"].item() == "'=SUMMA(A1)"                                     # CSV neutralises it for Excel
    demo = csv[csv["källtyp"] == "demo"]
    assert len(demo) and demo["källa"].str.startswith("Demodata – inte officiella siffror").all()
    assert (csv["källa"] != "").all() and (csv["licens"] != "").all()


def test_values_filters_narrow_the_rows_and_name_the_file(server):
    status, headers, body = fetch(server["url"] + "/api/v1/values.csv?kommun=1490&indikator=GN.7")
    csv = read_csv(body)
    assert status == 200 and set(csv["kommunkod"]) == {"1490"} and set(csv["indikator"]) == {"GN.7"}
    assert list(csv["år"]) == sorted(csv["år"]) and len(csv) == 20
    assert 'filename="gronanyckeltal_varden_1490_GN.7.csv"' in headers["Content-Disposition"]
    parquet = pd.read_parquet(io.BytesIO(fetch(server["url"] + "/api/v1/values.parquet?indikator=GN.7")[2]))
    assert set(parquet["indikator"]) == {"GN.7"} and parquet["kommunkod"].nunique() > 50


BAD = [
    ("trends?kommun=149", "kommun", "bad-kommun", "kommun=0149"),
    ("trends?kommun=Bor%C3%A5s", "kommun", "bad-kommun", "inte 'Borås'"),
    ("values.csv?kommun=9999", "kommun", "unknown-kommun", "'9999'"),
    ("values.parquet?indikator=gn7", "indikator", "unknown-indikator", "indikator=GN.7"),
    ("trends?indikator=GN.99", "indikator", "unknown-indikator", "'GN.99'"),
    ("trends?kommune=1490", "kommune", "unknown-parameter", "Tillåtna parametrar: kommun, indikator"),
    ("values.csv?kommun=1490&kommun=0180", "kommun", "repeated-parameter", "flera gånger"),
    ("indicators?lang=en", "lang", "unknown-parameter", "'lang'"),
]


@pytest.mark.parametrize("query, parameter, code, words", BAD, ids=[b[0] for b in BAD])
def test_a_bad_parameter_is_a_400_naming_it_and_why(server, query, parameter, code, words):
    status, headers, body = fetch(server["url"] + "/api/v1/" + query)
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["error"]["status"] == 400 and doc["error"]["code"] == code and doc["error"]["parameter"] == parameter
    assert words in doc["error"]["message"] and parameter in doc["error"]["message_en"]
    assert doc["källa"] and doc["licens"] and "datapackage.json" in headers["Link"]


@pytest.mark.parametrize("path", ["/api/", "/api/v1/nope", "/api/v2/trends", "/api/v1/trends/extra"])
def test_an_unknown_path_under_api_is_a_404_json(server, path):
    status, headers, body = fetch(server["url"] + path)
    assert status == 404 and headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["error"]["code"] == "not-found" and doc["error"]["path"] == path
    assert "/api/v1/" in doc["error"]["message"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_are_a_405_json_naming_get(server, method):
    status, headers, body = fetch(server["url"] + "/api/v1/values.csv", method=method)
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    doc = json.loads(body)
    assert doc["error"]["code"] == "method-not-allowed" and method in doc["error"]["message_en"]


def test_cors_allows_get_from_any_origin_and_answers_the_preflight(server):
    status, headers, _ = fetch(server["url"] + "/api/v1/trends?kommun=1490", headers={"Origin": "https://example.org"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert {"ETag", "Link"} <= {h.strip() for h in headers["Access-Control-Expose-Headers"].split(",")}
    status, headers, _ = fetch(server["url"] + "/api/v1/trends", method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"] and "POST" not in headers["Access-Control-Allow-Methods"]
    status, _, _ = fetch(server["url"] + "/api/v1/trends", method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 400                                     # a preflight for POST is refused


def test_etag_gives_304_and_a_write_gives_a_new_etag_and_the_new_value(server):
    url = server["url"] + "/api/v1/values.csv?kommun=1490&indikator=GN.10"
    status, headers, body = fetch(url)
    etag = headers["ETag"]
    status, again, empty = fetch(url, headers={"If-None-Match": etag})
    assert status == 304 and empty == b"" and again["ETag"] == etag
    assert fetch(url, headers={"If-None-Match": '"other", ' + etag.removeprefix("W/")})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
    store = open_store(server["db"])                         # another process writes while the server runs
    with store.transaction() as cur:
        observations.write_revisions(cur, pd.DataFrame({
            "indicator_id": ["GN.10"], "kommunkod": ["1490"], "year": [2025], "value": [77.5],
            "source_kind": ["reported"], "upload_id": [None], "created_by": ["test"], "comment": [None]}))
    store.close()
    status, headers, body = fetch(url, headers={"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    row = read_csv(body).set_index("år").loc[2025]
    assert row["värde"] == 77.5 and row["licens"] == "CC BY 4.0"
    trend = get_json(server["url"] + "/api/v1/trends?kommun=1490&indikator=GN.10")["data"][0]
    assert trend["latest_year"] == 2025 and trend["latest_value"] == 77.5


def test_the_data_package_validates_with_frictionless_against_the_live_files(server):
    from frictionless import validate
    report = validate(server["url"] + "/api/v1/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert [task.name for task in report.tasks] == ["varden_csv", "varden_parquet", "nyckeltal"]
    assert all(task.stats["rows"] > 0 for task in report.tasks)
    doc = get_json(server["url"] + "/api/v1/datapackage.json")
    fields = {f["name"]: f for f in doc["resources"][0]["schema"]["fields"]}
    assert fields["värde"]["decimalChar"] == "," and fields["licens"]["constraints"]["required"]
    assert doc["resources"][0]["schema"]["foreignKeys"][0]["reference"] == {"resource": "nyckeltal", "fields": ["id"]}
    assert {s["title"] for s in doc["sources"]} >= {"Sveriges Ekokommuner – Gröna nyckeltal", "Kolada (RKA)"}


def test_the_data_package_rejects_a_file_that_breaks_its_schema(server, tmp_path):
    from frictionless import Package
    doc = get_json(server["url"] + "/api/v1/datapackage.json")
    body = fetch(server["url"] + "/api/v1/values.csv?kommun=1490")[2].decode("utf-8-sig")
    (tmp_path / "values.csv").write_text("\ufeff" + body.replace(";GN.7;2010;", ";GN.7;2010;x", 1), encoding="utf-8")
    (tmp_path / "indicators.csv").write_bytes(fetch(server["url"] + "/api/v1/indicators.csv")[2])
    doc["resources"] = [r for r in doc["resources"] if r["name"] != "varden_parquet"]
    report = Package(doc, basepath=str(tmp_path)).validate()
    assert not report.valid
    assert ["type-error"] == sorted({e.type for e in report.tasks[0].errors})


def test_the_openapi_document_is_valid_and_lists_every_route(server):
    from openapi_spec_validator import validate
    doc = get_json(server["url"] + "/api/v1/openapi.json")
    validate(doc)
    assert doc["openapi"] == "3.1.0" and doc["servers"] == [{"url": server["url"]}]
    assert sorted(doc["paths"]) == sorted(ROUTES.values())
    params = {p["name"] for p in doc["paths"]["/api/v1/trends"]["get"]["parameters"]}
    assert params == {"kommun", "indikator"}


def test_pages_and_api_share_one_port(server):
    status, headers, body = fetch(server["url"] + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<div id=\"root\">" in body
    assert fetch(server["url"] + "/_stcore/health")[2] == b"ok"
    assert fetch(server["url"] + "/oppna_data")[0] == 200


def test_make_run_serves_pages_and_api_on_the_given_port(api_db, tmp_path):
    db = tmp_path / "make.duckdb"
    shutil.copy(api_db, db)
    port = free_port()
    log = open(tmp_path / "make-run.log", "w")
    proc = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT, env={**os.environ, "GN_DB": str(db)},
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log.name, timeout=300)
        assert fetch(url + "/")[0] == 200
        doc = get_json(url + "/api/v1/trends?kommun=1490&indikator=GN.7")
        assert doc["data"][0]["kommunkod"] == "1490"
        assert get_json(url + "/api/v1/")["data"][0] == f"{url}/api/v1/indicators"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


# ------------------------------------------------------------------ the API and the pages agree

@pytest.fixture
def page_db(api_db, isolated_db):
    """The pages (AppTest, in this process) over a copy of the server's database: the same figures."""
    shutil.copy(api_db, isolated_db)
    return isolated_db


def test_the_kommun_page_shows_the_figures_of_the_trends_api(server, page_db):
    from tests.apptest_helpers import all_text, open_page
    trend = get_json(server["url"] + "/api/v1/trends?kommun=1490&indikator=GN.7")["data"][0]
    at = open_page("kommun", kommun="1490", indikator="GN.7")
    texts = [t.value for t in at.text]
    assert trend["summary_sv"] in texts                       # the card's plain-language summary, word for word
    assert f"lats {trend['rank']} av {trend['rank_n']}" in trend["summary_sv"]     # "Plats" or "Delad plats"
    value_line = f"**{int(trend['latest_value'])} %** år {trend['latest_year']}"
    assert value_line in all_text(at), value_line
    at_en = open_page("kommun", kommun="1490", indikator="GN.7", lang="en")
    assert trend["summary_en"] in [t.value for t in at_en.text]


def test_the_nyckeltal_table_shows_the_values_of_the_csv_api(server, page_db):
    from indicators.store import reference
    from tests.apptest_helpers import open_page
    store = open_store(page_db, read_only=True)
    codes = dict(zip(reference.fetch_municipalities(store)["name"], reference.fetch_municipalities(store)["kommunkod"]))
    store.close()
    csv = read_csv(fetch(server["url"] + "/api/v1/values.csv?indikator=GN.7")[2]).set_index(["kommunkod", "år"])
    ranks = {r["kommunkod"]: r["rank"] for r in get_json(server["url"] + "/api/v1/trends?indikator=GN.7")["data"]}
    table = open_page("nyckeltal", indikator="GN.7", vy="tabell").dataframe[0].value
    assert len(table) > 50
    assert list(table.columns[:5]) == ["Plats", "Delar platsen", "Kommun", "Värde (%)", "År"]
    for row in table.itertuples(index=False):
        plats, name, value, year = row[0], row[2], row[3], row[4]
        kod = codes[name]
        assert csv.loc[(kod, year), "värde"] == pytest.approx(value), (name, year)
        assert ranks[kod] == plats


def test_the_examples_on_the_oppna_data_page_work_as_written(server, tmp_path):
    from indicators.publish import docs
    ran = {}
    for key, language, code in docs.examples(server["url"]):
        if language == "bash":
            out = subprocess.run(["bash", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        elif language == "python":
            out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        else:
            continue                                        # the JavaScript example runs in the browser test
        assert out.returncode == 0, (key, out.stderr)
        ran[key] = out.stdout
    assert json.loads(ran["opendata.example.curl_trends"])["data"][0]["kommunkod"] == "1490"
    assert read_csv((tmp_path / "varden_1490.csv").read_bytes())["kommunkod"].eq("1490").all()
    assert "Borås" in ran["opendata.example.python"] and "CC BY 4.0" in ran["opendata.example.python"]
    assert ran["opendata.example.etag"].strip() == "304"


def test_the_error_example_on_the_page_is_what_the_api_answers(server):
    from indicators.publish import docs
    status, _, body = fetch(server["url"] + "/api/v1/trends?kommun=149")
    assert status == 400 and json.loads(body) == json.loads(docs.error_example())


def test_a_missing_database_is_a_503_json_saying_how_to_create_it(tmp_path):
    with serve(tmp_path / "missing.duckdb") as srv:
        status, headers, body = fetch(srv["url"] + "/api/v1/values.csv")
        assert fetch(srv["url"] + "/api/v1/indicators")[0] == 200          # the catalogue needs no database
    assert status == 503 and headers["Retry-After"] == "30"
    doc = json.loads(body)
    assert doc["error"]["code"] == "unavailable" and "python -m indicators init" in doc["error"]["message"]
    assert "python -m indicators init" in doc["error"]["message_en"] and "detail" not in doc["error"]
    assert str(tmp_path) not in body.decode() and "missing.duckdb" not in body.decode()   # no server path
    assert not (tmp_path / "missing.duckdb").exists()                       # reading never creates the file
