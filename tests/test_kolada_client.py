"""The Kolada v3 client against a real local HTTP server replaying recorded v3-shaped responses
(tests/kolada_server.py, tests/fixtures/kolada/). Real sockets, real `requests`; only the sleeping
and the clock are injected, so retries and throttling are asserted without waiting."""
from __future__ import annotations

import csv
import socket
import time
from datetime import date
from email.utils import formatdate
from pathlib import Path

import pytest

from indicators.ingest import kolada_client as kc
from tests.kolada_server import Drop, Hang, NextUrl, Status, kolada_server  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent

MUNS = ["0180", "0184", "1482", "1490", "2081", "2085"]
MUNICIPAL = ["N00403", "N85054", "U07801", "U07514"]
MAPPED = ["N00403", "N85054", "U07801", "U07514", "N60404", "U60496", "N45970", "N01951"]
MPATH = "/data/kpi/N00403,N85054,U07801,U07514/municipality/0180,0184,1482,1490,2081,2085/year/2022,2023"
PPATH = "/data/kpi/N45970,N01951/municipality/0180,0184,1482,1490,2081,2085/year/2022,2023"
RPATH = "/data/kpi/N60404,U60496/municipality/0001,0014,0020/year/2022,2023"


class FakeClock:
    """A monotonic clock that moves only when slept on; records every sleep."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_client(kolada_server, clock):
    made = []

    def make(**kwargs):
        options = {"sleep": clock.sleep, "clock": clock, "timeout": 5.0, **kwargs}
        client = kc.KoladaClient(options.pop("base_url", kolada_server.base_url), **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def cells(rows):
    return {(r.kpi, r.municipality, r.period, r.gender): r for r in rows}


# --- metadata ---------------------------------------------------------------------------------

def test_kpis_come_back_with_level_and_gender_split(make_client, kolada_server):
    client = make_client()
    kpis = {k["id"]: k for k in client.fetch_kpis(MAPPED)}
    assert list(kpis) == MAPPED
    assert {i for i, k in kpis.items() if k["municipality_type"] == "L"} == {"N60404", "U60496"}
    assert kpis["U07514"]["municipality_type"] == "K"
    assert [i for i, k in kpis.items() if k["is_divided_by_gender"]] == ["N01951"]
    assert kpis["U07801"]["title"] == "Insamlat kommunalt avfall totalt, kg/invånare (justerat)"
    [req] = kolada_server.log
    assert req.path == "/kpi/" + ",".join(MAPPED) and req.query == {"per_page": "5000"}
    assert client.requests_made == 1


def test_municipalities_and_regions_come_back_with_their_type(make_client):
    ids = MUNS + ["0001", "0014", "0020"]
    found = {m["id"]: m for m in make_client().fetch_municipalities(ids)}
    assert list(found) == ids
    assert found["0014"] == {"id": "0014", "title": "Västra Götalandsregionen", "type": "L"}
    assert found["1490"]["title"] == "Borås" and found["1490"]["type"] == "K"


# --- pagination -------------------------------------------------------------------------------

def test_pagination_follows_next_url_to_the_end(make_client, kolada_server):
    client = make_client()
    rows = list(client.fetch_values(MUNICIPAL, MUNS, [2022, 2023]))
    assert len(rows) == 48 and len(cells(rows)) == 48  # 4 KPIs x 6 municipalities x 2 years, page 1 + 2
    assert cells(rows)[("U07801", "1490", 2023, "T")].value == 441.0  # on page 2
    assert cells(rows)[("N00403", "2085", 2022, "T")].value == 31.5  # on page 1
    assert [(r.path, r.query) for r in kolada_server.log] == [
        (MPATH, {"per_page": "5000"}), (MPATH, {"page": "2", "per_page": "5000"})]
    assert kolada_server.log[1].target.startswith("/v3/")  # next_url led back to this server
    assert client.requests_made == 2


def test_a_missing_next_url_ends_the_pagination(make_client, kolada_server):
    assert "next_url" not in kolada_server.recording("data_region.json")["response"]["body"]
    client = make_client()
    rows = list(client.fetch_values(["N60404", "U60496"], ["0001", "0014", "0020"], [2022, 2023]))
    assert len(rows) == 12 and {r.municipality for r in rows} == {"0001", "0014", "0020"}
    assert cells(rows)[("N60404", "0014", 2023, "T")].value == 148.9
    assert cells(rows)[("U60496", "0020", 2022, "T")].value == 88.2
    assert len(kolada_server.log) == 1 and client.requests_made == 1


def test_a_next_url_loop_is_refused(make_client, kolada_server):
    kolada_server.script(MPATH, NextUrl(MPATH + "?page=2&per_page=5000"), NextUrl(MPATH + "?per_page=5000"))
    client = make_client()
    with pytest.raises(kc.KoladaError) as caught:
        list(client.fetch_values(MUNICIPAL, MUNS, [2022, 2023]))
    err = caught.value
    assert err.key == "kolada.pagination_loop"
    assert err.url == f"{kolada_server.base_url}{MPATH}?per_page=5000" and err.url in str(err)
    assert "already read" in str(err)
    assert len(kolada_server.log) == 2 and client.requests_made == 2  # page 1 was not asked for again


def test_a_next_url_pointing_at_itself_is_refused_after_one_request(make_client, kolada_server):
    kolada_server.script(RPATH, NextUrl(RPATH + "?per_page=5000"))
    client = make_client()
    with pytest.raises(kc.KoladaError, match="already read"):
        list(client.fetch_values(["N60404", "U60496"], ["0001", "0014", "0020"], [2022, 2023]))
    assert len(kolada_server.log) == 1


# --- batching ---------------------------------------------------------------------------------

def _county_codes(county: str) -> list[str]:
    with open(ROOT / "data" / "municipalities.csv", encoding="utf-8") as f:
        return [row["kommunkod"] for row in csv.DictReader(f) if row["lan_code"] == county]


def test_more_than_25_ids_are_split_into_batches_of_25(make_client, kolada_server):
    kpis = [f"N{n:05d}" for n in range(1, 27)]  # 26 KPI ids
    muns = _county_codes("14")[:30]  # 30 municipalities in Västra Götaland
    assert len(muns) == 30
    expected = []
    for kb in (kpis[:25], kpis[25:]):
        for mb in (muns[:25], muns[25:]):
            path = f"/data/kpi/{','.join(kb)}/municipality/{','.join(mb)}"
            body = {"values": [{"kpi": kb[0], "municipality": mb[0], "period": 2023,
                                "values": [{"gender": "T", "count": 1, "status": "", "value": 1.5,
                                            "isdeleted": False}]}], "count": 1, "next_url": None}
            kolada_server.add(path, body, {"per_page": "5000"})
            expected.append(path)
    client = make_client()
    rows = list(client.fetch_values(kpis, muns))
    assert [r.path for r in kolada_server.log] == expected
    assert [(r.kpi, r.municipality) for r in rows] == [
        (kpis[0], muns[0]), (kpis[0], muns[25]), (kpis[25], muns[0]), (kpis[25], muns[25])]
    assert client.requests_made == 4


def test_kpi_metadata_for_30_ids_takes_two_requests(make_client, kolada_server):
    ids = [f"U{n:05d}" for n in range(100, 130)]
    for batch in (ids[:25], ids[25:]):
        kolada_server.add("/kpi/" + ",".join(batch), {"values": [{"id": i, "title": i} for i in batch],
                                                      "count": len(batch), "next_url": None}, {"per_page": "5000"})
    assert [k["id"] for k in make_client().fetch_kpis(ids + ids[:3])] == ids  # duplicates dropped
    assert [len(r.path.split("/")[-1].split(",")) for r in kolada_server.log] == [25, 5]


def test_years_are_batched_too_and_an_id_with_a_comma_is_refused(make_client, kolada_server):
    years = list(range(1994, 2024))
    for batch in (years[:25], years[25:]):
        kolada_server.add("/data/kpi/N01951/municipality/2081/year/" + ",".join(map(str, batch)),
                          {"values": [], "count": 0, "next_url": None}, {"per_page": "5000"})
    client = make_client()
    assert list(client.fetch_values(["N01951"], ["2081"], years)) == []
    assert len(kolada_server.log) == 2
    with pytest.raises(ValueError, match="not a Kolada id"):  # checked at the call, not when iterated
        client.fetch_values(["N01951,N00403"], ["2081"], [2023])
    with pytest.raises(ValueError, match="municipality_ids or years"):
        client.fetch_values(["N01951"])
    with pytest.raises(ValueError, match="not a year"):
        client.fetch_values(["N01951"], ["2081"], ["20x3"])
    assert len(kolada_server.log) == 2


# --- rows -------------------------------------------------------------------------------------

def test_deleted_and_null_values_are_returned_flagged(make_client):
    rows = list(make_client().fetch_values(MUNICIPAL, MUNS, [2022, 2023]))
    by = cells(rows)
    deleted = by[("N85054", "2085", 2022, "T")]
    assert deleted.isdeleted is True and deleted.value is None and not deleted.usable
    nulls = sorted((r.kpi, r.municipality, r.period) for r in rows if r.value is None and not r.isdeleted)
    assert nulls == [("N00403", "0180", 2023), ("N00403", "0184", 2022), ("N00403", "0184", 2023),
                     ("U07514", "2081", 2023)]
    assert sum(r.usable for r in rows) == 48 - 1 - 4
    borås = by[("U07801", "1490", 2022, "T")]
    assert borås == kc.ValueRow("U07801", "1490", 2022, "T", 457.0, "", 1, False)
    assert isinstance(borås.period, int) and borås._asdict()["value"] == 457.0


def test_the_gender_split_kpi_has_t_k_m_and_the_filter_keeps_t(make_client):
    client = make_client()
    rows = list(client.fetch_values(["N45970", "N01951"], MUNS, [2022, 2023]))
    by = cells(rows)
    assert {r.gender for r in rows if r.kpi == "N01951"} == {"T", "K", "M"}
    assert {r.gender for r in rows if r.kpi == "N45970"} == {"T"}
    assert len(rows) == 12 + 12 * 3
    t, k, m = (by[("N01951", "2081", 2023, g)].value for g in "TKM")
    assert t == 52622.0 and k + m == t and 0.45 < k / t < 0.55
    assert by[("N45970", "0180", 2023, "T")].value == 104.9
    only_t = list(client.fetch_values(["N45970", "N01951"], MUNS, [2022, 2023], genders={"T"}))
    assert len(only_t) == 24 and {r.gender for r in only_t} == {"T"}
    assert cells(only_t)[("N01951", "1490", 2022, "T")].value == 114071.0


def test_from_date_is_passed_through_and_changes_come_back(make_client, kolada_server):
    client = make_client()
    rows = list(client.fetch_values(MUNICIPAL, MUNS, from_date=date(2024, 6, 1)))
    [req] = kolada_server.log
    assert req.path == "/data/kpi/N00403,N85054,U07801,U07514/municipality/0180,0184,1482,1490,2081,2085"
    assert req.query == {"per_page": "5000", "from_date": "2024-06-01"}
    by = cells(rows)
    assert len(rows) == 3
    assert by[("N85054", "2081", 2022, "T")].isdeleted is True
    assert by[("U07801", "1490", 2023, "T")].value == 443.0
    assert by[("U07514", "2081", 2023, "T")].value == 31.0
    assert len(list(client.fetch_values(MUNICIPAL, MUNS, from_date="2024-06-01"))) == 3
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        client.fetch_values(MUNICIPAL, MUNS, from_date="1/6/2024")


def test_an_answer_that_is_not_kolada_json_fails_clearly(make_client, kolada_server):
    kolada_server.add("/kpi/N00403", "<html>Logga in på proxyn</html>", {"per_page": "5000"},
                      headers={"Content-Type": "text/html"})
    with pytest.raises(kc.KoladaError) as caught:
        make_client().fetch_kpis(["N00403"])
    assert caught.value.key == "kolada.bad_response"
    assert "not JSON" in str(caught.value) and "KOLADA_URL" in str(caught.value)
    assert f"{kolada_server.base_url}/kpi/N00403?per_page=5000" in str(caught.value)


# --- retries and failures ---------------------------------------------------------------------

REGION_ARGS = (["N60404", "U60496"], ["0001", "0014", "0020"], [2022, 2023])


def test_a_429_waits_the_seconds_retry_after_gives(make_client, kolada_server, clock):
    kolada_server.play_once("error_429_region.json")
    client = make_client()
    rows = list(client.fetch_values(*REGION_ARGS))
    assert len(rows) == 12
    assert clock.sleeps == [7.0]  # Retry-After: 7; the throttle needed no extra wait after it
    assert client.requests_made == 2 and client.retries == 1
    assert [r.path for r in kolada_server.log] == [RPATH, RPATH]


def test_a_retry_after_longer_than_the_limit_fails_at_once(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Status(429, retry_after="3600"))
    client = make_client(max_retry_after=300)
    with pytest.raises(kc.KoladaError) as caught:
        list(client.fetch_values(*REGION_ARGS))
    assert caught.value.key == "kolada.rate_limited" and caught.value.status == 429
    assert "wait 3600 s" in str(caught.value) and "again later" in str(caught.value)
    assert clock.sleeps == [] and client.requests_made == 1


def test_a_500_once_is_retried_after_a_back_off(make_client, kolada_server, clock):
    kolada_server.play_once("error_500_population.json")
    client = make_client(backoff=1.0)
    rows = list(client.fetch_values(["N45970", "N01951"], MUNS, [2022, 2023]))
    assert len(rows) == 48
    assert clock.sleeps == [1.0] and client.requests_made == 2 and client.retries == 1


def test_5xx_every_time_fails_after_the_tries_with_a_clear_message(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Status(503), Status(503), Status(503))
    client = make_client(max_tries=3, backoff=1.0)
    with pytest.raises(kc.KoladaError) as caught:
        list(client.fetch_values(*REGION_ARGS))
    err = caught.value
    assert err.key == "kolada.unavailable" and err.status == 503 and err.tries == 3
    assert err.params == {"url": err.url, "status": 503, "tries": 3}
    assert err.url == f"{kolada_server.base_url}{RPATH}?per_page=5000"
    text = str(err)
    assert err.url in text and "HTTP 503" in text and "after 3 tries" in text and "again later" in text
    assert clock.sleeps == [1.0, 2.0]  # exponential back-off between the three tries
    assert client.requests_made == 3 and len(kolada_server.log) == 3


def test_a_time_out_is_retried_and_the_second_try_answers(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Hang(5.0))
    client = make_client(timeout=0.3)
    assert len(list(client.fetch_values(*REGION_ARGS))) == 12
    assert clock.sleeps == [1.0] and client.requests_made == 2 and len(kolada_server.log) == 2


def test_time_outs_every_time_fail_naming_the_url(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Hang(5.0), Hang(5.0))
    client = make_client(timeout=0.3, max_tries=2)
    with pytest.raises(kc.KoladaError) as caught:
        list(client.fetch_values(*REGION_ARGS))
    err = caught.value
    assert err.key == "kolada.timeout" and err.tries == 2 and err.status is None
    assert "no answer within 0.3 s" in str(err) and err.url in str(err) and "internet connection" in str(err)
    assert client.requests_made == 2 and len(kolada_server.log) == 2


def test_a_dropped_connection_is_retried(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Drop())
    client = make_client()
    assert len(list(client.fetch_values(*REGION_ARGS))) == 12
    assert client.requests_made == 2 and clock.sleeps == [1.0]


def test_an_unreachable_server_fails_with_advice(make_client, clock):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}/v3", max_tries=2)
    with pytest.raises(kc.KoladaError) as caught:
        client.fetch_kpis(["N00403"])
    err = caught.value
    assert err.key == "kolada.unreachable" and err.tries == 2
    assert f"http://127.0.0.1:{port}/v3/kpi/N00403?per_page=5000" in str(err) and "KOLADA_URL" in str(err)
    assert client.requests_made == 2 and clock.sleeps == [1.0]


def test_an_unknown_route_fails_at_once_and_says_to_check_the_base_url(make_client, kolada_server, clock):
    client = make_client()
    with pytest.raises(kc.KoladaError) as caught:
        client.fetch_kpis(["X99999"])
    assert caught.value.key == "kolada.not_found" and caught.value.status == 404
    assert "/v3" in str(caught.value) and "X99999" in str(caught.value)
    assert client.requests_made == 1 and clock.sleeps == []


def test_a_400_is_not_retried(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Status(400, body={"detail": "too many values in a list"}))
    client = make_client()
    with pytest.raises(kc.KoladaError) as caught:
        list(client.fetch_values(*REGION_ARGS))
    assert caught.value.key == "kolada.rejected" and "too many values in a list" in str(caught.value)
    assert client.requests_made == 1


# --- throttle and base URL --------------------------------------------------------------------

def test_requests_are_throttled_to_five_per_second(make_client, kolada_server, clock):
    client = make_client()
    client.fetch_kpis(MAPPED)
    list(client.fetch_values(MUNICIPAL, MUNS, [2022, 2023]))  # two pages
    list(client.fetch_values(*REGION_ARGS))
    # The fake clock stands still during HTTP, so every request after the first waits a full 0.2 s.
    assert clock.sleeps == pytest.approx([0.2, 0.2, 0.2])
    assert client.requests_made == 4 and len(kolada_server.log) == 4


def test_base_url_argument_wins_over_kolada_url_which_wins_over_the_default(kolada_server, monkeypatch):
    assert kc.resolve_base_url(None, {}) == "https://api.kolada.se/v3"
    assert kc.resolve_base_url(None, {"KOLADA_URL": "http://mirror/v3/"}) == "http://mirror/v3"
    assert kc.resolve_base_url("http://given/v3", {"KOLADA_URL": "http://mirror/v3"}) == "http://given/v3"
    monkeypatch.setenv("KOLADA_URL", kolada_server.base_url)
    with kc.KoladaClient(sleep=lambda s: None) as client:  # from the environment, real HTTP
        assert client.base_url == kolada_server.base_url
        assert len(client.fetch_kpis(MAPPED)) == 8
    with kc.KoladaClient("api.kolada.se/v3", sleep=lambda s: None) as client:  # no scheme: no request at all
        with pytest.raises(kc.KoladaError) as caught:
            client.fetch_kpis(["N00403"])
    assert caught.value.key == "kolada.bad_url" and "KOLADA_URL" in str(caught.value)


def test_a_retry_after_given_as_an_http_date_is_honoured(make_client, kolada_server, clock):
    kolada_server.script(RPATH, Status(429, retry_after=formatdate(time.time() + 30, usegmt=True)))
    client = make_client()
    assert len(list(client.fetch_values(*REGION_ARGS))) == 12
    [waited] = clock.sleeps
    assert 25 <= waited <= 31
