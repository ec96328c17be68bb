"""Plotly figures to PNG for the reports, through kaleido and a local Chromium, offline.

Owns: finding Chromium (an explicit path, else $GN_CHROMIUM, else $BROWSER_PATH, else the usual
names on PATH; "none" or an empty value means "do not use one"), a warm renderer that starts
Chromium once and reuses it (2–7 s to start; then about 0.2 s per image, two at a time, and
nothing for a figure it has drawn before), the print
layout of a dashboard figure, and the outcome of every chart as a `ChartImage` with a reason
code when there is no picture, so the renderers can put the chart's table in its place.
The renderer runs its own event loop thread rather than kaleido's global sync server, because
that server hangs forever on its first call when Chromium cannot start; here a start failure
is an exception with a reason. Imports plotly and kaleido only; no streamlit, no store.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from ..paths import STATIC_DIR
from .content import IndicatorRow

CHROMIUM_ENV = "GN_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TOPOJSON_URL = STATIC_DIR.resolve().as_uri() + "/"     # the local world_110m.json stub
START_TIMEOUT_S = 60.0
IMAGE_TIMEOUT_S = 60.0

# Print size of one small chart: CSS pixels (fonts are sized in these) and the pixel density.
CHART_WIDTH_PX = 420
CHART_HEIGHT_PX = 225
CHART_SCALE = 2
PRINT_FONT = {"family": "DejaVu Sans Condensed, DejaVu Sans, sans-serif", "size": 13}

# Reason codes for a chart without a picture.
NO_CHROMIUM = "no-chromium"
RENDER_FAILED = "render-failed"


class ChartRenderError(RuntimeError):
    """Chromium could not start or could not draw a figure; `code` is a reason code above."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def configure_plotly_offline() -> None:
    """Plotly's own export defaults: the local topojson stub and no MathJax (both would be CDN)."""
    pio.defaults.topojson = TOPOJSON_URL
    pio.defaults.mathjax = False


def find_chromium(explicit: str | os.PathLike | None = None) -> Path | None:
    """The Chromium to use, or None. `explicit` wins, then $GN_CHROMIUM, then $BROWSER_PATH,
    then PATH. "none" or "" (explicitly, or in $GN_CHROMIUM) turns the lookup off."""
    for choice in (explicit, os.environ.get(CHROMIUM_ENV), os.environ.get("BROWSER_PATH")):
        if choice is None:
            continue
        text = str(choice).strip()
        if text.lower() in ("", "none"):
            return None
        path = Path(text)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


class ChartRenderer:
    """One Chromium (through kaleido) kept running on a private event-loop thread.

    `start()` launches it (idempotent) and raises ChartRenderError when it cannot; `to_png`
    renders one figure; `close()` ends the browser. Thread-safe: callers from several threads
    share the browser's tabs."""

    def __init__(self, chromium: str | os.PathLike | None = None, *, tabs: int = 2, cache_size: int = 128) -> None:
        self.chromium = find_chromium(chromium)
        self.tabs = tabs
        self.cache_size = cache_size          # PNGs kept by figure content: the Word file after the PDF is free
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None and self._browser_alive()

    def _browser_alive(self) -> bool:
        proc = getattr(self._kaleido, "subprocess", None)
        return proc is None or proc.poll() is None

    def start(self) -> ChartRenderer:
        with self._lock:
            if self.running:
                return self
            self._shutdown()
            if self.chromium is None:
                raise ChartRenderError(NO_CHROMIUM, "no Chromium found (set GN_CHROMIUM or install chromium)")
            import kaleido    # imported here: a report without charts needs no browser library
            configure_plotly_offline()
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="chart-renderer", daemon=True)
            self._thread.start()
            try:
                k = kaleido.Kaleido(n=self.tabs, mathjax=False, timeout=IMAGE_TIMEOUT_S, path=str(self.chromium))
                asyncio.run_coroutine_threadsafe(k.open(), self._loop).result(START_TIMEOUT_S)
            except Exception as exc:      # any failure to launch means: no pictures, tables instead
                self._shutdown()
                raise ChartRenderError(NO_CHROMIUM, f"Chromium at {self.chromium} did not start: {exc}") from exc
            self._kaleido = k
            return self

    def to_png(self, fig: go.Figure | dict, *, width: int = CHART_WIDTH_PX, height: int = CHART_HEIGHT_PX,
               scale: float = CHART_SCALE) -> bytes:
        """The figure as PNG bytes at width×height CSS pixels times scale."""
        return self.to_pngs([fig], width=width, height=height, scale=scale)[0]

    def to_pngs(self, figs: Sequence[go.Figure | dict], *, width: int = CHART_WIDTH_PX,
                height: int = CHART_HEIGHT_PX, scale: float = CHART_SCALE) -> list[bytes | ChartRenderError]:
        """Several figures at once (spread over the browser's tabs; figures seen before come from
        the cache). A figure that fails gives a ChartRenderError in its place; the others still
        come back. Raises ChartRenderError(NO_CHROMIUM) when a picture is needed and Chromium
        cannot start."""
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        keys = [self._key(fig, opts) for fig in figs]
        with self._cache_lock:
            out: list[bytes | ChartRenderError | None] = [self._cache.get(k) for k in keys]
        if any(png is None for png in out):
            self.start()       # raises ChartRenderError(NO_CHROMIUM) when the browser cannot run
        futures = {i: asyncio.run_coroutine_threadsafe(
            self._kaleido.calc_fig(fig, opts=opts, topojson=TOPOJSON_URL), self._loop)
            for i, fig in enumerate(figs) if out[i] is None}
        for i, fut in futures.items():
            try:
                out[i] = fut.result(IMAGE_TIMEOUT_S + 5)
                self._remember(keys[i], out[i])
            except Exception as exc:   # one bad figure must not cost the report
                out[i] = ChartRenderError(RENDER_FAILED, f"{type(exc).__name__}: {exc}")
        return out

    @staticmethod
    def _key(fig: go.Figure | dict, opts: dict) -> str:
        return hashlib.sha256((pio.to_json(fig, validate=False) + repr(sorted(opts.items()))).encode()).hexdigest()

    def _remember(self, key: str, png: bytes) -> None:
        if self.cache_size <= 0:
            return
        with self._cache_lock:
            self._cache[key] = png
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def close(self) -> None:
        with self._lock:
            self._shutdown()

    def _shutdown(self) -> None:
        if self._kaleido is not None and self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(30)
            except Exception:     # the browser may already be gone; nothing to keep
                pass
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(10)
            self._loop.close()
        self._kaleido, self._loop, self._thread = None, None, None

    def __enter__(self) -> ChartRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_shared: ChartRenderer | None = None
