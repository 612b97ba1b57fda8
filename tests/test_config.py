"""Settings: declared defaults, then brique.toml, BRIQUE_* variables, create_app's mapping."""

import pytest

from brique import create_app
from brique.config import (
    CONFIG_FILE,
    SETTINGS,
    ConfigError,
    coerce,
    load_config,
    read_config_file,
    write_config_file,
)


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """An empty instance folder, with no BRIQUE_* variable leaking in from the shell."""
    import os

    for key in list(os.environ):
        if key.startswith("BRIQUE_"):
            monkeypatch.delenv(key)
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


def write_toml(instance, text):
    (instance / CONFIG_FILE).write_text(text, encoding="utf-8")


def app_settings(instance, **overrides):
    return {"INSTANCE_PATH": str(instance), "TESTING": True, **overrides}


def test_defaults_apply_without_file_or_environment(instance):
    values = load_config(instance, environ={})
    assert values["TIMEZONE"] == "Europe/Paris"
    assert values["DEFAULT_LOCALE"] == "fr"
    assert values["LOCALES"] == ["fr", "en"]
    assert values["SMTP_PORT"] == 587 and values["SMTP_STARTTLS"] is True
    assert values["PLUGINS"] is None  # all installed plugins
    assert values["SECRET_KEY"] is None and values["DATABASE_URL"] is None


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.key)
def test_every_setting_is_described_and_its_default_has_its_type(setting):
    assert setting.key.isupper() and len(setting.description) > 15
    assert coerce(setting, setting.default) == setting.default


def test_the_instance_file_sets_values_with_their_types(instance):
    write_toml(
        instance,
        'TIMEZONE = "America/Cayenne"\nSMTP_PORT = 2525\nSMTP_STARTTLS = false\n'
        'LOCALES = ["en"]\nPLUGINS = "tiny"\n',
    )
    values = load_config(instance, environ={})
    assert values["TIMEZONE"] == "America/Cayenne"
    assert values["SMTP_PORT"] == 2525 and values["SMTP_STARTTLS"] is False
    assert values["LOCALES"] == ["en"]
    assert values["PLUGINS"] == ["tiny"]  # a comma-separated string is a list too


@pytest.mark.parametrize(
    ("variable", "text", "key", "expected"),
    [
        ("BRIQUE_SMTP_STARTTLS", "off", "SMTP_STARTTLS", False),
        ("BRIQUE_SMTP_STARTTLS", "yes", "SMTP_STARTTLS", True),
        ("BRIQUE_SECURE_COOKIES", "1", "SECURE_COOKIES", True),
        ("BRIQUE_SECURE_COOKIES", "", "SECURE_COOKIES", False),
        ("BRIQUE_SMTP_PORT", "2525", "SMTP_PORT", 2525),
        ("BRIQUE_UPLOAD_MAX_BYTES", "1048576", "UPLOAD_MAX_BYTES", 1048576),
        ("BRIQUE_LOCALES", "en, fr", "LOCALES", ["en", "fr"]),
        ("BRIQUE_PLUGINS", "tiny,proposals", "PLUGINS", ["tiny", "proposals"]),
        ("BRIQUE_PLUGINS", "", "PLUGINS", []),  # none enabled
        ("BRIQUE_TIMEZONE", "Europe/Brussels", "TIMEZONE", "Europe/Brussels"),
    ],
)
def test_environment_variables_are_converted_to_the_settings_type(
    instance, variable, text, key, expected
):
    assert load_config(instance, environ={variable: text})[key] == expected


def test_the_environment_beats_the_file_and_create_apps_mapping_beats_both(instance):
    write_toml(instance, 'SMTP_PORT = 2525\nMAIL_BACKEND = "smtp"\n')
    values = load_config(instance, {"SMTP_PORT": "26"}, environ={"BRIQUE_SMTP_PORT": "25"})
    assert values["SMTP_PORT"] == 26  # converted like any other source
    assert values["MAIL_BACKEND"] == "smtp"
    assert load_config(instance, environ={"BRIQUE_SMTP_PORT": "25"})["SMTP_PORT"] == 25


