"""The current value of every (indicator, municipality, year) is kept at write time in
current_observation, through the one write path (observations.write_revisions). These tests
hold it to the rule "current = the newest revision of the key, gone when that is a
retraction" after random commits, reverts and retractions through the real reporting
flow, after a migration of an old database, and against malformed batches."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.errors import StoreError
from indicators.ingest import reporting
from indicators.ingest.reference_files import load_reference
from indicators.store import Store, observations, open_store, schema
from tests.reporting_helpers import ADMIN, history_rows

KEYS = [(k, i, y) for k in ("1490", "0180") for i in ("GN.7", "GN.10") for y in (2019, 2020, 2021)]
VALUES = [10.0, 12.5, 40.0, 41.0]     # few values, so "unchanged" and "back to an old value" happen


def newest_by_pandas(store) -> list[tuple]:
    """The rule, computed independently of the SQL: the newest revision per key, retractions dropped."""
    revs = observations.fetch_all_revisions(store).sort_values("id")
    newest = revs.drop_duplicates(["indicator_id", "kommunkod", "year"], keep="last")
    counts = revs.groupby(["indicator_id", "kommunkod", "year"]).size().rename("n_revisions").reset_index()
    out = newest[newest["value"].notna()].merge(counts, on=["indicator_id", "kommunkod", "year"])
    return _canon(out)


def _canon(frame: pd.DataFrame) -> list[tuple]:
    return sorted((str(i), str(k), int(y), float(v), int(n)) for i, k, y, v, n in zip(
        frame["indicator_id"], frame["kommunkod"], frame["year"], frame["value"], frame["n_revisions"]))


def assert_current_is_newest_revision(store) -> None:
    with store.reading():
        assert _canon(observations.fetch_current(store)) == newest_by_pandas(store)
        assert observations.fetch_current_mismatches(store).empty


@pytest.fixture(scope="module")
def reference_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("current") / "reference.duckdb"
    load_reference(open_store(path))
    return path


def _csv(rows) -> bytes:
    lines = ["kommunkod;indikator;år;värde"] + [f"{k};{i};{y};{str(v).replace('.', ',')}" for (k, i, y), v in rows]
    return ("\n".join(lines) + "\n").encode()


commit = st.tuples(st.just("commit"), st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES),
                                                       min_size=1, max_size=6))
revert = st.tuples(st.just("revert"), st.integers(min_value=0, max_value=8))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(commit, commit, revert), min_size=1, max_size=7))
def test_current_table_is_the_newest_revision_after_random_commits_reverts_and_retractions(reference_template,
                                                                                          steps):
    folder = Path(tempfile.mkdtemp(prefix="gn-current-"))
    try:
        shutil.copy(reference_template, folder / "db.duckdb")
        store = open_store(folder / "db.duckdb")
        upload_ids: list[int] = []
        for kind, arg in steps:
            if kind == "commit":
                report = reporting.prepare_upload(store, _csv(arg.items()), "random.csv", ADMIN)
                assert report.ok, report.problems
                comments = {(k, i, y): "slumpat" for (k, i, y) in arg}   # flagged values need a comment
                upload_ids.append(reporting.commit_upload(store, report, ADMIN, comments).upload_id)
            elif upload_ids:
                target = upload_ids[arg % len(upload_ids)]
                try:
                    upload_ids.append(reporting.revert_upload(store, ADMIN, target).upload_id)
                except reporting.RevertError:
                    pass                                  # already reverted: refused, nothing written
            assert_current_is_newest_revision(store)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_revert_of_new_values_retracts_them_and_a_later_upload_brings_them_back(empty_store):
    first = reporting.prepare_upload(empty_store, _csv([(("1490", "GN.7", 2020), 40.0)]), "a.csv", ADMIN)
    up = reporting.commit_upload(empty_store, first, ADMIN)
    reporting.revert_upload(empty_store, ADMIN, up.upload_id)           # a NULL revision: the key leaves
    assert observations.fetch_current(empty_store, ["GN.7"], ["1490"]).empty
    again = reporting.prepare_upload(empty_store, _csv([(("1490", "GN.7", 2020), 41.0)]), "b.csv", ADMIN)
    reporting.commit_upload(empty_store, again, ADMIN)
    row = observations.fetch_current(empty_store, ["GN.7"], ["1490"])
    assert row["value"].tolist() == [41.0] and row["n_revisions"].tolist() == [3]   # 40, retraction, 41
    assert observations.fetch_latest_year(empty_store) == 2020
    assert_current_is_newest_revision(empty_store)


def test_a_batch_with_a_key_twice_is_refused_and_writes_nothing(empty_store):
    history_rows(empty_store, [("1490", "GN.10", 2020, 30.0)])
    twice = pd.DataFrame({"indicator_id": ["GN.10", "GN.10"], "kommunkod": ["1490", "1490"], "year": [2021, 2021],
                          "value": [1.0, 2.0], "source_kind": "reported", "upload_id": None, "created_by": "t",
                          "comment": None})
    with pytest.raises(ValueError, match="more than once"):
        with empty_store.transaction() as cur:
            observations.write_revisions(cur, twice)
    assert observations.count_observations(empty_store) == 1
    assert_current_is_newest_revision(empty_store)


def test_the_migration_builds_current_values_for_an_existing_database(isolated_db):
    """A database from before the table (migrations 001–005, revisions and a retraction) gets it
    from its revisions, and reads the same current values as the old view did."""
    old = Store(isolated_db)
    with old.transaction() as cur:
        cur.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                    "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
        for version, (name, sql) in enumerate(schema.MIGRATIONS[:5], start=1):
            cur.execute(sql)
            cur.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
        for value, year in [(1.0, 2020), (2.0, 2020), (5.0, 2021), (None, 2021), (7.0, 2022)]:
            cur.execute("INSERT INTO observation (indicator_id, kommunkod, year, value, source_kind, created_by) "
                        "VALUES ('GN.10', '1490', ?, ?, 'reported', 'gammal')", [year, value])
        view = cur.execute("SELECT year, value, n_revisions FROM current_observation ORDER BY year").fetchall()
    assert schema.pending_migrations(old)[0] == "006_current_observation_table"
    store = open_store(isolated_db)
    assert schema.pending_migrations(store) == []
    now = observations.fetch_current(store)
    assert list(zip(now["year"], now["value"], now["n_revisions"])) == [(y, v, n) for y, v, n in view]
    assert view == [(2020, 2.0, 2), (2022, 7.0, 1)]
    assert_current_is_newest_revision(store)


def test_a_read_only_store_refuses_to_write(demo_db):
    store = open_store(demo_db, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        with store.transaction():
            pass
    assert len(observations.fetch_current(store, ["GN.10"], ["1490"]))
