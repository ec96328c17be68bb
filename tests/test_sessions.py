"""Login sessions (indicators/auth/sessions.py): a signed, expiring token backed by a session row
in the database; logout and the idle timeout end it everywhere; a forged, altered or expired
token is refused; the database never holds the token itself."""
from __future__ import annotations

import datetime as dt

import pytest

from indicators.auth import sessions, users
from indicators.errors import AuthError
from indicators.store import open_store
from tests.reporting_helpers import ADMIN, PASSWORD

T0 = dt.datetime(2026, 3, 1, 12, 0, 0)


@pytest.fixture
def store(empty_store):
    users.add_account(empty_store, ADMIN, "anna", PASSWORD, "reporter", ["1490"])
    return empty_store


def anna():
    return users.User("anna", "reporter", ("1490",))


def test_login_checks_the_password_and_returns_a_token_that_resolves_to_the_user(store):
    user, token = sessions.login(store, "Anna", PASSWORD)
    assert user.username == "anna"
    got = sessions.resolve(store, token)
    assert got.state == sessions.ACTIVE and got.user.username == "anna" and got.user.municipalities == ("1490",)
    with pytest.raises(AuthError) as err:
        sessions.login(store, "anna", "fel-lösenord")
    assert err.value.key == "auth.failed"
    assert sessions.open_sessions(store, "anna") == 1               # a failed login starts nothing


def test_the_token_is_random_signed_and_the_database_keeps_only_a_hash_of_its_id(store):
    a, b = sessions.start(store, anna(), T0), sessions.start(store, anna(), T0)
    assert a != b
    session_id, expires, signature = a.split(".")
    assert len(session_id) >= 40 and int(expires) > 0 and len(signature) >= 40
    with store.cursor() as cur:
        stored = [r[0] for r in cur.execute("SELECT id_hash FROM web_session").fetchall()]
    assert session_id not in stored and a not in stored and len(stored) == 2


@pytest.mark.parametrize("tamper", ["signature", "expiry", "id", "garbage", "empty"])
def test_an_altered_or_forged_token_is_refused(store, tamper):
    token = sessions.start(store, anna())
    session_id, expires, signature = token.split(".")
    bad = {"signature": f"{session_id}.{expires}.{signature[:-2]}xx",
           "expiry": f"{session_id}.{int(expires) + 3600}.{signature}",
           "id": f"{session_id[:-2]}xx.{expires}.{signature}",
           "garbage": "not-a-token", "empty": ""}[tamper]
    got = sessions.resolve(store, bad)
    assert got.user is None and got.state in (sessions.INVALID, sessions.ANONYMOUS)


def test_a_token_signed_with_another_key_is_refused(store, tmp_path):
    other = open_store(tmp_path / "other.duckdb")
    foreign = sessions.start(other, anna())
    other.close()
    assert sessions.resolve(store, foreign).state == sessions.INVALID


def test_the_idle_timeout_ends_the_session_and_activity_refreshes_it(store, monkeypatch):
    monkeypatch.setenv("GN_SESSION_TIMEOUT_MIN", "30")
    token = sessions.start(store, anna(), T0)
    assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=20)).state == sessions.ACTIVE
    # 20 minutes after that activity, 40 after the login: still active, the clock was refreshed
    assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=40)).state == sessions.ACTIVE
    assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=71)).state == sessions.EXPIRED
    # once ended by the timeout it stays ended, even if the clock went back
    assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=41)).state == sessions.EXPIRED


def test_the_absolute_lifetime_ends_a_session_however_active(store, monkeypatch):
    monkeypatch.setenv("GN_SESSION_MAX_HOURS", "1")
    token = sessions.start(store, anna(), T0)
    for minutes in range(0, 60, 10):
        assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=minutes)).state == sessions.ACTIVE
    assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=61)).state == sessions.EXPIRED


def test_logout_ends_the_session_for_every_holder_of_the_token(store):
    token = sessions.start(store, anna())
    other_tab = sessions.start(store, anna())
    sessions.logout(store, token)
    assert sessions.resolve(store, token).state == sessions.ENDED
    assert sessions.resolve(store, other_tab).state == sessions.ACTIVE     # a separate login stays
    sessions.logout(store, "forged.123.abc")                               # ends nothing, raises nothing
    assert sessions.open_sessions(store, "anna") == 1


def test_a_disabled_account_loses_its_session_at_once(store):
    token = sessions.start(store, anna())
    users.set_disabled(store, ADMIN, "anna", True)
    assert sessions.resolve(store, token).user is None
    users.set_disabled(store, ADMIN, "anna", False)
    sessions.end_user_sessions(store, "anna")
    assert sessions.resolve(store, token).state == sessions.ENDED


def test_sessions_and_key_survive_a_restart_of_the_process(store, isolated_db):
    token = sessions.start(store, anna())
    store.close()
    sessions._keys.clear()                          # a new process knows no key until it reads the database
    reopened = open_store(isolated_db)
    try:
        assert sessions.resolve(reopened, token).user.username == "anna"
    finally:
        reopened.close()


def test_sessions_are_bookkeeping_and_do_not_make_the_pages_recompute(store, monkeypatch):
    """Pages keep their data per store version. A session's start, idle clock and end are written
    without moving it (else every logged-in coordinator would make every page recompute once a
    minute); a data write still moves it."""
    monkeypatch.setenv("GN_SESSION_TIMEOUT_MIN", "30")
    token = sessions.start(store, anna(), T0)
    version = store.version()
    assert sessions.resolve(store, token, T0 + dt.timedelta(minutes=20)).state == sessions.ACTIVE   # touches
    assert store.version() == version
    sessions.logout(store, token, T0 + dt.timedelta(minutes=21))
    assert store.version() == version and sessions.open_sessions(store, "anna") == 0
    sessions.start(store, anna(), T0)
    assert store.version() == version
    users.add_account(store, ADMIN, "bo", PASSWORD, "reporter", ["0180"])
    assert store.version() == version + 1
