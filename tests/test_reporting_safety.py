"""All or nothing: a crash in the middle of a commit or a revert leaves nothing behind;
concurrent uploads from several threads all land with no lost update; a reporter cannot
write another municipality through the domain API, whatever the page did."""
from __future__ import annotations

import threading

import pytest

from indicators.ingest import admin
from indicators.ingest import comments
from indicators.ingest import reporting
from indicators.store import observations, uploads
from indicators.views import status
from indicators.auth.users import User
from indicators.errors import PermissionDenied
from tests.reporting_helpers import ADMIN, ANNA, history_rows, snapshot, stored

HEADER = "kommunkod;indikator;år;värde;kommentar\n"


def _report(store, body: str, user=ANNA):
    report = reporting.prepare_upload(store, (HEADER + body).encode(), "r.csv", user)
    assert report.ok
    return report


@pytest.mark.parametrize("module, victim", [(observations, "write_revisions"), (uploads, "insert_value_flags"),
                                            (uploads, "insert_comments")])
def test_a_crash_after_the_first_insert_leaves_no_partial_upload(demo_store, monkeypatch, module, victim):
    report = _report(demo_store, "1490;GN.7;2024;51;kommenterad\n1490;GN.2b;2024;90;kommenterad\n")
    before = snapshot(demo_store)
    real = getattr(module, victim)

    def insert_then_crash(cur, df, *args, **kwargs):
        real(cur, df, *args, **kwargs)                  # the rows are really inserted ...
        raise RuntimeError("power cut")                 # ... and then the process dies
    monkeypatch.setattr(module, victim, insert_then_crash)
    with pytest.raises(RuntimeError, match="power cut"):
        reporting.commit_upload(demo_store, report, ANNA)
    assert snapshot(demo_store) == before               # no observation, no upload row, no comment
    assert comments.comments_for(demo_store, "1490").empty
    monkeypatch.undo()
    assert reporting.commit_upload(demo_store, report, ANNA).n_changed == 2    # the same report still commits


def test_a_crash_in_the_middle_of_a_revert_changes_nothing(empty_store, monkeypatch):
    result = reporting.commit_upload(empty_store, _report(empty_store, "1490;GN.7;2023;43;\n"), ANNA)
    before = snapshot(empty_store)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(uploads, "mark_upload_reverted", crash)
    with pytest.raises(RuntimeError):
        reporting.revert_upload(empty_store, ANNA, result.upload_id)
    assert snapshot(empty_store) == before
    assert uploads.fetch_uploads(empty_store)["status"].tolist() == ["committed"]


def test_concurrent_uploads_from_several_threads_all_land_without_lost_updates(empty_store):
    """Eight coordinators confirm at the same moment; each also changes one shared value. Every
    upload lands, every revision is kept, and the new/changed counts prove each commit saw the
    others (classification happens inside the write transaction)."""
    n = 8
    reports = [_report(empty_store, f"1490;GN.7;2023;{40 + i};\n1490;GN.9a;{2000 + i};{800 + i};\n", ADMIN)
               for i in range(n)]
    results, errors = [None] * n, []
    start = threading.Barrier(n)

    def confirm(i):
        try:
            start.wait()
            results[i] = reporting.commit_upload(empty_store, reports[i], ADMIN)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert uploads.count_uploads(empty_store) == n
    assert sorted(r.n_new for r in results) == [1] * (n - 1) + [2]       # only the first saw GN.7 as new
    assert sum(r.n_changed for r in results) == n - 1
    history = reporting.value_history(empty_store, "GN.7", "1490", 2023)
    assert len(history) == n and sorted(history["value"]) == [40.0 + i for i in range(n)]
    assert {(y, v) for _, i, y, v, _ in stored(empty_store) if i == "GN.9a"} == {(2000 + i, 800.0 + i) for i in range(n)}


def test_concurrent_previews_and_reads_use_their_own_cursors(demo_store):
    errors = []

    def work(i):
        try:
            for _ in range(5):
                _report(demo_store, f"1490;GN.7;2024;{50 + i};\n")
                status.status_board(demo_store, 2023)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []


def test_a_reporter_cannot_commit_another_municipality_even_with_a_report_checked_as_admin(demo_store):
    report = _report(demo_store, "0180;GN.7;2024;51;\n", ADMIN)          # valid for an admin
    before = snapshot(demo_store)
    with pytest.raises(PermissionDenied):
        reporting.commit_upload(demo_store, report, ANNA)
    assert snapshot(demo_store) == before


def test_anonymous_visitors_can_do_nothing(demo_store):
    before = snapshot(demo_store)
    with pytest.raises(PermissionDenied):
        reporting.prepare_upload(demo_store, (HEADER + "1490;GN.7;2024;51;\n").encode(), "r.csv", None)
    report = _report(demo_store, "1490;GN.7;2024;51;\n")
    for call in (lambda: reporting.commit_upload(demo_store, report, None),
                 lambda: reporting.revert_upload(demo_store, None, 1),
                 lambda: reporting.list_uploads(demo_store, None),
                 lambda: comments.add_comment(demo_store, None, "1490", "GN.7", "hej"),
                 lambda: reporting.template_frame(demo_store, None, "1490", 2024),
                 lambda: admin.add_series_break(demo_store, None, "GN.7", 2024, "x")):
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot(demo_store) == before


def test_a_reporter_cannot_revert_an_upload_touching_another_municipality(empty_store):
    result = reporting.commit_upload(empty_store, _report(empty_store, "0180;GN.7;2023;43;\n1490;GN.7;2023;44;\n",
                                                          ADMIN), ADMIN)
    before = snapshot(empty_store)
    with pytest.raises(PermissionDenied):
        reporting.revert_upload(empty_store, ANNA, result.upload_id)
    assert snapshot(empty_store) == before


def test_reporters_see_only_uploads_for_their_municipalities(empty_store):
    reporting.commit_upload(empty_store, _report(empty_store, "0180;GN.7;2023;43;\n", ADMIN), ADMIN)
    mine = reporting.commit_upload(empty_store, _report(empty_store, "1490;GN.7;2023;44;\n"), ANNA)
    assert reporting.list_uploads(empty_store, ANNA)["id"].tolist() == [mine.upload_id]
    assert len(reporting.list_uploads(empty_store, ADMIN)) == 2
    bertil = User("bertil", "reporter", ("0180",))
    assert mine.upload_id not in reporting.list_uploads(empty_store, bertil)["id"].tolist()


def test_every_write_records_who_made_it(empty_store):
    history_rows(empty_store, [("1490", "GN.7", 2022, 40.0)])
    result = reporting.commit_upload(empty_store, _report(empty_store, "1490;GN.7;2023;43;\n"), ANNA)
    reporting.revert_upload(empty_store, ADMIN, result.upload_id)
    hist = reporting.value_history(empty_store, "GN.7", "1490", 2023)
    assert hist["created_by"].tolist() == ["sekretariatet", "anna"]
    assert uploads.fetch_uploads(empty_store)["created_by"].tolist() == ["sekretariatet", "anna"]
