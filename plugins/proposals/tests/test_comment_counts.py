"""The comment counts the "most commented" order reads follow what the threads show: a
comment written or deleted, hidden by a moderator, its author blocked."""

from __future__ import annotations

import pytest

from brique.moderation.decisions import block, hide_unreported, unblock
from brique.moderation.targets import resolve
from brique.plugin_api import comment_counts, db
from brique_proposals.comment_counts import recount_comments


@pytest.fixture
def app_config():
    return {"LOCALES": ["en"], "DEFAULT_LOCALE": "en"}


@pytest.fixture
def commented(component, make_proposal, create_user, db):
    """A proposal with two comments by Camille, written through the core's service."""
    from brique.comments.services import find_commented, publish_comment

    proposal = make_proposal(component)
    camille = create_user("Camille")
    target = find_commented("proposals.proposal", proposal.id)
    data = {"alignment": 0, "official": False}
    comments = [publish_comment(target, camille, {**data, "body": f"Idea {n}"}) for n in range(2)]
    return proposal, camille, comments


def counted(proposal):
    db.session.expire(proposal)
    return proposal.comments_count


def test_comments_written_through_the_core_are_counted(commented):
    proposal, _, _ = commented
    assert (
        counted(proposal) == 2 == comment_counts("proposals.proposal", [proposal.id])[proposal.id]
    )


def test_a_comment_hidden_by_a_moderator_stops_counting(commented, admin_user):
    proposal, _, comments = commented
    hide_unreported(resolve("comment", comments[0].id), admin_user)
    db.session.commit()
    assert counted(proposal) == 1


def test_a_blocked_authors_comments_stop_counting_until_unblocked(commented, admin_user):
    proposal, camille, _ = commented
    block(camille, admin_user, "Spam")
    db.session.commit()
    assert counted(proposal) == 0
    unblock(camille, admin_user)
    db.session.commit()
    assert counted(proposal) == 2


def test_recount_repairs_the_comment_counts(commented):
    proposal, _, _ = commented
    proposal.comments_count = 7
    db.session.commit()
    assert recount_comments(proposal.component_id) == 1
    assert counted(proposal) == 2
