"""Streamlit's own front-end files, served faster (server glue for app.py; no SQL, no maths).

What Streamlit 1.67 already does: its hashed JS/CSS bundles are cacheable for a year
(`Cache-Control: public, immutable`), and it leaves them out of its gzip middleware on purpose,
because compressing 4.7 MB of plotly.js on every request costs more than it saves on a fast
link. What it does not do, and this ASGI middleware adds:
- compress each bundle once per process (in memory, gzip level 6, in a worker thread, the
  chart bundles warmed at start) and serve that copy to browsers that accept gzip: plotly.js
  travels as ~1.4 MB instead of 4.7 MB, at no per-request cost;
- load the chart code early: Streamlit fetches the Plotly chunk only when the first chart
  arrives over the websocket; a `<link rel="modulepreload">` for it (and the chunks it imports)
  in index.html lets the browser fetch and compile it while the page's script runs.
Only GET requests for /static/js|css/<hashed name> are answered here; everything else passes
through to Streamlit unchanged (HTML responses get the preload links).
"""
from __future__ import annotations

import asyncio
import gzip
import re
import threading
from pathlib import Path

import streamlit

STATIC = Path(streamlit.__file__).resolve().parent / "static"
CHART_CHUNK = "PlotlyChart.*.js"
_ASSET = re.compile(r"/static/((?:js|css)/[\w.\-]+\.(?:js|css))$")
_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.\-]+\.js)"')
_TYPES = {".js": b"application/javascript", ".css": b"text/css; charset=utf-8"}


def chart_chunks(static: Path = STATIC) -> list[str]:
    """The Plotly chunk and every chunk it imports statically that index.html does not preload."""
    js = static / "static" / "js"
    entry = next(iter(sorted(js.glob(CHART_CHUNK))), None)
    if entry is None:
        return []
    seen: list[str] = []
    todo = [entry.name]
    while todo:
        name = todo.pop()
        if name in seen or not (js / name).is_file():
            continue
        seen.append(name)
        todo += _IMPORT.findall((js / name).read_text(encoding="utf-8", errors="ignore"))
    index = (static / "index.html").read_text(encoding="utf-8")
    return [n for n in seen if n not in index]


class FrontendAssets:
    """ASGI middleware: gzip-once for Streamlit's bundles, modulepreload of the chart chunks."""

    def __init__(self, app, static: Path = STATIC):
        self.app, self.static = app, static
        self.preload = chart_chunks(static)
        self.links = "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{n}">'
                             for n in self.preload).encode()
        self._gz: dict[str, bytes] = {}
        self._lock = threading.Lock()
        threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        for name in self.preload:
            self._compressed(f"js/{name}")

    def _compressed(self, rel: str) -> bytes | None:
        with self._lock:
            if rel in self._gz:
                return self._gz[rel]
        path = self.static / "static" / rel
        if not path.is_file():
            return None
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        with self._lock:
            self._gz[rel] = body
        return body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        match = _ASSET.search(scope["path"])
        accepts = b"gzip" in dict(scope["headers"]).get(b"accept-encoding", b"")
        if match and accepts:
            body = await asyncio.to_thread(self._compressed, match.group(1))
            if body is not None:
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-type", _TYPES[Path(match.group(1)).suffix]), (b"content-encoding", b"gzip"),
                    (b"content-length", str(len(body)).encode()), (b"vary", b"Accept-Encoding"),
                    (b"cache-control", b"public, immutable, max-age=31536000")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, self._inject_preload(send) if self.links else send)

    def _inject_preload(self, send):
        """Wrap send: an HTML response (index.html) is buffered and gets the preload links."""
        state: dict = {"start": None, "chunks": []}

        async def wrapped(message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    state["start"] = message
                    return
            elif message["type"] == "http.response.body" and state["start"] is not None:
                state["chunks"].append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = b"".join(state["chunks"]).replace(b"</head>", self.links + b"</head>", 1)
                start = state["start"]
                headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
                await send({**start, "headers": headers + [(b"content-length", str(len(html)).encode())]})
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)
        return wrapped
