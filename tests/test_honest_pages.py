"""Issue 11 on the demo database plus one early report written through the real upload path:
none of the statements the issue found can be produced, and the CLI, the pages and the admin
page read the same fields and the same stored preliminary threshold."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from indicators.auth import users
from indicators.errors import PermissionDenied
from indicators.ingest import admin, reporting
from indicators.ingest.admin import AdminInputError
from indicators.store import open_store
from indicators.store.schema import MIGRATIONS, apply_migrations, fetch_schema_versions
from indicators.views import charts, kommun, nyckeltal, oversikt, snapshot
from tests.apptest_helpers import all_text, open_page, open_page_as, plotly_figures
from tests.conftest import ROOT
from tests.reporting_helpers import ADMIN, ANNA, PASSWORD

EARLY = "kommunkod;indikator;år;värde\n1490;GN.10;2025;99\n1490;GN.7;2025;50\n1490;GN.6a;2025;300\n"
STALE = "kommunkod;indikator;år;värde\n" + "".join(f"1443;GN.7;{y};{v}\n" for y, v in
                                                   zip(range(2008, 2013), (60, 65, 70, 72, 75)))


def upload(store, text: str, name: str, user=ADMIN) -> None:
    """The page's and the CLI's own path: parse, check, preview, commit."""
    report = reporting.prepare_upload(store, text.encode("utf-8"), name, user)
    assert report.ok, report.problems
    comments = {(k, i, int(y)): "tidig rapport" for k, i, y in
                zip(report.rows["kommunkod"], report.rows["indicator_id"], report.rows["year"])}
    reporting.commit_upload(store, report, user, comments)


@pytest.fixture
def early_store(demo_store):
    before = snapshot.load_snapshot(demo_store)
    upload(demo_store, EARLY, "tidig_rapport.csv", ANNA)
    upload(demo_store, STALE, "bollebygd_till_2012.csv")
    demo_store.before = before
    return demo_store


def _tile(tiles, ind):
    return next(t for t in tiles if t["id"] == ind)


def test_an_early_report_changes_no_network_figure_and_is_shown_as_preliminary(early_store):
    before, after = early_store.before, snapshot.load_snapshot(early_store)
    for ind in ("GN.10", "GN.7", "GN.6a"):
        b, a = _tile(oversikt.overview_tiles(before, "sv"), ind), _tile(oversikt.overview_tiles(after, "sv"), ind)
        assert {k: a[k] for k in ("year", "n", "members", "value", "verdict", "direction", "mean_kind")} == \
               {k: b[k] for k in ("year", "n", "members", "value", "verdict", "direction", "mean_kind")}
        assert (a["year"], a["preliminary"]) == (2024, ["2025: preliminär (n = 1 av 95)"])
        assert nyckeltal.network_summary(after, ind, "sv")["mean"] == nyckeltal.network_summary(before, ind, "sv")["mean"]
        assert nyckeltal.ranking_table(after, ind, "sv").equals(nyckeltal.ranking_table(before, ind, "sv"))
        assert nyckeltal.default_kommuner(after, ind) == nyckeltal.default_kommuner(before, ind)
    assert oversikt.verdict_counts(after, "sv").equals(oversikt.verdict_counts(before, "sv"))
    assert oversikt.overview_headline(after) == oversikt.overview_headline(before)
    spark = oversikt.tile_sparkline(after, "GN.10", "sv")
    assert spark.data[0].x[-1] == 2024 and list(spark.data[-1].x) == [2025]


def test_the_early_reporter_sees_its_own_value_unranked_and_the_map_names_no_extremes(early_store):
    snap = snapshot.load_snapshot(early_store)
    card = next(c for c in kommun.scorecard(snap, "1490", "sv") if c["id"] == "GN.10")
    assert (card["value"], card["year"], card["year_note"]) == ("99 %", 2025, "preliminär (n = 1 av 95)")
    assert card["rank"] == "Ingen placering: bara 1 av 95 ekokommuner har rapporterat 2025" and not card["ranked"]
    assert "GN.10" not in set(kommun.positions(snap, "1490")["indicator_id"])
    summary = nyckeltal.map_summary(snap, "GN.10", 2025, "sv")
    assert summary["preliminary"] == "preliminär (n = 1 av 95)" and "top" not in summary
    lists = nyckeltal.map_lists(snap, "GN.10", 2025, "sv")
    assert not len(lists["best"]) and not len(lists["worst"])
    assert "preliminär (n = 1 av 95)" in nyckeltal.map_figure(snap, "GN.10", 2025, "sv").layout.title.text


def test_ties_are_said_on_the_scorecard_the_map_and_the_lists(demo_store):
    snap = snapshot.load_snapshot(demo_store)
    tt = snap.trends
    zero = tt[(tt["indicator_id"] == "GN.1b") & (tt["latest_value"] == 0) & tt["rank"].notna()]
    assert len(zero) > 5 and (zero["rank"] == 1).all() and (zero["rank_shared"] == len(zero)).all()
    card = next(c for c in kommun.scorecard(snap, zero["kommunkod"].iloc[0], "sv") if c["id"] == "GN.1b")
    n = int(zero["rank_n"].iloc[0])
    assert card["rank"] == f"Delad plats 1 av {n} ({len(zero)} kommuner)"
    full = nyckeltal.year_values(snap, "GN.7", 2024)
    top = full[full["value"] == 100]
    summary = nyckeltal.map_summary(snap, "GN.7", 2024, "sv")
    assert summary["top"].startswith(f"{len(top)} kommuner delar platsen: ") and summary["top_value"] == "100 %"
    best = nyckeltal.map_lists(snap, "GN.7", 2024, "sv")
    assert len(best["best"]) == nyckeltal.LIST_MAX_ROWS and best["best_more"] == len(top) - nyckeltal.LIST_MAX_ROWS
    assert set(best["best"]["Plats"]) == {1} and set(best["best"]["Delar platsen"]) == {len(top)}


def test_a_stale_series_is_marked_on_the_scorecard_and_the_map_and_not_ranked(early_store):
    snap = snapshot.load_snapshot(early_store)
    card = next(c for c in kommun.scorecard(snap, "1443", "sv") if c["id"] == "GN.7")
    assert (card["year"], card["stale"], card["stale_text"]) == (2012, True, "Senaste värdet är från 2012")
    assert card["rank"] == "Ingen placering: senaste värdet är från 2012"
    assert "Senaste värdet är från 2012, så det jämförs inte med de andra ekokommunerna." in card["summary"]
    m = nyckeltal.map_frame(snap, "GN.7", 2024).set_index("kommunkod")
    assert (m.loc["1443", "status"], m.loc["1443", "latest_year"]) == ("stale", 2012)
    fig = nyckeltal.map_figure(snap, "GN.7", 2024, "sv")
    stale = next(tr for tr in fig.data if tr.name == "Medlem, senaste värdet är minst tre år gammalt")
    assert list(stale.locations) == ["1443"] and "senaste värdet är från 2012" in stale.text[0]
    assert nyckeltal.map_summary(snap, "GN.7", 2024, "sv")["n_stale"] == 1


def test_the_page_says_which_mean_it_shows(demo_store):
    snap = snapshot.load_snapshot(demo_store)
    tiles = oversikt.overview_tiles(snap, "sv")
    assert _tile(tiles, "GN.6a")["mean_kind"] == "befolkningsviktat medel"
    assert _tile(tiles, "GN.3")["mean_kind"] == "oviktat medelvärde"
    net = snap.network.set_index(["indicator_id", "year"])
    assert _tile(tiles, "GN.3")["value"] == "32,3 %" == f"{net.loc[('GN.3', 2024), 'mean']:.1f} %".replace(".", ",")
    assert snap.network[snap.network["indicator_id"] == "GN.3"]["weighted_mean"].isna().all()
    assert nyckeltal.network_summary(snap, "GN.6a", "en")["mean_kind"] == "population-weighted mean"


def test_trends_json_carries_the_new_fields_and_the_readme_documents_them(early_store, isolated_db):
    early_store.close()
    out = subprocess.run([sys.executable, "-m", "indicators", "trends", "--json", "--kommun", "1490", "--db",
                          str(isolated_db)], cwd=ROOT, capture_output=True, text=True, check=True)
    rows = {r["indicator"]: r for r in json.loads(out.stdout)}
    gn10 = rows["GN.10"]
    assert (gn10["network_year"], gn10["network_preliminary"], gn10["stale"], gn10["rank_tied"]) == (2024, True, False,
                                                                                                       False)
    assert gn10["rank"] is None and gn10["rank_reason"] == "too_few" and gn10["network_n"] == 94
    assert isinstance(rows["GN.1a"]["rank_tied"], bool) and isinstance(rows["GN.1a"]["network_year"], int)
    assert rows["GN.3"]["network_weighted_mean"] is None and rows["GN.6a"]["network_weighted_mean"] is not None
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- section:trends -->"):readme.index("<!-- /section:trends -->")]
    for word in ("rank_tied", "rank_shared", "rank_reason", "stale", "network_year", "network_preliminary",
                 "latest_year_n", "latest_year_members", "intercept", "not_applicable", "uncertain", "reason",
                 "preliminary_share"):
        assert f"`{word}`" in section, word
    undocumented = {k for r in rows.values() for k in list(r) + [k for t in r["targets"] for k in t]
                    if f"`{k}`" not in section}
    assert not undocumented, f"trends --json fields missing from the README: {undocumented}"


def test_the_threshold_is_stored_in_the_database_and_read_by_the_cli_and_the_pages(demo_store, isolated_db):
    assert admin.preliminary_share(demo_store) == 0.5
    with pytest.raises(PermissionDenied):
        admin.set_preliminary_share(demo_store, ANNA, 60)
    for bad in ("abc", 0, 101):
        with pytest.raises(AdminInputError) as exc:
            admin.set_preliminary_share(demo_store, ADMIN, bad)
        assert exc.value.key == "admin.bad_share"
    assert admin.set_preliminary_share(demo_store, ADMIN, 100) == 1.0        # 94 of 95 is no longer enough
    snap = snapshot.load_snapshot(demo_store)
    year = snapshot.network_year(snap, "GN.10")
    assert snap.preliminary_share == 1.0 and (year is None or year < 2024)
    tile = _tile(oversikt.overview_tiles(snap, "sv"), "GN.10")
    assert "2024: preliminär (n = 94 av 95)" in tile["preliminary"]
    demo_store.close()
    out = subprocess.run([sys.executable, "-m", "indicators", "trends", "--json", "--kommun", "0180", "--indicator",
                          "GN.10", "--db", str(isolated_db)], cwd=ROOT, capture_output=True, text=True, check=True)
    [row] = json.loads(out.stdout)
    assert row["network_preliminary"] is True and row["network_year"] == year
    store = open_store(isolated_db)
    try:
        assert admin.preliminary_share(store) == 1.0
    finally:
        store.close()


def test_the_settings_migration_is_recorded_once(demo_store):
    assert apply_migrations(demo_store) == []
    assert "007_settings" in set(fetch_schema_versions(demo_store)["name"])
    assert "007_settings" in [name for name, _ in MIGRATIONS]


def test_the_admin_page_sets_the_threshold(demo_db, demo_store):
    users.add_account(demo_store, ADMIN, "sekr", PASSWORD, "admin")
    at = open_page_as("admin", "sekr", PASSWORD)
    assert "Nu: 50 %." in all_text(at)
    at.number_input(key="admin.preliminary_share").set_value(60.0)
    at.button(key="admin.preliminary_save").click().run()
    assert not at.exception and "Sparat." in all_text(at)
    assert admin.preliminary_share(demo_store) == pytest.approx(0.6)
    assert "Nu: 60 %." in all_text(at)


def test_overview_page_after_an_early_report_names_no_2025_average(early_store):
    early_store.close()
    at = open_page("oversikt")
    text = all_text(at)
    assert "SEKOM-medel 2025" not in text and "SEKOM-medel 2024 (oviktat medelvärde), n = 94 av 95 medlemmar" in text
    assert "2025: preliminär (n = 1 av 95)" in text
    assert "Svagast: Mängd hushållsavfall" not in text and "bedöma (till exempel efter ett definitionsbyte): " \
                                                            "Mängd hushållsavfall" in text
    sparks = [f for f in plotly_figures(at) if f["layout"]["height"] == charts.SPARK_HEIGHT]
    assert len(sparks) == 16
    en = open_page("oversikt", lang="en")
    assert "SEKOM average 2024 (unweighted mean), n = 94 of 95 members" in all_text(en)


def test_kommun_page_shows_the_stale_value_and_the_preliminary_year(early_store):
    early_store.close()
    at = open_page("kommun", kommun="1443")
    assert "Senaste värdet är från 2012" in all_text(at)
    at = open_page("kommun", kommun="1490")
    text = all_text(at)
    assert "preliminär (n = 1 av 95)" in text and "Plats 1 av 1" not in text


def test_the_method_page_states_the_threshold_in_force(demo_db):
    text = all_text(open_page("om"))
    assert "minst 50 % av årets medlemmar" in text and "delad plats 1 av 90 (54 kommuner)" in text
