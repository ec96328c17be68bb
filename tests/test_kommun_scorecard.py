"""The Kommun page's five-second scorecard (issue 12): the best/worst sentence is judged only by
ranks among the members reporting the same, complete year (a preliminary or stale value never
counts, even when it ranks first), position and direction are two labelled things, the rows keep
the catalogue's order in the markup, the table and the lead; and the page shows all of it with the
weakest-placed indicator's chart without a click."""
from __future__ import annotations

import re

import pytest

from indicators.ingest import reporting
from indicators.views import kommun_scorecard as ks
from indicators.views import scorecard_html, snapshot
from tests.apptest_helpers import open_page, plotly_figures
from tests.reporting_helpers import ADMIN, history_rows

# an early report for 2025: six members, Borås (weakest in 2024) first of them; 6 of 95 is preliminary
EARLY_RANKED = "kommunkod;indikator;år;värde\n" + "".join(
    f"{k};GN.10;2025;{v}\n" for k, v in (("1490", 100), ("0125", 20), ("0126", 30), ("0138", 40), ("0180", 50),
                                         ("1443", 60)))
STALE = "kommunkod;indikator;år;värde\n" + "".join(f"1443;GN.7;{y};{v}\n" for y, v in
                                                   zip(range(2008, 2013), (60, 65, 70, 72, 75)))


def upload(store, text: str, name: str) -> None:
    """The page's and the CLI's own path: parse, check, preview, commit."""
    report = reporting.prepare_upload(store, text.encode("utf-8"), name, ADMIN)
    assert report.ok, report.problems
    comments = {(k, i, int(y)): "tidig rapport" for k, i, y in
                zip(report.rows["kommunkod"], report.rows["indicator_id"], report.rows["year"])}
    reporting.commit_upload(store, report, ADMIN, comments)


def _by_position(snap, kommun):
    """Hand-made: the compared indicators (ranked, complete year, not stale) by (n - rank) / (n - 1)."""
    tt = snap.trends
    tt = tt[(tt["kommunkod"] == kommun) & tt["rank"].notna() & ~tt["network_preliminary"].astype(bool)
            & ~tt["stale"].astype(bool)]
    return sorted(((r.rank_n - r.rank) / (r.rank_n - 1), -r.rank_shared, r.indicator_id) for r in tt.itertuples())


@pytest.fixture
def snap(demo_store):
    return snapshot.load_snapshot(demo_store)


def test_position_runs_from_the_weakest_to_the_best_and_its_quartile_words():
    assert ks.position_of(1, 90) == 1.0 and ks.position_of(90, 90) == 0.0
    assert ks.position_of(92, 94) == pytest.approx(2 / 93)
    assert [ks.level_of(p) for p in (1.0, 0.75, 0.7499, 0.5, 0.25, 0.2499, 0.0)] == \
        ["top", "top", "upper", "upper", "lower", "bottom", "bottom"]


def test_the_sentence_names_the_best_and_the_worst_placed_indicator(snap):
    order = _by_position(snap, "1490")
    out = ks.best_worst(snap, "1490", "sv")
    assert (out["best"], out["worst"]) == (order[-1][2], order[0][2]) == ("GN.3", "GN.10")
    assert out["sentence"] == ("Borås ligger bäst till i ekologisk jordbruksmark (delad plats 1 av 90) och sämst i "
                               "ekologiska livsmedel (delad plats 92 av 94) bland medlemmarna som rapporterat samma år.")
    assert out["left_out"] == "" and out["compared"] == 15
    en = ks.best_worst(snap, "1490", "en")["sentence"]
    assert en == ("Borås does best in organic farmland (joint 1st of 90) and worst in organic food in the municipal "
                  "organisation (joint 92nd of 94) among the members reporting the same year.")
    stockholm = ks.best_worst(snap, "0180", "sv")
    assert (stockholm["best"], stockholm["worst"]) == (_by_position(snap, "0180")[-1][2], _by_position(snap, "0180")[0][2])


def test_a_preliminary_year_never_counts_even_when_it_ranks_first(demo_store):
    upload(demo_store, EARLY_RANKED, "tidig_rapport.csv")
    snap = snapshot.load_snapshot(demo_store)
    row = next(r for r in ks.scorecard_rows(snap, "1490", "sv") if r["id"] == "GN.10")
    assert row["rank_place"] == (1, 6, 1) and row["preliminary"]          # the stats layer ranks it first of six
    assert not row["compared"] and row["position"] is None and row["level"] is None
    assert row["rank_text"] == "Plats 1 av 6 (preliminärt år, jämförs inte)"
    assert row["note"] == "preliminär (n = 6 av 95)"
    out = ks.best_worst(snap, "1490", "sv")
    assert out["best"] == "GN.3" and out["worst"] != "GN.10" and out["worst"] == _by_position(snap, "1490")[0][2]
    assert "ekologiska livsmedel" not in out["sentence"]
    assert out["left_out"] == "Inte med i jämförelsen: 1 med preliminärt år." and out["compared"] == 14
    # GN.10 is neither a fourth "best" nor still one of the weakest: it is out of the count
    assert ks.lead(snap, "1490", "sv")["position"] == "3 bland de bästa · 1 över mitten · 2 under mitten · 8 bland de svagaste"


