"""The ``brique`` command: a Flask CLI group with Brique's commands and plugins' commands."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from brique.actionlog.cli import audit_group
from brique.config import (
    CONFIG_FILE,
    ConfigError,
    default_instance_path,
    generate_secret_key,
    load_config,
    read_config_file,
    write_config_file,
)
from brique.jobs.cli import jobs_group
from brique.opendata.cli import export_command
from brique.plugins import (
    BriqueState,
    PluginError,
    load_plugins,
    new_plugin_manager,
)
from brique.search.cli import search_group
from brique.statistics.cli import statistics_group

DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_CREDENTIALS = "demo-admin.txt"


def make_app() -> object:
    """The app for commands; a bad setting or plugin ends the command with its message."""
    from brique import create_app

    try:
        return create_app()
    except (ConfigError, PluginError) as error:
        raise click.ClickException(str(error)) from error


cli = FlaskGroup(
    name="brique",
    create_app=make_app,
    add_version_option=False,
    help="Brique: run and manage a participatory-democracy site.",
)


@cli.command("init", with_appcontext=False)
@click.option("--database-url", help="SQLAlchemy URL (default: SQLite in the instance folder).")
@click.option("--admin-email", help="Create a platform admin with this e-mail address.")
@click.option("--admin-password", help="Password of that admin (asked if not given).")
def init_command(
    database_url: str | None, admin_email: str | None, admin_password: str | None
) -> None:
    """Create the instance folder, its config with a secret key, the database and an admin."""
    instance = default_instance_path()
    write_instance_config(instance, database_url)
    app = make_app()
    from brique.migrate import upgrade

    upgrade(app)
    click.echo(f"Instance ready in {instance}; database up to date.")
    if admin_email:
        password = admin_password or click.prompt(
            "Admin password", hide_input=True, confirmation_prompt=True
        )
        with app.app_context():
            create_admin(admin_email, "admin", password)
        click.echo(f"Platform admin {admin_email} created.")


def write_instance_config(instance: Path, database_url: str | None = None) -> Path:
    """Create ``brique.toml`` with a new secret key unless it exists; return its path."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / CONFIG_FILE
    if path.exists():
        if database_url and read_config_file(path).get("DATABASE_URL") != database_url:
            raise click.ClickException(
                f"{path} exists with another database; set DATABASE_URL there, or remove "
                "the file to start a new instance"
            )
        return path
    values = {"SECRET_KEY": generate_secret_key()}
    if database_url:
        values["DATABASE_URL"] = database_url
    write_config_file(path, values)
    path.chmod(0o600)
    return path


def create_admin(email: str, nickname: str, password: str) -> None:
    """Create a confirmed platform admin; an address or nickname in use ends the command."""
    from sqlalchemy.exc import IntegrityError

    from brique.clock import now
    from brique.db import db
    from brique.models import User

    user = User(
        email=email.lower(),
        nickname=nickname,
        name="",
        is_admin=True,
        session_token=secrets.token_hex(16),
        email_confirmed_at=now(),
    )
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException(
            f"an account already uses the address {email} or the nickname {nickname}; "
            "choose others (--email, --nickname)"
        ) from None


@cli.command("demo", with_appcontext=False)
@click.option("--reset", is_flag=True, help="Delete the instance database and start again.")
def demo_command(reset: bool) -> None:
    """Create the demo site: a French participatory budget with every plugin's content."""
    instance = default_instance_path()
    write_instance_config(instance)
    if reset:
        for suffix in ("", "-wal", "-shm"):
            (instance / f"brique.db{suffix}").unlink(missing_ok=True)
        (instance / DEMO_CREDENTIALS).unlink(missing_ok=True)
    app = make_app()
    from brique.demo import create_demo, demo_exists
    from brique.migrate import downgrade, upgrade

    if reset and app.config["SQLALCHEMY_DATABASE_URI"] != f"sqlite:///{instance / 'brique.db'}":
        downgrade(app, "base")  # not the instance's SQLite file deleted above: empty it
    upgrade(app)
    credentials = instance / DEMO_CREDENTIALS
    # A request to BASE_URL, as for jobs: plugins' content and its notifications build URLs.
    with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
        if not demo_exists():
            password = secrets.token_urlsafe(12)
            create_demo(DEMO_ADMIN_EMAIL, password)
            credentials.write_text(password, encoding="utf-8")
            credentials.chmod(0o600)
            click.echo("Demo process created: Budget participatif 2026.")
    password = credentials.read_text(encoding="utf-8").strip() if credentials.exists() else "?"
    click.echo(f"Site: {app.config['BASE_URL']}/")
    click.echo(f"Admin login: {DEMO_ADMIN_EMAIL} / {password}")
    click.echo("Participants (same password): camille@example.org, louis_b@example.org...")


