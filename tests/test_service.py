"""The views the pages and the CLI share: the snapshot, the trend table as JSON, the
scorecard, the ranking, the map frame, peer groups, comparisons and comments."""
from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from indicators.views import jamfor, kommun, nyckeltal, snapshot
from indicators.store import uploads
from indicators.text.tables import to_excel_csv
from indicators.views.geo import kommun_codes
from tests.test_cli_data import run_cli

REQUIRED_TREND_KEYS = {"kommunkod", "indicator", "base_year", "base_value", "latest_year", "latest_value", "verdict",
                       "direction", "slope_per_year", "pct_change_per_year", "band", "targets", "network_mean",
                       "network_n", "rank", "summary_sv", "summary_en"}


@pytest.fixture
def snap(demo_store):
    return snapshot.load_snapshot(demo_store)


def test_load_trend_table_is_json_ready_with_every_field(demo_store):
    rows = snapshot.trend_records(demo_store, kommun="1490", indicator="GN.10")
    assert len(rows) == 1
    row = rows[0]
    assert REQUIRED_TREND_KEYS <= set(row)
    json.dumps(row)                                   # no numpy scalars, no NaN objects
    assert row["kommunkod"] == "1490" and row["indicator"] == "GN.10"
    assert row["summary_sv"].startswith("Borås: ")
    assert row["targets"][0]["target_value"] == 60.0 and row["targets"][0]["target_year"] == 2030
    assert len(snapshot.trend_records(demo_store, indicator="GN.10")) > 80


def test_cli_trends_prints_the_service_table(demo_db):
    out = run_cli("trends", "--kommun", "1490", "--indicator", "GN.10", "--json", "--db", demo_db)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["kommunkod"] for r in rows] == ["1490"] and REQUIRED_TREND_KEYS <= set(rows[0])


def test_snapshot_reads_only_the_catalogue_and_knows_membership(snap):
    assert set(snap.current["indicator_id"]) <= set(snap.catalog.ids)
    assert len(snap.municipalities) == 290
    assert "1490" in snap.members(2024) and "1490" in snap.members()
    assert set(snap.network_verdicts["indicator_id"]) == set(snap.catalog.ids)


def test_scorecard_has_one_card_per_indicator_with_the_networks_sentence(snap):
    cards = kommun.scorecard(snap, "1490", "sv")
    assert [c["id"] for c in cards] == snap.catalog.ids
    card = next(c for c in cards if c["id"] == "GN.10")
    assert card["sentence"].startswith("Utvecklingen går åt ") and card["sentence"][-4:].isdigit()
    assert re.fullmatch(r"(Plats \d+ av \d+ ekokommuner|Delad plats \d+ av \d+ \(\d+ kommuner\))", card["rank"])
    assert card["year"] == 2024 and card["value"].endswith(" %")
    assert card["target"].startswith("Nationellt inriktningsmål: 60 % år 2030.")
    tally = kommun.verdict_tally(snap, "1490", "sv")
    assert sum(tally.values()) == sum(c["has_value"] for c in cards)


def test_scorecard_in_english_uses_english_sentences(snap):
    card = next(c for c in kommun.scorecard(snap, "1490", "en") if c["id"] == "GN.10")
    assert card["sentence"].startswith("Moving in the") or card["sentence"].startswith("No measured")
    assert card["name"] == "Organic food in the municipal organisation"


def test_a_non_member_without_data_has_empty_cards(snap):
    outsider = next(k for k in snap.municipalities["kommunkod"] if k not in snap.members())
    assert not snapshot.is_member(snap, outsider)
    assert not any(c["has_value"] for c in kommun.scorecard(snap, outsider, "sv"))


def test_ranking_is_best_first_along_the_better_direction(snap):
    for ind_id in ("GN.10", "GN.6a"):             # higher is better; lower is better
        table = nyckeltal.ranking_table(snap, ind_id, "sv")
        ranks = table["Plats"].tolist()
        assert ranks == sorted(ranks) and ranks[0] == 1
        values = table.filter(like="Värde").iloc[:, 0]
        ordered = values.is_monotonic_decreasing if snap.catalog[ind_id].better == "higher" \
            else values.is_monotonic_increasing
        assert ordered
        assert {"År", "Utveckling sedan basåret", "Nivå", "Typ av värde"} <= set(table.columns)


def test_map_frame_covers_all_290_with_three_statuses(snap):
    frame = nyckeltal.map_frame(snap, "GN.10", 2024)
    assert sorted(frame["kommunkod"]) == sorted(kommun_codes())
    assert set(frame["status"]) == {"value", "no_data", "non_member"} or set(frame["status"]) == {"value", "non_member"}
    assert frame.loc[frame["status"] != "value", "value"].isna().all()
    members = snap.members(2024)
    assert set(frame.loc[frame["status"] == "non_member", "kommunkod"]).isdisjoint(members)


def test_map_figure_points_the_browser_at_the_local_shapes(snap):
    fig = nyckeltal.map_figure(snap, "GN.10", 2024, "sv")
    assert {tr.geojson for tr in fig.data} == {"app/static/kommun.geojson"}
    assert sum(len(tr.locations) for tr in fig.data) == 290


