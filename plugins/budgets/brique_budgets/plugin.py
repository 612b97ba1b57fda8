"""The budgets plugin: what it contributes to Brique."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from brique.plugin_api import Action, ComponentType, DemoContext, Plugin, ResourceType, hookimpl
from brique_budgets.models import MODELS, Budget, Project

HERE = Path(__file__).parent

ACTIONS = {
    "vote": Action(
        _l("Vote in the budget"),
        step_setting="votes_open",
        opens_message=_l("Voting opens on %(date)s."),
    ),
}

#: What administrators read in the action log for the verbs this component writes.
LOG_VERBS = {
    "budgets.add_budget": _l("Added a budget"),
    "budgets.edit_budget": _l("Changed a budget"),
    "budgets.delete_budget": _l("Deleted a budget"),
    "budgets.add_project": _l("Added a project"),
    "budgets.import_project": _l("Imported a project"),
    "budgets.edit_project": _l("Changed a project"),
    "budgets.delete_project": _l("Deleted a project"),
    "budgets.decide_project": _l("Decided on a project's place in the result"),
    "budgets.compute_result": _l("Computed the result"),
    "budgets.publish_results": _l("Published the results"),
    "budgets.enter_paper_ballot": _l("Entered a paper ballot"),
    "budgets.record_station_counts": _l("Recorded a polling station's counts"),
    "budgets.import_pabulib": _l("Imported a Pabulib file"),
}


class BudgetResource(ResourceType):
    """A budget, so that ``can(user, "vote", budget)`` reaches its component's rules."""

    name = "budgets.budget"
    label = _l("Budget")
    component_type = "budgets"
    model = Budget

    def url(self, resource: Budget) -> str:
        return url_for(
            "budgets.budget",
            budget_id=resource.id,
            space_slug=resource.component.space.slug,
            component_id=resource.component_id,
        )


class ProjectResource(ResourceType):
    """Projects seen from the core and from other components."""

    name = "budgets.project"
    label = _l("Budget project")
    component_type = "budgets"
    model = Project
    searchable = exportable = True

    def url(self, resource: Project) -> str:
        return url_for(
            "budgets.project",
            budget_id=resource.budget_id,
            project_id=resource.id,
            space_slug=resource.budget.component.space.slug,
            component_id=resource.component_id,
        )

    def state(self, resource: Project) -> str | None:
        """``selected`` when put to the vote, else the valuation (``feasible``...)."""
        return "selected" if resource.selected else resource.feasibility

    def body(self, resource: Project) -> str:
        return resource.description

    def is_public(self, resource: Project) -> bool:
        return resource.selected


class BudgetsPlugin(Plugin):
    name = "budgets"
    api_version = "1.1"
    template_folder = HERE / "templates"
    migrations_folder = HERE / "migrations"
    translations_folder = HERE / "translations"

    @hookimpl
    def register_component_types(self) -> list[ComponentType]:
        from brique_budgets import (  # noqa: F401  (their routes join admin_bp)
            admin_paper,
            admin_results,
        )
        from brique_budgets.admin_views import admin_bp
        from brique_budgets.rules import check_action
        from brique_budgets.schemas import BudgetsSettings, BudgetsStepSettings
        from brique_budgets.views import bp

        return [
            ComponentType(
                name="budgets",
                label=_l("Budgets"),
                description=_l(
                    "Participants decide how to spend part of the budget: ballots, paper "
                    "votes, results by the announced rule."
                ),
                icon="wallet",
                settings_schema=BudgetsSettings,
                step_settings_schema=BudgetsStepSettings,
                actions=ACTIONS,
                blueprint=bp,
                admin_blueprint=admin_bp,
                entry_endpoint="budgets.index",
                admin_endpoint="budgets_admin.index",
                models=MODELS,
                check_action=check_action,
                log_verbs=LOG_VERBS,
            )
        ]

    @hookimpl
    def register_resource_types(self) -> list[ResourceType]:
        return [BudgetResource(), ProjectResource()]

    @hookimpl
    def demo_content(self, demo: DemoContext) -> None:
        from brique_budgets.demo import add_demo_budget

        add_demo_budget(demo)

    @hookimpl
    def register_job_handlers(self) -> dict[str, Any]:
        from brique_budgets.result_jobs import JOB_KIND, run_compute_job

        return {JOB_KIND: run_compute_job}

    @hookimpl
    def register_cli_commands(self, cli: Any) -> None:
        from brique_budgets.cli import budgets_group

        cli.add_command(budgets_group)
