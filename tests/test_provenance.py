"""Provenance badges: a Kolada value says "Källa: Kolada", a county value "länsvärde", a derived value and
our own calculations on Kolada data "beräknat av Gröna nyckeltal från Kolada-data" (never Kolada's), in
tables, chart legends and hovers, chart notes and the scorecard. Values imported through the real local
Kolada server into a real database."""
from __future__ import annotations

import json

import pytest

from indicators.ingest import kolada
from indicators.ingest.kolada_client import KoladaClient
from indicators.text import provenance as prov
from indicators.views import jamfor, kommun, nyckeltal, snapshot, trend_chart
from tests.conftest import FIXTURES
from tests.kolada_server import KoladaServer

DIRECT, COUNTY, DERIVED = "kolada:N00403", "kolada:N60404 county:0014", "kolada:N45970,N01951 derived:N45970*1e6/N01951"


@pytest.mark.parametrize("kind, detail, sv, en", [
    ("imported", DIRECT, "Källa: Kolada", "Source: Kolada"),
    ("imported", COUNTY, "Källa: Kolada (länsvärde)", "Source: Kolada (county value)"),
    ("imported", DERIVED, "Beräknat av Gröna nyckeltal från Kolada-data", "Calculated by Gröna nyckeltal from Kolada data"),
    ("imported", None, "Importerat", "Imported"),
    ("reported", None, "Rapporterat av kommunen", "Reported by the municipality"),
    ("demo", float("nan"), "Demovärde (påhittat)", "Demo value (invented)"),
])
def test_each_value_gets_the_badge_of_its_source_kind_and_provenance(kind, detail, sv, en):
    assert prov.source_label(kind, detail, "sv") == sv
    assert prov.source_label(kind, detail, "en") == en


def test_details_name_the_kpi_the_county_and_the_formula():
    assert prov.parse_provenance(COUNTY) == {"kolada": "N60404", "county": "0014"}
    assert prov.source_detail("imported", DIRECT, "sv") == "Källa: Kolada (N00403)"
    assert prov.source_detail("imported", COUNTY, "en") == "Source: Kolada (N60404), county value for 0014"
    assert prov.source_detail("imported", DERIVED, "sv") == \
        "Beräknat av Gröna nyckeltal från Kolada-data (N45970*1e6/N01951)"
    assert "Kolada" not in prov.source_detail("reported", None, "sv")


def test_our_calculations_on_kolada_data_say_so_and_never_name_kolada_as_the_source():
    assert prov.computed_label([None, DIRECT], "sv") == "Beräknat av Gröna nyckeltal från Kolada-data"
    assert prov.computed_label([None, None], "sv") == "Beräknat av Gröna nyckeltal"
    assert prov.source_text("Avfall Sverige", [DIRECT], "sv") == "Kolada (ursprung: Avfall Sverige)"
    assert prov.source_text("Energimyndigheten", [DERIVED], "sv") == \
        "beräknat av Gröna nyckeltal från Kolada-data (ursprung: Energimyndigheten)"
    assert prov.source_text("Kommunerna", [None], "en") == "Kommunerna"


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    from indicators.ingest.reference_files import load_reference
    from indicators.store import open_store
    server = KoladaServer(FIXTURES / "kolada" / "import").start()
    server.serve_all()
    store = open_store(tmp_path_factory.mktemp("prov") / "k.duckdb")
    load_reference(store)
    client = KoladaClient(server.base_url, max_per_second=0)
    kolada.run_import(store, client=client)
    client.close()
    server.stop()
    yield snapshot.load_snapshot(store)
    store.close()


def test_the_scorecard_and_its_table_carry_the_badges(snap):
    cards = {c["id"]: c for c in kommun.scorecard(snap, "1490", "sv")}
    assert cards["GN.3"]["source_label"] == "Källa: Kolada"
    assert cards["GN.2a"]["source_label"] == "Källa: Kolada (länsvärde)"
    assert cards["GN.2a"]["provenance_note"] == "Källa: Kolada (N60404), länsvärde för 0014"
    assert cards["GN.8b"]["source_label"] == "Beräknat av Gröna nyckeltal från Kolada-data"
    table = kommun.scorecard_table(snap, "1490", "en")
    assert set(table["Kind of value"]) == {"Source: Kolada", "Source: Kolada (county value)",
                                           "Calculated by Gröna nyckeltal from Kolada data"}


