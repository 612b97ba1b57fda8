"""The proposals plugin: what it contributes to Brique."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from brique.plugin_api import (
    Action,
    ComponentType,
    DemoContext,
    NotificationKind,
    Plugin,
    ResourceType,
    hookimpl,
)
from brique_proposals.models import MODELS, Proposal

HERE = Path(__file__).parent


class ProposalResource(ResourceType):
    """Proposals seen from the core and from other components (budgets, sortition)."""

    name = "proposals.proposal"
    label = _l("Proposal")
    component_type = "proposals"
    model = Proposal
    commentable = reportable = followable = searchable = exportable = True

    def url(self, resource: Proposal) -> str:
        return url_for(
            "proposals.show",
            proposal_id=resource.id,
            space_slug=resource.component.space.slug,
            component_id=resource.component_id,
        )

    def state(self, resource: Proposal) -> str | None:
        """``withdrawn``/``merged``/``split``, else the published answer's state (``accepted``,
        ``rejected``, ``evaluating`` or a custom state's key), else ``published``.

        ``list(component, state="accepted")`` selects on the same rule in SQL.
        """
        return resource.state

    def cost(self, resource: Proposal) -> int | None:
        """The cost of an accepted proposal whose answer is published, in whole units of
        the component's ``currency`` setting; ``None`` otherwise (budgets import it)."""
        return resource.cost if self.state(resource) == "accepted" else None

    def authors(self, resource: Proposal) -> list[int]:
        accepted = [c.user_id for c in resource.coauthorships if c.accepted_at is not None]
        return ([resource.author_id] if resource.author_id else []) + accepted

    def created_at(self, resource: Proposal) -> Any:
        return resource.published_at or resource.created_at

    def is_public(self, resource: Proposal) -> bool:
        return resource.status != "draft"

    def query(self, component: Any) -> Any:
        return super().query(component).where(Proposal.status != "draft")

    def content(self, resource: Proposal) -> dict[str, Any]:
        return {
            **super().content(resource),
            "body": resource.body,
            "published_at": resource.published_at,
        }

    def export_row(self, resource: Proposal) -> dict[str, Any]:
        from brique_proposals.exports import public_row

        return {**super().export_row(resource), **public_row(resource), "cost": self.cost(resource)}


class ProposalsPlugin(Plugin):
    name = "proposals"
    api_version = "1.1"
    template_folder = HERE / "templates"
    migrations_folder = HERE / "migrations"
    translations_folder = HERE / "translations"

    @hookimpl
    def register_component_types(self) -> list[ComponentType]:
        from brique_proposals import (
            authoring,  # noqa: F401  (its routes join the blueprint)
            transfer_views,  # noqa: F401  (its routes join admin_bp)
        )
        from brique_proposals.admin_views import admin_bp
        from brique_proposals.rules import check_action
        from brique_proposals.schemas import ProposalsSettings, ProposalsStepSettings
        from brique_proposals.views import bp

        return [
            ComponentType(
                name="proposals",
                label=_l("Proposals"),
                description=_l(
                    "Citizens put ideas forward and support them; the institution answers each."
                ),
                icon="lightbulb",
                settings_schema=ProposalsSettings,
                step_settings_schema=ProposalsStepSettings,
                actions=ACTIONS,
                blueprint=bp,
                admin_blueprint=admin_bp,
                entry_endpoint="proposals.index",
                admin_endpoint="proposals_admin.index",
                models=MODELS,
                removal_warning=_removal_warning,
                check_action=check_action,
                log_verbs=LOG_VERBS,
            )
        ]

    @hookimpl
    def register_resource_types(self) -> list[ResourceType]:
        return [ProposalResource()]

    @hookimpl
    def register_cli_commands(self, cli: Any) -> None:
        from brique_proposals.cli import proposals_group

        cli.add_command(proposals_group)

    @hookimpl
    def component_open_data(self, component: Any) -> list[Any] | None:
        from brique_proposals.exports import open_data_tables

        return open_data_tables(component) if component.type == "proposals" else None

    @hookimpl
    def demo_content(self, demo: DemoContext) -> None:
        from brique_proposals.demo import add_demo_proposals

        add_demo_proposals(demo)

    @hookimpl
    def register_notification_kinds(self) -> list[NotificationKind]:
        from brique_proposals.coauthors import notification_kinds
        from brique_proposals.notifications import notification_kinds as answer_kinds

        return [*notification_kinds(), *answer_kinds()]

    @hookimpl
    def register_blueprints(self) -> list[Any]:
        from brique_proposals.valuator_views import valuation_bp

        return [valuation_bp]

    @hookimpl
    def template_slot(self, name: str, context: dict[str, Any]) -> Any:
        if name != "admin_dashboard":
            return None
        from flask import render_template

        from brique_proposals.valuation import assigned_work

        work = assigned_work(context["user"])
        if not work:
            return None
        return Markup(render_template("proposals/admin/valuation_dashboard.html", work=work))

    @hookimpl
    def init_app(self, app: Any) -> None:
        from brique_proposals import comment_counts
        from brique_proposals.attachments import connect_receivers

        connect_receivers()  # attachments' files follow their rows
        comment_counts.connect_receivers()  # the "most commented" order's counts


ACTIONS = {
    "create": Action(
        _l("Write a proposal"),
        step_setting="creation_open",
        opens_message=_l("Proposals can be written from %(date)s."),
    ),
    "support": Action(
        _l("Support proposals"),
        step_setting="supports_enabled",
        opens_message=_l("Supports open on %(date)s."),
    ),
    "comment": Action(_l("Comment on proposals"), step_setting="comments_open"),
    "vote_comment": Action(_l("Vote on comments"), step_setting="comments_open"),
    "withdraw": Action(_l("Withdraw one's proposal")),
    "coauthor": Action(_l("Invite coauthors")),
}

#: What administrators read in the action log for the verbs this component writes.
LOG_VERBS = {
    "proposals.publish": _l("Published a proposal"),
    "proposals.withdraw": _l("Withdrew a proposal"),
    "proposals.import": _l("Imported a proposal"),
    "proposals.merge": _l("Merged proposals into this one"),
    "proposals.merged": _l("Merged a proposal into another"),
    "proposals.split": _l("Split a proposal into several"),
    "proposals.split_part": _l("Made a proposal from a split one"),
    "proposals.move": _l("Moved a proposal to another category"),
    "proposals.answer": _l("Answered a proposal"),
    "proposals.publish_answer": _l("Published an answer"),
    "proposals.add_answer_state": _l("Added an answer state"),
    "proposals.edit_answer_state": _l("Changed an answer state"),
    "proposals.move_answer_state": _l("Moved an answer state"),
    "proposals.delete_answer_state": _l("Deleted an answer state"),
    "proposals.assign_valuator": _l("Gave a proposal to a valuator"),
    "proposals.unassign_valuator": _l("Took a proposal back from a valuator"),
    "proposals.add_private_note": _l("Wrote a private note"),
    "proposals.invite_coauthor": _l("Invited a coauthor"),
    "proposals.accept_coauthorship": _l("Agreed to coauthor a proposal"),
}


def _removal_warning(component: Any) -> str:
    from flask_babel import ngettext
    from sqlalchemy import func, select

    from brique.plugin_api import db

    count = db.session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.component_id == component.id)
    )
    return ngettext(
        "Its proposal is deleted, with its supports and comments.",
        "Its %(num)d proposals are deleted, with their supports and comments.",
        count,
    )
