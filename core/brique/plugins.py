"""Finding, checking and enabling plugins; the per-app Brique state."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pluggy

from brique import hookspecs
from brique.clock import SystemClock

if TYPE_CHECKING:
    from flask import Flask

    from brique.authorizations import AuthorizationHandler
    from brique.components import ComponentType
    from brique.jobs.registry import JobRegistry
    from brique.notifications.kinds import NotificationRegistry
    from brique.resources import ResourceType

ENTRY_POINT_GROUP = "brique.plugins"
API_VERSION = "1.1.0"
CORE_TEMPLATES = Path(__file__).parent / "templates"

#: Names of the core's blueprints, URL parts and template prefix: a plugin taking one
#: would silently shadow the core's templates or clash with its URLs.
RESERVED_NAMES = frozenset(
    {"core", "brique", "api", "static", "auth", "account", "admin", "space_admin", "spaces"}
)
PLUGIN_NAME = re.compile(r"[a-z][a-z0-9_]*")

hookimpl = pluggy.HookimplMarker(hookspecs.PROJECT)


class PluginError(RuntimeError):
    """A plugin cannot be loaded; the message names the plugin and the fix."""


class Plugin:
    """Base class of every Brique plugin. The entry point names a subclass.

    Implement hooks as methods marked with :data:`~brique.plugin_api.hookimpl`.
    """

    #: The plugin's one name: entry point, blueprint, template folder, table prefix,
    #: config prefix and alembic branch label.
    name: ClassVar[str] = ""
    #: The :data:`~brique.plugin_api.API_VERSION` the plugin was written against, ``"MAJOR.MINOR"``.
    api_version: ClassVar[str] = ""
    #: Names of other plugins that must be enabled for this one to work.
    requires: ClassVar[tuple[str, ...]] = ()
    #: Folder holding ``<name>/`` with the plugin's templates.
    template_folder: ClassVar[str | Path | None] = None
    #: Folder of the plugin's Alembic migrations (branch label ``<name>``).
    migrations_folder: ClassVar[str | Path | None] = None
    #: Folder of the plugin's compiled translations (``<locale>/LC_MESSAGES/messages.mo``).
    translations_folder: ClassVar[str | Path | None] = None
    #: The plugin's settings (:class:`brique.config.Setting`), keys prefixed ``<NAME>_``;
    #: read like the core's from ``brique.toml`` and ``BRIQUE_<NAME>_...`` variables.
    settings: ClassVar[tuple[Any, ...]] = ()


@dataclass
class PluginInfo:
    """What ``brique plugins`` and ``/admin/plugins`` show."""

    name: str
    version: str
    distribution: str
    enabled: bool
    hooks: list[str] = field(default_factory=list)
    plugin: Plugin | None = None


def _job_registry() -> JobRegistry:
    from brique.jobs.registry import JobRegistry  # it imports this module

    return JobRegistry()


def _notification_registry() -> NotificationRegistry:
    from brique.notifications.kinds import NotificationRegistry

    return NotificationRegistry()


@dataclass
class BriqueState:
    """Per-app registries, kept in ``app.extensions["brique"]``."""

    plugin_manager: pluggy.PluginManager
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    component_types: dict[str, ComponentType] = field(default_factory=dict)
    resource_types: dict[str, ResourceType] = field(default_factory=dict)
    authorization_handlers: dict[str, AuthorizationHandler] = field(default_factory=dict)
    #: Background jobs: handlers by kind and periodic jobs (filled at start-up by
    #: :func:`brique.jobs.registry.init_jobs`).
    jobs: JobRegistry = field(default_factory=_job_registry)
    #: Kinds of notifications and their signal receivers (filled at start-up by
    #: :func:`brique.notifications.setup.init_notifications`).
    notifications: NotificationRegistry = field(default_factory=_notification_registry)
    #: A URL map per component blueprint (built on first need by :mod:`brique.blueprints`).
    component_url_maps: dict[str, Any] | None = None
    clock: Any = field(default_factory=SystemClock)

    @property
    def hook(self) -> Any:
        return self.plugin_manager.hook

    def enabled_plugins(self) -> list[Plugin]:
        return [info.plugin for info in self.plugins.values() if info.enabled and info.plugin]


def installed_entry_points() -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in found:
            raise PluginError(
                f"two installed distributions declare the plugin {entry_point.name!r} "
                f"({found[entry_point.name].value} and {entry_point.value}); uninstall one"
            )
        found[entry_point.name] = entry_point
    return found


def new_plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(
    state: BriqueState, enabled: list[str] | None, extra: tuple[type[Plugin], ...] = ()
) -> None:
    """Load installed plugins (all, or those named in ``enabled``) plus ``extra`` classes."""
    from brique.core_plugin import CorePlugin

    state.plugin_manager.register(CorePlugin(), name="core")
    installed = installed_entry_points()
    for plugin_class in extra:
        installed[plugin_class.name] = plugin_class  # type: ignore[assignment]
    wanted = set(installed) if enabled is None else set(enabled)
    wanted |= {plugin_class.name for plugin_class in extra}  # given explicitly: enabled
    unknown = wanted - set(installed)
    if unknown:
        raise PluginError(
            f"BRIQUE_PLUGINS names {', '.join(sorted(unknown))}, not installed; install the "
            "package or remove the name from BRIQUE_PLUGINS (installed: "
            f"{', '.join(sorted(installed)) or 'none'})"
        )
    for name in sorted(installed):
        state.plugins[name] = _plugin_info(name, installed[name], name in wanted)
    for info in state.plugins.values():
        if info.enabled:
            _check_requirements(info, state)
            state.plugin_manager.register(info.plugin, name=info.name)
            info.hooks = sorted(
                caller.name for caller in state.plugin_manager.get_hookcallers(info.plugin) or []
            )


def _plugin_info(name: str, source: EntryPoint | type[Plugin], enabled: bool) -> PluginInfo:
    distribution, version = "(not installed)", "0"
    if isinstance(source, EntryPoint):
        if source.dist is not None:
            distribution, version = source.dist.name, source.dist.version
        if not enabled:
            return PluginInfo(name, version, distribution, enabled=False)
        try:
            source = source.load()
        except Exception as error:
            raise PluginError(
                f"plugin {name!r}: importing {source.value} failed: {error!r}; "
                "fix the package or disable it with BRIQUE_PLUGINS"
            ) from error
    plugin = _instantiate(name, source)
    return PluginInfo(name, version, distribution, enabled, plugin=plugin)


def _instantiate(name: str, plugin_class: Any) -> Plugin:
    if not (isinstance(plugin_class, type) and issubclass(plugin_class, Plugin)):
        raise PluginError(
            f"plugin {name!r}: the entry point must name a subclass of brique.plugin_api.Plugin"
        )
    if plugin_class.name != name:
        raise PluginError(
            f"plugin {name!r}: its class says name = {plugin_class.name!r}; the "
            "entry point name and Plugin.name must be the same"
        )
    check_plugin_name(name)
    check_api_version(name, plugin_class.api_version)
    return plugin_class()


def check_plugin_name(name: str) -> None:
    """A plugin's name prefixes its tables, settings and URLs: it must not clash with the core's."""
    if not PLUGIN_NAME.fullmatch(name):
        raise PluginError(
            f"plugin {name!r}: a plugin name is lowercase letters, digits and underscores, "
            "starting with a letter; rename the entry point and Plugin.name"
        )
    if name in RESERVED_NAMES or name in core_template_folders() or _prefixes_core_table(name):
        raise PluginError(
            f"plugin {name!r}: the core uses this name (its URLs, templates or tables); "
            "choose another name for the entry point and Plugin.name"
        )


def core_template_folders() -> set[str]:
    return {entry.name for entry in CORE_TEMPLATES.iterdir() if entry.is_dir()}


def _prefixes_core_table(name: str) -> bool:
    from brique import models

    tables = [getattr(models, model).__tablename__ for model in models.__all__]
    return any(table == name or table.startswith(f"{name}_") for table in tables)


def check_api_version(name: str, wanted: str) -> None:
    """A plugin written for ``MAJOR.MINOR`` runs on the same major and a later minor."""
    current = API_VERSION.split(".")
    try:
        major, minor = (int(part) for part in wanted.split(".")[:2])
    except ValueError:
        raise PluginError(
            f"plugin {name!r}: api_version must look like '1.0', got {wanted!r}"
        ) from None
    if major != int(current[0]) or minor > int(current[1]):
        raise PluginError(
            f"plugin {name!r} needs plugin API {wanted}, Brique provides "
            f"{API_VERSION}; install a version of the plugin made for it"
        )


def _check_requirements(info: PluginInfo, state: BriqueState) -> None:
    for required in info.plugin.requires:
        other = state.plugins.get(required)
        if other is None or not other.enabled:
            raise PluginError(
                f"plugin {info.name!r} requires the plugin {required!r}; install "
                "and enable it, or disable this one with BRIQUE_PLUGINS"
            )


def collect(state: BriqueState, hook_name: str) -> list[tuple[str, Any]]:
    """Call a list-returning registration hook, keeping which plugin gave what."""
    results = []
    for impl in getattr(state.hook, hook_name).get_hookimpls():
        for item in impl.function() or []:
            results.append((impl.plugin_name, item))
    return results


def plugin_settings(state: BriqueState) -> tuple[Any, ...]:
    """The settings every enabled plugin declares, checked for the ``<NAME>_`` prefix."""
    declared = []
    for plugin in state.enabled_plugins():
        for setting in plugin.settings:
            if not setting.key.startswith(f"{plugin.name.upper()}_"):
                raise PluginError(
                    f"plugin {plugin.name!r}: setting {setting.key!r} must start with "
                    f"'{plugin.name.upper()}_'"
                )
            declared.append(setting)
    return tuple(declared)


def register_contributions(app: Flask, state: BriqueState) -> None:
    """Collect component types, resource types and handlers, checking the naming contract."""
    for plugin in state.enabled_plugins():  # with or without a component type
        check_template_folder(plugin.name, plugin)
        check_migrations(plugin.name, plugin)
    for plugin_name, ctype in collect(state, "register_component_types"):
        check_component_type(plugin_name, ctype)
        _unique(state.component_types, ctype.name, plugin_name, "component type")
        state.component_types[ctype.name] = ctype
    for plugin_name, rtype in collect(state, "register_resource_types"):
        if not rtype.name.startswith(f"{plugin_name}."):
            raise PluginError(
                f"plugin {plugin_name!r}: its resource type {rtype.name!r} must be named "
                f"'{plugin_name}.<kind>'"
            )
        _unique(state.resource_types, rtype.name, plugin_name, "resource type")
        state.resource_types[rtype.name] = rtype
    for plugin_name, handler in collect(state, "register_authorization_handlers"):
        _unique(state.authorization_handlers, handler.name, plugin_name, "authorization handler")
        state.authorization_handlers[handler.name] = handler


def _unique(registry: dict[str, Any], name: str, plugin_name: str, what: str) -> None:
    if name in registry:
        raise PluginError(
            f"plugin {plugin_name!r} registers the {what} {name!r} twice, or another "
            "plugin registered it already; give each a unique name"
        )


def check_component_type(plugin_name: str, ctype: ComponentType) -> None:
    """The one-name rule: the type, its blueprints and tables share the plugin's name."""

    def fail(problem: str) -> None:
        raise PluginError(f"plugin {plugin_name!r}: {problem}")

    if ctype.name != plugin_name:
        fail(f"its component type is named {ctype.name!r}; name it {plugin_name!r}")
    if ctype.blueprint is not None and ctype.blueprint.name != plugin_name:
        fail(f"its blueprint is named {ctype.blueprint.name!r}; name it {plugin_name!r}")
    if ctype.admin_blueprint is not None and ctype.admin_blueprint.name != f"{plugin_name}_admin":
        fail(
            f"its admin blueprint is named {ctype.admin_blueprint.name!r}; name it "
            f"'{plugin_name}_admin'"
        )
    for model in ctype.models:
        if not model.__tablename__.startswith(f"{plugin_name}_"):
            fail(f"table {model.__tablename__!r} must start with '{plugin_name}_'")
    for key in ("settings_schema", "step_settings_schema"):
        try:
            getattr(ctype, key)().load({})
        except Exception as error:
            fail(
                f"{key} must load an empty mapping into defaults (give every field "
                f"load_default): {error}"
            )


