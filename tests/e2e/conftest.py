"""Real-browser fixtures: a Streamlit server on a free loopback port over a copy of the demo
database, and Playwright driving Debian's chromium. Under CI=true a missing browser fails."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.live_server import serve  # noqa: F401 (the browser tests import it from here)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# axe-core from npm (tests/e2e/axe/package.json, installed by scripts/test.sh with `npm ci`)
AXE_JS = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian chromium is missing: CI must run the browser tests (apt-get install chromium)")
        pytest.skip("apt-get install chromium to run the browser tests")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js; under CI=true a missing copy fails (scripts/test.sh installs it with npm ci)."""
    if not AXE_JS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE_JS} is missing: scripts/test.sh installs it (npm ci --prefix tests/e2e/axe)")
        pytest.skip("run `npm ci --prefix tests/e2e/axe` (or make test) for the accessibility tests")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1800}, "accept_downloads": True}


def demo_copy(demo_db_template: Path, tmp_path_factory, name: str) -> Path:
    db = tmp_path_factory.mktemp(name) / "server.duckdb"
    shutil.copy(demo_db_template, db)
    return db


@pytest.fixture(scope="session")
def app_server(demo_db_template, tmp_path_factory):
    """The dashboard served by a real `streamlit run` over its own copy of the demo database."""
    with serve(demo_copy(demo_db_template, tmp_path_factory, "server")) as server:
        yield server


@pytest.fixture
def offsite_requests(page):
    """Every request the page makes that is not to 127.0.0.1 (must stay empty)."""
    seen: list[str] = []

    def on_request(req):
        host = req.url.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
        if req.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in ("127.0.0.1", "localhost"):
            seen.append(req.url)
    page.on("request", on_request)
    return seen


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def log_in_context(context, url: str, username: str, password: str) -> None:
    """Log a browser context in the way its login form does: POST /account/login from this
    site (the Origin header a browser sends); the session cookie lands in the context."""
    response = context.request.post(url + "/account/login", form={"username": username, "password": password,
                                                                  "next": "/"},
                                    headers={"Origin": url}, max_redirects=0)
    assert response.status == 303 and "login_error" not in response.headers.get("location", ""), response.headers
    assert any(c["name"] == "gn_session" for c in context.cookies())


def wait_for_app(page, timeout: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no spinner, a heading is there)."""
    page.wait_for_selector("h1", timeout=timeout)
    # the status widget appears only after a delay, so also wait for the app's own script state
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
