"""Every setting Brique reads, declared once with its key, default, type and description.

Settings come, in increasing priority, from the defaults below, the instance
folder's ``brique.toml``, ``BRIQUE_*`` environment variables and the mapping
given to :func:`brique.create_app`.
"""

from __future__ import annotations

import difflib
import os
import secrets
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_FILE = "brique.toml"


@dataclass(frozen=True)
class Setting:
    """One configuration option."""

    key: str
    default: Any
    type: Callable[[Any], Any]
    description: str


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def as_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value).split(",") if item.strip()]


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        None,
        str,
        "Key signing sessions, CSRF tokens and e-mailed links. `brique init` generates one "
        "into the instance config; required outside tests.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        str,
        "SQLAlchemy URL of the database. Default: SQLite (WAL) file `brique.db` in the "
        "instance folder. Set `postgresql+psycopg://user@host/db` for production.",
    ),
    Setting(
        "PLUGINS",
        None,
        as_list,
        "Comma-separated names of the installed plugins to enable. Default: all installed.",
    ),
    Setting(
        "TIMEZONE",
        "Europe/Paris",
        str,
        "The institution's timezone: dates are stored in UTC and shown in this zone.",
    ),
    Setting("DEFAULT_LOCALE", "fr", str, "Language of the site for visitors who chose none."),
    Setting("LOCALES", ["fr", "en"], as_list, "Languages offered in the language switch."),
    Setting(
        "THEME_PATH",
        None,
        str,
        "Folder of templates overriding any core or plugin template. Default: `theme/` in "
        "the instance folder.",
    ),
    Setting(
        "UPLOAD_PATH",
        None,
        str,
        "Folder for uploaded files (logos, hero images). Default: `uploads/` in the "
        "instance folder.",
    ),
    Setting("UPLOAD_MAX_BYTES", 5 * 1024 * 1024, int, "Largest accepted upload, in bytes."),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:5000",
        str,
        "Public address of the site, used in e-mailed links.",
    ),
    Setting(
        "MAIL_BACKEND",
        "outbox",
        str,
        "`outbox` writes each message as an .eml file into `outbox/` in the instance "
        "folder (development); `smtp` sends through the SMTP server below.",
    ),
    Setting("MAIL_FROM", "Brique <no-reply@localhost>", str, "Sender of the e-mails."),
    Setting("SMTP_HOST", "localhost", str, "SMTP server host."),
    Setting("SMTP_PORT", 587, int, "SMTP server port."),
    Setting("SMTP_USERNAME", None, str, "SMTP login, if the server needs one."),
    Setting("SMTP_PASSWORD", None, str, "SMTP password, if the server needs one."),
    Setting("SMTP_STARTTLS", True, as_bool, "Whether to use STARTTLS with the SMTP server."),
    Setting(
        "PROXY_COUNT",
        0,
        int,
        "How many reverse proxies (nginx, a load balancer) stand in front of the site. With "
        "1 or more, the client address, scheme and host are read from their X-Forwarded-* "
        "headers, so rate limits count each visitor, not the proxy. Never set it higher "
        "than the real number: clients could then forge their address.",
    ),
    Setting(
        "SECURE_COOKIES",
        False,
        as_bool,
        "Send session cookies only over HTTPS. Turn on in production.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        str,
        "Where rate-limit counters live. `memory://` suits one process; use "
        "`redis://host:6379` when several workers serve the site.",
    ),
    Setting(
        "RATELIMIT_LOGIN",
        "10 per minute;50 per hour",
        str,
        "Log-in attempts allowed per client address.",
    ),
    Setting(
        "RATELIMIT_SIGNUP", "5 per minute;20 per hour", str, "Sign-ups allowed per client address."
    ),
    Setting(
        "RATELIMIT_PASSWORD_RESET",
        "5 per minute;20 per hour",
        str,
        "Password-reset requests allowed per client address.",
    ),
    Setting(
        "RATELIMIT_ACCOUNT",
        "10 per minute;50 per hour",
        str,
        "Account changes that check the password or send an e-mail (new e-mail address, new "
        "password, account deletion, confirmation link sent again) allowed per client address.",
    ),
    Setting(
        "PASSWORD_HASH_METHOD",
        "scrypt",
        str,
        "Werkzeug password-hashing method. The default scrypt is memory-hard; the test kit "
        "uses a fast `pbkdf2:sha256:1000` so that suites stay quick.",
    ),
    Setting(
        "CONFIRMATION_MAX_AGE_DAYS",
        7,
        int,
        "How long an e-mail confirmation link stays valid, in days.",
    ),
    Setting("RESET_MAX_AGE_HOURS", 2, int, "How long a password-reset link stays valid, in hours."),
    # --- Comments ---
    Setting(
        "COMMENTS_MAX_DEPTH",
        3,
        int,
        "How deep replies to comments may nest: 1 allows replies to comments on the "
        "resource only, 3 allows replies to replies of replies.",
    ),
    Setting(
        "COMMENTS_PER_PAGE",
        20,
        int,
        "Comments on a resource shown per page (each with its replies).",
    ),
    Setting(
        "COMMENTS_REPLIES_SHOWN",
        50,
        int,
        "Replies of one comment shown under it on the resource's page; a link leads to "
        "the whole conversation when there are more.",
    ),
    Setting(
        "COMMENTS_MAX_LENGTH",
        3000,
        int,
        "Longest comment a participant may write, in characters.",
    ),
    Setting(
        "COMMENTS_RATE_LIMIT",
        "6 per minute;60 per hour",
        str,
        "Comments, replies and edits allowed per participant, against floods.",
    ),
    Setting(
        "COMMENTS_VOTE_RATE_LIMIT",
        "60 per minute;600 per hour",
        str,
        "Votes on comments allowed per participant, against automated voting.",
    ),
    # --- Moderation and action log ---
    Setting(
        "RATELIMIT_REPORT",
        "10 per minute;60 per day",
        str,
        "Reports of content or people allowed per client address, against report floods.",
    ),
    # --- Follows and notifications ---
    Setting(
        "JOBS_MAX_ATTEMPTS",
        5,
        int,
        "How many times a background job (an e-mail...) is tried before it is marked failed.",
    ),
    Setting(
        "JOBS_RETRY_DELAY_SECONDS",
        60,
        int,
        "Wait before the second attempt of a failed job, in seconds; it doubles after each "
        "failed attempt (at most a day).",
    ),
    Setting(
        "JOBS_POLL_SECONDS",
        5,
        float,
        "How often an idle `brique jobs work` looks for due jobs, in seconds.",
    ),
    Setting(
        "JOBS_TIMEOUT_MINUTES",
        30,
        int,
        "A job running for longer is taken as left by a stopped worker, and tried again.",
    ),
    Setting(
        "JOBS_KEEP_DAYS",
        14,
        int,
        "Days during which finished jobs stay listed by `brique jobs list`; failed ones stay.",
    ),
    Setting(
        "JOBS_INLINE_WORKER",
        True,
        as_bool,
        "Whether `brique run` (development and the demo) also runs background jobs in a "
        "thread; production WSGI servers never do: run `brique jobs work` beside them.",
    ),
    Setting(
        "NOTIFICATIONS_DIGEST_HOUR",
        7,
        int,
        "Hour of the day (in the institution's timezone) at which daily digests are sent.",
    ),
    Setting(
        "NEWSLETTERS_BATCH_SIZE",
        100,
        int,
        "How many newsletter e-mails one job sends before handing over to the next job.",
    ),
    # --- Open data and API ---
    Setting(
        "API_WRITE_RATE_LIMIT",
        "30 per minute;600 per hour",
        str,
        "Writes through the JSON API (comments, votes, follows) allowed per participant, "
        "whatever the token; comments and votes also count in their own limits.",
    ),
)

