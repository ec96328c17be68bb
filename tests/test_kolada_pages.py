"""AppTest for the Kolada import on the admin page (a real local Kolada server, a real database): the
button runs the import with a progress bar and shows what changed; a changed KPI shows why it stopped."""
from __future__ import annotations

import json

import pytest

from indicators.auth import users
from indicators.store import observations
from tests.apptest_helpers import open_page_as
from tests.conftest import FIXTURES
from tests.kolada_server import KoladaServer
from tests.reporting_helpers import ADMIN, PASSWORD

IMPORT = FIXTURES / "kolada" / "import"


@pytest.fixture
def server(monkeypatch):
    srv = KoladaServer(IMPORT).start()
    srv.serve_all()
    monkeypatch.setenv("KOLADA_URL", srv.base_url)
    yield srv
    srv.stop()


@pytest.fixture
def admin_db(empty_store):
    users.add_account(empty_store, ADMIN, "sekr", PASSWORD, "admin")
    return empty_store


def admin_page():
    return open_page_as("admin", "sekr", PASSWORD)


def test_the_admin_button_imports_from_kolada_and_shows_what_changed(server, admin_db):
    at = admin_page()
    assert at.text_input(key="kolada.base_url").value == server.base_url
    at.button(key="kolada.run").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Kolada-importen är sparad som uppladdning #1: 4228 nya")
    summary = next(f.value for f in at.dataframe if "Nya" in f.value.columns)
    assert summary["Nya"].tolist() == [579, 580, 597, 618, 627, 601, 626]
    assert "15 anrop till" in "\n".join(c.value for c in at.caption)
    assert observations.count_observations(admin_db) == 4228
    at.checkbox(key="kolada.dry_run").check()
    at.button(key="kolada.run").click().run(timeout=120)
    assert at.success[0].value.startswith("Provkörning, inget sparades.")
    assert observations.count_observations(admin_db) == 4228


def test_a_changed_kpi_stops_the_import_with_the_reason_on_the_page(server, admin_db):
    body = json.loads((IMPORT / "kpi.json").read_text(encoding="utf-8"))["response"]["body"]
    body["values"] = [{**k, "title": "Nytt namn"} if k["id"] == "N85054" else k for k in body["values"]]
    server.add("/kpi/N00403,N85054,U07801,U07514,N60404,U60496,N45970,N01951", body, {"per_page": "5000"})
    at = admin_page()
    at.button(key="kolada.run").click().run(timeout=120)
    assert "N85054 har bytt namn" in at.error[0].value and "ingenting sparades" in at.error[0].value
    assert observations.count_observations(admin_db) == 0 and not at.exception
