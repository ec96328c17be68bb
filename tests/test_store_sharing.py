"""A store that several processes share: no process holds the file while idle, a writer waits
while another process writes (then gives up in plain words), readers and a writer of one
process never hold the file at once, and a cheap version tells any process that another
one wrote. Real processes on a real file; nothing is mocked."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import duckdb
import pandas as pd
import pytest

from indicators.errors import StoreLocked
from indicators.ingest import reporting
from indicators.store import observations, open_store, uploads
from tests.conftest import ROOT
from tests.reporting_helpers import ADMIN

WRITE_ONE = """
import sys, pandas as pd
from indicators.store import open_store, observations
store = open_store(sys.argv[1], migrate=False)
kod, value = sys.argv[2], float(sys.argv[3])
frame = pd.DataFrame({"indicator_id": ["GN.10"], "kommunkod": [kod], "year": [2023], "value": [value],
                      "source_kind": ["reported"], "upload_id": [None], "created_by": ["other"], "comment": [None]})
with store.transaction() as cur:
    observations.write_revisions(cur, frame)
print("written")
"""

HOLD_WRITE = """
import sys, time
from indicators.store import open_store
with open_store(sys.argv[1], migrate=False).transaction() as cur:
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""

UPLOAD_MANY = """
import sys
from indicators.auth.users import User
from indicators.ingest import reporting
from indicators.store import open_store
store, admin = open_store(sys.argv[1]), User("sekretariatet", "admin")
kod, n = sys.argv[2], int(sys.argv[3])
for i in range(n):
    text = f"kommunkod;indikator;år;värde\\n{kod};GN.9a;{2000 + i};{100 + i}\\n".encode()
    report = reporting.prepare_upload(store, text, f"{kod}-{i}.csv", admin)
    reporting.commit_upload(store, report, admin, {(kod, "GN.9a", 2000 + i): "test"})
print("done", n)
"""


def python(code: str, *args, wait_s: float | None = None, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"GN_LOCK_WAIT_S": str(wait_s)} if wait_s is not None else {})}
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env=env, **kw)