SETTINGS_BY_KEY = {setting.key: setting for setting in SETTINGS}


class ConfigError(RuntimeError):
    """A setting is missing or has a value of the wrong type."""


def load_config(
    instance_path: Path,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    settings: tuple[Setting, ...] = SETTINGS,
) -> dict[str, Any]:
    """Resolve ``settings`` (the core's by default) from defaults, file, environment, overrides.

    Keys are the setting keys without ``BRIQUE_``. Overrides for keys that are not
    declared (Flask's own, such as ``TESTING``) pass through unchanged.
    """
    environ = os.environ if environ is None else environ
    file_values = read_config_file(instance_path / CONFIG_FILE)
    declared = {setting.key: setting for setting in settings}
    values: dict[str, Any] = {}
    for setting in settings:
        raw = setting.default
        if setting.key in file_values:
            raw = file_values[setting.key]
        if f"BRIQUE_{setting.key}" in environ:
            raw = environ[f"BRIQUE_{setting.key}"]
        values[setting.key] = coerce(setting, raw)
    for key, value in (overrides or {}).items():
        setting = declared.get(key) or SETTINGS_BY_KEY.get(key)
        if setting is not None or settings is SETTINGS:
            values[key] = coerce(setting, value) if setting else value
    return values


def check_config_file(instance_path: Path, known: set[str]) -> None:
    """Refuse keys of ``brique.toml`` that neither the core nor an enabled plugin declares."""
    path = instance_path / CONFIG_FILE
    unknown = sorted(set(read_config_file(path)) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown settings {', '.join(_with_suggestion(key, known) for key in unknown)}"
            "; see the configuration reference in the docs (plugin settings need the plugin "
            "enabled)"
        )


def _with_suggestion(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f"{key} (did you mean {close[0]}?)" if close else key


def coerce(setting: Setting, raw: Any) -> Any:
    if raw is None:
        return None
    try:
        return setting.type(raw)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"setting {setting.key}: {error}") from error


def read_config_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    return data


def write_config_file(path: Path, values: Mapping[str, Any]) -> None:
    """Write ``values`` as TOML (strings, numbers, booleans and lists of strings)."""
    lines = [f"{key} = {toml_value(value)}" for key, value in values.items()]
    # Created readable by its owner only: it holds the secret key.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def generate_secret_key() -> str:
    return secrets.token_urlsafe(48)


def default_instance_path() -> Path:
    """``BRIQUE_INSTANCE_PATH`` or ``./instance``."""
    return Path(os.environ.get("BRIQUE_INSTANCE_PATH", "instance")).resolve()
