"""The sentences: the network's exact wording, Swedish number format, graceful gaps, English."""
from __future__ import annotations

import dataclasses

from indicators.stats import targets as targets_mod
from indicators.catalog import Target, default_catalog
from indicators.text.summaries import summarise, target_phrase, verdict_sentence

CAT = default_catalog()


def test_verdict_sentences_are_the_networks_exact_wording():
    assert verdict_sentence("right", 2014, "sv") == "Utvecklingen går åt rätt håll sedan 2014"
    assert verdict_sentence("wrong", 2014, "sv") == "Utvecklingen går åt fel håll sedan 2014"
    assert verdict_sentence("unchanged", 2014, "sv") == "Ingen uppmätt förändring sedan 2014"


def test_verdict_sentences_in_english_and_without_enough_data():
    assert verdict_sentence("right", 2014, "en") == "Moving in the right direction since 2014"
    assert verdict_sentence("unchanged", 2007, "en") == "No measured change since 2007"
    assert verdict_sentence("insufficient", None, "sv") == "För få år med data för att bedöma utvecklingen"
    assert verdict_sentence("insufficient", 2020, "en") == "Too few years of data to judge the trend"


def _row(**kw):
    row = {"kommunkod": "1490", "base_year": 2014, "base_value": 447.8, "latest_year": 2023, "latest_value": 412.0,
           "verdict": "right", "series_start": None, "rank": 12, "rank_n": 87, "targets": []}
    row.update(kw)
    return row


def test_summary_reads_like_the_example():
    gn6a = CAT["GN.6a"]
    assert summarise(_row(), gn6a, "sv", "Borås") == \
        "Borås: 412 kg/person 2023, 8 % lägre än 2014 – rätt håll. Plats 12 av 87 ekokommuner."
    assert summarise(_row(), gn6a, "en", "Borås") == \
        "Borås: 412 kg/person 2023, 8% lower than in 2014 – the right way. Rank 12 of 87 eco-municipalities."


def test_summary_uses_swedish_separators_and_catalogue_decimals():
    gn2a = dataclasses.replace(CAT["GN.2a"], decimals=1)
    text = summarise(_row(base_value=1000.0, latest_value=1234.5, rank=None), gn2a, "sv", "Borås")
    assert text == "Borås: 1 234,5 resor/inv 2023, 23 % högre än 2014 – rätt håll."
    assert "1,234.5 trips/inhabitant" in summarise(_row(base_value=1000.0, latest_value=1234.5), gn2a, "en", "Borås")


def test_summary_of_a_share_speaks_in_percentage_points():
    text = summarise(_row(base_value=20.0, latest_value=29.0, rank=3, rank_n=90), CAT["GN.10"], "sv", "Borås")
    assert text.startswith("Borås: 29 % 2023, 9 procentenheter högre än 2014 – rätt håll. Plats 3 av 90")


def test_summary_of_an_unchanged_and_a_marginal_change():
    gn6a = CAT["GN.6a"]
    assert "samma som 2014 – ingen uppmätt förändring." in summarise(_row(base_value=412.0, verdict="unchanged"), gn6a)
    assert "marginellt lägre än 2014 – rätt håll." in summarise(_row(base_value=412.001), gn6a)


def test_summary_handles_too_few_years_and_a_new_series_in_words():
    text = summarise(_row(verdict="insufficient", base_year=2024, latest_year=2024, series_start=2024, rank=None),
                     CAT["GN.6a"], "sv", "Borås")
    assert text == "Borås: 412 kg/person 2024. För få år med data för att bedöma utvecklingen (ny serie från 2024)."
    en = summarise(_row(verdict="insufficient", series_start=2024, rank=None), CAT["GN.6a"], "en", "Borås")
    assert en.endswith("Too few years of data to judge the trend (new series from 2024).")
    assert summarise({"kommunkod": "1490"}, CAT["GN.6a"], "sv", "Borås") == \
        "Borås: För få år med data för att bedöma utvecklingen."


def test_target_phrases_for_each_status():
    gn10 = CAT["GN.10"]
    [off] = targets_mod.evaluate_targets([gn10.national_target], [2020, 2021, 2022], [25, 27, 29], "higher", 2.0)
    assert target_phrase(off, gn10, "sv") == \
        "Målet 60 % till 2030 nås inte i nuvarande takt; det kräver en ökning med 3,9 procentenheter per år."
    assert target_phrase(off, gn10, "en") == ("At the current pace the target of 60% by 2030 will not be met; "
                                             "it needs an increase of 3.9 percentage points a year.")
    [on] = targets_mod.evaluate_targets([gn10.national_target], [2020, 2021, 2022], [25, 27, 29], "higher", 4.0)
    assert target_phrase(on, gn10, "sv") == "Målet 60 % till 2030 nås i nuvarande takt."
    [done] = targets_mod.evaluate_targets([gn10.national_target], [2021, 2022], [55, 61], "higher")
    assert target_phrase(done, gn10, "sv") == "Målet 60 % till 2030 är redan nått."
    [past] = targets_mod.evaluate_targets([Target(60, 2020, "")], [2021, 2022], [25, 29], "higher", 2.0)
    assert target_phrase(past, gn10, "sv") == "Målet 60 % till 2020 nåddes inte."
    [unknown] = targets_mod.evaluate_targets([gn10.national_target], [2022], [29], "higher")
    assert target_phrase(unknown, gn10, "en") == "Too few years of data to assess the target of 60% by 2030."


def test_lower_is_better_target_needs_a_decrease_and_relative_targets_name_their_base():
    gn1b = CAT["GN.1b"]
    [t] = targets_mod.evaluate_targets([gn1b.national_target], [2005, 2010, 2022], [10.0, 8.0, 7.0], "lower", -0.1)
    assert target_phrase(t, gn1b, "sv") == ("Målet −62 % jämfört med 2005 till 2030 nås inte i nuvarande takt; "
                                            "det kräver en minskning med 0,40 ton CO2e/inv per år.")


def test_summary_mentions_the_municipalitys_own_target_first():
    gn10 = CAT["GN.10"]
    targets = targets_mod.evaluate_targets([gn10.national_target, {"kind": "absolute", "value": 40, "year": 2026,
                                                              "kommunkod": "1490", "label": "eget"}],
                                      [2020, 2021, 2022], [25, 27, 29], "higher", 4.0)
    text = summarise(_row(base_value=20.0, latest_value=29.0, latest_year=2022, targets=targets), gn10, "sv", "Borås")
    assert text.endswith("Målet 40 % till 2026 nås i nuvarande takt.")
