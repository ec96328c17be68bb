"""Login sessions that survive a reload: a signed, expiring token for an HttpOnly cookie, backed
by a session row in the database.

The token is `<id>.<expires>.<signature>`: a random id (32 bytes), the absolute expiry (Unix
seconds) and an HMAC-SHA256 over both with the signing key kept in the database. The database
keeps only the SHA-256 of the id, the user, when it was last used and whether it has ended.
A token is honoured only when the signature is right, it has not expired, its row exists and
has not ended, the user was active within the idle timeout (`users.session_timeout_seconds()`,
GN_SESSION_TIMEOUT_MIN) and the account is still enabled. Logout, the idle timeout (reason
"idle") and the absolute lifetime (reason "expired", GN_SESSION_MAX_HOURS) end the row, so every
tab and every server process on the same database sees the end at once; `Resolved.reason` says
which of the two limits ended an EXPIRED session, so the page can say why.
Activity refreshes the idle clock, written at most every TOUCH_MAX_SECONDS (a quarter of the
timeout when that is shorter), so page reruns do not write the database each time.

The HTTP side (reading the form, the cookie header, the origin check) lives in the server
entry's routes; the page side reads the cookie. This module never imports streamlit or
starlette; SQL lives in indicators/store/sessions.py.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import threading
from dataclasses import dataclass

from indicators.auth import throttle, users
from indicators.store import sessions as sql

COOKIE_NAME = "gn_session"
MAX_AGE_HOURS = 12            # absolute lifetime of a login (env GN_SESSION_MAX_HOURS), idle or not
TOUCH_MAX_SECONDS = 60        # the idle clock is written at most this often
ACTIVE, ANONYMOUS, INVALID, EXPIRED, ENDED = "active", "anonymous", "invalid", "expired", "ended"

_keys: dict[str, bytes] = {}
_keys_lock = threading.Lock()


@dataclass(frozen=True)
class Resolved:
    """What a token stands for: the user when `state` is ACTIVE, else None and why not; for
    EXPIRED, `reason` is "idle" (the idle timeout) or "expired" (the absolute lifetime)."""
    user: users.User | None
    state: str
    reason: str | None = None


def max_age_seconds() -> int:
    return int(float(os.environ.get("GN_SESSION_MAX_HOURS", MAX_AGE_HOURS)) * 3600)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _unix(when: dt.datetime) -> int:
    return int(when.replace(tzinfo=dt.UTC).timestamp())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _hash_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def signing_key(store) -> bytes:
    """The key in the database (made on first use); read once per process and file."""
    path = str(store.path)
    with _keys_lock:
        if path not in _keys:
            with store.cursor() as cur:
                secret = sql.fetch_signing_key(cur)
            if secret is None:
                with store.transaction(bookkeeping=True) as cur:
                    secret = sql.fetch_or_create_signing_key(cur, secrets.token_hex(32))
            _keys[path] = bytes.fromhex(secret)
        return _keys[path]


def _sign(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())


_TOKEN = re.compile(r"([A-Za-z0-9_-]{1,128})\.([0-9]{1,12})\.([A-Za-z0-9_-]{1,128})")


def _parse(key: bytes, token: str | None, now: dt.datetime) -> tuple[str | None, str]:
    """(session id, state) from a token: the id only when the signature holds and it has not expired.
    Anything not shaped like a token we sign (non-ASCII, "²" as expiry, too long) is INVALID, never
    an exception: the cookie comes from the browser and anyone can send anything."""
    if not token:
        return None, ANONYMOUS
    shape = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if shape is None:
        return None, INVALID
    session_id, expires, signature = shape.groups()
    if not hmac.compare_digest(_sign(key, f"{session_id}.{expires}").encode("ascii"), signature.encode("ascii")):
        return None, INVALID
    if int(expires) <= _unix(now):
        return None, EXPIRED
    return session_id, ACTIVE


def start(store, user: users.User, now: dt.datetime | None = None, address: str | None = None) -> str:
    """A new session for `user`: its row in the database and the signed token for the cookie."""
    now = now or _now()
    key = signing_key(store)
    session_id = secrets.token_urlsafe(32)
    expires_at = now + dt.timedelta(seconds=max_age_seconds())
    with store.transaction(bookkeeping=True) as cur:
        sql.delete_sessions_before(cur, now - dt.timedelta(days=1))
        sql.insert_session(cur, _hash_id(session_id), user.username, now, expires_at, address)
    payload = f"{session_id}.{_unix(expires_at)}"
    return f"{payload}.{_sign(key, payload)}"


def login(store, username: str, password: str, address: str | None = None) -> tuple[users.User, str]:
    """Check the password (users.authenticate: AuthError when wrong, throttled or disabled), then
    start a session: (user, token)."""
    user = users.authenticate(store, username, password, address=address or throttle.UNKNOWN_ADDRESS)
    return user, start(store, user, address=address)


def resolve(store, token: str | None, now: dt.datetime | None = None) -> Resolved:
    """The user a token stands for, refreshing the idle clock; an idle session is ended here."""
    now = now or _now()
    if not token:
        return Resolved(None, ANONYMOUS)
    session_id, state = _parse(signing_key(store), token, now)
    if session_id is None:
        return Resolved(None, state, "expired" if state == EXPIRED else None)   # the signed expiry passed
    id_hash = _hash_id(session_id)
    with store.cursor() as cur:
        row = sql.fetch_session(cur, id_hash)
    if row is None:
        return Resolved(None, INVALID)
    if row["ended_at"] is not None:
        if row["end_reason"] in ("idle", "expired"):
            return Resolved(None, EXPIRED, row["end_reason"])
        return Resolved(None, ENDED)
    idle = (now - row["last_seen"]).total_seconds()
    timeout = users.session_timeout_seconds()
    if idle > timeout or row["expires_at"] <= now:
        idle_end = row["last_seen"] + dt.timedelta(seconds=timeout)
        reason = "idle" if idle > timeout and idle_end < row["expires_at"] else "expired"   # whichever came first
        with store.transaction(bookkeeping=True) as cur:
            sql.end_session(cur, id_hash, now, reason)
        return Resolved(None, EXPIRED, reason)
    user = users.get_user(store, row["username"])
    if user is None:
        return Resolved(None, ENDED)
    if idle >= min(TOUCH_MAX_SECONDS, timeout / 4):
        with store.transaction(bookkeeping=True) as cur:
            sql.touch_session(cur, id_hash, now)
    return Resolved(user, ACTIVE)


def logout(store, token: str | None, now: dt.datetime | None = None) -> None:
    """End the token's session everywhere (a wrong or expired token ends nothing)."""
    now = now or _now()
    session_id, _ = _parse(signing_key(store), token, now)
    if session_id is not None:
        with store.transaction(bookkeeping=True) as cur:
            sql.end_session(cur, _hash_id(session_id), now, "logout")


def change_password(store, user: users.User | None, current: str, new: str, token: str | None = None) -> users.User:
    """users.change_password, keeping the session of `token` (the tab doing the change) and ending
    every other session of the account; without a valid token every session ends."""
    session_id, _ = _parse(signing_key(store), token, _now())
    keep = _hash_id(session_id) if session_id is not None else None
    return users.change_password(store, user, current, new, keep_session=keep)


def end_user_sessions(store, username: str, reason: str = "admin") -> None:
    """End every open session of an account (e.g. when it is disabled or its password is reset)."""
    with store.transaction(bookkeeping=True) as cur:
        sql.end_user_sessions(cur, username, _now(), reason)


def open_sessions(store, username: str) -> int:
    with store.cursor() as cur:
        return sql.count_open_sessions(cur, username, _now())
