"""The publish layer without a server: the licence table, the ETag comparison, the public URL and
embed links, and the layer's imports."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from indicators.catalog import default_catalog
from indicators.publish import links, terms
from indicators.publish.api import _etag, _matches
from indicators.publish.datapackage import SOURCE_KINDS
from tests.conftest import ROOT


@pytest.mark.parametrize("kind", [*SOURCE_KINDS, "kolada"])
def test_every_source_kind_names_a_source_and_a_licence(kind):
    kalla, licens = terms.value_terms(kind, "Jordbruksverket")
    assert kalla and licens and "{" not in kalla


def test_a_kolada_value_keeps_koladas_terms_and_ours_are_cc_by():
    assert terms.value_terms("kolada", "SCB") == ("Kolada", "Kolada:s villkor (ingen CC-licens)")
    assert terms.value_terms("central", "Jordbruksverket") == ("Jordbruksverket", "Källans villkor")
    assert terms.value_terms("reported", "Kommunerna")[1] == "CC BY 4.0"
    assert "CC" not in terms.value_terms("kolada", "SCB")[1].replace("ingen CC-licens", "")


def test_a_kolada_import_is_told_by_its_provenance_detail():
    assert terms.value_class("imported", "kolada:N00403") == "kolada"
    assert terms.value_class("imported", "kolada:N60404 county:0014") == "kolada_county"
    assert terms.value_class("imported", "kolada:N45970,N01951 derived:N45970*1e6/N01951") == "kolada_derived"
    assert terms.value_class("imported", None) == "imported" and terms.value_class("reported", "") == "reported"
    frame = pd.DataFrame({"kommunkod": ["0180", "0180"], "indikator": ["GN.6a", "GN.6a"], "år": [2020, 2021],
                          "värde": [1.0, 2.0], "kommentar": ["", ""], "källtyp": ["imported", "imported"],
                          "källa": ["Källa: Kolada", "x"]})
    out = terms.with_terms(frame, default_catalog(), provenance=["kolada:U07801", None])
    assert list(out.columns).count("källa") == 1
    assert list(out["källa"]) == ["Kolada", "Avfall Sverige (importerat)"]
    assert list(out["licens"]) == ["Kolada:s villkor (ingen CC-licens)", "Källans villkor"]


def test_terms_are_added_to_every_row_in_order():
    frame = pd.DataFrame({"kommunkod": ["0180", "1490", "0180"], "indikator": ["GN.3", "GN.7", "GN.7"],
                          "år": [2020, 2021, 2022], "värde": [1.0, 2.0, 3.0], "kommentar": ["", "", ""],
                          "källtyp": ["central", "reported", "demo"]})
    out = terms.with_terms(frame, default_catalog())
    assert list(out["kommunkod"]) == ["0180", "1490", "0180"] and list(out["år"]) == [2020, 2021, 2022]
    assert list(out["källa"]) == ["Jordbruksverket", "Kommunen, rapporterat till Sveriges Ekokommuner",
                                  "Demodata – inte officiella siffror (påhittade av Gröna nyckeltal)"]
    assert list(out["licens"]) == ["Källans villkor", "CC BY 4.0", "CC BY 4.0"]


def test_if_none_match_compares_weakly_and_accepts_lists_and_star():
    tag = _etag(b"abc")
    assert tag.startswith('W/"') and _etag(b"abd") != tag
    assert _matches(tag, tag) and _matches(tag.removeprefix("W/"), tag) and _matches(f'"x", {tag}', tag)
    assert _matches("*", tag) and not _matches('"x"', tag) and not _matches(None, tag)


def test_the_public_url_setting_wins_over_the_opened_address(monkeypatch):
    monkeypatch.delenv(links.PUBLIC_URL_ENV, raising=False)
    assert links.public_base("http://127.0.0.1:8600/") == "http://127.0.0.1:8600"
    monkeypatch.setenv(links.PUBLIC_URL_ENV, "https://gn.example.se/")
    assert links.public_base("http://127.0.0.1:8600") == "https://gn.example.se"
    assert links.origin_of("http://127.0.0.1:8600/kommun?x=1") == "http://127.0.0.1:8600"


def test_an_embed_url_keeps_the_view_and_adds_both_parameters():
    url = links.embed_url("https://gn.example.se", "nyckeltal", {"indikator": "GN.7", "kommuner": "1490,0180",
                                                                  "kommun": None})
    assert url == "https://gn.example.se/nyckeltal?indikator=GN.7&kommuner=1490%2C0180&embed=true&visa=inbaddning"


def test_the_publish_layer_imports_neither_streamlit_nor_ui():
    code = ("import sys, indicators.publish.api, indicators.publish.docs\n"
            "print(sorted(m for m in sys.modules if m == 'streamlit' or m == 'ui' or m.startswith('ui.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
