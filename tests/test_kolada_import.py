"""The Kolada import against a real local HTTP server replaying v3-shaped recordings for all 290
municipalities and 21 regions (tests/fixtures/kolada/import/, written by make_import_fixtures.py).
Real sockets, real `requests`, a real DuckDB file; only the client's sleeping and clock are injected.
Expected values are read from the recordings here, independently of the importer."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from indicators.auth.users import system_admin
from indicators.catalog import default_catalog
from indicators.ingest import kolada, reporting
from indicators.ingest.kolada_client import KoladaClient, KoladaError
from indicators.ingest.kolada_mapping import KoladaMappingError, UnknownKpiError
from indicators.store import observations, reference, uploads
from indicators.views import kolada as kolada_view
from tests.conftest import FIXTURES, ROOT
from tests.kolada_server import KoladaServer, Status

IMPORT = FIXTURES / "kolada" / "import"
KPI_PATH = "/kpi/N00403,N85054,U07801,U07514,N60404,U60496,N45970,N01951"
DIRECT = {"GN.3": "N00403", "GN.5": "N85054", "GN.6a": "U07801", "GN.10": "U07514"}
COUNTY = {"GN.2a": "N60404", "GN.2b": "U60496"}
MAPPED = ["GN.2a", "GN.2b", "GN.3", "GN.5", "GN.6a", "GN.8b", "GN.10"]
SINCE = "2025-01-15"


class Clock:
    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server():
    srv = KoladaServer(IMPORT).start()
    srv.serve_all()
    yield srv
    srv.stop()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def run(server, empty_store, clock):
    """run(**kwargs) -> KoladaResult: one import into the test's store through a fresh client."""
    def go(**kwargs):
        client = KoladaClient(server.base_url, sleep=clock.sleep, clock=clock, timeout=5)
        try:
            return kolada.run_import(empty_store, client=client, **kwargs)
        finally:
            client.close()
    return go


