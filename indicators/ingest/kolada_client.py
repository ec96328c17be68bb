"""HTTP client for the Kolada v3 API (https://api.kolada.se/v3), the one place that talks to Kolada.

Owns: building the v3 paths, splitting id lists into batches of at most 25, `per_page=5000`, following
`next_url` without ever looping, honouring `Retry-After` on 429, backing off on 5xx, connection errors
and time-outs, throttling to at most 5 requests per second, counting the requests made, and turning
Kolada's data envelope into flat `ValueRow`s. It does not decide what to import: it keeps deleted and
null values (flagged) and every gender unless the caller passes `genders`; the importer maps KPIs to
indicators, skips nulls, retracts deleted values and writes revisions. Must not import streamlit, the
store, the catalogue or anything else in `indicators/` except `indicators.errors`.

HTTP is `requests` (one `Session`, so connections are reused). The retry loop is written out here
rather than left to urllib3's `Retry` inside the adapter, because the sleeping function must be
injectable (tests do not wait for real), every attempt must pass the throttle and be counted, and the
final error must say which URL failed and why; urllib3 still parses `Retry-After` (seconds or HTTP date).
Not thread-safe: use one client per thread.
"""
from __future__ import annotations

import os
import re
import time
from datetime import date, datetime
from itertools import product
from typing import Callable, Iterable, Iterator, NamedTuple
from urllib.parse import urlencode, urljoin

import requests
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from indicators.errors import GNError

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
BASE_URL_ENV = "KOLADA_URL"
MAX_IDS_PER_LIST = 25  # Kolada v3 answers 400 to a longer comma list
PER_PAGE = 5000  # the largest page Kolada serves
USER_AGENT = f"gronanyckeltal-kolada-import/1 python-requests/{requests.__version__}"