def check_template_folder(name: str, plugin: Plugin) -> None:
    if plugin.template_folder is None:
        return
    folder = Path(plugin.template_folder)
    entries = {entry.name for entry in folder.iterdir()} if folder.is_dir() else set()
    if entries != {name}:
        raise PluginError(
            f"plugin {name!r}: its template folder {folder} must hold exactly one "
            f"folder named {name!r} (found: {', '.join(sorted(entries)) or 'none'})"
        )


def check_migrations(name: str, plugin: Plugin) -> None:
    """Each first migration of the plugin must open the branch labelled with its name."""
    if plugin.migrations_folder is None:
        return
    own = Path(plugin.migrations_folder) / "versions"
    files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in own.glob("*.py")))
    unlabelled = _unlabelled_first_revisions(name, str(own), files)
    if unlabelled:
        raise PluginError(
            f"plugin {name!r}: its first migration {unlabelled[0]} must "
            f"have branch_labels = ({name!r},)"
        )


@functools.lru_cache(maxsize=64)
def _unlabelled_first_revisions(name: str, folder: str, files: tuple) -> list[str]:
    # Cached per folder content: reading the revision files is most of a plugin's load time,
    # and apps are created many times in one process (tests, workers).
    from alembic.script import ScriptDirectory

    from brique.migrate import CORE_MIGRATIONS

    script = ScriptDirectory(
        str(CORE_MIGRATIONS), version_locations=[str(CORE_MIGRATIONS / "versions"), folder]
    )
    return [
        revision.revision
        for revision in script.walk_revisions()
        if Path(revision.path).parent == Path(folder)
        and revision.down_revision is None
        and name not in (revision.branch_labels or ())
    ]
