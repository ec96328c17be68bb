"""No raw text on the reporting and admin pages (AppTest): every label, header, status, option and
table cell as it is shown (the table's display values, not the data underneath) is translated and
formatted for the UI language. The tests fail on "None", "nan", raw column names and codes,
English in Swedish mode, Swedish in English mode and a decimal point in Swedish numbers.
The pages are opened as the secretariat over a database with an upload and its undo, a comment,
a municipal target and a series break, so every table has rows."""
from __future__ import annotations

import json
import re

import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from indicators.auth import sessions, users
from indicators.ingest import admin, comments, reporting
from tests.apptest_helpers import APP, page_script
from tests.reporting_helpers import ADMIN, PASSWORD, fixture_bytes
from ui.session import TOKEN_KEY

MISSING = {"None", "nan", "NaN", "<NA>", "NaT", "null"}
RAW_COLUMNS = {"username", "role", "municipalities", "email", "disabled", "failed_logins", "locked_until",
               "created_at", "created_by", "indicator_id", "kommunkod", "source_kind", "upload_id", "filename",
               "text", "id", "year", "value", "status", "kind", "base_year", "label", "note", "from_year", "to_year",
               "revision", "comment", "reverts", "reverted_by", "n_new", "n_changed"}
RAW_CODES = {"committed", "reverted", "reporter", "admin", "absolute", "relative", "demo", "reported", "catalog",
             "True", "False"}
# words that must not appear in the other language (whole words, case-sensitive)
ENGLISH = {"Choose", "options", "Upload", "revert", "Remove", "per file", "None", "Done", "yes", "no", "ongoing",
           "undone", "undoes", "User name", "Role", "File", "Value", "Year", "Municipality"}
SWEDISH = {"Välj", "Kommun", "År", "Värde", "sparad", "ångrad", "ångrar", "rapportör", "administratör", "nej", "ja",
           "pågår", "alla kommuner", "Demovärde", "Användarnamn", "Fil", "Vem", "När", "Högst"}


@pytest.fixture
def busy_db(demo_db, demo_store):
    """The secretariat, a coordinator, an upload and its undo, a comment, a target and a series break."""
    users.add_account(demo_store, ADMIN, "sekr", PASSWORD, "admin")
    users.add_account(demo_store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    sekr = users.User("sekr", "admin")
    body = "kommunkod;indikator;år;värde;kommentar\n1490;GN.9a;2024;812,5;Ny avläsning\n".encode()
    first = reporting.commit_upload(demo_store, reporting.prepare_upload(demo_store, body, "boras_2024.csv", sekr), sekr)
    reporting.revert_upload(demo_store, sekr, first.upload_id)
    comments.add_comment(demo_store, sekr, "1490", "GN.7", "Ny upphandling av el")
    admin.add_municipal_target(demo_store, sekr, "GN.7", "1490", 100, 2030, "Kommunens mål")
    admin.add_municipal_target(demo_store, sekr, "GN.1b", "0180", -70, 2030, "", "relative", 2005)
    admin.add_series_break(demo_store, sekr, "GN.10", 2019, "Ny definition")
    return demo_store


def open_as_admin(page: str, lang: str, **params) -> AppTest:
    from ui import loaders
    _, token = sessions.login(loaders.get_store(), "sekr", PASSWORD)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = token
    for key, value in {**params, **({"lang": "en"} if lang == "en" else {})}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page_script(page)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_tables(at) -> list:
    """Every table as the browser shows it: the Styler's display values when there is one."""
    frames = []
    for element in [*at.dataframe, *at.get("arrow_data_frame")]:
        arrow = element.proto.arrow_data if hasattr(element.proto, "arrow_data") else element.proto
        if arrow.HasField("styler") and arrow.styler.display_values:
            frames.append(dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.styler.display_values))
        else:
            frames.append(element.value)
    return frames


def status_labels(at) -> list[str]:
    """The labels of the st.status boxes on the page."""
    found = []

    def walk(node):
        if getattr(node, "type", None) == "status":
            found.append(node.label)
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return found


def shown_texts(at) -> list[str]:
    """Titles, texts, alerts, labels and the options of every picker, as shown."""
    out = status_labels(at)
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error", "text"):
        out += [str(el.value) for el in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio", "text_input", "number_input", "button", "toggle",
                 "text_area", "tabs"):
        for el in getattr(at, kind, []):
            out.append(str(getattr(el, "label", "")))
            out += [str(o) for o in getattr(el, "options", [])]
            if getattr(el.proto, "placeholder", ""):
                out.append(el.proto.placeholder)
    return [t for t in out if t]


