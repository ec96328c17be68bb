"""Accounts, password hashing, login throttling and who may write what.

Roles: `reporter` (bound to one or more municipalities) and `admin` (the secretariat);
anonymous visitors (user None) may only read. Passwords are hashed with stdlib
hashlib.scrypt and a per-user salt; the cost parameters live in the hash string so
they can be raised later. A login gives one answer for an unknown name, a wrong password
and a disabled account, and always computes one hash, so it never tells which accounts
exist. Throttling is in throttle.py and the password rule in passwords.py, beside this
module. Every check that matters is here, in the domain layer, not in the pages. Never
imports streamlit; SQL lives in indicators/store (accounts.py, logins.py).
"""
from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, replace
from typing import Iterable

from indicators.auth import passwords, throttle
from indicators.errors import AuthError, PermissionDenied
from indicators.store import accounts, logins, reference
from indicators.store import sessions as session_rows

ROLES = ("reporter", "admin")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1      # ~16 MiB and ~50 ms per hash on this machine
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
MAX_FAILURES = throttle.PAIR_FREE_FAILURES      # free attempts per name and address before a delay
SESSION_TIMEOUT_MINUTES = 30      # idle time before the UI logs a user out (env GN_SESSION_TIMEOUT_MIN)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


@dataclass(frozen=True)
class User:
    """Who is acting. Never holds a password or a connection."""
    username: str
    role: str
    municipalities: tuple[str, ...] = ()
    email: str | None = None
    must_change_password: bool = False     # the password fails today's rule: change it before going on

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def can_write(self, kommunkod: str) -> bool:
        return self.is_admin or kommunkod in self.municipalities


def system_admin() -> User:
    """The CLI acts as admin under the name of the operating-system user."""
    return User(f"cli:{getpass.getuser()}", "admin")


def session_timeout_seconds() -> int:
    return int(float(os.environ.get("GN_SESSION_TIMEOUT_MIN", SESSION_TIMEOUT_MINUTES)) * 60)


# ------------------------------------------------------------------ hashing

def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """'scrypt$n=16384,r=8,p=1$<salt>$<hash>' with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)
    return f"scrypt$n={n},r={r},p={p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, params, salt, digest = stored.split("$")
        cost = dict(kv.split("=") for kv in params.split(","))
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(cost["n"]),
                             r=int(cost["r"]), p=int(cost["p"]), maxmem=256 * 1024 * 1024,
                             dklen=len(base64.b64decode(digest)))
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


def check_password_policy(password: str, username: str | None = None, email: str | None = None) -> None:
    passwords.check_new_password(password, username, email)


# ------------------------------------------------------------------ login

def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _user(acc: dict) -> User:
    kods = acc["municipalities"]
    email = acc.get("email")
    must = acc.get("must_change_password")
    return User(acc["username"], acc["role"], tuple(kods) if kods is not None else (),
                email if isinstance(email, str) and email else None, bool(must) if must == must else False)


def authenticate(store, username: str, password: str, now: dt.datetime | None = None,
                 address: str = throttle.UNKNOWN_ADDRESS) -> User:
    """The user, or AuthError: `auth.failed` for an unknown name, a wrong password and a disabled
    account alike; `auth.locked` while this name (or this address) must wait. Exactly one
    password hash is computed on every path, so the time taken tells nothing either.

    The account and the wait are read first, the hash is computed outside any write lock (it
    takes ~50 ms), then one short bookkeeping transaction writes the throttle counters and the
    must-change mark: they are committed before the error is raised and never move the store's
    data version, so a login does not make every page recompute."""
    now = now or _now()
    username = (username or "").strip().lower()[:64]
    password = (password or "")[:passwords.MAX_LENGTH + 1]
    with store.cursor() as cur:
        wait = throttle.wait_seconds(cur, username, address, now)
        acc = accounts.fetch_account(cur, username)
    right = verify_password(password, acc["password_hash"] if acc is not None else _dummy_hash())
    must = None
    with store.transaction(bookkeeping=True) as cur:
        wait = wait or throttle.wait_seconds(cur, username, address, now)   # a failure written meanwhile
        if wait:
            outcome = AuthError("auth.locked", f"Too many failed logins; try again in {wait} seconds.", seconds=wait)
        elif acc is None or acc["disabled"] or not right:
            throttle.record_failure(cur, username, address, now)
            outcome = AuthError("auth.failed", "Wrong user name or password.")
        else:
            throttle.record_success(cur, username, address)
            must = not passwords.meets_rule(password, username, acc.get("email"))
            if must != _user(acc).must_change_password:
                logins.update_must_change_password(cur, username, must)
            outcome = None
    if outcome is not None:
        raise outcome
    acc["must_change_password"] = must
    return _user(acc)


def change_password(store, user: User | None, current: str, new: str, keep_session: str | None = None) -> User:
    """The user changes their own password: the current one must be right, the new one must
    follow the rule and differ from it. Clears the must-change mark and ends every other login
    session of the account (all but the one whose id hash is `keep_session`, the tab doing the
    change: see sessions.change_password), so a stolen session does not outlive the change."""
    require_user(user)
    with store.transaction() as cur:
        acc = _existing(cur, user.username)
        if not verify_password(current or "", acc["password_hash"]):
            raise AuthError("auth.wrong_current", "The current password is wrong; nothing was changed.")
        if new == current:
            raise AuthError("auth.same_password", "The new password must differ from the current one.")
        passwords.check_new_password(new, acc["username"], acc.get("email"))
        accounts.update_account_password(cur, acc["username"], hash_password(new))
        logins.update_must_change_password(cur, acc["username"], False)
        session_rows.end_user_sessions(cur, acc["username"], _now(), "password_changed", keep=keep_session)
    return replace(user, must_change_password=False)


def get_user(store, username: str) -> User | None:
    """The enabled account's user (re-read on every page run so a disable takes effect at once)."""
    with store.cursor() as cur:
        acc = accounts.fetch_account(cur, username)
    if acc is None or acc["disabled"]:
        return None
    return _user(acc)