def test_a_stale_value_is_marked_and_left_out(demo_store):
    upload(demo_store, STALE, "bollebygd_till_2012.csv")
    snap = snapshot.load_snapshot(demo_store)
    row = next(r for r in ks.scorecard_rows(snap, "1443", "sv") if r["id"] == "GN.7")
    assert row["stale"] and not row["compared"] and row["note"] == "Senaste värdet är från 2012"
    assert row["rank_text"] == "Ingen placering: senaste värdet är från 2012" and row["level_text"] == "ingen placering"
    out = ks.best_worst(snap, "1443", "en")
    assert "GN.7" not in (out["best"], out["worst"])
    assert out["left_out"] == "Not in the comparison: 1 whose latest value is old."


def test_too_few_compared_indicators_give_no_best_or_worst(demo_store):
    # a municipality outside SEKOM with values for two indicators: no rank, so nothing to compare
    history_rows(demo_store, [("0114", "GN.10", 2023, 20.0), ("0114", "GN.10", 2024, 25.0),
                              ("0114", "GN.3", 2024, 12.0)])
    snap = snapshot.load_snapshot(demo_store)
    out = ks.best_worst(snap, "0114", "sv")
    assert (out["best"], out["worst"], out["compared"]) == (None, None, 0)
    assert out["sentence"] == ("För få nyckeltal går att jämföra för att säga vad som går bäst och sämst för "
                               "Upplands Väsby: 0 av 2 har en placering bland medlemmarna som rapporterat samma år.")
    assert ks.focus_indicator(snap, "0114") == ("GN.3", "first")


def test_position_and_direction_are_two_labelled_things(snap):
    row = next(r for r in ks.scorecard_rows(snap, "1490", "sv") if r["id"] == "GN.10")
    assert (row["level"], row["level_text"], row["rank_text"]) == ("bottom", "bland de svagaste",
                                                                   "Delad plats 92 av 94 (3 kommuner)")
    assert (row["verdict"], row["direction_text"], row["since"]) == ("right", "åt rätt håll", "sedan 2012")
    markup = ks.scorecard_markup(snap, "1490", "sv")
    cell = re.search(r'data-indicator="GN.10">(.*?)</div></div>', markup).group(1)
    assert '<span class="gn-sc-label">Läge: </span>' in cell and "bland de svagaste" in cell
    assert '<span class="gn-sc-label">Riktning: </span>' in cell and "åt rätt håll" in cell
    lead = ks.lead(snap, "1490", "sv")
    rows = ks.scorecard_rows(snap, "1490", "sv")
    counts = {lv: sum(r["level"] == lv for r in rows) for lv in ks.LEVELS}
    assert counts == {"top": 3, "upper": 1, "lower": 2, "bottom": 9}
    assert lead["position"] == "3 bland de bästa · 1 över mitten · 2 under mitten · 9 bland de svagaste"
    assert lead["direction"] == "11 åt rätt håll · 3 åt fel håll · 1 för få år"
    assert (lead["position_label"], lead["direction_label"]) == ("Läge bland medlemmarna", "Riktning sedan basåret")


def test_rows_keep_the_catalogue_order_in_the_markup_and_the_table(snap):
    rows = ks.scorecard_rows(snap, "1490", "en")
    with_value = set(snap.current.loc[snap.current["kommunkod"] == "1490", "indicator_id"])
    assert [r["id"] for r in rows] == [i.id for i in snap.catalog if i.id in with_value]
    assert "GN.1b" not in with_value and len(rows) == 15
    markup = ks.scorecard_markup(snap, "1490", "en")
    assert re.findall(r'data-indicator="([^"]+)"', markup) == [r["id"] for r in rows]
    table = ks.scorecard_frame(snap, "1490", "en")
    assert list(table.columns) == ["Indicator", "Latest value", "Latest year", "Flag", "SEKOM average",
                                   "Position among the members", "Rank", "Direction since the base year", "Target"]
    assert list(table["Indicator"]) == [r["name"] for r in rows]
    first = table.iloc[0]
    assert (first["Latest value"], first["Rank"], first["Direction since the base year"]) == \
        ("3.61 tonnes CO2e/inhabitant", "Rank 78 of 92", "going the right way since 2005")


