"""Preview, commit, history and revert; plausibility flags; the status board; the template;
comments; the secretariat's operations. Hand-computed expectations, exact stored values."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.ingest import admin
from indicators.ingest import checks
from indicators.ingest import comments as comments_mod
from indicators.ingest import reporting
from indicators.store import observations
from indicators.store import reference
from indicators.store import uploads
from indicators.views import status
from indicators.errors import PermissionDenied, ValidationError
from indicators.text.tables import to_excel_csv
from tests.reporting_helpers import ADMIN, ANNA, fixture_bytes, history_rows, stored

HEADER = "kommunkod;indikator;år;värde;kommentar\n"


def upload(store, body: str, user=ANNA, name="rapport.csv", comments=None):
    report = reporting.prepare_upload(store, (HEADER + body).encode(), name, user)
    assert report.ok, [(p.row, p.column, p.code) for p in report.problems]
    return report, reporting.commit_upload(store, report, user, comments)


def test_preview_sorts_values_into_new_changed_and_unchanged(empty_store):
    history_rows(empty_store, [("1490", "GN.7", 2022, 40.0), ("1490", "GN.7", 2023, 41.0)])
    report = reporting.prepare_upload(
        empty_store, (HEADER + "1490;GN.7;2022;40;\n1490;GN.7;2023;43,5;\n1490;GN.2b;2023;80;\n").encode(), "r.csv", ANNA)
    got = report.rows.set_index("row")[["status", "old_value", "value"]]
    assert got.loc[2].tolist() == ["unchanged", 40.0, 40.0]
    assert got.loc[3].tolist() == ["changed", 41.0, 43.5]
    assert got.loc[4, "status"] == "new" and pd.isna(got.loc[4, "old_value"])
    assert reporting.counts(report.rows) == {"new": 1, "changed": 1, "unchanged": 1}


def test_commit_writes_revisions_and_records_the_upload(empty_store):
    history_rows(empty_store, [("1490", "GN.7", 2023, 41.0)], by="tidigare")
    data = (HEADER + "1490;GN.7;2023;43,5;rättat\n1490;GN.2b;2023;80;\n1490;GN.2a;2023;;\n").encode()
    report = reporting.prepare_upload(empty_store, data, "boras-2023.csv", ANNA)
    result = reporting.commit_upload(empty_store, report, ANNA)
    assert (result.n_new, result.n_changed, result.n_unchanged, result.n_flagged) == (1, 1, 0, 0)
    assert stored(empty_store) == {("1490", "GN.7", 2023, 43.5, "rättat"), ("1490", "GN.2b", 2023, 80.0, None)}
    up = uploads.fetch_uploads(empty_store).iloc[0]
    assert (up["id"], up["created_by"], up["filename"], up["status"]) == (result.upload_id, "anna", "boras-2023.csv",
                                                                          "committed")
    import hashlib
    assert up["sha256"] == hashlib.sha256(data).hexdigest()
    assert (up["n_new"], up["n_changed"], up["n_unchanged"]) == (1, 1, 0)
    hist = reporting.value_history(empty_store, "GN.7", "1490", 2023)
    assert hist["value"].tolist() == [43.5, 41.0]                  # the earlier value is kept
    assert hist["created_by"].tolist() == ["anna", "tidigare"]
    assert hist["source_kind"].tolist() == ["reported", "reported"]
    assert hist["upload_id"].tolist()[0] == result.upload_id and hist["filename"].tolist()[0] == "boras-2023.csv"
    current = observations.fetch_current(empty_store, ["GN.7"], ["1490"])
    assert current["n_revisions"].tolist() == [2]                  # marked as revised


def test_unchanged_values_are_not_written_again(empty_store):
    upload(empty_store, "1490;GN.7;2023;40;\n")
    before = observations.count_observations(empty_store)
    _, result = upload(empty_store, "1490;GN.7;2023;40,0;\n")
    assert (result.n_new, result.n_changed, result.n_unchanged) == (0, 0, 1)
    assert observations.count_observations(empty_store) == before


def test_revert_restores_earlier_values_and_retracts_new_ones_deleting_nothing(empty_store):
    history_rows(empty_store, [("1490", "GN.7", 2023, 41.0)], kind="demo")
    _, first = upload(empty_store, "1490;GN.7;2023;43;\n1490;GN.2b;2023;80;\n")
    n_before = observations.count_observations(empty_store)
    result = reporting.revert_upload(empty_store, ANNA, first.upload_id)
    assert (result.reverted, result.n_restored, result.n_skipped) == (first.upload_id, 2, 0)
    assert stored(empty_store) == {("1490", "GN.7", 2023, 41.0, None)}
    assert observations.fetch_current(empty_store)["source_kind"].tolist() == ["demo"]   # the demo banner stays right
    assert observations.count_observations(empty_store) == n_before + 2                   # nothing deleted
    hist = reporting.value_history(empty_store, "GN.2b", "1490", 2023)
    assert hist["value"].isna().tolist() == [True, False]                            # a NULL retraction
    ups = uploads.fetch_uploads(empty_store).set_index("id")
    assert ups.loc[first.upload_id, "status"] == "reverted"
    assert ups.loc[first.upload_id, "reverted_by"] == result.upload_id
    assert ups.loc[result.upload_id, "reverts"] == first.upload_id
    with pytest.raises(reporting.RevertError):
        reporting.revert_upload(empty_store, ANNA, first.upload_id)
    with pytest.raises(reporting.RevertError):
        reporting.revert_upload(empty_store, ANNA, 999)


def test_revert_leaves_values_changed_by_a_later_upload(empty_store):
    _, first = upload(empty_store, "1490;GN.7;2023;43;\n1490;GN.2b;2023;80;\n")
    upload(empty_store, "1490;GN.7;2023;44;\n")
    result = reporting.revert_upload(empty_store, ANNA, first.upload_id)
    assert (result.n_restored, result.n_skipped) == (1, 1)
    assert stored(empty_store) == {("1490", "GN.7", 2023, 44.0, None)}


def test_an_undo_cannot_itself_be_undone_and_the_values_come_back_by_uploading_again(empty_store):
    _, first = upload(empty_store, "1490;GN.7;2023;43;\n")
    undo = reporting.revert_upload(empty_store, ANNA, first.upload_id)
    n_before = observations.count_observations(empty_store)
    with pytest.raises(reporting.RevertError) as err:
        reporting.revert_upload(empty_store, ANNA, undo.upload_id)
    assert err.value.key == "revert.is_undo" and err.value.params == {"id": undo.upload_id, "original": first.upload_id}
    assert observations.count_observations(empty_store) == n_before and stored(empty_store) == set()
    upload(empty_store, "1490;GN.7;2023;43;\n")
    assert stored(empty_store) == {("1490", "GN.7", 2023, 43.0, None)}


# ------------------------------------------------------------------ plausibility

@pytest.fixture
def network(empty_store):
    """Borås's own GN.7 history and twelve other members around 50 % in 2024."""
    members = [k for k in reference.fetch_members(empty_store, 2024) if k != "1490"][:12]
    peers = [(k, "GN.7", 2024, 48.0 + i % 5) for i, k in enumerate(members)]
    history_rows(empty_store, [("1490", "GN.7", 2021, 40.0), ("1490", "GN.7", 2022, 42.0),
                               ("1490", "GN.7", 2023, 44.0), *peers])
    return empty_store