def problems_in(at, lang: str) -> list[str]:
    foreign = ENGLISH if lang == "sv" else SWEDISH
    raw_codes = RAW_CODES - ({"reporter"} if lang == "en" else set())     # the English word for the role
    found = []
    for frame in shown_tables(at):
        for column in frame.columns:
            if str(column) in RAW_COLUMNS:
                found.append(f"raw column name {column!r}")
            if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", str(column)) for w in foreign):
                found.append(f"{lang}: column {column!r} is in the other language")
        for value in frame.astype(str).to_numpy().ravel():
            if value in MISSING or value in raw_codes:
                found.append(f"raw cell {value!r}")
            if lang == "sv" and re.fullmatch(r"-?\d+\.\d+", value):
                found.append(f"a decimal point in Swedish: {value!r}")
            if value in foreign:
                found.append(f"{lang}: cell {value!r} is in the other language")
    for text in shown_texts(at):
        text = re.sub(r"\(Mätområde, Datum, Värde\)", "", text)   # the incumbent's own column names, quoted
        if text in MISSING or text in raw_codes:
            found.append(f"raw text {text!r}")
        for word in foreign:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                found.append(f"{lang}: {word!r} in {text[:80]!r}")
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page, params", [
    ("uppladdningar", {}), ("admin", {}), ("status", {}), ("rapportera", {"year": "2024"})])
def test_reporting_and_admin_pages_show_no_raw_or_foreign_text(busy_db, page, params, lang):
    at = open_as_admin(page, lang, **params)
    if page == "uppladdningar":
        at.session_state["history.kommun"], at.session_state["history.indicator"] = "1490", "GN.9a"
        at.run()
        assert len(shown_tables(at)) == 2 and len(shown_tables(at)[1]) > 3
    assert shown_tables(at) or page == "rapportera"
    assert problems_in(at, lang) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_preview_and_the_problem_list_show_no_raw_or_foreign_text(busy_db, lang):
    at = open_as_admin("rapportera", lang, year="2024")
    data = "kommunkod;indikator;år;värde;kommentar\n1490;GN.9a;2024;812,25;\n1490;GN.7;2024;;\n".encode()
    at.file_uploader(key="upload.file").upload("boras.csv", data, "text/csv").run()
    (preview,) = [f for f in shown_tables(at) if ("Nytt värde" if lang == "sv" else "New value") in f.columns]
    assert ("812,25" if lang == "sv" else "812.25") in preview.astype(str).to_numpy().ravel()
    assert problems_in(at, lang) == []
    at.file_uploader(key="upload.file").upload("fel.csv", fixture_bytes("every-problem-at-once.csv"), "text/csv").run()
    assert problems_in(at, lang) == []


def test_the_uploads_list_shows_an_undo_as_the_undo_of_its_upload(busy_db):
    at = open_as_admin("uppladdningar", "sv")
    uploads = shown_tables(at)[0]
    assert uploads[["Nr", "Fil", "Status"]].values.tolist() == [["2", "boras_2024.csv", "ångrar #1"],
                                                                ["1", "boras_2024.csv", "ångrad av #2"]]
    assert not any(c.key == "revert.select" for c in at.selectbox)          # nothing left to undo
    at = open_as_admin("uppladdningar", "en")
    assert shown_tables(at)[0]["Status"].tolist() == ["undoes #1", "undone by #2"]


def test_a_value_history_says_who_and_what_kind_in_words_with_a_decimal_comma(busy_db):
    at = open_as_admin("uppladdningar", "sv")
    at.session_state["history.kommun"], at.session_state["history.indicator"] = "1490", "GN.9a"
    at.session_state["history.year"] = 2024
    at.run()
    history = shown_tables(at)[1]
    # newest first: the undo (the demo value back), the upload, the demo value
    demo = history["Värde"].tolist()[2]
    assert history["Värde"].tolist() == [demo, "812,5", demo] and "." not in demo
    assert history["Källtyp"].tolist() == ["Demovärde (påhittat)", "Rapporterat av kommunen", "Demovärde (påhittat)"]
    assert history["Vem"].tolist() == ["sekr", "sekr", "demodata"]
    assert history["Uppladdning"].tolist() == ["#2 (ångrar #1)", "#1", "–"]
    assert history["Fil"].tolist() == ["boras_2024.csv", "boras_2024.csv", "–"]


def test_a_rejected_file_says_so_in_its_status_and_wraps_every_message(busy_db):
    at = open_as_admin("rapportera", "sv", year="2024")
    at.file_uploader(key="upload.file").upload("fel.csv", fixture_bytes("every-problem-at-once.csv"), "text/csv").run()
    assert status_labels(at) == ["Filen godtogs inte"]
    (problems,) = [d.proto for d in at.dataframe if "Vad du kan g" in json.dumps(json.loads(d.proto.columns))]
    assert problems.row_height > 64                                  # Streamlit wraps text only in taller rows
    assert json.loads(problems.columns)["Vad du kan göra"]["width"] == 520
