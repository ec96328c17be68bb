"""Accounts: scrypt hashes, login throttling, disabling, roles, and the `users` CLI."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from indicators.auth import users
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


def test_unknown_user_and_wrong_password_get_the_same_answer(accounts):
    with pytest.raises(AuthError) as a:
        users.authenticate(accounts, "nobody", PASSWORD)
    with pytest.raises(AuthError) as b:
        users.authenticate(accounts, "anna", "fel-lösenord")
    assert a.value.key == b.value.key == "auth.failed" and str(a.value) == str(b.value)


def test_wrong_passwords_are_throttled_with_a_growing_lock(accounts):
    for i in range(users.MAX_FAILURES):
        with pytest.raises(AuthError, match="Wrong"):
            users.authenticate(accounts, "anna", "fel", now=T0 + dt.timedelta(seconds=i))
    # locked now: even the right password is refused, without being checked
    with pytest.raises(AuthError) as locked:
        users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=10))
    assert locked.value.key == "auth.locked" and 0 < locked.value.params["seconds"] <= 30
    # after the lock one more failure locks for twice as long
    with pytest.raises(AuthError, match="Wrong"):
        users.authenticate(accounts, "anna", "fel", now=T0 + dt.timedelta(seconds=40))
    with pytest.raises(AuthError) as longer:
        users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=41))
    assert 30 < longer.value.params["seconds"] <= 60
    # when the lock has passed, the right password works and resets the counter
    assert users.authenticate(accounts, "anna", PASSWORD, now=T0 + dt.timedelta(seconds=101)).username == "anna"
    row = users.list_accounts(accounts, ADMIN).set_index("username").loc["anna"]
    assert row["failed_logins"] == 0


def test_lock_time_doubles_up_to_an_hour():
    assert [users.lock_seconds(n) for n in (0, 4, 5, 6, 7)] == [0, 0, 30, 60, 120]
    assert users.lock_seconds(50) == users.LOCK_MAX_SECONDS


def test_disabled_account_cannot_log_in_and_enabling_restores_it(accounts):
    users.set_disabled(accounts, ADMIN, "anna", True)
    with pytest.raises(AuthError) as info:
        users.authenticate(accounts, "anna", PASSWORD)
    assert info.value.key == "auth.disabled"
    assert users.get_user(accounts, "anna") is None            # a live session ends at its next page run
    users.set_disabled(accounts, ADMIN, "anna", False)
    assert users.authenticate(accounts, "anna", PASSWORD).username == "anna"


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