def test_a_big_jump_and_an_outlier_are_flagged_not_rejected(network):
    report = reporting.prepare_upload(network, fixture_bytes("implausible-change.csv"), "f.csv", ANNA)
    assert report.ok
    assert {(w.row, w.code) for w in report.warnings} == {(2, "implausible-change"), (2, "outlier")}
    row = report.rows.set_index("row").loc[2]
    assert row["flags"] == "implausible-change outlier"
    assert "2023: 44 → 95 (±30 %)" in row["flag_detail"] and "median 50" in row["flag_detail"]
    assert report.rows.set_index("row").loc[3, "flags"] == ""      # GN.2b: no history, no peers


def test_a_plausible_change_is_not_flagged(network):
    report = reporting.prepare_upload(network, (HEADER + "1490;GN.7;2024;52;\n").encode(), "ok.csv", ANNA)
    assert report.ok and report.warnings == []


def test_yoy_threshold_comes_from_the_catalogue():
    from indicators.catalog import default_catalog
    cat = default_catalog()
    assert cat["GN.7"].plausible_yoy_change == 0.3 and cat["GN.8a"].plausible_yoy_change == 1.0
    assert checks.OUTLIER_Z == 3.5


def test_a_flagged_value_needs_a_comment_before_it_is_committed(network):
    before = observations.count_observations(network)
    report = reporting.prepare_upload(network, fixture_bytes("implausible-change.csv"), "f.csv", ANNA)
    with pytest.raises(ValidationError) as info:
        reporting.commit_upload(network, report, ANNA)
    assert {(p.row, p.code) for p in info.value.report.problems} == {(2, "comment-required")}
    assert report.ok                                                  # the caller's report is untouched
    assert observations.count_observations(network) == before
    result = reporting.commit_upload(network, report, ANNA, comments={("1490", "GN.7", 2024): "Ny elavtal"})
    assert result.n_flagged == 1
    assert ("1490", "GN.7", 2024, 95.0, "Ny elavtal") in stored(network, ["1490"])
    board = status.status_board(network, 2024, ["GN.7", "GN.2b"])
    states = board.cells.set_index(["kommunkod", "indicator_id"])["state"]
    assert states[("1490", "GN.7")] == "flagged" and states[("1490", "GN.2b")] == "delivered"


