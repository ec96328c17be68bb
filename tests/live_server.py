"""A real dashboard server for tests: `streamlit run app.py` (the server entry, as `make run`) on a
free loopback port over a given database file, for HTTP and browser tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log_name: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"streamlit did not become healthy; see {log_name}") from None
            time.sleep(0.2)


@contextmanager
def serve(db: Path, env: dict | None = None):
    """A real `streamlit run app.py` (the server entry, as `make run`) over the database at db, on a free
    loopback port (with extra environment variables, e.g. a short GN_SESSION_TIMEOUT_MIN)."""
    port = free_port()
    log = open(db.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
         "--server.address=127.0.0.1", f"--server.port={port}", "--server.fileWatcherType=none",
         "--browser.gatherUsageStats=false"], cwd=ROOT, env={**os.environ, "GN_DB": str(db), **(env or {})},
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log.name)
        yield {"url": url, "db": db, "proc": proc}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


