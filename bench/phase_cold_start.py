"""Phase: `streamlit run app.py` (the server entry) until /_stcore/health answers ok (median of runs)."""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from bench.timing import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_start(db: str) -> float:
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
                             "--server.address=127.0.0.1", f"--server.port={port}"], cwd=ROOT,
                            env={**os.environ, "GN_DB": db}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < 60:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                    return time.perf_counter() - t0
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("streamlit did not answer /_stcore/health within 60 s")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


runs = [cold_start(sys.argv[1]) for _ in range(5)]
print(json.dumps({"cold_start_s": round(statistics.median(runs), 3),
                  "cold_start_runs_s": [round(r, 3) for r in runs]}))
