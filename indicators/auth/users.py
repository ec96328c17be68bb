"""Accounts, password hashing, login throttling and who may write what.

Roles: `reporter` (bound to one or more municipalities) and `admin` (the secretariat);
anonymous visitors (user None) may only read. Passwords are hashed with stdlib
hashlib.scrypt and a per-user salt; the cost parameters live in the hash string so
they can be raised later. Failed logins lock the account for a growing time. Every
check that matters is here, in the domain layer, not in the pages. Never imports
streamlit; SQL lives in the store layer (indicators/store).
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
from dataclasses import dataclass
from typing import Iterable

from indicators.store import accounts
from indicators.store import reference
from indicators.errors import AuthError, PermissionDenied

ROLES = ("reporter", "admin")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1      # ~16 MiB and ~50 ms per hash on this machine
MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5                  # free attempts before the account locks
LOCK_BASE_SECONDS = 30            # first lock; doubles with every further failure ...
LOCK_MAX_SECONDS = 3600           # ... up to one hour
SESSION_TIMEOUT_MINUTES = 30      # idle time before the UI logs a user out (env GN_SESSION_TIMEOUT_MIN)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


@dataclass(frozen=True)
class User:
    """Who is acting. Never holds a password or a connection."""
    username: str
    role: str
    municipalities: tuple[str, ...] = ()
    email: str | None = None

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


def check_password_policy(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AuthError("auth.weak_password", f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
                        n=MIN_PASSWORD_LENGTH)


# ------------------------------------------------------------------ login

def lock_seconds(failed_logins: int) -> int:
    """How long the account stays locked after `failed_logins` consecutive failures (0: not locked)."""
    if failed_logins < MAX_FAILURES:
        return 0
    return min(LOCK_BASE_SECONDS * 2 ** (failed_logins - MAX_FAILURES), LOCK_MAX_SECONDS)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _user(acc: dict) -> User:
    kods = acc["municipalities"]
    email = acc.get("email")
    return User(acc["username"], acc["role"], tuple(kods) if kods is not None else (),
                email if isinstance(email, str) and email else None)


def authenticate(store, username: str, password: str, now: dt.datetime | None = None) -> User:
    """The user, or AuthError: wrong name or password, locked (throttled) or disabled.
    The failure counter is committed before the error is raised (a raise inside the
    transaction would roll it back)."""
    now = now or _now()
    username = (username or "").strip().lower()
    with store.transaction() as cur:
        acc = accounts.fetch_account(cur, username)
        outcome = _check_login(cur, acc, password or "", now)
    if isinstance(outcome, AuthError):
        raise outcome
    if acc["disabled"]:
        raise AuthError("auth.disabled", "This account is disabled; ask the secretariat.")
    return _user(acc)


def _check_login(cur, acc: dict | None, password: str, now: dt.datetime) -> AuthError | None:
    if acc is None:
        verify_password(password, _dummy_hash())      # take as long as a real check
        return AuthError("auth.failed", "Wrong user name or password.")
    locked = acc["locked_until"]
    if locked is not None and locked == locked and locked > now:     # (NaT != NaT)
        return AuthError("auth.locked", f"Too many failed logins; try again after {locked:%H:%M:%S} UTC.",
                         seconds=int((locked - now).total_seconds()) + 1)
    if not verify_password(password, acc["password_hash"]):
        failed = int(acc["failed_logins"]) + 1
        wait = lock_seconds(failed)
        accounts.update_account_login_state(cur, acc["username"], failed,
                                           now + dt.timedelta(seconds=wait) if wait else None)
        return AuthError("auth.failed", "Wrong user name or password.")
    accounts.update_account_login_state(cur, acc["username"], 0, None)
    return None


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
    check_password_policy(password)
    email = (email or "").strip() or None
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
    """Disable (or enable again) an account; enabling also lifts a login lock."""
    require_admin(actor)
    with store.transaction() as cur:
        acc = _existing(cur, username)
        accounts.update_account_disabled(cur, acc["username"], disabled)


def reset_password(store, actor: User | None, username: str, new_password: str) -> None:
    require_admin(actor)
    check_password_policy(new_password)
    with store.transaction() as cur:
        acc = _existing(cur, username)
        accounts.update_account_password(cur, acc["username"], hash_password(new_password))


def list_accounts(store, actor: User | None):
    """Every account, without password hashes."""
    require_admin(actor)
    return accounts.fetch_accounts(store)