def hold_write_in_other_process(db, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, str(db), str(seconds)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_an_idle_store_holds_no_lock_on_the_file(demo_store, demo_db):
    assert len(observations.fetch_current(demo_store, ["GN.10"], ["1490"]))
    with demo_store.reading():
        uploads.count_uploads(demo_store)
    with demo_store.transaction() as cur:
        cur.execute("SELECT 1")
    # GN_LOCK_WAIT_S=0: one attempt only; it fails if this process still held the file in any mode
    out = python(WRITE_ONE, demo_db, "1490", 77.0, wait_s=0)
    assert out.returncode == 0, out.stderr
    assert observations.fetch_current(demo_store, ["GN.10"], ["1490"], 2023)["value"].tolist() == [77.0]


def test_a_writer_waits_while_another_process_writes_and_then_commits(demo_store, demo_db):
    holder = hold_write_in_other_process(demo_db, 2.0)
    started = time.monotonic()
    frame = pd.DataFrame({"indicator_id": ["GN.10"], "kommunkod": ["0180"], "year": [2023], "value": [55.0],
                          "source_kind": ["reported"], "upload_id": [None], "created_by": ["me"], "comment": [None]})
    with demo_store.transaction() as cur:                      # waits (default 30 s) instead of failing
        observations.write_revisions(cur, frame)
    waited = time.monotonic() - started
    assert holder.wait(timeout=30) == 0 and holder.stdout.read().strip() == "released"
    assert waited > 1.0                                        # it really waited for the other writer
    assert observations.fetch_current(demo_store, ["GN.10"], ["0180"], 2023)["value"].tolist() == [55.0]


def test_a_reader_waits_for_another_process_and_gives_up_in_plain_words(demo_db):
    holder = hold_write_in_other_process(demo_db, 4.0)
    try:
        store = open_store(demo_db, read_only=True, lock_wait_s=0.5)
        with pytest.raises(StoreLocked) as err:
            observations.fetch_current(store, ["GN.10"], ["1490"])
        assert f"(PID {holder.pid})" in str(err.value) and "waited" in str(err.value)
        assert err.value.params["holder"].endswith(f"(PID {holder.pid})")
    finally:
        holder.wait(timeout=30)


def test_two_writer_processes_alternate_on_one_file_and_lose_nothing(empty_store, isolated_db):
    first = subprocess.Popen([sys.executable, "-c", UPLOAD_MANY, str(isolated_db), "1490", "6"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = python(UPLOAD_MANY, isolated_db, "0180", 6)
    out, err = first.communicate(timeout=180)
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    assert out.strip() == "done 6" and second.stdout.strip() == "done 6"
    assert uploads.count_uploads(empty_store) == 12
    current = observations.fetch_current(empty_store, ["GN.9a"])
    assert sorted(zip(current["kommunkod"], current["year"], current["value"])) == sorted(
        [(k, 2000 + i, 100.0 + i) for k in ("1490", "0180") for i in range(6)])


def test_in_one_process_readers_and_writers_of_many_threads_never_collide(demo_store):
    """DuckDB refuses a read-only and a read-write connection to one file in one process, and
    refuses to share a cursor between threads: the gate and a cursor per query keep 6 reading
    and 2 writing threads apart, with no error and no lost write."""
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                assert len(observations.fetch_current(demo_store, ["GN.10"], ["1490"]))
                with demo_store.reading():
                    observations.fetch_latest_year(demo_store)
                    uploads.count_uploads(demo_store)
        except BaseException as exc:     # noqa: BLE001 - the test reports every thread's failure
            errors.append(exc)

    def writer(kod: str):
        try:
            for year in range(2010, 2016):
                frame = pd.DataFrame({"indicator_id": ["GN.9a"], "kommunkod": [kod], "year": [year],
                                      "value": [float(year)], "source_kind": ["reported"], "upload_id": [None],
                                      "created_by": [f"t{kod}"], "comment": [None]})
                with demo_store.transaction() as cur:
                    observations.write_revisions(cur, frame)
        except BaseException as exc:     # noqa: BLE001
            errors.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(6)]
    writers = [threading.Thread(target=writer, args=(k,)) for k in ("0114", "0115")]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=120)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    assert errors == []
    written = observations.fetch_current(demo_store, ["GN.9a"], ["0114", "0115"])
    assert len(written[written["created_by"].str.startswith("t")]) == 12


def test_a_write_inside_a_read_burst_of_the_same_thread_is_refused(demo_store):
    with demo_store.reading():
        with pytest.raises(RuntimeError, match="inside another transaction or a read burst"):
            with demo_store.transaction():
                pass
    with demo_store.transaction() as cur:          # and the gate is free again afterwards
        cur.execute("SELECT 1")


def test_a_read_inside_a_transaction_of_the_same_thread_uses_the_open_connection(demo_store):
    with demo_store.transaction():
        assert uploads.count_uploads(demo_store) == 0


def test_the_version_changes_when_another_process_writes_and_costs_no_connection_otherwise(
        demo_store, demo_db, monkeypatch):
    before = demo_store.version()
    connects = []
    real_connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: connects.append(a) or real_connect(*a, **k))
    assert demo_store.version() == before and demo_store.version() == before
    assert connects == []                                # unchanged file: two stat calls, no connection
    out = python(WRITE_ONE, demo_db, "1490", 12.0)
    assert out.returncode == 0, out.stderr
    after = demo_store.version()
    assert after == before + 1 and len(connects) == 1    # one read of the counter after the change
    report = reporting.prepare_upload(demo_store, b"kommunkod;indikator;\xc3\xa5r;v\xc3\xa4rde\n1490;GN.7;2023;50\n",
                                      "x.csv", ADMIN)
    reporting.commit_upload(demo_store, report, ADMIN, {("1490", "GN.7", 2023): "test"})
    assert demo_store.version() == after + 1             # this process's own writes count too


def test_the_version_never_waits_while_another_process_writes(demo_store, demo_db):
    before = demo_store.version()
    holder = hold_write_in_other_process(demo_db, 3.0)
    try:
        started = time.monotonic()
        assert demo_store.version() == before             # the last version read, not a 30 s wait
        assert time.monotonic() - started < 2.0
    finally:
        assert holder.wait(timeout=30) == 0
    assert demo_store.version() == before + 1             # the holder's transaction committed


def _numbers(arr) -> list[float]:
    """A plotly data array: a list, or the base64-packed form ({"dtype", "bdata"})."""
    import base64

    import numpy as np
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return [float(x) for x in arr or [] if x is not None]


def test_the_dashboard_shows_another_processes_write_at_the_next_rerun_without_a_restart(demo_db):
    """The page's data is cached; a CLI-like write by another process changes the store's version,
    so the next rerun of the same session reads the new value (no cache clear, no restart)."""
    from tests.apptest_helpers import open_page, plotly_figures
    at = open_page("nyckeltal", indikator="GN.10", kommuner="1490")

    def boras_values():
        (trace,) = [tr for tr in plotly_figures(at)[0]["data"] if tr.get("name") == "Borås"]
        return _numbers(trace["y"])
    assert 12.34 not in boras_values()
    out = python(WRITE_ONE.replace("2023", "2025"), demo_db, "1490", 12.34)
    assert out.returncode == 0, out.stderr
    at.run()
    assert not at.exception
    assert 12.34 in boras_values()