def test_the_markup_escapes_text_and_says_the_sparkline_in_words():
    row = {"id": "X<1", "name": "<script>alert(1)</script>", "value": "1 & 2", "year": 2024, "note": "",
           "level": None, "position": None, "level_text": "ingen placering", "rank_text": "Ingen <b>placering</b>",
           "verdict": "right", "direction_text": "åt rätt håll", "since": "sedan 2010", "target": "Inget mål",
           "target_status": "no_target",
           "spark": {"years": [2010, 2011, 2013], "values": [1.0, 2.0, 3.0], "net_years": [], "net_values": [],
                     "breaks": [2012], "alt": 'a "quoted" <alt>'}}
    labels = {k: k.title() for k in ("value", "trend", "position", "direction", "target")}
    labels.update({f"head_{k}": k for k in ("name", "value", "trend", "position", "direction", "target")})
    markup = scorecard_html.render([row], labels, "Borås & co")
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "<b>" not in markup
    assert 'alt="a &quot;quoted&quot; &lt;alt&gt;"' in markup and 'aria-label="Borås &amp; co"' in markup
    svg = scorecard_html.sparkline_svg(row["spark"])
    assert svg.count('d="M') == 1 and re.search(r'd="M[^"]*L[^"]*M', svg)      # the line is lifted at the 2012 break
    assert "<circle" not in scorecard_html.strip_svg(None) and "<circle" in scorecard_html.strip_svg(0.5)


def test_the_source_is_named_and_demo_data_said_first(snap):
    sv = ks.scorecard_source(snap, "1490", "sv")
    assert sv.startswith("Källa: demodata – påhittade värden, inte officiella siffror (nyckeltalens riktiga källor: ")
    assert "EkoMatCentrum" in sv and sv.endswith("beräknade av Gröna nyckeltal.")
    assert ks.scorecard_source(snap, "1490", "en").startswith("Source: demo data – invented values")


def _html_bodies(at) -> list[str]:
    return [el.proto.body for el in at.get("html")]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_kommun_page_leads_with_the_sentence_the_scorecard_its_table_and_a_chart(demo_db, demo_store, lang):
    snap = snapshot.load_snapshot(demo_store)
    params = {"kommun": "1490"} | ({"lang": "en"} if lang == "en" else {})
    at = open_page("kommun", **params)
    bodies = _html_bodies(at)
    sentence = ks.best_worst(snap, "1490", lang)["sentence"].replace("&", "&amp;")
    lead_html = next(b for b in bodies if "gn-sc-sentence" in b)
    assert f'<p class="gn-sc-sentence">{sentence}</p>' in lead_html
    assert ("Läge bland medlemmarna:" if lang == "sv" else "Position among the members:") in lead_html
    card = next(b for b in bodies if 'class="gn-sc"' in b)
    assert card == ks.scorecard_markup(snap, "1490", lang) and card.count('role="listitem"') == 15
    assert list(at.dataframe[0].value.columns) == list(ks.scorecard_frame(snap, "1490", lang).columns)
    assert not at.metric                                       # no verdict tally leading the page any more
    first_chart = plotly_figures(at)[0]
    title = "Ekologiska livsmedel" if lang == "sv" else "Organic food in the municipal organisation"
    assert first_chart["layout"]["title"]["text"].replace("<br>", " ").startswith(title)
    assert (("Sämst placerat: " if lang == "sv" else "Weakest position: ") + title) in [s.value for s in at.subheader]
    captions = [c.value for c in at.caption]
    assert ks.scorecard_source(snap, "1490", lang) in captions


SWEDISH_WORDS = ("Plats", "plats", "Läge", "Riktning", "sedan", "bland", "håll", "Mål", "Inget", "mitten", "svagaste")
ENGLISH_WORDS = ("Rank", "Joint", "Position", "Direction", "since", "among", "going", "Target", "middle", "weakest")


@pytest.mark.parametrize("lang, foreign", [("sv", ENGLISH_WORDS), ("en", SWEDISH_WORDS)])
def test_every_text_of_the_scorecard_is_in_the_ui_language(snap, lang, foreign):
    rows = ks.scorecard_rows(snap, "0180", lang)
    texts = [ks.best_worst(snap, "0180", lang)["sentence"], *ks.lead(snap, "0180", lang).values(),
             re.sub(r"<[^>]+>|data:[^\"]+", " ", ks.scorecard_markup(snap, "0180", lang)),
             ks.scorecard_frame(snap, "0180", lang).to_csv()]
    words = set(re.findall(r"\w+", " ".join(texts)))
    assert not words & set(foreign), words & set(foreign)
    assert not words & {"None", "nan", "NaN", "NA"}
    values = [r["value"] for r in rows]
    wrong_decimal = r"\d\.\d" if lang == "sv" else r"\d,\d(?!\d\d)"      # "3,61" / "3.61" ("1,252" groups)
    assert any(re.search(r"\d[.,]\d", v) for v in values)
    assert not [v for v in values if re.search(wrong_decimal, v)], values