def recorded(prefix: str = "data_") -> dict:
    """{(kpi, area, year): value | 'deleted'} for gender T from the recordings whose name starts with prefix."""
    out = {}
    for path in sorted(IMPORT.glob(prefix + "*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["response"]["body"]["values"]:
            for v in item["values"]:
                if v["gender"] == "T":
                    out[(item["kpi"], item["municipality"], int(item["period"]))] = \
                        "deleted" if v["isdeleted"] else v["value"]
    return out


def expected_values(cells: dict, municipalities: pd.DataFrame) -> dict:
    """{(indicator, kommunkod, year): value} the import must store, from the catalogue's definitions."""
    cat = default_catalog()
    lan = dict(zip(municipalities["kommunkod"], municipalities["lan_code"]))
    numbers = {k: v for k, v in cells.items() if isinstance(v, (int, float))}
    out = {}
    for ind, kpi in DIRECT.items():
        out.update({(ind, a, y): v for (k, a, y), v in numbers.items()
                    if k == kpi and a in lan and y >= cat[ind].start_year})
    for ind, kpi in COUNTY.items():
        for (k, region, y), v in numbers.items():
            if k == kpi and y >= cat[ind].start_year:
                out.update({(ind, code, y): v for code, c in lan.items() if "00" + c == region})
    for (k, a, y), mw in numbers.items():
        people = numbers.get(("N01951", a, y))
        if k == "N45970" and people and y >= cat["GN.8b"].start_year:
            out[("GN.8b", a, y)] = mw * 1_000_000 / people
    return out


def stored(store, indicators=MAPPED) -> pd.DataFrame:
    return observations.fetch_current(store, indicators)


def as_dict(frame: pd.DataFrame) -> dict:
    return {(i, k, int(y)): float(v) for i, k, y, v in
            zip(frame["indicator_id"], frame["kommunkod"], frame["year"], frame["value"])}


# --- a full import ---------------------------------------------------------------------------

def test_every_mapped_value_for_every_municipality_and_year_matches_the_recordings(run, empty_store):
    result = run()
    munis = reference.fetch_municipalities(empty_store)
    want = expected_values(recorded(), munis)
    got = stored(empty_store)
    have = as_dict(got)
    assert set(have) == set(want)
    assert len(want) == 4228 and len(set(munis["kommunkod"])) == 290
    for key, value in want.items():
        if key[0] == "GN.8b":
            assert have[key] == pytest.approx(value, rel=1e-12), key
        else:
            assert have[key] == value, key          # exactly Kolada's number
    assert set(got["source_kind"]) == {"imported"} and set(got["created_by"]) == {"kolada"}
    assert {i: result.counts[i]["new"] for i in MAPPED} == got.groupby("indicator_id").size().to_dict()
    assert result.upload_id == 1 and result.requests == 15 and result.retries == 0


def test_values_before_the_start_year_nulls_and_deleted_values_are_not_stored(run, empty_store):
    run()
    have = as_dict(stored(empty_store))
    cells = recorded()
    assert cells[("N85054", "1490", 2013)] is not None and ("GN.5", "1490", 2013) not in have   # start 2014
    assert cells[("N45970", "2081", 2015)] is not None and ("GN.8b", "2081", 2015) not in have  # start 2016
    assert ("GN.8b", "2081", 2016) in have
    assert cells[("N00403", "0180", 2023)] is None and ("GN.3", "0180", 2023) not in have        # null: skipped
    assert cells[("U07514", "2081", 2023)] is None and ("GN.10", "2081", 2023) not in have
    assert cells[("N85054", "2085", 2022)] == "deleted" and ("GN.5", "2085", 2022) not in have
    assert cells[("N60404", "0009", 2023)] is None and ("GN.2a", "0980", 2023) not in have      # Gotland's county


def test_county_values_fan_out_to_the_county_and_are_marked_as_county_values(run, empty_store):
    run()
    munis = reference.fetch_municipalities(empty_store)
    got = stored(empty_store, ["GN.2a"])
    vg = got[(got["year"] == 2023) & got["kommunkod"].isin(munis.loc[munis["lan_code"] == "14", "kommunkod"])]
    assert len(vg) == 49 and set(vg["value"]) == {recorded()[("N60404", "0014", 2023)]}
    assert set(vg["provenance"]) == {"kolada:N60404 county:0014"}
    direct = stored(empty_store, ["GN.3"])
    assert set(direct["provenance"]) == {"kolada:N00403"}
    derived = stored(empty_store, ["GN.8b"])
    assert set(derived["provenance"]) == {"kolada:N45970,N01951 derived:N45970*1e6/N01951"}


def test_the_population_is_filled_per_year_from_n01951(run, empty_store):
    result = run()
    pop = reference.fetch_population(empty_store)
    want = {(a, y): v for (k, a, y), v in recorded().items() if k == "N01951" and v is not None}
    assert {(k, int(y)): int(p) for k, y, p in zip(pop["kommunkod"], pop["year"], pop["population"])} == \
        {key: int(v) for key, v in want.items()}
    assert set(pop["source_kind"]) == {"imported"} and result.population["new"] == len(want) == 640


def test_a_second_run_with_unchanged_data_adds_nothing(run, empty_store):
    run()
    before = (observations.count_observations(empty_store), uploads.count_uploads(empty_store))
    again = run()
    assert (observations.count_observations(empty_store), uploads.count_uploads(empty_store)) == before
    assert again.upload_id is None and again.written == 0
    assert again.total("unchanged") == before[0] == 4228
    assert again.population == {"new": 0, "changed": 0, "unchanged": 640, "removed": 0}


def test_a_dry_run_reads_everything_and_writes_nothing(run, empty_store):
    result = run(dry_run=True)
    assert result.total("new") == 4228 and result.upload_id is None and result.population["new"] == 640
    assert observations.count_observations(empty_store) == 0 and uploads.count_uploads(empty_store) == 0
    assert reference.fetch_population(empty_store).empty


# --- later runs ------------------------------------------------------------------------------

def test_since_passes_from_date_and_writes_only_what_changed(run, empty_store, server):
    run()
    old = as_dict(stored(empty_store))
    n_before = observations.count_observations(empty_store)
    server.log.clear()
    result = run(since=SINCE)
    data = [r for r in server.log if r.path.startswith("/data/")]
    assert all(r.query.get("from_date") == SINCE for r in data[:-1]) and len(data) == 14
    assert data[-1].path == "/data/kpi/N45970,N01951/municipality/0184,2085" and "from_date" not in data[-1].query
    now = as_dict(stored(empty_store))
    assert now[("GN.6a", "1490", 2023)] == old[("GN.6a", "1490", 2023)] + 2
    assert ("GN.5", "2081", 2022) not in now                                 # deleted in Kolada: retracted
    assert now[("GN.10", "2081", 2023)] == 31.0                              # was null, now there
    vg = {k for (i, k, y) in now if i == "GN.2a" and y == 2023 and now[(i, k, y)] != old[(i, k, y)]}
    assert len(vg) == 49 and all(k.startswith("14") for k in vg)
    for kod in ("0184", "2085"):
        mw, people = recorded("refetch")[("N45970", kod, 2023)], recorded("refetch")[("N01951", kod, 2023)]
        assert now[("GN.8b", kod, 2023)] == pytest.approx(mw * 1e6 / people, rel=1e-12)
        assert now[("GN.8b", kod, 2023)] != pytest.approx(old[("GN.8b", kod, 2023)], rel=1e-9)
    assert result.counts["GN.5"]["retracted"] == 1 and result.counts["GN.10"]["new"] == 1
    assert result.counts["GN.2a"]["changed"] == 49 and result.counts["GN.8b"]["changed"] == 2
    assert observations.count_observations(empty_store) == n_before + 1 + 1 + 1 + 49 + 2
    history = observations.fetch_value_history(empty_store, "GN.5", "2081", 2022)
    assert history["value"].isna().iloc[0] and history["created_by"].iloc[0] == "kolada"
    pop = reference.fetch_population(empty_store).set_index(["kommunkod", "year"])["population"]
    assert pop[("0184", 2023)] == recorded("refetch")[("N01951", "0184", 2023)]


def test_a_reported_value_is_left_alone_and_listed_and_filled_after_the_report_is_undone(run, empty_store):
    admin = system_admin()
    report = reporting.prepare_upload(empty_store, b"kommunkod;indikator;\xc3\xa5r;v\xc3\xa4rde\n1490;GN.10;2023;12\n"
                                      b"2081;GN.5;2022;7,5\n", "egen.csv", admin)
    upload = reporting.commit_upload(empty_store, report, admin, source_kind="reported")
    result = run()
    now = as_dict(stored(empty_store))
    assert now[("GN.10", "1490", 2023)] == 12.0 and now[("GN.5", "2081", 2022)] == 7.5
    assert result.counts["GN.10"]["skipped_reported"] == 1 and result.counts["GN.5"]["skipped_reported"] == 1
    listed = set(zip(result.skipped["indicator_id"], result.skipped["kommunkod"], result.skipped["year"]))
    assert listed == {("GN.10", "1490", 2023), ("GN.5", "2081", 2022)}
    lines = "\n".join(kolada_view.summary_lines(result, "sv"))
    assert "GN.10 1490 2023: kommunens värde 12, Koladas" in lines
    run(since=SINCE)                 # Kolada deletes GN.5 2081 2022: the municipality's own value stays
    assert as_dict(stored(empty_store))[("GN.5", "2081", 2022)] == 7.5
    reporting.revert_upload(empty_store, admin, upload.upload_id)
    again = run()
    now = as_dict(stored(empty_store))
    assert now[("GN.10", "1490", 2023)] == recorded()[("U07514", "1490", 2023)]
    assert now[("GN.5", "2081", 2022)] == recorded()[("N85054", "2081", 2022)]
    assert again.counts["GN.10"]["new"] == again.counts["GN.5"]["new"] == 1 and again.total("skipped_reported") == 0


def test_plausibility_flags_are_recorded_but_do_not_block(run, empty_store):
    run()
    result = run(since=SINCE)
    assert result.total("flagged") == 2 and len(result.flags) == 2
    flagged = set(zip(result.flags["indicator_id"], result.flags["kommunkod"], result.flags["year"]))
    assert flagged == {("GN.10", "2081", 2023), ("GN.8b", "2085", 2023)}
    now = as_dict(stored(empty_store))
    assert ("GN.10", "2081", 2023) in now
    cells = uploads.fetch_status_cells(empty_store, 2023, ["GN.10"])
    assert bool(cells.set_index("kommunkod").loc["2081", "flagged"])
    up = uploads.fetch_uploads(empty_store)
    assert up.loc[up["id"] == result.upload_id, "n_flagged"].iloc[0] == 2
    assert json.loads(up.loc[up["id"] == result.upload_id, "summary"].iloc[0])["kind"] == "kolada"


def test_one_kpi_reads_only_that_kpi_and_writes_only_its_indicator(run, empty_store, server):
    body = json.loads((IMPORT / "kpi.json").read_text(encoding="utf-8"))["response"]["body"]
    server.add("/kpi/N00403", {**body, "values": [k for k in body["values"] if k["id"] == "N00403"]},
               {"per_page": "5000"})
    for path in sorted(IMPORT.glob("data_kommun_??.json")):     # Kolada's answers for N00403 alone
        rec = json.loads(path.read_text(encoding="utf-8"))
        pages = [rec, *[json.loads(p.read_text(encoding="utf-8")) for p in IMPORT.glob(path.stem + "_page*.json")]]
        items = [i for r in pages for i in r["response"]["body"]["values"] if i["kpi"] == "N00403"]
        server.add(rec["request"]["path"].replace("N00403,N85054,U07801,U07514,N45970,N01951", "N00403"),
                   {"values": items, "count": len(items), "next_url": None}, {"per_page": "5000"})
    result = run(kpis=["n00403"])
    assert list(result.counts) == ["GN.3"] and result.requests == 13
    assert all(r.path.startswith(("/kpi/N00403", "/data/kpi/N00403/municipality/")) for r in server.log)
    got = stored(empty_store)
    assert set(got["indicator_id"]) == {"GN.3"} and len(got) == result.counts["GN.3"]["new"] == 597
    assert reference.fetch_population(empty_store).empty       # N01951 was not read
    with pytest.raises(UnknownKpiError):
        run(kpis=["N00401"])                                    # GN.1a is not mapped


def test_a_429_is_waited_out_as_retry_after_says(run, empty_store, server, clock):
    path = "/data/kpi/N60404,U60496/municipality/" + ",".join(
        "00" + c for c in sorted(set(reference.fetch_municipalities(empty_store)["lan_code"])))
    server.script(path, Status(429, "7"))
    result = run()
    assert result.retries == 1 and 7.0 in clock.sleeps and result.requests == 16
    assert result.counts["GN.2a"]["new"] == 579


# --- a run that must stop --------------------------------------------------------------------

def _kpis_with(change):
    body = json.loads((IMPORT / "kpi.json").read_text(encoding="utf-8"))["response"]["body"]
    body["values"] = [v for v in (change(dict(k)) for k in body["values"]) if v is not None]
    return body


@pytest.mark.parametrize("change, kind, words", [
    (lambda k: None if k["id"] == "U07514" else k, "gone", "U07514 finns inte längre i Kolada"),
    (lambda k: {**k, "title": "Ekologiska livsmedel, andel (%)"} if k["id"] == "U07514" else k, "renamed",
     "U07514 har bytt namn"),
    (lambda k: {**k, "municipality_type": "L"} if k["id"] == "N00403" else k, "level", "N00403 har bytt nivå"),
])
def test_a_gone_renamed_or_moved_kpi_stops_the_run_before_any_value_is_read(run, empty_store, server, change,
                                                                             kind, words):
    server.add(KPI_PATH, _kpis_with(change), {"per_page": "5000"})
    with pytest.raises(KoladaMappingError) as err:
        run()
    assert [p.kind for p in err.value.problems] == [kind]
    assert any(words in line for line in kolada_view.mapping_problem_lines(err.value, "sv"))
    assert [r.path for r in server.log] == [KPI_PATH]
    assert observations.count_observations(empty_store) == 0 and uploads.count_uploads(empty_store) == 0
    assert reference.fetch_population(empty_store).empty


def test_an_unreachable_kolada_fails_clearly_and_writes_nothing(empty_store, clock):
    client = KoladaClient("http://127.0.0.1:9/v3", sleep=clock.sleep, clock=clock, timeout=1, max_tries=2)
    with pytest.raises(KoladaError) as err:
        kolada.run_import(empty_store, client=client)
    assert err.value.key == "kolada.unreachable"
    assert observations.count_observations(empty_store) == 0


# --- the command line ------------------------------------------------------------------------

def _cli(*args, env=None):
    import os
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_the_kolada_command_imports_into_a_new_database_then_applies_changes(server, isolated_db):
    assert not isolated_db.exists()           # no init: the command loads the municipality list itself
    first = _cli("kolada", "--db", str(isolated_db), "--lang", "sv", "--json", env={"KOLADA_URL": server.base_url})
    assert first.returncode == 0, first.stderr
    assert "Kolada-importen är sparad som uppladdning #1: 4228 nya" in first.stderr
    assert "GN.8b Solceller i kommunen (N45970,N01951): Nya 601" in first.stderr
    out = json.loads(first.stdout)
    assert out["requests"] == 15 and out["counts"]["GN.2a"]["new"] == 579 and out["population"]["new"] == 640
    second = _cli("kolada", "--db", str(isolated_db), "--base-url", server.base_url, "--since", SINCE)
    assert second.returncode == 0 and "1 new, 52 changed, 1 deleted" in second.stderr
    bad = _cli("kolada", "--db", str(isolated_db), "--base-url", server.base_url, "--since", "15/1/2025")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_the_kolada_command_stops_with_exit_1_when_a_kpi_changed(server, isolated_db):
    server.add(KPI_PATH, _kpis_with(lambda k: None if k["id"] == "N60404" else k), {"per_page": "5000"})
    done = _cli("kolada", "--db", str(isolated_db), "--base-url", server.base_url, "--lang", "en")
    assert done.returncode == 1 and "N60404 is no longer in Kolada" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_import_fixtures_are_what_the_generator_writes(tmp_path, monkeypatch):
    sys.path.insert(0, str(IMPORT.parent))
    try:
        import make_import_fixtures as gen
    finally:
        sys.path.remove(str(IMPORT.parent))
    monkeypatch.setattr(gen, "OUT", tmp_path / "import")
    gen.main()
    written = {p.name: p.read_bytes() for p in (tmp_path / "import").glob("*.json")}
    assert written == {p.name: p.read_bytes() for p in IMPORT.glob("*.json")}


def test_the_mapping_is_in_the_catalogue_and_gn1a_is_not_imported():
    cat = default_catalog()
    assert [i.id for i in cat.kolada_mapped()] == MAPPED
    assert cat["GN.1a"].kolada is None and "N00401" not in {k.id for k in cat.kolada_kpis}
    assert cat["GN.2a"].kolada.level == "county" and cat["GN.8b"].kolada.derived
    assert cat.population_kpi == "N01951"
    assert cat.kolada_kpi("U07514").municipality_type == "K"


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["indicator"][4].update(kolada={"kpi": "N99999"}), "kolada"),                   # not listed
    (lambda d: d["indicator"][4].update(kolada={"kpi": "N60404"}), "kolada.level"),             # L read per kommun
    (lambda d: d["indicator"][4].update(kolada={"formula": "N45970 + N01951"}), "kolada.formula"),
    (lambda d: d["indicator"][4].update(kolada={"kpi": "N00403", "formula": "N00403"}), "kolada"),
    (lambda d: d["kolada"]["kpi"][0].pop("title"), "title"),
    (lambda d: d["kolada"]["kpi"][0].update(municipality_type="X"), "municipality_type"),
    (lambda d: d["kolada"].update(population_kpi="N00000"), "population_kpi"),
])
def test_a_broken_kolada_mapping_fails_naming_the_field(mutate, field):
    import tomllib
    from indicators.catalog import parse_catalog
    from indicators.errors import CatalogError
    from indicators.paths import catalog_path
    data = tomllib.loads(catalog_path().read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(CatalogError, match=f"field '{field}'"):
        parse_catalog(data)