@pytest.mark.parametrize(
    ("variable", "text", "fragment"),
    [
        ("BRIQUE_SMTP_PORT", "many", "setting SMTP_PORT"),
        ("BRIQUE_SECURE_COOKIES", "maybe", "setting SECURE_COOKIES: not a boolean: 'maybe'"),
    ],
)
def test_a_value_of_the_wrong_type_names_the_setting(instance, variable, text, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_config(instance, environ={variable: text})


def test_a_wrong_type_in_the_file_names_the_setting(instance):
    write_toml(instance, 'SMTP_PORT = "submission"\n')
    with pytest.raises(ConfigError, match="setting SMTP_PORT"):
        load_config(instance, environ={})


def test_an_unreadable_file_is_a_clear_error(instance):
    write_toml(instance, "SMTP_PORT = = 25\n")
    with pytest.raises(ConfigError, match=CONFIG_FILE):
        load_config(instance, environ={})


def test_flask_keys_given_to_create_app_pass_through(instance):
    app = create_app(app_settings(instance, SECRET_KEY="s", WTF_CSRF_ENABLED=False))
    assert app.config["TESTING"] is True and app.config["WTF_CSRF_ENABLED"] is False


def test_an_unknown_key_in_the_instance_file_is_a_clear_error(instance):
    write_toml(instance, 'SECRET_KEY = "s"\nSMTP_PROT = 25\n')
    with pytest.raises(ConfigError) as caught:
        create_app(app_settings(instance))
    message = str(caught.value)
    assert str(instance / CONFIG_FILE) in message
    assert "unknown settings SMTP_PROT (did you mean SMTP_PORT?)" in message


def test_a_plugins_settings_are_read_like_the_cores(instance, monkeypatch):
    write_toml(instance, 'SECRET_KEY = "s"\nTINY_GREETING = "bonjour"\n')
    assert create_app(app_settings(instance)).config["TINY_GREETING"] == "bonjour"
    monkeypatch.setenv("BRIQUE_TINY_GREETING", "salut")
    assert create_app(app_settings(instance)).config["TINY_GREETING"] == "salut"


def test_a_disabled_plugins_settings_are_unknown(instance):
    write_toml(instance, 'SECRET_KEY = "s"\nTINY_GREETING = "bonjour"\n')
    with pytest.raises(ConfigError, match=r"TINY_GREETING.*need the plugin enabled"):
        create_app(app_settings(instance, PLUGINS=[]))


def test_a_missing_secret_key_says_how_to_make_one(instance):
    with pytest.raises(ConfigError) as caught:
        create_app(app_settings(instance))
    assert "no SECRET_KEY" in str(caught.value)
    assert "brique init" in str(caught.value) and "BRIQUE_SECRET_KEY" in str(caught.value)


def test_the_secret_key_may_come_from_the_environment(instance, monkeypatch):
    monkeypatch.setenv("BRIQUE_SECRET_KEY", "from-the-environment")
    assert create_app(app_settings(instance)).config["SECRET_KEY"] == "from-the-environment"


def test_without_a_database_url_the_database_is_sqlite_in_the_instance(instance):
    app = create_app(app_settings(instance, SECRET_KEY="s"))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'brique.db'}"
    assert app.config["THEME_PATH"] == str(instance / "theme")
    assert app.config["UPLOAD_PATH"] == str(instance / "uploads")


def test_derived_flask_settings_follow_brique_settings(instance):
    app = create_app(app_settings(instance, SECRET_KEY="s", SECURE_COOKIES="true"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Paris"


def test_the_config_file_round_trips(instance):
    values = {"SECRET_KEY": 'a"b\\c', "SMTP_PORT": 25, "SMTP_STARTTLS": False, "LOCALES": ["fr"]}
    write_config_file(instance / CONFIG_FILE, values)
    assert read_config_file(instance / CONFIG_FILE) == values