def test_default_chart_municipalities_are_the_best_and_the_worst_member(snap):
    best, worst = nyckeltal.default_kommuner(snap, "GN.10")
    table = nyckeltal.ranking_table(snap, "GN.10", "sv")
    names = snap.names()
    assert names[best] in set(table.loc[table["Plats"] == 1, "Kommun"])
    assert names[worst] in set(table.loc[table["Plats"] == table["Plats"].max(), "Kommun"])


@pytest.mark.parametrize("kind", jamfor.PEER_GROUPS)
def test_peer_groups_start_with_the_base_municipality(snap, kind):
    group = jamfor.peer_group(snap, kind, "1490", ("0180",))
    assert group[0] == "1490" and len(group) == len(set(group)) >= 2


def test_county_group_holds_members_of_the_same_county_only(snap):
    group = jamfor.peer_group(snap, "county", "1490")
    m = snap.municipalities.set_index("kommunkod")
    assert {m.loc[k, "lan_code"] for k in group} == {"14"}


def test_compare_table_flags_large_differences_from_the_median_in_words(snap):
    group = tuple(jamfor.peer_group(snap, "members", "1490"))
    table = jamfor.compare_table(snap, group, "Klimat", "sv")
    flagged = table[table["Markering"].str.startswith(("▲", "▼"))]
    assert len(flagged)
    diff = flagged["Skillnad mot medianen (%)"].dropna().abs()
    assert len(diff) == len(flagged) and (diff >= 100 * jamfor.LARGE_DIFFERENCE).all()
    assert set(flagged["Markering"]) <= {"▲ Mycket bättre än medianen", "▼ Mycket sämre än medianen"}
    others = set(table["Markering"]) - set(flagged["Markering"]) - {""}
    assert others <= {"Ingen data: inget värde något år", "Inget värde det året: senaste värdet visas, utan placering"}


def test_comments_come_back_as_plain_text(demo_store):
    text = "<b>Nytt</b> **avtal** =HYPERLINK(\"http://x\")"
    with demo_store.transaction() as cur:
        uploads.insert_comments(cur, pd.DataFrame({"kommunkod": ["1490"], "indicator_id": ["GN.10"], "year": [2024],
                                                    "text": [text], "created_by": ["test"], "upload_id": [None]}))
    assert snapshot.load_comments(demo_store, "1490") == {"GN.10": text}


def test_downloaded_tables_neutralise_formula_like_cells(snap):
    snap.municipalities.loc[snap.municipalities["kommunkod"] == "1490", "name"] = "=cmd|' /C calc'!A0"
    csv = to_excel_csv(nyckeltal.ranking_table(snap, "GN.10", "sv")).decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in csv and ";=cmd" not in csv


def test_pages_call_view_functions_by_reference_and_every_imported_name_exists():
    """No string registry: a page imports its view functions, so a wrong name fails at import."""
    import ast
    import importlib
    import importlib.util
    from tests.conftest import ROOT
    pages = sorted((ROOT / "app_pages").rglob("*.py"))
    assert len(pages) >= 10
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert "ui.data(" not in source and "cached(\"" not in source, page
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("indicators.views"):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    found = hasattr(module, alias.name) or importlib.util.find_spec(f"{node.module}.{alias.name}")
                    assert found, f"{page.name}: {node.module}.{alias.name}"


def test_position_table_is_100_for_the_best_and_0_for_the_last(snap):
    table = kommun.position_table(snap, "1490", "sv")
    col = table.columns[4]
    for rank, n, shared, share in zip(table["Plats"], table["Antal medlemmar (n)"], table["Delar platsen"], table[col]):
        # the share of the other members it does strictly better than: a tie is not "better"
        assert share == pytest.approx(100 * (n - rank - (shared - 1)) / max(n - 1, 1), abs=0.5)
        assert not math.isnan(share)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", " =1+1",
                                  "\t=1", "＝1+1", "\n=1"])
def test_every_formula_form_is_neutralised_and_plain_text_is_not(text):
    from indicators.text.tables import neutralise_cell
    assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("Ny upphandling, 45 %") == "Ny upphandling, 45 %" and neutralise_cell(-3.5) == -3.5


def test_streamlits_own_table_download_is_turned_off_in_the_shipped_config():
    """The table toolbar's "Download as CSV" writes cells raw; the product's own buttons neutralise them."""
    import tomllib

    from tests.conftest import ROOT
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_a_tile_sparkline_says_its_scale_in_words(snap):
    """Översikt's sparklines start nowhere in particular: the first and last complete year and their
    averages are written under each (and read as its text alternative), from the same network series."""
    from indicators.views import oversikt
    net = snapshot.network_series(snap, "GN.1a")
    done = net[~net["preliminary"]]
    first, last = done.iloc[0], done.iloc[-1]
    sv = oversikt.tile_spark_text(snap, "GN.1a", "sv")
    assert sv.startswith(f"SEKOM-medlet {int(first['year'])}–{int(last['year'])}: ")
    assert sv.endswith(" ton CO2e/inv") and " → " in sv
    en = oversikt.tile_spark_text(snap, "GN.1a", "en")
    assert en.startswith(f"SEKOM average {int(first['year'])}–{int(last['year'])}: ") and "tonnes" in en
