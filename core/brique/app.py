"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from brique.config import ConfigError, default_instance_path, load_config
from brique.routing import LazyBuilderRule
from brique.web import init_web

CORE_TEMPLATES = Path(__file__).parent / "templates"


def create_app(config: Mapping[str, Any] | None = None, *, plugins: tuple[type, ...] = ()) -> Flask:
    """Create a Brique application.

    :param config: settings overriding the instance config and environment
        (keys as in the configuration reference, without ``BRIQUE_``);
        ``INSTANCE_PATH`` chooses the instance folder.
    :param plugins: extra :class:`~brique.plugin_api.Plugin` classes to enable
        as if installed (used by tests of the plugin loader).
    """
    config = dict(config or {})
    instance_path = Path(config.pop("INSTANCE_PATH", None) or default_instance_path())
    app = Flask("brique", instance_path=str(instance_path))
    app.url_rule_class = LazyBuilderRule
    app.config.update(flask_settings(load_config(instance_path, config)))
    init_state(app, plugins, config)
    set_template_loader(app)  # before any extension creates the Jinja environment
    init_extensions(app)
    init_web(app)
    register_blueprints(app)
    trust_proxies(app)
    app.extensions["brique"].hook.init_app(app=app)
    return app


def trust_proxies(app: Flask) -> None:
    """Read the client's address from the proxies' headers when PROXY_COUNT says so."""
    count = app.config["PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def flask_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Brique's settings plus the Flask and extension keys derived from them."""
    secure = settings["SECURE_COOKIES"]
    derived = {
        "SQLALCHEMY_DATABASE_URI": settings["DATABASE_URL"],
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": settings["UPLOAD_MAX_BYTES"] + 64 * 1024,
        "BABEL_DEFAULT_LOCALE": settings["DEFAULT_LOCALE"],
        "BABEL_DEFAULT_TIMEZONE": settings["TIMEZONE"],
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    return {**settings, **derived}


def apply_plugin_settings(app: Flask, state: Any, overrides: Mapping[str, Any]) -> None:
    from brique.config import SETTINGS, check_config_file
    from brique.plugins import plugin_settings

    declared = plugin_settings(state)
    instance = Path(app.instance_path)
    app.config.update(load_config(instance, overrides, settings=declared))
    check_config_file(instance, {setting.key for setting in (*SETTINGS, *declared)})


def init_state(app: Flask, extra_plugins: tuple[type, ...], overrides: Mapping[str, Any]) -> None:
    from brique.plugins import (
        BriqueState,
        load_plugins,
        new_plugin_manager,
        register_contributions,
    )

    instance = Path(app.instance_path)
    if app.config["DATABASE_URL"] is None:
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'brique.db'}"
    app.config["THEME_PATH"] = app.config["THEME_PATH"] or str(instance / "theme")
    app.config["UPLOAD_PATH"] = app.config["UPLOAD_PATH"] or str(instance / "uploads")
    state = BriqueState(plugin_manager=new_plugin_manager())
    app.extensions["brique"] = state
    load_plugins(state, app.config["PLUGINS"], extra_plugins)
    apply_plugin_settings(app, state, overrides)
    register_contributions(app, state)


def init_extensions(app: Flask) -> None:
    from brique.db import configure_engine
    from brique.extensions import babel, csrf, db, limiter, login_manager
    from brique.i18n import select_locale, select_timezone, translation_directories
    from brique.users.session import init_login

    if not app.config.get("SECRET_KEY"):
        raise ConfigError(
            "no SECRET_KEY: run `brique init` to create the instance config, "
            "or set BRIQUE_SECRET_KEY"
        )
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories(app)
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_login(login_manager)


def set_template_loader(app: Flask) -> None:
    """Theme folder first, then plugins, then the core; ``core:x.html`` is always the core's."""
    core = FileSystemLoader(str(CORE_TEMPLATES))
    plugin_loaders = [
        FileSystemLoader(str(plugin.template_folder))
        for plugin in app.extensions["brique"].enabled_plugins()
        if plugin.template_folder is not None
    ]
    app.jinja_options = {
        **app.jinja_options,
        "loader": ChoiceLoader(
            [
                PrefixLoader({"core": core}, delimiter=":"),
                FileSystemLoader(app.config["THEME_PATH"]),
                *plugin_loaders,
                core,
            ]
        ),
    }
    init_web(app)


def register_blueprints(app: Flask) -> None:
    from brique.admin.blueprint import bp as admin
    from brique.api.blueprint import bp as api
    from brique.api.blueprint import tokens_bp as api_tokens
    from brique.comments.blueprint import bp as comments
    from brique.people.blueprint import bp as people
    from brique.space_admin.blueprint import bp as space_admin
    from brique.spaces.blueprint import bp as spaces
    from brique.users.blueprint import account, auth

    for blueprint in (spaces, auth, account, admin, space_admin, api):
        app.register_blueprint(blueprint)
    app.register_blueprint(comments)
    app.register_blueprint(people)
    app.register_blueprint(api_tokens)
    from brique.actionlog.blueprint import bp as actionlog
    from brique.moderation.blueprint import admin_bp as moderation_admin
    from brique.moderation.blueprint import bp as moderation

    for blueprint in (actionlog, moderation, moderation_admin):
        app.register_blueprint(blueprint)
    from brique.opendata.blueprint import bp as open_data
    from brique.search.blueprint import bp as search
    from brique.statistics.blueprint import bp as statistics

    for blueprint in (search, open_data, statistics):
        app.register_blueprint(blueprint)
    from brique.notifications.setup import init_notifications

    init_notifications(app)  # follows, notifications, newsletters and the job queue
    state = app.extensions["brique"]
    for ctype in state.component_types.values():
        for blueprint in (ctype.blueprint, ctype.admin_blueprint):
            if blueprint is not None:
                app.register_blueprint(blueprint)
    for blueprints in state.hook.register_blueprints():
        for blueprint in blueprints:
            app.register_blueprint(blueprint)
