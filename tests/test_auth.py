"""Accounts: scrypt hashes, login throttling, disabling, roles, and the `users` CLI."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from indicators.auth import throttle, users
from indicators.errors import AuthError, PermissionDenied
from tests.conftest import ROOT
from tests.reporting_helpers import ADMIN, ANNA, PASSWORD

T0 = dt.datetime(2026, 3, 1, 12, 0, 0)


@pytest.fixture
def accounts(empty_store):
    users.add_account(empty_store, ADMIN, "anna", PASSWORD, "reporter", ["1490", "180"], "Anna@Boras.se")
    users.add_account(empty_store, ADMIN, "sekr", PASSWORD + "!", "admin")
    return empty_store


def test_hash_is_salted_scrypt_with_its_parameters():
    a, b = users.hash_password("hemligt-123"), users.hash_password("hemligt-123")
    assert a != b and a.startswith("scrypt$n=16384,r=8,p=1$")
    assert users.verify_password("hemligt-123", a) and not users.verify_password("hemligt-124", a)
    cheap = users.hash_password("x" * 12, n=2 ** 10)                  # parameters travel with the hash
    assert cheap.startswith("scrypt$n=1024,") and users.verify_password("x" * 12, cheap)
    assert not users.verify_password("x", "garbage") and not users.verify_password("x", "md5$a$b$c")


def test_login_returns_the_user_with_municipalities(accounts):
    user = users.authenticate(accounts, " Anna ", PASSWORD)
    assert user == users.User("anna", "reporter", ("0180", "1490"), "Anna@Boras.se")
    assert user.can_write("1490") and not user.can_write("1480")


def test_unknown_user_wrong_password_and_disabled_account_get_the_same_answer(accounts):
    users.add_account(accounts, ADMIN, "bertil", PASSWORD, "reporter", ["1490"])
    users.set_disabled(accounts, ADMIN, "bertil", True)
    answers = []
    for name, password in (("nobody", PASSWORD), ("anna", "fel-lösenord"), ("bertil", PASSWORD)):
        with pytest.raises(AuthError) as info:
            users.authenticate(accounts, name, password)
        answers.append((info.value.key, str(info.value), info.value.params))
    assert answers[0] == answers[1] == answers[2] == ("auth.failed", "Wrong user name or password.", {})


def test_every_login_path_computes_exactly_one_password_hash(accounts, monkeypatch):
    """Same work whatever the outcome, so the time taken does not tell which accounts exist."""
    users.add_account(accounts, ADMIN, "bertil", PASSWORD, "reporter", ["1490"])
    users.set_disabled(accounts, ADMIN, "bertil", True)
    calls = []
    real = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda pw, stored: calls.append(1) or real(pw, stored))
    attempts = [("nobody", PASSWORD), ("anna", "fel"), ("bertil", PASSWORD), ("anna", PASSWORD)]
    attempts += [("sekr", "fel")] * (users.MAX_FAILURES + 1)            # the last one while sekr must wait
    for name, password in attempts:
        calls.clear()
        try:
            users.authenticate(accounts, name, password, now=T0)
        except AuthError:
            pass
        assert len(calls) == 1, (name, password)


def test_wrong_passwords_from_one_place_get_a_growing_delay(accounts):
    for i in range(users.MAX_FAILURES):
        with pytest.raises(AuthError, match="Wrong"):
            users.authenticate(accounts, "anna", "fel", now=T0 + dt.timedelta(seconds=i), address="10.0.0.9")
    # waiting now: even the right password from that place is refused
    with pytest.raises(AuthError) as locked:
        users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=10), address="10.0.0.9")
    assert locked.value.key == "auth.locked" and 0 < locked.value.params["seconds"] <= 30
    with pytest.raises(AuthError, match="Wrong"):
        users.authenticate(accounts, "anna", "fel", now=T0 + dt.timedelta(seconds=40), address="10.0.0.9")
    with pytest.raises(AuthError) as longer:
        users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=41), address="10.0.0.9")
    assert 30 < longer.value.params["seconds"] <= 60
    ok = users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=101), address="10.0.0.9")
    assert ok.username == "anna"
    assert users.list_accounts(accounts, ADMIN).set_index("username").loc["anna", "failed_logins"] == 0


def test_an_unknown_name_is_throttled_exactly_like_a_real_one(accounts):
    keys = {}
    for name in ("anna", "finns-inte"):
        for _ in range(users.MAX_FAILURES):
            with pytest.raises(AuthError):
                users.authenticate(accounts, name, "fel", now=T0, address="10.0.0.9")
        with pytest.raises(AuthError) as info:
            users.authenticate(accounts, name, "fel", now=T0, address="10.0.0.9")
        keys[name] = (info.value.key, info.value.params)
    assert keys["anna"] == keys["finns-inte"] == ("auth.locked", {"seconds": 31})


def test_a_stranger_elsewhere_cannot_lock_out_the_real_user(accounts):
    for i in range(40):                                       # a stranger hammers the admin account
        with pytest.raises(AuthError):
            users.authenticate(accounts, "sekr", f"gissning-{i}", now=T0 + dt.timedelta(seconds=i), address="203.0.113.7")
    user = users.authenticate(accounts, "sekr", PASSWORD + "!", now=T0 + dt.timedelta(seconds=41), address="192.0.2.10")
    assert user.username == "sekr"                           # from the admin's own address: no wait
    with pytest.raises(AuthError) as info:                   # the stranger still waits
        users.authenticate(accounts, "sekr", PASSWORD + "!", now=T0 + dt.timedelta(seconds=41), address="203.0.113.7")
    assert info.value.key == "auth.locked"


def test_one_address_trying_many_names_is_stopped_for_a_while(accounts):
    for i in range(throttle.ADDRESS_LIMIT):
        with pytest.raises(AuthError, match="Wrong"):
            users.authenticate(accounts, f"namn{i}", "fel", now=T0 + dt.timedelta(seconds=i), address="198.51.100.1")
    with pytest.raises(AuthError) as info:
        users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(minutes=1), address="198.51.100.1")
    assert info.value.key == "auth.locked" and info.value.params["seconds"] <= 15 * 60
    assert users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(minutes=1), address="192.0.2.1")
    later = T0 + throttle.ADDRESS_WINDOW + dt.timedelta(seconds=1)
    assert users.authenticate(accounts, "anna", PASSWORD, now=later, address="198.51.100.1").username == "anna"


def test_throttle_state_lives_in_the_database_file(accounts, isolated_db):
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthError):
            users.authenticate(accounts, "anna", "fel", now=T0, address="10.0.0.9")
    accounts.close()
    from indicators.store import open_store
    other = open_store(isolated_db)                          # as another server process would
    try:
        with pytest.raises(AuthError) as info:
            users.authenticate(other, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=1), address="10.0.0.9")
        assert info.value.key == "auth.locked"
    finally:
        other.close()


def test_pair_delay_doubles_up_to_fifteen_minutes():
    assert [throttle.pair_delay(n) for n in (0, 4, 5, 6, 7)] == [0, 0, 30, 60, 120]
    assert throttle.pair_delay(50) == throttle.PAIR_MAX_DELAY_SECONDS == 900


@pytest.mark.parametrize("headers, ip, setting, expected", [
    ({}, "192.0.2.1", "", "192.0.2.1"),
    ({"X-Forwarded-For": "203.0.113.7"}, "10.0.0.1", "", "10.0.0.1"),            # not trusted unless configured
    ({"X-Forwarded-For": "1.2.3.4, 203.0.113.7"}, "10.0.0.1", "X-Forwarded-For", "203.0.113.7"),
    ({"x-real-ip": "203.0.113.8"}, "10.0.0.1", "X-Real-IP", "203.0.113.8"),
    ({}, "10.0.0.1", "X-Forwarded-For", "10.0.0.1"), ({}, None, "", "unknown")])
def test_the_client_address_trusts_only_the_configured_proxy_header(headers, ip, setting, expected):
    assert throttle.client_address(headers, ip, setting) == expected


def test_disabled_account_cannot_log_in_and_enabling_restores_it(accounts):
    users.set_disabled(accounts, ADMIN, "anna", True)
    with pytest.raises(AuthError) as info:
        users.authenticate(accounts, "anna", PASSWORD)
    assert info.value.key == "auth.failed"                   # never confirms that the password was right
    assert users.get_user(accounts, "anna") is None            # a live session ends at its next page run
    users.set_disabled(accounts, ADMIN, "anna", False)
    assert users.authenticate(accounts, "anna", PASSWORD).username == "anna"


@pytest.mark.parametrize("password, key", [
    ("1234567890", "auth.weak_password"), (" " * 12, "auth.weak_password"), ("kort-lösen", "auth.weak_password"),
    ("123456789012", "auth.guessable_password"), ("password1234", "auth.guessable_password"),
    ("aaaaaaaaaaaaaaaa", "auth.guessable_password"), ("qwertyuiopasdf", "auth.guessable_password"),
    ("bertil-bertil-1", "auth.guessable_password"), ("x" * 300, "auth.long_password")])
def test_new_passwords_need_12_characters_and_must_not_be_easy_to_guess(accounts, password, key):
    with pytest.raises(AuthError) as info:
        users.add_account(accounts, ADMIN, "bertil", password, "reporter", ["1490"])
    assert info.value.key == key
    with pytest.raises(AuthError) as info:
        users.reset_password(accounts, ADMIN, "anna", password)
    assert info.value.key == key


def test_an_old_weak_password_still_works_but_must_be_changed_at_the_next_login(accounts):
    from indicators.store.accounts import insert_account
    with accounts.transaction() as cur:                      # set before the rule existed
        insert_account(cur, "gammal", users.hash_password("1234567890"), "reporter", ["1490"], None)
    user = users.authenticate(accounts, "gammal", "1234567890")
    assert user.must_change_password and users.get_user(accounts, "gammal").must_change_password
    for current, new, key in (("fel-lösenord", "ny-fin-fras-2026", "auth.wrong_current"),
                              ("1234567890", "1234567890", "auth.same_password"),
                              ("1234567890", "password1234", "auth.guessable_password")):
        with pytest.raises(AuthError) as info:
            users.change_password(accounts, user, current, new)
        assert info.value.key == key
    changed = users.change_password(accounts, user, "1234567890", "ny-fin-fras-2026")
    assert not changed.must_change_password and not users.get_user(accounts, "gammal").must_change_password
    with pytest.raises(AuthError):
        users.authenticate(accounts, "gammal", "1234567890")
    assert not users.authenticate(accounts, "gammal", "ny-fin-fras-2026").must_change_password


def test_reset_password_replaces_the_old_one_and_lifts_a_lock(accounts):
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthError):
            users.authenticate(accounts, "anna", "fel", now=T0)
    users.reset_password(accounts, ADMIN, "anna", "ett-helt-nytt-lösen")
    with pytest.raises(AuthError):
        users.authenticate(accounts, "anna", PASSWORD, now=T0)
    assert users.authenticate(accounts, "anna", "ett-helt-nytt-lösen", now=T0).username == "anna"


@pytest.mark.parametrize("kwargs, key", [
    ({"username": "Anna Svensson"}, "auth.bad_username"), ({"role": "owner"}, "auth.bad_role"),
    ({"municipalities": []}, "auth.reporter_needs_municipality"), ({"municipalities": ["9999"]}, "auth.bad_municipality"),
    ({"password": "kort"}, "auth.weak_password"), ({"username": "anna"}, "auth.exists"),
    ({"email": "anna@boras.se"}, "auth.email_taken")])
def test_bad_account_details_are_refused(accounts, kwargs, key):
    args = {"username": "bertil", "password": PASSWORD, "role": "reporter", "municipalities": ["1490"], "email": None}
    args.update(kwargs)
    with pytest.raises(AuthError) as info:
        users.add_account(accounts, ADMIN, args.pop("username"), args.pop("password"), **args)
    assert info.value.key == key


@pytest.mark.parametrize("actor", [None, ANNA])
def test_only_an_admin_manages_accounts(accounts, actor):
    for call in (lambda: users.add_account(accounts, actor, "bertil", PASSWORD, "reporter", ["1490"]),
                 lambda: users.set_disabled(accounts, actor, "sekr", True),
                 lambda: users.reset_password(accounts, actor, "sekr", PASSWORD),
                 lambda: users.list_accounts(accounts, actor)):
        with pytest.raises(PermissionDenied):
            call()


def test_account_list_never_holds_password_hashes(accounts):
    frame = users.list_accounts(accounts, ADMIN)
    assert "password_hash" not in frame.columns and set(frame["username"]) == {"anna", "sekr"}


def test_single_sign_on_maps_an_email_to_an_enabled_account(accounts):
    assert users.user_by_email(accounts, "ANNA@boras.se").username == "anna"
    assert users.user_by_email(accounts, "someone@else.se") is None
    users.set_disabled(accounts, ADMIN, "anna", True)
    assert users.user_by_email(accounts, "anna@boras.se") is None


def test_authorisation_helpers():
    users.require_can_write(ANNA, ["1490"])
    with pytest.raises(PermissionDenied) as info:
        users.require_can_write(ANNA, ["1490", "0180"])
    assert info.value.params["kommuner"] == "0180"
    with pytest.raises(PermissionDenied):
        users.require_user(None)
    with pytest.raises(PermissionDenied):
        users.require_admin(ANNA)
    assert users.require_admin(ADMIN) is ADMIN


def _cli(*args, stdin: str | None = None, env: dict | None = None):
    import os
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_users_cli_adds_lists_disables_enables_and_resets(empty_store, isolated_db):
    empty_store.close()
    db = str(isolated_db)
    out = _cli("users", "add", "Anna", "--role", "reporter", "--kommun", "1490", "--email", "anna@boras.se",
               "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    assert "anna (reporter for 1490) created" in out.stderr and PASSWORD not in out.stderr + out.stdout
    listed = json.loads(_cli("users", "list", "--json", "--db", db).stdout)
    assert listed == [{"username": "anna", "role": "reporter", "municipalities": ["1490"], "email": "anna@boras.se",
                       "disabled": False, "failed_logins": 0}]
    assert _cli("users", "disable", "anna", "--db", db).returncode == 0
    assert json.loads(_cli("users", "list", "--json", "--db", db).stdout)[0]["disabled"] is True
    assert _cli("users", "enable", "anna", "--db", db).returncode == 0
    assert _cli("users", "reset", "anna", "--db", db, env={"GN_PASSWORD": "ett-nytt-lösenord"}).returncode == 0
    from indicators.store import open_store
    store = open_store(db)
    assert users.authenticate(store, "anna", "ett-nytt-lösenord").municipalities == ("1490",)
    store.close()


def test_users_cli_refuses_bad_input_with_exit_2_and_no_traceback(empty_store, isolated_db):
    empty_store.close()
    db = str(isolated_db)
    no_password = _cli("users", "add", "bertil", "--kommun", "1490", "--db", db, stdin="")
    assert no_password.returncode == 2 and "--password-stdin" in no_password.stderr
    bad_kommun = _cli("users", "add", "bertil", "--kommun", "9999", "--password-stdin", "--db", db, stdin=PASSWORD)
    assert bad_kommun.returncode == 2 and "Unknown municipality code(s): 9999" in bad_kommun.stderr
    missing = _cli("users", "disable", "nobody", "--db", db)
    assert missing.returncode == 2 and "no account" in missing.stderr
    assert "Traceback" not in no_password.stderr + bad_kommun.stderr + missing.stderr
