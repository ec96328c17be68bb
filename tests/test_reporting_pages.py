"""AppTest for Rapportera, Uppladdningar, Rapporteringsstatus and Administration: login,
throttling, upload → problems or preview → confirm, comments shown as text, undo, admin only."""
from __future__ import annotations

import time

import pytest

from indicators.auth import users
from indicators.ingest import reporting
from indicators.store import reference

from indicators.auth import sessions
from tests.apptest_helpers import open_page, open_page_as
from ui.session import TOKEN_KEY
from tests.reporting_helpers import ADMIN, ANNA, PASSWORD, fixture_bytes, history_rows, snapshot, stored


@pytest.fixture
def accounts_db(demo_db, demo_store):
    users.add_account(demo_store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    users.add_account(demo_store, ADMIN, "sekr", PASSWORD, "admin")
    return demo_store


def login(page: str, user: str = "anna", password: str = PASSWORD, **params):
    return open_page_as(page, user, password, **params)


def login_form_html(at) -> str:
    return "\n".join(str(el.proto.body) for el in at.get("html") if "gn-login" in str(el.proto.body))


def table(at, column: str):
    """The first table showing this column (st.dataframe keys are not visible to AppTest)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def texts(at) -> str:
    return "\n".join(str(el.value) for kind in ("error", "warning", "info", "success", "markdown", "caption", "text")
                     for el in getattr(at, kind))


def test_status_page_is_public_with_matrix_completeness_and_export(demo_db):
    at = open_page("status")
    assert at.title[0].value == "Rapporteringsstatus"
    matrix = table(at, "Fullständighet (%)")
    assert {"GN.7", "GN.2b", "Kommunkod", "Fullständighet (%)"} <= set(matrix.columns)
    assert set(matrix["GN.7"]) <= {"Inlämnad", "Flaggad", "Saknas"}
    assert at.metric[0].label == "Fullständighet"
    assert at.download_button(key="status.download.csv") and at.download_button(key="status.download.xlsx")
    at.toggle(key="status.member_only").set_value(False).run()
    assert "GN.10" in table(at, "Fullständighet (%)").columns


@pytest.mark.parametrize("page", ["rapportera", "uppladdningar", "admin"])
def test_reporting_pages_ask_anonymous_visitors_to_log_in(demo_db, page):
    at = open_page(page, year="2024")
    form = login_form_html(at)
    assert 'method="post" action="/account/login"' in form           # posts to the server route, not Streamlit
    assert 'name="username"' in form and 'type="password"' in form and 'autocomplete="current-password"' in form
    assert f'name="next" value="/{page}?year=2024"' in form             # and comes back here
    assert not at.file_uploader and not at.dataframe
    assert "Logga in för att rapportera" in texts(at)


@pytest.mark.parametrize("reason, wait, message", [
    ("failed", None, "Fel användarnamn eller lösenord."),
    ("locked", "30", "För många misslyckade inloggningar. Försök igen om 30 sekunder.")])
def test_a_failed_login_is_said_once_in_the_ui_language(demo_db, reason, wait, message):
    params = {"login_error": reason, **({"login_wait": wait} if wait else {})}
    at = open_page("rapportera", **params)
    assert message in texts(at)
    assert "login_error" not in at.query_params and "login_wait" not in at.query_params
    at.run()
    assert message not in texts(at)


def test_a_wrong_password_starts_no_session(accounts_db):
    from indicators.errors import AuthError
    with pytest.raises(AuthError):
        sessions.login(accounts_db, "anna", "fel-lösenord")
    assert sessions.open_sessions(accounts_db, "anna") == 0


def test_upload_preview_confirm_and_every_page_sees_the_new_value_at_once(accounts_db, demo_db):
    from ui import loaders
    old = loaders.snapshot_now().current                             # a page has cached the values
    assert (old[(old.kommunkod == "1490") & (old.indicator_id == "GN.9a") & (old.year == 2024)]["value"] != 801).all()
    at = login("rapportera")
    assert at.selectbox(key="report.kommun").options == ["Borås (1490)"]      # only her own municipality
    assert at.download_button(key="report.template.csv") and at.download_button(key="report.template.xlsx")
    data = "kommunkod;indikator;år;värde;kommentar\n1490;GN.9a;2024;801;Ny mätare\n".encode()
    at.file_uploader(key="upload.file").upload("boras.csv", data, "text/csv").run()
    preview = table(at, "Status")
    assert preview[["Status", "Nytt värde"]].values.tolist() == [["ändrad", 801.0]]
    assert "0 nya, 1 ändrade och 0 oförändrade värden." in texts(at)
    at.button(key="report.confirm").click().run()
    assert "Sparat som uppladdning #1" in texts(at)
    assert ("1490", "GN.9a", 2024, 801.0, "Ny mätare") in stored(accounts_db, ["1490"])
    new = loaders.snapshot_now().current                             # cleared: the new value at once
    assert new[(new.kommunkod == "1490") & (new.indicator_id == "GN.9a") & (new.year == 2024)]["value"].tolist() == [801]


def test_a_bad_file_shows_every_problem_and_writes_nothing(accounts_db):
    at = login("rapportera")
    before = snapshot(accounts_db)                  # after the login: it writes its session row
    at.file_uploader(key="upload.file").upload("fel.csv", fixture_bytes("every-problem-at-once.csv"), "text/csv").run()
    assert "Filen godtogs inte: 5 problem. Inget har sparats." in texts(at)
    problems = table(at, "Kod")
    assert problems[["Rad", "Kolumn", "Kod"]].values.tolist() == [
        [2, "kommunkod", "unknown-municipality"], [3, "indikator", "unknown-indicator"], [4, "år", "bad-year"],
        [5, "värde", "not-a-number"], [6, "värde", "out-of-range"]]
    assert "report.confirm" not in [b.key for b in at.button]
    assert snapshot(accounts_db) == before


def test_a_reporter_cannot_write_another_municipality_through_the_page(accounts_db):
    at = login("rapportera")
    before = snapshot(accounts_db)                  # after the login: it writes its session row
    at.file_uploader(key="upload.file").upload("x.csv", fixture_bytes("not-your-municipality.csv"), "text/csv").run()
    assert table(at, "Kod")["Kod"].tolist() == ["not-your-municipality"]
    assert "report.confirm" not in [b.key for b in at.button]
    assert snapshot(accounts_db) == before


def test_wrong_file_type_is_a_message_not_a_traceback(accounts_db):
    at = login("rapportera")
    at.file_uploader(key="upload.file").upload("bild.csv", fixture_bytes("wrong-file-type.csv"), "text/csv").run()
    assert not at.exception
    assert table(at, "Kod")["Kod"].tolist() == ["wrong-file-type"]


def test_flagged_values_need_a_comment_typed_in_the_preview(empty_store):
    members = [k for k in reference.fetch_members(empty_store, 2024) if k != "1490"][:12]
    history_rows(empty_store, [("1490", "GN.7", 2023, 44.0), *[(k, "GN.7", 2024, 50.0 + i % 3) for i, k in enumerate(members)]])
    users.add_account(empty_store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    at = login("rapportera")
    at.file_uploader(key="upload.file").upload("f.csv", fixture_bytes("implausible-change.csv"), "text/csv").run()
    assert "1 värden ser osannolika ut" in texts(at)
    assert at.data_editor(key="report.flagged").value["Kommentar"].tolist() == [""]
    before = snapshot(empty_store)
    at.button(key="report.confirm").click().run()
    assert "1 flaggade värden saknar kommentar" in texts(at) and snapshot(empty_store) == before
    at.session_state["report.flagged"] = {"edited_rows": {0: {"Kommentar": "Ny upphandling av grön el"}},
                                          "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="report.confirm").click().run()
    assert "Sparat som uppladdning" in texts(at), texts(at)
    assert ("1490", "GN.7", 2024, 95.0, "Ny upphandling av grön el") in stored(empty_store, ["1490"])


def test_a_script_comment_is_shown_as_text_never_rendered(accounts_db):
    evil = "<script>alert('x')</script> **fet** [länk](http://evil.example)"
    at = login("rapportera")
    at.selectbox(key="comment.indicator").select("GN.7")
    at.text_area(key="comment.text").input(evil)
    at.button(key="comment.save").click().run()
    assert "Kommentaren är sparad." in texts(at)
    assert table(at, "Kommentar")["Kommentar"].tolist() == [evil]        # literally, as a cell
    assert all("<script>" not in str(el.value) for el in [*at.markdown, *at.caption])
    assert all(not getattr(el.proto, "allow_html", False) or "<script>" not in el.value for el in at.markdown)


def test_uploads_page_lists_uploads_and_reverts_one(accounts_db):
    data = "kommunkod;indikator;år;värde;kommentar\n1490;GN.9a;2024;802;k\n".encode()
    report = reporting.prepare_upload(accounts_db, data, "boras.csv", ANNA)
    old = stored(accounts_db, ["1490"])
    result = reporting.commit_upload(accounts_db, report, ANNA)
    at = login("uppladdningar")
    uploads = table(at, "Fil")
    assert uploads[["Nr", "Fil", "Status"]].values.tolist() == [[result.upload_id, "boras.csv", "sparad"]]
    at.selectbox(key="revert.select").select(result.upload_id)
    at.button(key="revert.button").click().run()
    assert f"Uppladdning #{result.upload_id} är ångrad: 1 värden återställda" in texts(at)
    assert stored(accounts_db, ["1490"]) == old
    at.selectbox(key="history.indicator").select("GN.9a").run()
    at.selectbox(key="history.year").select(2024).run()
    history = table(at, "Revision")
    assert history["Värde"].tolist()[1] == 802.0 and len(history) == 3


def test_admin_page_is_for_the_secretariat_only(accounts_db):
    at = login("admin")
    assert "Bara sekretariatet" in texts(at) and not at.dataframe
    at = login("admin", "sekr")
    assert table(at, "Användarnamn")["Användarnamn"].tolist() == ["anna", "sekr"]
    at.text_input(key="admin.new_name").input("bertil")
    at.multiselect(key="admin.new_kommuner").set_value(["0180"])
    at.text_input(key="admin.new_password").input(PASSWORD)
    at.button(key="admin.create").click().run()
    assert "Sparat." in texts(at)
    assert users.get_user(accounts_db, "bertil").municipalities == ("0180",)
    at.selectbox(key="admin.account").select("bertil")
    at.button(key="admin.disable").click().run()
    assert users.get_user(accounts_db, "bertil") is None


def test_admin_errors_are_messages_in_the_ui_language(accounts_db):
    at = login("admin", "sekr")
    at.text_input(key="admin.new_name").input("bertil")
    at.text_input(key="admin.new_password").input("kort")
    at.button(key="admin.create").click().run()
    assert "En rapportör behöver minst en kommun." in texts(at) and not at.exception


def session_state_repr(at) -> str:
    return repr(at.session_state.to_dict() if hasattr(at.session_state, "to_dict") else dict(at.session_state))


def test_a_password_reset_on_the_admin_page_keeps_no_password_in_session_state(accounts_db):
    at = login("admin", "sekr")
    at.selectbox(key="admin.account").select("anna")
    at.text_input(key="admin.reset_password").input("kort")                 # refused: the rule
    at.button(key="admin.reset").click().run()
    assert "kort" not in [str(v) for v in dict(at.session_state).values()] and not at.exception
    at.text_input(key="admin.reset_password").input("ett-helt-nytt-lösen-2026")
    at.button(key="admin.reset").click().run()
    assert "Sparat." in texts(at) and not at.exception
    assert "ett-helt-nytt-lösen-2026" not in session_state_repr(at)
    at.run()                                                                  # and on the next rerun
    assert "ett-helt-nytt-lösen-2026" not in session_state_repr(at)
    assert users.authenticate(accounts_db, "anna", "ett-helt-nytt-lösen-2026").username == "anna"


def test_an_idle_session_times_out(accounts_db, monkeypatch):
    monkeypatch.setenv("GN_SESSION_TIMEOUT_MIN", "0.05")             # 3 seconds
    at = login("rapportera")
    assert at.file_uploader
    time.sleep(3.5)
    at.run()
    assert not at.file_uploader and "Du loggades ut efter 3 sekunder utan aktivitet" in texts(at)


def test_the_absolute_lifetime_says_so_not_inactivity(accounts_db):
    """A login older than 12 hours (GN_SESSION_MAX_HOURS) ends however active: the page says that,
    not that the user was inactive."""
    import datetime as dt
    from streamlit.testing.v1 import AppTest
    from tests.apptest_helpers import APP, page_script
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=12, minutes=1)
    token = sessions.start(accounts_db, users.get_user(accounts_db, "anna"), started)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOKEN_KEY] = token
    at.run()
    at.switch_page(page_script("rapportera")).run()
    text = texts(at)
    assert not at.exception and not at.file_uploader
    assert "Du loggades ut eftersom en inloggning gäller högst 12 timmar, även när du är aktiv." in text
    assert "utan aktivitet" not in text


def test_a_logout_elsewhere_ends_the_session_at_the_next_run(accounts_db):
    at = login("uppladdningar")
    assert "Inloggad: anna (rapportör)" in [t.value for t in at.text]
    sessions.logout(accounts_db, at.session_state[TOKEN_KEY])       # as the logout route does, in another tab
    at.run()
    assert "Logga in för att rapportera" in texts(at) and not at.dataframe


def test_session_state_holds_no_password_and_no_connection(accounts_db):
    at = login("rapportera")
    state = at.session_state.to_dict() if hasattr(at.session_state, "to_dict") else dict(at.session_state)
    from indicators.store import Store
    assert not any(isinstance(v, Store) or "duckdb" in type(v).__module__ for v in state.values())
    assert PASSWORD not in repr(state) and not any("password" in str(k) for k in state)


@pytest.mark.parametrize("configured", [False, True])
def test_single_sign_on_is_offered_only_when_secrets_configure_it(demo_db, configured):
    from streamlit.testing.v1 import AppTest

    from tests.apptest_helpers import APP
    at = AppTest.from_file(APP, default_timeout=60)
    if configured:
        at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                              "client_id": "id", "client_secret": "s",
                              "server_metadata_url": "https://login.example/.well-known/openid-configuration"}
    at.run()
    at.switch_page("app_pages/reporting/rapportera.py").run()
    assert not at.exception
    assert ("login.sso" in [b.key for b in at.button]) is configured
    assert 'action="/account/login"' in login_form_html(at)         # local accounts stay the default


def test_a_script_comment_reaches_the_scorecard_as_plain_text(demo_db, demo_store):
    from indicators.ingest import comments
    evil = "<script>alert('x')</script> <b>fet</b> **fet**"
    comments.add_comment(demo_store, ANNA, "1490", "GN.7", evil)
    at = open_page("kommun", kommun="1490")
    assert evil in [t.value for t in at.text]
    assert all("<script>" not in str(el.value) for el in [*at.markdown, *at.caption])
    # the only script on the page is the product's own accessibility script, never the comment
    assert all("alert(" not in str(el.proto.body) for el in at.get("html"))


def test_a_disabled_account_gets_the_same_answer_as_a_wrong_password(accounts_db):
    """The login route sends both back as ?login_error=failed: the same words on the page."""
    from indicators.errors import AuthError
    users.set_disabled(accounts_db, ADMIN, "anna", True)
    for name, password in (("anna", PASSWORD), ("sekr", "fel-lösenord")):     # the right one, a wrong one
        with pytest.raises(AuthError) as err:
            sessions.login(accounts_db, name, password)
        assert err.value.key == "auth.failed"
    assert sessions.open_sessions(accounts_db, "anna") == 0


def test_an_old_weak_password_must_be_changed_before_the_page_opens(accounts_db):
    from indicators.store.accounts import insert_account
    with accounts_db.transaction() as cur:
        insert_account(cur, "gammal", users.hash_password("1234567890"), "reporter", ["1490"], None)
    at = login("rapportera", "gammal", "1234567890")
    other_browser = sessions.login(accounts_db, "gammal", "1234567890")[1]
    assert "uppfyller inte längre reglerna" in texts(at) and not at.file_uploader
    at.text_input(key="password.current").input("1234567890")
    at.text_input(key="password.new").input("password1234")
    at.text_input(key="password.repeat").input("password1234")
    at.button(key="password.submit").click().run()
    assert "för lätt att gissa" in texts(at) and not at.file_uploader
    at.text_input(key="password.current").input("1234567890")
    at.text_input(key="password.new").input("ny-fin-fras-2026")
    at.text_input(key="password.repeat").input("ny-fin-fras-2026")
    at.button(key="password.submit").click().run()
    assert "Lösenordet är bytt." in texts(at) and at.file_uploader     # this tab's session stays
    assert sessions.resolve(accounts_db, other_browser).state == sessions.ENDED    # the other one ends
    assert "ny-fin-fras-2026" not in repr(at.session_state.to_dict() if hasattr(at.session_state, "to_dict")
                                          else dict(at.session_state))
    assert users.authenticate(accounts_db, "gammal", "ny-fin-fras-2026").must_change_password is False


def test_the_preview_says_which_decimal_mark_the_file_was_read_with(accounts_db):
    at = login("rapportera")
    at.file_uploader(key="upload.file").upload("p.csv", fixture_bytes("decimal-point-settled.csv"), "text/csv").run()
    assert "Decimaltecken: decimalpunkt (som i 1,234.5)." in texts(at)
    assert sorted(table(at, "Status")["Nytt värde"]) == [1234.5, 1397.0]
    at.file_uploader(key="upload.file").upload("a.csv", fixture_bytes("ambiguous-decimal.csv"), "text/csv").run()
    assert table(at, "Kod")["Kod"].tolist() == ["ambiguous-decimal", "ambiguous-decimal"]
    assert "kan betyda 1300 (med tusentalsavgränsare) eller 1,3" in " ".join(table(at, "Kod")["Vad du kan göra"])
