"""A local stand-in for the Kolada v3 API: a real HTTP server on 127.0.0.1 (port 0, own thread) that
replays the recorded responses in tests/fixtures/kolada/ and the pytest fixture `kolada_server`.

Owns: matching a request (path after `/v3`, query as a dict) to a recording, rewriting the recorded
`https://api.kolada.se/v3` in `next_url`/`previous_url` to this server's own address, one-shot
behaviours scripted per path (an error status with Retry-After, a hang longer than the client's
time-out, a dropped connection, a `next_url` that loops), and a log of every request received (logged
on arrival, so a request that timed out is in it too). An unmatched request gets 404, like Kolada's
unknown routes. Imports nothing from the project.

A recording is a JSON file: {"note", "request": {"path", "query"}, "response": {"status", "headers",
"body"}}. The fixture serves every status-200 recording for as long as the test runs; error recordings
(429, 500) are played once each, and only when a test asks (`play_once`).
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

RECORDINGS = Path(__file__).resolve().parent / "fixtures" / "kolada"
RECORDED_BASE = "https://api.kolada.se/v3"
PREFIX = "/v3"


@dataclass(frozen=True)
class Logged:
    """One request as the server received it; `path` is without the `/v3` prefix."""
    method: str
    path: str
    query: dict
    target: str


@dataclass(frozen=True)
class Status:
    """Answer once with this status (and Retry-After if given) instead of the recording."""
    code: int
    retry_after: str | None = None
    body: object = field(default_factory=lambda: {"detail": "scripted error"})


@dataclass(frozen=True)
class Hang:
    """Wait `seconds` before answering normally (longer than the client's time-out)."""
    seconds: float


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering (the client sees a connection error)."""


@dataclass(frozen=True)
class NextUrl:
    """Answer with the recording but with `next_url` set to `target` (a path+query under /v3, or
    None to drop the key): pointing it at an earlier page makes a loop."""
    target: str | None


class KoladaServer:
    def __init__(self, recordings: Path = RECORDINGS):
        self.recordings = recordings
        self.log: list[Logged] = []
        self._routes: dict[tuple[str, frozenset], dict] = {}
        self._scripts: dict[str, list] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        host, port = self._httpd.server_address[:2]
        self.origin = f"http://{host}:{port}"
        self.base_url = self.origin + PREFIX

    # --- set-up -----------------------------------------------------------------------------

    def start(self) -> KoladaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # ends any Hang at once
        self._httpd.shutdown()
        self._httpd.server_close()

    def recording(self, name: str) -> dict:
        return json.loads((self.recordings / name).read_text(encoding="utf-8"))

    def serve_all(self) -> None:
        """Serve every status-200 recording in the folder as a standing answer."""
        for path in sorted(self.recordings.glob("*.json")):
            rec = json.loads(path.read_text(encoding="utf-8"))
            if rec["response"]["status"] == 200:
                self.add(rec["request"]["path"], rec["response"]["body"], rec["request"].get("query"))

    def add(self, path: str, body, query: dict | None = None, status: int = 200,
            headers: dict | None = None) -> None:
        """Register a standing answer for exactly this path and query."""
        key = (path, frozenset((query or {}).items()))
        self._routes[key] = {"status": status, "headers": headers or {"Content-Type": "application/json"},
                             "body": body}

    def script(self, path: str, *behaviours) -> None:
        """Queue one-shot behaviours for `path` (any query); each call to the path uses up one."""
        with self._lock:
            self._scripts.setdefault(path, []).extend(behaviours)

    def play_once(self, name: str) -> None:
        """Queue an error recording (e.g. error_429_region.json) once for its request path."""
        rec = self.recording(name)
        resp = rec["response"]
        self.script(rec["request"]["path"], Status(resp["status"], resp["headers"].get("Retry-After"),
                                                   resp["body"]))

    def requests_to(self, path_start: str = "/") -> list[Logged]:
        with self._lock:
            return [r for r in self.log if r.path.startswith(path_start)]

    # --- serving (called from the handler thread) --------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        path = split.path[len(PREFIX):] if split.path.startswith(PREFIX + "/") else split.path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        with self._lock:
            self.log.append(Logged(handler.command, path, query, handler.path))
            queue = self._scripts.get(path)
            behaviour = queue.pop(0) if queue else None
        if isinstance(behaviour, Drop):
            handler.close_connection = True
            return
        if isinstance(behaviour, Hang):
            if self._stop.wait(behaviour.seconds):
                return
        if isinstance(behaviour, Status):
            headers = {"Retry-After": behaviour.retry_after} if behaviour.retry_after else {}
            return self._send(handler, behaviour.code, headers, behaviour.body)
        route = self._routes.get((path, frozenset(query.items())))
        if route is None:
            return self._send(handler, 404, {}, {"detail": "Not Found"})
        body = route["body"]
        if isinstance(behaviour, NextUrl) and isinstance(body, dict):
            body = {k: v for k, v in body.items() if k != "next_url"}
            if behaviour.target is not None:
                body["next_url"] = RECORDED_BASE + behaviour.target
        self._send(handler, route["status"], route["headers"], body)

    def _send(self, handler: BaseHTTPRequestHandler, status: int, headers: dict, body) -> None:
        if isinstance(body, (dict, list)):
            data = self._rewrite(json.dumps(body, ensure_ascii=False)).encode("utf-8")
            headers = {"Content-Type": "application/json", **headers}
        else:
            data = str(body).encode("utf-8")
            headers = {"Content-Type": "text/plain; charset=utf-8", **headers}
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _rewrite(self, text: str) -> str:
        # Recordings name the real API; pagination links must lead back here.
        return text.replace(RECORDED_BASE, self.base_url)


def _handler_for(server: KoladaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's naming)
            try:
                server._answer(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (time-out): nothing to answer

        def log_message(self, format, *args):  # keep pytest output clean; `server.log` has it all
            pass

    return Handler


@pytest.fixture
def kolada_server():
    """A started KoladaServer serving every status-200 recording; stopped after the test."""
    server = KoladaServer().start()
    server.serve_all()
    yield server
    server.stop()
