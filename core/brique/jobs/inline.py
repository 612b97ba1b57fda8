"""The development server's own worker: a thread of ``brique run`` running due jobs.

The demo and a developer's site run in one process, with nobody to start
``brique jobs work``: e-mails must still go out. ``brique run`` therefore
starts a thread that works like ``brique jobs work`` (when
``JOBS_INLINE_WORKER`` is on). Production WSGI servers never start it: the
web workers stay stateless and separate ``brique jobs work`` processes run
the jobs.
"""

from __future__ import annotations

import threading
import time

import click
from flask import Flask
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from brique.jobs.queue import work

RESTART_AFTER_SECONDS = 30


def started_by_run_command() -> bool:
    """Whether the app is being created by ``brique run`` to serve requests.

    With the reloader, only the child process that serves requests counts.
    """
    context = click.get_current_context(silent=True)
    if context is None or context.command.name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or is_running_from_reloader()


def start_inline_worker(app: Flask) -> threading.Thread | None:
    """Start the thread if ``brique run`` serves ``app`` and the setting allows it."""
    if app.testing or not app.config["JOBS_INLINE_WORKER"] or not started_by_run_command():
        return None
    thread = threading.Thread(target=_work_forever, args=(app,), name="brique-jobs", daemon=True)
    thread.start()
    app.logger.info("Running background jobs in this process (JOBS_INLINE_WORKER).")
    return thread


def _work_forever(app: Flask) -> None:
    while True:
        try:
            work(app)
        except Exception:  # a broken database must not end the thread for good
            app.logger.exception("the background job thread failed; restarting it")
            time.sleep(RESTART_AFTER_SECONDS)
