"""Login throttling that stops guessing without letting a stranger lock out a real user.

Two counters, both kept in the database (indicators/store/logins.py) so every server process shares them:

- per user name *and* client address ("pair"): 5 failures in a row are free, then each further
  try from that address for that name waits 30 s, doubling up to 15 minutes. A stranger guessing
  at anna's account from elsewhere delays only their own pair: anna, logging in from her own
  address, is never held up by them. A success resets the pair.
- per client address, over all names: at most 50 failures in 15 minutes, then that address waits
  until the window ends (stops one machine from trying many names or many accounts).

Unknown names are counted exactly like real ones, so the answers never tell which accounts exist.
Behind a reverse proxy every request comes from the proxy's address: name the header the proxy
sets (GN_TRUSTED_PROXY_HEADER, e.g. X-Forwarded-For or X-Real-IP); its last entry, the one the
proxy wrote, is used. Never trust that header without such a proxy in front: anyone can send it.
Never imports streamlit.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Mapping

from indicators.store import logins as lq

PAIR_FREE_FAILURES = 5
PAIR_DELAY_SECONDS = 30
PAIR_MAX_DELAY_SECONDS = 15 * 60
ADDRESS_LIMIT = 50
ADDRESS_WINDOW = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)
UNKNOWN_ADDRESS = "unknown"
PROXY_HEADER_SETTING = "GN_TRUSTED_PROXY_HEADER"


def pair_delay(failures: int) -> int:
    """Seconds the pair waits after `failures` failures in a row (0: may try at once)."""
    if failures < PAIR_FREE_FAILURES:
        return 0
    return min(PAIR_DELAY_SECONDS * 2 ** (failures - PAIR_FREE_FAILURES), PAIR_MAX_DELAY_SECONDS)


def client_address(headers: Mapping[str, str] | None, ip: str | None, trusted_header: str | None = None) -> str:
    """The client's address: the trusted proxy header's last entry when configured, else the peer."""
    trusted_header = trusted_header if trusted_header is not None else os.environ.get(PROXY_HEADER_SETTING, "")
    if trusted_header and headers:
        wanted = trusted_header.strip().lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), "")
        entries = [e.strip() for e in str(value).split(",") if e.strip()]
        if entries:
            return entries[-1][:64]
    return (ip or UNKNOWN_ADDRESS)[:64]


def wait_seconds(cur, username: str, address: str, now: dt.datetime) -> int:
    """How long this name from this address must still wait (0: it may try now)."""
    waits = []
    for scope, name in (("pair", username), ("address", "")):
        row = lq.fetch_throttle(cur, scope, name, address)
        blocked = row and row["blocked_until"]
        if blocked is not None and blocked == blocked and blocked > now:       # NaT != NaT
            waits.append(int((blocked - now).total_seconds()) + 1)
    return max(waits, default=0)


def record_failure(cur, username: str, address: str, now: dt.datetime) -> None:
    pair = lq.fetch_throttle(cur, "pair", username, address)
    failures = (pair["failures"] if pair else 0) + 1
    delay = pair_delay(failures)
    lq.upsert_throttle(cur, "pair", username, address, failures, now,
                       now + dt.timedelta(seconds=delay) if delay else None)
    addr = lq.fetch_throttle(cur, "address", "", address)
    if addr is None or now - addr["window_start"] > ADDRESS_WINDOW:
        failures, start = 1, now
    else:
        failures, start = addr["failures"] + 1, addr["window_start"]
    lq.upsert_throttle(cur, "address", "", address, failures, start,
                       start + ADDRESS_WINDOW if failures >= ADDRESS_LIMIT else None)
    lq.delete_stale_throttle(cur, now - FORGET_AFTER)


def record_success(cur, username: str, address: str) -> None:
    lq.delete_throttle(cur, "pair", username, address)


def forget_user(cur, username: str) -> None:
    """An admin's reset or enable lifts every delay on the name."""
    lq.delete_throttle_for_user(cur, username)
