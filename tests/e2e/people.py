"""What the browser journeys share: participants, logging in and out, the job worker."""

from __future__ import annotations

import secrets
from typing import Any

PASSWORD = "une phrase de passe"


def create_participant(nickname: str, **columns: Any) -> Any:
    """A confirmed account ``<nickname>@example.org`` with :data:`PASSWORD`, not yet added."""
    from brique.clock import now
    from brique.models import User

    user = User(
        email=f"{nickname}@example.org",
        nickname=nickname,
        locale="en",
        session_token=secrets.token_hex(8),
        email_confirmed_at=now(),
        **columns,
    )
    user.set_password(PASSWORD)
    return user


def log_in(page: Any, live_site: Any, nickname: str, password: str = PASSWORD) -> None:
    page.goto(live_site.url + "/login")
    page.get_by_label("E-mail address").fill(f"{nickname}@example.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()


def run_due_jobs(live_site: Any, rounds: int = 1) -> None:
    """``brique jobs work --once``, ``rounds`` times, as an operator's worker would (a
    second round e-mails what the jobs of the first enqueued)."""
    from brique.jobs.cli import jobs_group

    for _ in range(rounds):
        result = live_site.app.test_cli_runner().invoke(jobs_group, ["work", "--once"])
        assert result.exit_code == 0, result.output