def user_by_email(store, email: str) -> User | None:
    """Single sign-on: the enabled account with this e-mail address (exactly one), else None."""
    names = accounts.fetch_accounts_by_email(store, (email or "").strip())
    return get_user(store, names[0]) if len(names) == 1 else None


# ------------------------------------------------------------------ authorisation

def require_user(user: User | None) -> User:
    if user is None:
        raise PermissionDenied("auth.login_required", "Log in first.")
    return user


def require_admin(user: User | None) -> User:
    require_user(user)
    if not user.is_admin:
        raise PermissionDenied("auth.admin_only", "Only the secretariat (admin) may do this.")
    return user


def require_can_write(user: User | None, kommuner: Iterable[str]) -> User:
    require_user(user)
    others = sorted({k for k in kommuner if not user.can_write(k)})
    if others:
        raise PermissionDenied("auth.not_your_municipality",
                               f"{user.username} may not write for {', '.join(others)}.", kommuner=", ".join(others))
    return user


# ------------------------------------------------------------------ account management (admin)

def _check_profile(store, username: str, role: str, municipalities: Iterable[str]) -> list[str]:
    if not _USERNAME.match(username):
        raise AuthError("auth.bad_username", f"User name {username!r}: use 2–64 lower-case letters, digits, . _ @ -")
    if role not in ROLES:
        raise AuthError("auth.bad_role", f"Role must be one of {', '.join(ROLES)}, not {role!r}.")
    kods = sorted({str(k).strip().zfill(4) for k in municipalities if str(k).strip()})
    known = set(reference.fetch_municipalities(store)["kommunkod"])
    unknown = [k for k in kods if k not in known]
    if unknown:
        raise AuthError("auth.bad_municipality", f"Unknown municipality code(s): {', '.join(unknown)}.")
    if role == "reporter" and not kods:
        raise AuthError("auth.reporter_needs_municipality", "A reporter needs at least one municipality (--kommun).")
    return kods


def add_account(store, actor: User | None, username: str, password: str, role: str = "reporter",
                municipalities: Iterable[str] = (), email: str | None = None) -> User:
    require_admin(actor)
    username = (username or "").strip().lower()
    kods = _check_profile(store, username, role, municipalities)
    email = (email or "").strip() or None
    check_password_policy(password, username, email)
    if email and accounts.fetch_accounts_by_email(store, email):
        raise AuthError("auth.email_taken", f"Another account already uses {email}.")
    with store.transaction() as cur:
        if accounts.fetch_account(cur, username) is not None:
            raise AuthError("auth.exists", f"The account {username} already exists.")
        accounts.insert_account(cur, username, hash_password(password), role, kods, email)
    return User(username, role, tuple(kods), email)


def _existing(cur, username: str) -> dict:
    acc = accounts.fetch_account(cur, (username or "").strip().lower())
    if acc is None:
        raise AuthError("auth.no_such_account", f"There is no account {username!r}.")
    return acc


def set_disabled(store, actor: User | None, username: str, disabled: bool) -> None:
    """Disable (or enable again) an account; enabling also lifts every login delay on the name."""
    require_admin(actor)
    with store.transaction() as cur:
        acc = _existing(cur, username)
        accounts.update_account_disabled(cur, acc["username"], disabled)
        throttle.forget_user(cur, acc["username"])


def reset_password(store, actor: User | None, username: str, new_password: str) -> None:
    """An admin sets a new password (it must follow the rule); lifts every login delay on the name
    and ends every login session of the account (whoever held one must log in with the new one)."""
    require_admin(actor)
    with store.transaction() as cur:
        acc = _existing(cur, username)
        check_password_policy(new_password, acc["username"], acc.get("email"))
        accounts.update_account_password(cur, acc["username"], hash_password(new_password))
        logins.update_must_change_password(cur, acc["username"], False)
        throttle.forget_user(cur, acc["username"])
        session_rows.end_user_sessions(cur, acc["username"], _now(), "reset")


def list_accounts(store, actor: User | None):
    """Every account, without password hashes; failed_logins counts the recent failures of the
    name from every address (the throttle's counters)."""
    require_admin(actor)
    table = accounts.fetch_accounts(store).drop(columns=["failed_logins", "locked_until"], errors="ignore")
    failures = logins.fetch_failures_by_user(store)
    out = table.merge(failures, on="username", how="left")
    out["failed_logins"] = out["failed_logins"].fillna(0).astype(int)
    return out