_shared_lock = threading.Lock()


def shared_renderer(chromium: str | os.PathLike | None = None) -> ChartRenderer:
    """The process-wide warm renderer (created on first use, started on first render). A
    different Chromium (argument or $GN_CHROMIUM changed) replaces it."""
    global _shared
    wanted = find_chromium(chromium)
    with _shared_lock:
        if _shared is None or _shared.chromium != wanted:
            if _shared is not None:
                _shared.close()
            _shared = ChartRenderer(wanted if wanted is not None else "none")
        return _shared


def close_shared_renderer() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
        _shared = None


@dataclass(frozen=True)
class ChartImage:
    """One row's chart as a picture, or the reason there is none (then show `row.chart.table`)."""
    png: bytes | None
    width_px: int = CHART_WIDTH_PX
    height_px: int = CHART_HEIGHT_PX
    error: str | None = None          # None, NO_CHROMIUM or RENDER_FAILED
    detail: str = ""


@dataclass(frozen=True)
class ChartSet:
    """The pictures for a report, aligned with `content.rows` (None where a row has no chart).
    `unavailable` is NO_CHROMIUM when no picture at all could be made, with the detail why."""
    images: tuple[ChartImage | None, ...]
    unavailable: str | None = None
    detail: str = ""


def print_figure(fig: go.Figure, width: int = CHART_WIDTH_PX, height: int = CHART_HEIGHT_PX) -> go.Figure:
    """A copy of a dashboard figure laid out for a small printed chart: no title (the report
    prints the indicator's name as text above it), tight margins, a compact legend on top."""
    out = go.Figure(fig.to_dict())        # to_dict copies: the caller's figure is untouched
    out.update_layout(
        width=width, height=height, title={"text": ""}, font=PRINT_FONT, paper_bgcolor="white",
        margin={"l": 8, "r": 8, "t": 34, "b": 8, "pad": 0}, autosize=False,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                "font": {"size": 11}, "bgcolor": "rgba(255,255,255,0)", "itemwidth": 30},
        xaxis={"automargin": True}, yaxis={"automargin": True})
    return out


def render_charts(rows: Sequence[IndicatorRow], renderer: ChartRenderer | None = None, *,
                  chromium: str | os.PathLike | None = None) -> ChartSet:
    """PNG for every row that has a chart. Without a usable Chromium every image is replaced by
    its table (ChartSet.unavailable says why); a single failing figure fails alone."""
    if not any(row.chart is not None for row in rows):
        return ChartSet(images=tuple(None for _ in rows))
    renderer = renderer or shared_renderer(chromium)
    charted = [i for i, row in enumerate(rows) if row.chart is not None]
    try:
        results = renderer.to_pngs([print_figure(rows[i].chart.figure) for i in charted])
    except ChartRenderError as exc:
        missing = ChartImage(png=None, error=exc.code, detail=exc.detail)
        return ChartSet(images=tuple(missing if row.chart is not None else None for row in rows),
                        unavailable=exc.code, detail=exc.detail)
    images: list[ChartImage | None] = [None] * len(rows)
    for i, result in zip(charted, results):
        if isinstance(result, ChartRenderError):
            images[i] = ChartImage(png=None, error=result.code, detail=result.detail)
        else:
            images[i] = ChartImage(png=result)
    return ChartSet(images=tuple(images))