_ID = re.compile(r"^[A-Za-z0-9]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RETRY_AFTER = Retry(total=0, retry_after_max=10**9)  # only its Retry-After parser is used; we cap ourselves


class KoladaError(GNError):
    """Kolada could not be read. `key` is one of kolada.timeout | unreachable | rate_limited |
    unavailable | not_found | rejected | bad_response | pagination_loop | bad_url; the message says
    which URL, what happened and what the admin can do. `url`, `status` (HTTP code or None) and
    `tries` are also attributes and in `params`."""

    def __init__(self, key: str, message: str, *, url: str, status: int | None = None, tries: int = 1):
        super().__init__(key, message, url=url, status=status, tries=tries)
        self.url, self.status, self.tries = url, status, tries


class ValueRow(NamedTuple):
    """One Kolada value: a (kpi, municipality, period, gender) cell, flattened from the data envelope.
    `value` is None when Kolada has no number (never 0); `isdeleted` is True when Kolada withdrew the
    value (its `value` is then None too). `status` is Kolada's status string, usually ""."""

    kpi: str
    municipality: str
    period: int
    gender: str
    value: float | None
    status: str
    count: int | None
    isdeleted: bool

    @property
    def usable(self) -> bool:
        """True when the row carries a number to store: not deleted and not null."""
        return not self.isdeleted and self.value is not None


def resolve_base_url(base_url: str | None = None, environ: dict | None = None) -> str:
    """The explicit argument wins, then the `KOLADA_URL` environment variable, then the default."""
    env = os.environ if environ is None else environ
    chosen = base_url or env.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return chosen.rstrip("/")


def batched(ids: Iterable, size: int = MAX_IDS_PER_LIST) -> list[list[str]]:
    """Split `ids` into comma-list batches of at most `size`, order kept, duplicates dropped.
    An id with anything but letters and digits is a caller's bug (it would break the path): ValueError."""
    unique = list(dict.fromkeys(str(i) for i in ids))
    for item in unique:
        if not _ID.match(item):
            raise ValueError(f"not a Kolada id: {item!r} (letters and digits only)")
    return [unique[i:i + size] for i in range(0, len(unique), size)]


class KoladaClient:
    """A Kolada v3 client. `requests_made` counts every HTTP request sent (retries and redirects
    included) and `retries` the attempts repeated after a 429, 5xx or network failure.

    `timeout` is seconds per connect/read; `max_tries` bounds the attempts per URL; back-off after a
    5xx or network failure is `backoff * 2**(try-1)` seconds, at most `max_backoff`; a 429 (or a 5xx
    that sends one) waits what `Retry-After` says (seconds or an HTTP date; the back-off when it is
    missing or unreadable) unless that exceeds `max_retry_after`, which fails at once.
    `sleep` and `clock` are injectable for tests."""

    def __init__(self, base_url: str | None = None, *, timeout: float = 30.0, max_tries: int = 5,
                 backoff: float = 1.0, max_backoff: float = 60.0, max_retry_after: float = 300.0,
                 max_per_second: float = 5.0, max_pages: int = 1000,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 session: requests.Session | None = None):
        if max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        self.base_url = resolve_base_url(base_url)
        self.timeout, self.max_tries, self.max_pages = timeout, max_tries, max_pages
        self.backoff, self.max_backoff, self.max_retry_after = backoff, max_backoff, max_retry_after
        self._interval = 1.0 / max_per_second if max_per_second > 0 else 0.0
        self._sleep, self._clock = sleep, clock
        self._next_slot: float | None = None
        self._session = session or requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        self.requests_made = 0
        self.retries = 0

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- public API ---------------------------------------------------------------------------

    def fetch_kpis(self, ids: Iterable[str]) -> list[dict]:
        """The KPI objects for `ids` (`/kpi/{ids}`), as Kolada gives them, in Kolada's order. An
        unknown id is simply absent: the caller compares ids, titles and `municipality_type`."""
        return [kpi for batch in batched(ids) for kpi in self._objects("/kpi/" + ",".join(batch))]

    def fetch_municipalities(self, ids: Iterable[str] | None = None, *,
                             region_type: str | None = None) -> list[dict]:
        """Municipality and region objects (`{"id", "title", "type"}`): all of them, or the given ids.
        `region_type` "K" (kommuner) or "L" (regions and Riket) filters on Kolada's side."""
        if region_type not in (None, "K", "L"):
            raise ValueError(f"region_type must be 'K' or 'L', not {region_type!r}")
        query = {"region_type": region_type} if region_type else {}
        if ids is None:
            return self._objects("/municipality", query)
        return [m for batch in batched(ids) for m in self._objects("/municipality/" + ",".join(batch), query)]

    def fetch_values(self, kpi_ids: Iterable[str], municipality_ids: Iterable[str] | None = None,
                     years: Iterable[int] | None = None, from_date: date | str | None = None,
                     genders: Iterable[str] | None = None) -> Iterator[ValueRow]:
        """An iterator over every value row of the KPIs, via `/data/kpi/{k}[/municipality/{m}][/year/{y}]`.

        `municipality_ids` and `years` of None mean all; Kolada needs at least one of them
        (ValueError otherwise); an empty list means none, so nothing is requested. Each list is split
        into batches of 25 and every combination of batches is one paginated request. `from_date`
        (a date or "YYYY-MM-DD") asks only for values changed since then. `genders` (e.g. {"T"})
        keeps only those genders; None keeps all. Deleted and null rows are always yielded, flagged
        (`isdeleted`, `value is None`). Arguments are checked at once (ValueError); the requests happen
        while you iterate, so a KoladaError can arrive after some rows were yielded."""
        if municipality_ids is None and years is None:
            raise ValueError("Kolada needs municipality_ids or years besides the KPI ids")
        query = {"per_page": PER_PAGE}
        if from_date is not None:
            query["from_date"] = _iso_date(from_date)
        kpi_batches = batched(kpi_ids)
        mun_batches = [None] if municipality_ids is None else batched(municipality_ids)
        year_batches = [None] if years is None else batched(_years(years))
        paths = []
        for kpis, muns, yrs in product(kpi_batches, mun_batches, year_batches):
            path = "/data/kpi/" + ",".join(kpis)
            path += "" if muns is None else "/municipality/" + ",".join(muns)
            path += "" if yrs is None else "/year/" + ",".join(yrs)
            paths.append(path)
        return self._value_rows(paths, query, None if genders is None else frozenset(genders))

    def _value_rows(self, paths: list[str], query: dict, keep: frozenset | None) -> Iterator[ValueRow]:
        for path in paths:
            for url, items in self._pages(path, query):
                for row in _flatten(items, url):
                    if keep is None or row.gender in keep:
                        yield row

    # --- paging, retries, throttling ---------------------------------------------------------

    def _objects(self, path: str, query: dict | None = None) -> list[dict]:
        out = []
        for url, items in self._pages(path, {"per_page": PER_PAGE, **(query or {})}):
            for index, item in enumerate(items):
                if not isinstance(item, dict) or "id" not in item:
                    raise _bad_response(url, f"item {index} of 'values' has no 'id'")
                out.append(item)
        return out

    def _pages(self, path: str, query: dict) -> Iterator[tuple[str, list]]:
        """Yield (url, values) per page, following `next_url` until it is null or missing."""
        url: str | None = f"{self.base_url}{path}?{urlencode(query)}"
        visited: set[str] = set()
        while url:
            if url in visited:
                raise KoladaError(
                    "kolada.pagination_loop",
                    f"Kolada's next_url points back to a page already read ({url}); stopped so the "
                    "import cannot loop. Try again later, and report it to Kolada (kolada.se) if it "
                    "persists.", url=url)
            if len(visited) >= self.max_pages:
                raise KoladaError(
                    "kolada.pagination_loop",
                    f"Kolada returned more than {self.max_pages} pages for one request (last: {url}); "
                    "stopped. Import fewer KPIs or municipalities at a time with --kpi.", url=url)
            visited.add(url)
            envelope = self._get_json(url)
            values = envelope.get("values")
            if not isinstance(values, list):
                raise _bad_response(url, "the answer has no 'values' list")
            yield url, values
            nxt = envelope.get("next_url")
            if nxt is not None and not isinstance(nxt, str):
                raise _bad_response(url, f"next_url is {nxt!r}, not a URL")
            url = urljoin(url, nxt) if nxt else None

    def _throttle(self) -> None:
        if not self._interval:
            return
        now = self._clock()
        if self._next_slot is not None and now < self._next_slot:
            self._sleep(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + self._interval

    def _get_json(self, url: str) -> dict:
        """GET `url` and return its JSON object, retrying what may pass; KoladaError otherwise."""
        for attempt in range(1, self.max_tries + 1):
            if attempt > 1:
                self.retries += 1
            self._throttle()
            self.requests_made += 1
            try:
                response = self._session.get(url, timeout=self.timeout)
            except requests.Timeout as exc:  # before ConnectionError: ConnectTimeout is both
                kind, status, detail, wait = "timeout", None, str(exc), self._backoff(attempt)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                kind, status, detail, wait = "unreachable", None, str(exc), self._backoff(attempt)
            except requests.RequestException as exc:  # InvalidURL, MissingSchema: nothing to retry
                raise KoladaError(
                    "kolada.bad_url", f"Cannot request {url}: {exc}. Check --base-url or "
                    f"{BASE_URL_ENV} (default {DEFAULT_BASE_URL}).", url=url) from exc
            else:
                self.requests_made += len(response.history)
                status = response.status_code
                if status == 200:
                    return _json_object(response, url)
                detail = _snippet(response)
                if status == 429 or status >= 500:
                    kind = "rate_limited" if status == 429 else "unavailable"
                    wait = self._retry_after(response, url, attempt)
                else:
                    raise _refused(url, status, detail)
            if attempt < self.max_tries:
                self._sleep(wait)
        raise _exhausted(kind, url, status, detail, self.max_tries, self.timeout)

    def _backoff(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * 2 ** (attempt - 1))

    def _retry_after(self, response: requests.Response, url: str, attempt: int) -> float:
        header = response.headers.get("Retry-After")
        try:
            wait = _RETRY_AFTER.parse_retry_after(header) if header else None
        except InvalidHeader:
            wait = None
        if wait is None:
            return self._backoff(attempt)
        if wait > self.max_retry_after:
            raise KoladaError(
                "kolada.rate_limited",
                f"Kolada asks to wait {wait:.0f} s before the next request (HTTP {response.status_code}, "
                f"Retry-After: {header}) for {url}; that is longer than the {self.max_retry_after:.0f} s "
                "this import waits. Run the import again later.",
                url=url, status=response.status_code)
        return float(wait)


# --- parsing and messages -------------------------------------------------------------------

def _flatten(items: list, url: str) -> Iterator[ValueRow]:
    for index, item in enumerate(items):
        try:
            kpi, mun = str(item["kpi"]), str(item["municipality"])
            period, entries = int(item["period"]), list(item["values"])
            for entry in entries:
                value, count = entry.get("value"), entry.get("count")
                yield ValueRow(
                    kpi=kpi, municipality=mun, period=period, gender=str(entry["gender"]),
                    value=None if value is None else float(value), status=str(entry.get("status") or ""),
                    count=None if count is None else int(count), isdeleted=bool(entry.get("isdeleted", False)))
        except (KeyError, TypeError, ValueError) as exc:
            raise _bad_response(url, f"data item {index} is malformed ({exc!r}): {str(item)[:200]}") from exc


def _years(years: Iterable[int]) -> list[str]:
    out = []
    for year in years:
        if isinstance(year, bool) or not re.fullmatch(r"[0-9]{4}", str(year)):
            raise ValueError(f"not a year: {year!r}")
        out.append(str(int(year)))
    return out


def _iso_date(value: date | str) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value).isoformat()
    raise ValueError(f"from_date must be a date or YYYY-MM-DD, not {value!r}")


def _json_object(response: requests.Response, url: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        raise _bad_response(url, f"the answer is not JSON ({_snippet(response)!r})") from None
    if not isinstance(body, dict):
        raise _bad_response(url, f"the answer is a JSON {type(body).__name__}, not an object")
    return body


def _snippet(response: requests.Response) -> str:
    return " ".join(response.text.split())[:200]


def _bad_response(url: str, what: str) -> KoladaError:
    return KoladaError(
        "kolada.bad_response",
        f"Kolada's answer to {url} is not what the v3 API returns: {what}. Check that --base-url or "
        f"{BASE_URL_ENV} points at the Kolada v3 API ({DEFAULT_BASE_URL}); a proxy or login page may be "
        "answering instead.", url=url, status=200)


def _refused(url: str, status: int, detail: str) -> KoladaError:
    if status in (404, 410):
        return KoladaError(
            "kolada.not_found",
            f"Kolada has no such address: {url} (HTTP {status}: {detail}). Check that --base-url or "
            f"{BASE_URL_ENV} ends in /v3 (the v2 API is shut down) and that the KPI ids still exist "
            "in Kolada.", url=url, status=status)
    return KoladaError(
        "kolada.rejected",
        f"Kolada refused the request {url} (HTTP {status}: {detail}). Retrying will not help; report "
        "this message to the dashboard's maintainers (the import built a request Kolada does not "
        "accept).", url=url, status=status)


def _exhausted(kind: str, url: str, status: int | None, detail: str, tries: int, timeout) -> KoladaError:
    what = {
        "timeout": f"no answer within {timeout} s",
        "unreachable": f"could not connect ({detail})",
        "rate_limited": f"HTTP 429 Too Many Requests ({detail})",
        "unavailable": f"HTTP {status} server error ({detail})",
    }[kind]
    advice = {
        "timeout": "Check the machine's internet connection and proxy, then run the import again "
                   "later; Kolada may be slow or down.",
        "unreachable": f"Check the internet connection, the proxy and --base-url / {BASE_URL_ENV}, "
                       "then run the import again.",
        "rate_limited": "Wait a while and run the import again; do not run several imports at once.",
        "unavailable": "Kolada is having problems; run the import again later (for example in an "
                       "hour).",
    }[kind]
    return KoladaError(
        f"kolada.{kind}", f"Kolada request failed after {tries} tries: {url}: {what}. {advice}",
        url=url, status=status, tries=tries)
