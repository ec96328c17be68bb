"""One place defines an indicator: a 17th indicator added to a copy of the catalogue (nothing else)
gets demo values, is read from uploads however it is written, goes through the trend engine and
is shown by the pages, in Swedish and English."""
from __future__ import annotations

import pytest

from indicators.auth.users import system_admin
from indicators.catalog import default_catalog
from indicators.ingest import reporting
from indicators.ingest.demo import load_demo
from indicators.ingest.reference_files import load_reference
from indicators.store import observations, open_store
from indicators.views.snapshot import trend_records
from tests.apptest_helpers import all_text, open_page, plotly_figures
from tests.conftest import ROOT

NEW_INDICATOR = '''
[[indicator]]
id = "GN.12"
name_sv = "Publika laddpunkter"
name_en = "Public charging points"
unit = "st/1000 inv"
unit_en = "per 1,000 inhabitants"
weight = "population"
better = "higher"
theme = "Transporter"
start_year = 2015
decimals = 1
source = "Power Circle (ELIS)"
reported_by = "member"
series_breaks = []
national_target = { kind = "absolute", value = 5, year = 2030, label = "Eget exempelmål", label_en = "Example target" }
demo = { low = 0.2, high = 2.0, drift = 0.15, spread = 0.05 }
'''


@pytest.fixture
def grown_catalogue(tmp_path, monkeypatch, isolated_db):
    path = tmp_path / "indicators.toml"
    path.write_text((ROOT / "data" / "indicators.toml").read_text(encoding="utf-8") + NEW_INDICATOR, encoding="utf-8")
    monkeypatch.setenv("GN_CATALOG", str(path))
    store = open_store(isolated_db)
    load_reference(store)
    load_demo(store)
    yield store
    store.close()


def test_a_17th_indicator_in_the_catalogue_reaches_demo_uploads_trends_and_pages(grown_catalogue):
    store = grown_catalogue
    catalog = default_catalog()
    assert len(catalog) == 17 and catalog["GN.12"].theme_slug == "transporter"
    demo = observations.fetch_current(store, ["GN.12"])
    assert len(demo) > 500 and set(demo["source_kind"]) == {"demo"}

    body = "kommunkod;indikator;år;värde\n1490;gn 12;2025;3,5\n0180;GN.12;2025;2,25\n".encode()
    report = reporting.prepare_upload(store, body, "laddpunkter.csv", system_admin())
    assert report.ok, [(p.row, p.code) for p in report.problems]
    assert sorted(report.rows["indicator_id"]) == ["GN.12", "GN.12"]

    (row,) = trend_records(store, kommun="1490", indicator="GN.12")
    assert row["indicator"] == "GN.12" and row["verdict"] in {"right", "wrong", "unchanged", "insufficient"}
    assert row["targets"][0]["label"] == "Eget exempelmål"

    sv = open_page("nyckeltal", indikator="GN.12")
    assert "Publika laddpunkter" in all_text(sv)
    en = open_page("nyckeltal", indikator="GN.12", lang="en")
    assert "Public charging points" in all_text(en)
    titles = " ".join(str(f["layout"].get("title", {}).get("text", "")) for f in plotly_figures(en))
    assert "Public charging points" in titles