@cli.group("db")
def db_group() -> None:
    """Database migrations (core and every enabled plugin)."""


@db_group.command("upgrade")
@click.argument("target", default="heads")
@with_appcontext
def db_upgrade(target: str) -> None:
    """Apply migrations up to TARGET (default: every branch's head)."""
    from brique.migrate import upgrade

    upgrade(current_app._get_current_object(), target)
    click.echo("Database up to date.")


@db_group.command("downgrade")
@click.argument("target")
@with_appcontext
def db_downgrade(target: str) -> None:
    """Revert migrations down to TARGET (e.g. ``base``, ``-1``, ``tiny@base``)."""
    from brique.migrate import downgrade

    downgrade(current_app._get_current_object(), target)
    click.echo(f"Database downgraded to {target}.")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does.")
@click.option("--branch", default="core", help="`core` or a plugin's name.")
@click.option("--rev-id", help="Identifier of the new revision (default: a random one).")
@with_appcontext
def db_revision(message: str, branch: str, rev_id: str | None) -> None:
    """Write a new migration from the difference between the models and the database."""
    from brique.migrate import revision

    revision(current_app._get_current_object(), message, branch, rev_id)


@cli.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@with_appcontext
def plugins_command(as_json: bool) -> None:
    """List installed plugins: enabled or not, version, hooks implemented."""
    infos = current_app.extensions["brique"].plugins.values()
    rows = [
        {
            "name": info.name,
            "version": info.version,
            "distribution": info.distribution,
            "enabled": info.enabled,
            "hooks": info.hooks,
        }
        for info in infos
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No plugin installed.")
    for row in rows:
        state = "enabled" if row["enabled"] else "disabled"
        click.echo(
            f"{row['name']:<16} {row['version']:<10} {state:<9} {', '.join(row['hooks']) or '-'}"
        )


@cli.command("new-plugin", with_appcontext=False)
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the package (default: ./brique-NAME).",
)
def new_plugin_command(name: str, directory: Path | None) -> None:
    """Create a new component package NAME, ready to install and test."""
    from brique.scaffold import ScaffoldError, create_plugin

    target = directory or Path(f"brique-{name.replace('_', '-')}")
    try:
        written = create_plugin(name, target)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {len(written)} files in {target}.")
    click.echo(
        f"Next: pip install -e {target} && brique db revision --branch {name} "
        '-m "first tables" && brique db upgrade'
    )


@cli.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create-admin")
@click.option("--email", required=True)
@click.option("--nickname", default="admin", show_default=True)
@click.password_option()
@with_appcontext
def users_create_admin(email: str, nickname: str, password: str) -> None:
    """Create a platform administrator (e-mail already confirmed)."""
    create_admin(email, nickname, password)
    click.echo(f"Platform admin {email} created.")


def add_plugin_commands() -> None:
    """Let enabled plugins add their subcommands (``register_cli_commands`` hook)."""
    settings = load_config(default_instance_path(), environ=None)
    state = BriqueState(plugin_manager=new_plugin_manager())
    load_plugins(state, settings["PLUGINS"])
    state.hook.register_cli_commands(cli=cli)


def main() -> None:
    try:
        add_plugin_commands()
    except (PluginError, ConfigError) as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    cli.main(prog_name="brique")


cli.add_command(audit_group)
cli.add_command(jobs_group)
cli.add_command(search_group)
cli.add_command(export_command)
cli.add_command(statistics_group)