def test_a_comment_in_the_file_satisfies_the_flag(network):
    data = (HEADER + "1490;GN.7;2024;95;Ny mätmetod från 2024\n").encode()
    report = reporting.prepare_upload(network, data, "f.csv", ANNA)
    assert report.warnings and reporting.commit_upload(network, report, ANNA).n_flagged == 1


# ------------------------------------------------------------------ status board

def test_status_board_states_and_completeness_by_hand(empty_store):
    members = reference.fetch_members(empty_store, 2023)
    a, b = members[0], members[1]
    history_rows(empty_store, [(a, "GN.7", 2023, 40.0), (a, "GN.2b", 2023, 80.0), (b, "GN.7", 2023, 30.0),
                               (b, "GN.7", 2022, 31.0)])
    board = status.status_board(empty_store, 2023, ["GN.7", "GN.2b"])
    assert len(board.cells) == 2 * len(members)
    pm = board.per_member.set_index("kommunkod")["completeness"]
    assert (pm[a], pm[b], pm[members[2]]) == (1.0, 0.5, 0.0)
    pi = board.per_indicator.set_index("indicator_id")
    assert pi.loc["GN.7", "delivered"] == 2 and pi.loc["GN.7", "missing"] == len(members) - 2
    assert pi.loc["GN.2b", "completeness"] == pytest.approx(1 / len(members))
    assert board.completeness == pytest.approx(3 / (2 * len(members)))
    table = status.status_table(board, "sv")
    assert table.columns.tolist() == ["Kommunkod", "Kommun", "GN.7", "GN.2b", "Fullständighet (%)"]
    row = table.set_index("Kommunkod").loc[b]
    assert (row["GN.7"], row["GN.2b"], row["Fullständighet (%)"]) == ("Inlämnad", "Saknas", 50)
    csv = to_excel_csv(table).decode("utf-8-sig")
    assert csv.splitlines()[0] == "Kommunkod;Kommun;GN.7;GN.2b;Fullständighet (%)"


def test_status_board_defaults_to_member_reported_indicators_and_members_of_the_year(demo_store):
    board = status.status_board(demo_store, 2021)
    assert set(board.cells["indicator_id"]) == {"GN.2a", "GN.2b", "GN.7", "GN.8a", "GN.9a", "GN.9b"}
    assert "1382" not in set(board.cells["kommunkod"])                 # Falkenberg left in 2021
    assert set(board.cells["state"]) <= {"delivered", "flagged", "missing"}


# ------------------------------------------------------------------ template

def test_template_is_prefilled_with_municipality_member_indicators_year_and_last_years_value(empty_store):
    history_rows(empty_store, [("1490", "GN.7", 2022, 41.5)])
    frame = reporting.template_frame(empty_store, ANNA, "1490", 2023)
    assert frame.columns.tolist() == ["kommunkod", "indikator", "år", "värde", "kommentar", "nyckeltal (namn)",
                                      "enhet", "värde 2022 (ledtråd)"]
    assert frame["indikator"].tolist() == ["GN.2a", "GN.2b", "GN.7", "GN.8a", "GN.9a", "GN.9b"]
    assert set(frame["kommunkod"]) == {"1490"} and set(frame["år"]) == {2023}
    assert frame.set_index("indikator").loc["GN.7", "värde 2022 (ledtråd)"] == 41.5
    en = reporting.template_frame(empty_store, ANNA, "1490", 2023, "en")
    assert en.columns.tolist()[:5] == ["municipality_code", "indicator", "year", "value", "comment"]


def test_the_template_comes_back_through_the_parser(empty_store):
    frame = reporting.template_frame(empty_store, ANNA, "1490", 2023)
    blank = reporting.prepare_upload(empty_store, to_excel_csv(frame), "mall.csv", ANNA)
    assert [p.code for p in blank.problems] == ["empty-file"]          # nothing filled in yet
    frame.loc[frame["indikator"] == "GN.9b", "värde"] = 0.25
    filled = reporting.prepare_upload(empty_store, to_excel_csv(frame), "mall.csv", ANNA)
    assert filled.ok and filled.rows[["indicator_id", "value"]].values.tolist() == [["GN.9b", 0.25]]


def test_template_only_for_your_own_municipality(empty_store):
    with pytest.raises(PermissionDenied):
        reporting.template_frame(empty_store, ANNA, "0180", 2023)


# ------------------------------------------------------------------ comments