def test_chart_ranking_and_compare_tables_show_the_badges(snap):
    chart = trend_chart.chart_table(snap, "GN.2a", ("1490", "0180"), "sv")
    kinds = [c for c in chart.columns if c.endswith("typ av värde")]
    assert len(kinds) == 2 and set(chart[kinds[0]].dropna()) == {"Källa: Kolada (länsvärde)"}
    ranking = nyckeltal.ranking_table(snap, "GN.8b", "sv")
    assert set(ranking["Typ av värde"]) == {"Beräknat av Gröna nyckeltal från Kolada-data"}
    series = jamfor.compare_series_table(snap, ("1490",), "Natur och jordbruk", "sv")
    assert set(series["Typ av värde"]) == {"Källa: Kolada"}


def test_the_trend_chart_legend_hover_and_note_name_kolada_and_our_calculations(snap):
    fig = json.loads(trend_chart.kommun_figure(snap, "1490", "GN.3", "sv").to_json())
    names = {tr.get("name") for tr in fig["data"]}
    assert "Källa: Kolada" in names
    markers = next(tr for tr in fig["data"] if tr.get("name") == "Källa: Kolada")
    assert {c[0] for c in markers["customdata"]} == {"Källa: Kolada (N00403)"}
    network = next(tr for tr in fig["data"] if "SEKOM" in (tr.get("name") or ""))
    assert "Beräknat av Gröna nyckeltal från Kolada-data" in network["hovertemplate"]
    notes = " ".join(a.get("text", "") for a in fig["layout"].get("annotations", []))
    assert "Kolada (ursprung: Jordbruksverket)" in notes


def test_the_imported_population_weights_the_network_mean(snap):
    net = snap.network.set_index(["indicator_id", "year"]).loc[("GN.6a", 2023)]
    members = snap.members(2023)
    cur = snap.current[(snap.current["indicator_id"] == "GN.6a") & (snap.current["year"] == 2023)
                       & snap.current["kommunkod"].isin(members)]
    pop = snap.population[snap.population["year"] == 2023].set_index("kommunkod")["population"]
    weights = cur["kommunkod"].map(pop).astype(float)
    assert weights.notna().all() and set(snap.population["source_kind"]) == {"imported"}
    assert net["weighted_mean"] == pytest.approx((cur["value"] * weights).sum() / weights.sum(), rel=1e-9)
    assert net["weighted_mean"] != pytest.approx(net["mean"], rel=1e-6)


def test_the_export_names_the_source_of_each_value(snap):
    from indicators.text.tables import canonical_export_frame
    frame = canonical_export_frame(snap.current)
    by = frame.groupby("indikator")["källa"].agg(set).to_dict()
    assert by["GN.3"] == {"Källa: Kolada"} and by["GN.2b"] == {"Källa: Kolada (länsvärde)"}
    assert by["GN.8b"] == {"Beräknat av Gröna nyckeltal från Kolada-data"}


def test_a_derived_figure_never_says_kolada_is_its_source(snap):
    fig = json.loads(trend_chart.indicator_figure(snap, "GN.8b", ("1490",), "sv").to_json())
    text = json.dumps(fig, ensure_ascii=False)
    assert "Källa: Kolada" not in text
    assert "Beräknat av Gröna nyckeltal från Kolada-data" in text
    assert snapshot.source_text(snap, "GN.8b", "sv").startswith("beräknat av Gröna nyckeltal från Kolada-data")


def test_the_municipality_report_names_kolada_and_the_county_value(snap):
    from indicators.publish.report import build_report
    content = build_report(snap, "1490", "sv", with_charts=False)
    rows = {r.indicator_id: r for r in content.rows}
    assert "Källa: Kolada (N60404), länsvärde för 0014" in rows["GN.2a"].notes
    assert any(n.startswith("Beräknat av Gröna nyckeltal från Kolada-data") for n in rows["GN.8b"].notes)
    names = {s.name for s in content.sources}
    assert "Kolada (ursprung: Jordbruksverket)" in names
    assert "beräknat av Gröna nyckeltal från Kolada-data (ursprung: Energimyndigheten)" in names
