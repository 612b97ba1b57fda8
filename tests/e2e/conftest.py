"""Browser journeys: a real server on a free port, Debian's chromium driven by Playwright.

Run with ``pytest -m e2e tests/e2e``. Screenshots land in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import threading
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class LiveSite:
    """The running site: its address, app and instance folder."""

    def __init__(self, app: Any, url: str) -> None:
        self.app, self.url = app, url

    def mails(self) -> list[Any]:
        folder = Path(self.app.instance_path) / "outbox"
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]

    def last_link(self, to: str) -> str:
        """The first http link of the newest e-mail sent to ``to``."""
        for message in reversed(self.mails()):
            if message["To"] == to:
                body = message.get_body(preferencelist=("plain",)).get_content()
                return re.search(r"https?://\S+", body).group(0)
        raise AssertionError(f"no e-mail to {to}")


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[LiveSite]:
    from brique import create_app
    from brique.demo import create_demo
    from brique.jobs.queue import work
    from brique.migrate import upgrade

    database = os.environ.get("BRIQUE_TEST_DATABASE_URL")
    if database:
        pytest.skip("browser journeys run on SQLite; the suite covers PostgreSQL")
    server = make_server("127.0.0.1", 0, None, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": secrets.token_hex(16),
            "BASE_URL": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    upgrade(app)
    with app.app_context():
        create_demo("admin@example.org", "admin-password-2026")
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Background jobs run beside the server, as with `brique run` (JOBS_INLINE_WORKER).
    stop_jobs = threading.Event()
    jobs = threading.Thread(target=work, args=(app,), kwargs={"stop": stop_jobs}, daemon=True)
    jobs.start()
    try:
        yield LiveSite(app, url)
    finally:
        stop_jobs.set()
        server.shutdown()
        jobs.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, bypass_csp=True
    )  # lets axe-core's script run
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page: Any) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    details = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        f"{[node['target'] for node in violation['nodes']][:5]}"
        for violation in results.response["violations"]
    ]
    assert details == [], f"{page.url}: " + "; ".join(details)