def test_comments_are_stored_verbatim_newest_per_indicator(empty_store):
    comments_mod.add_comment(empty_store, ANNA, "1490", "GN.7", "Första")
    comments_mod.add_comment(empty_store, ANNA, "1490", "GN.7", "<script>alert(1)</script> **fet**")
    comments_mod.add_comment(empty_store, ANNA, "1490", "GN.2b", "Om bussarna")
    got = comments_mod.comments_for(empty_store, "1490").set_index("indicator_id")["text"]
    assert got.to_dict() == {"GN.7": "<script>alert(1)</script> **fet**", "GN.2b": "Om bussarna"}
    comments_mod.add_comment(empty_store, ANNA, "1490", "GN.2b", "")               # withdraw
    assert comments_mod.comments_for(empty_store, "1490")["indicator_id"].tolist() == ["GN.7"]
    assert uploads.fetch_comments(empty_store, "1490", "GN.7")["text"].tolist() == [got["GN.7"]]


def test_upload_comments_reach_the_comment_table_and_leave_with_a_revert(empty_store):
    _, result = upload(empty_store, "1490;GN.7;2023;43;Nytt avtal\n")
    assert comments_mod.comments_for(empty_store, "1490")[["indicator_id", "year", "text"]].values.tolist() == [
        ["GN.7", 2023, "Nytt avtal"]]
    reporting.revert_upload(empty_store, ANNA, result.upload_id)
    assert comments_mod.comments_for(empty_store, "1490").empty


def test_comments_only_for_your_own_municipality(empty_store):
    with pytest.raises(PermissionDenied):
        comments_mod.add_comment(empty_store, ANNA, "0180", "GN.7", "hej")
    with pytest.raises(comments_mod.CommentError):
        comments_mod.add_comment(empty_store, ANNA, "1490", "GN.7", "x" * 2001)


# ------------------------------------------------------------------ the secretariat's operations

def test_membership_per_year_is_managed_by_admins_only(empty_store):
    assert "0114" not in reference.fetch_members(empty_store, 2024)
    admin.save_membership(empty_store, ADMIN, "114", 2024, None, "ny medlem")
    assert "0114" in reference.fetch_members(empty_store, 2024) and "0114" not in reference.fetch_members(empty_store, 2023)
    admin.save_membership(empty_store, ADMIN, "0114", 2024, 2025)
    assert "0114" not in reference.fetch_members(empty_store, 2026)
    admin.remove_membership(empty_store, ADMIN, "0114", 2024)
    assert "0114" not in reference.fetch_members(empty_store, 2024)
    with pytest.raises(PermissionDenied):
        admin.save_membership(empty_store, ANNA, "1490", 2024)
    with pytest.raises(admin.AdminInputError):
        admin.save_membership(empty_store, ADMIN, "1490", 2024, 2020)


def test_municipal_targets_by_admin_or_own_reporter_and_deactivated_not_deleted(empty_store):
    tid = admin.add_municipal_target(empty_store, ANNA, "GN.7", "1490", 100, 2030, "Kommunens mål")
    admin.add_municipal_target(empty_store, ADMIN, "GN.1b", "0180", -70, 2030, "", "relative", 2005)
    with pytest.raises(PermissionDenied):
        admin.add_municipal_target(empty_store, ANNA, "GN.7", "0180", 100, 2030)
    with pytest.raises(admin.AdminInputError):
        admin.add_municipal_target(empty_store, ADMIN, "GN.1b", "0180", -70, 2030, "", "relative")
    targets = reference.fetch_targets(empty_store, "GN.7", "1490")
    assert targets[targets["kommunkod"] == "1490"][["value", "year", "created_by"]].values.tolist() == [
        [100.0, 2030, "anna"]]
    admin.deactivate_municipal_target(empty_store, ANNA, tid)
    assert admin.municipal_targets(empty_store)["kommunkod"].tolist() == ["0180"]


def test_series_breaks_are_admin_only_and_catalogue_breaks_stay(empty_store):
    bid = admin.add_series_break(empty_store, ADMIN, "GN.9a", 2025, "Ny definition av årsarbetare")
    breaks = admin.series_breaks(empty_store)
    assert ("GN.9a", 2025, "sekretariatet") in set(zip(breaks["indicator_id"], breaks["year"], breaks["created_by"]))
    with pytest.raises(PermissionDenied):
        admin.add_series_break(empty_store, ANNA, "GN.9a", 2025, "x")
    catalogue_break = int(breaks.loc[breaks["created_by"] == "catalog", "id"].iloc[0])
    with pytest.raises(admin.AdminInputError):
        admin.remove_series_break(empty_store, ADMIN, catalogue_break)
    admin.remove_series_break(empty_store, ADMIN, bid)
    assert bid not in admin.series_breaks(empty_store)["id"].tolist()
