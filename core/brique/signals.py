"""Signals the core sends when something happened. Receivers take ``**kwargs``.

Plugins declare theirs in their own ``signals.py`` the same way, named
``<plugin>-<event>``.
"""

from blinker import Namespace

_signals = Namespace()

user_registered = _signals.signal(
    "user-registered",
    doc="""
A person signed up. *sender*: the :class:`~brique.plugin_api.User`.
""",
)

user_confirmed = _signals.signal(
    "user-confirmed",
    doc="""
A person confirmed their e-mail address. *sender*: the user.
""",
)

user_deleted = _signals.signal(
    "user-deleted",
    doc="""
A person deleted their account; their contributions stay, anonymised.
*sender*: the user (already anonymised).
""",
)

user_authorized = _signals.signal(
    "user-authorized",
    doc="""
A person was verified by an authorization handler. *sender*: the user;
*handler*: the handler's name.
""",
)

space_created = _signals.signal(
    "space-created",
    doc="""
An admin created a space. *sender*: the :class:`~brique.plugin_api.Space`.
""",
)

space_published = _signals.signal(
    "space-published",
    doc="""
A space became public. *sender*: the space.
""",
)

space_unpublished = _signals.signal(
    "space-unpublished",
    doc="""
A space went back to draft. *sender*: the space.
""",
)

step_activated = _signals.signal(
    "step-activated",
    doc="""
A step became the active one: an admin pinned it, or its start date came (sent by the
periodic job ``timeline.announce-steps`` of ``brique jobs work``, within minutes, once per
step). *sender*: the :class:`~brique.plugin_api.Step`. Followers of the space are
notified. To know the active step at any moment, use
:func:`brique.plugin_api.active_step`.
""",
)

component_added = _signals.signal(
    "component-added",
    doc="""
A component was added to a space. *sender*: the :class:`~brique.plugin_api.Component`.
""",
)

component_published = _signals.signal(
    "component-published",
    doc="""
A component became visible. *sender*: the component.
""",
)

component_removed = _signals.signal(
    "component-removed",
    doc="""
A component is about to be deleted with its content. *sender*: the component.
""",
)

settings_changed = _signals.signal(
    "component-settings-changed",
    doc="""
A component's global settings, step settings or permissions changed.
*sender*: the component; *part*: ``"settings"``, ``"step_settings"`` or ``"permissions"``.
""",
)

resource_created = _signals.signal(
    "resource-created",
    doc="""
A component created a resource participants can see or will see (a proposal, a
project...). Components send it after the commit. *sender*: the resource type's name
(``"proposals.proposal"``); *resource*: the model instance; *user*: who created it
(``None`` for imports and commands). Search, follows (authors follow what they
create) and the action log listen to it.
""",
)

resource_updated = _signals.signal(
    "resource-updated",
    doc="""
A component changed a resource. Sent after the commit. *sender*: the resource type's
name; *resource*; *user*: who changed it (``None`` for commands); *changes*: a mapping
``field -> (before, after)`` of what changed (may be empty).
""",
)

resource_deleted = _signals.signal(
    "resource-deleted",
    doc="""
A component deleted a resource. Sent after the commit. *sender*: the resource type's
name; *resource_id*; *component_id*; *user*: who deleted it (``None`` for commands).
""",
)

# --- Participation services: each service declares its signals in its section. ------------------

# --- Comments -----------------------------------------------------------------------------------

comment_created = _signals.signal(
    "comment-created",
    doc="""
A participant commented on a resource or replied to a comment. Sent after the commit.
*sender*: the new ``Comment`` (:mod:`brique.models`); *resource_type*: the name of the
commented resource's type (``"proposals.proposal"``); *resource_id*; *resource*: the
resource's model instance; *component*: its :class:`~brique.plugin_api.Component`;
*author*: the :class:`~brique.plugin_api.User` who wrote it; *parent*: the comment
replied to (its ``author_id`` is who to tell of the reply), or ``None`` for a comment on
the resource itself. Notifications (followers of the resource, the parent's author),
search and the action log listen to it.
""",
)

comment_edited = _signals.signal(
    "comment-edited",
    doc="""
An author edited their comment; the text it replaced is kept as a ``CommentVersion``.
Sent after the commit. *sender*: the comment (already changed); *user*: who edited it;
*previous_body*: the text before the edit.
""",
)

comment_deleted = _signals.signal(
    "comment-deleted",
    doc="""
An author deleted their comment: its text is erased and a placeholder keeps its place in
the thread. Sent after the commit. *sender*: the comment; *user*: who deleted it.
""",
)

comments_counted = _signals.signal(
    "comments-counted",
    doc="""
What some resources' comment counts show may have changed: a comment was written or
deleted, a moderator hid or restored one, its author was blocked or unblocked. Sent after
the commit. *sender*: the resource type's name (``"proposals.proposal"``); *resource_ids*:
the ids of its resources concerned. A component that keeps a count to sort by (most
commented first) reads the new counts with :func:`~brique.plugin_api.comment_counts`.
""",
)

comment_voted = _signals.signal(
    "comment-voted",
    doc="""
A participant voted on a comment, changed their vote or took it back. Sent after the
commit, only when the vote changed. *sender*: the comment (with its new ``upvotes`` and
``downvotes``); *user*: the voter; *value*: ``1`` (up), ``-1`` (down) or ``0`` (no vote
any more); *previous*: the vote before, in the same terms.
""",
)

# --- Moderation and action log ------------------------------------------------------------------

content_reported = _signals.signal(
    "content-reported",
    doc="""
A participant reported content or a person to the moderators. Sent after the commit.
*sender*: the target's type name (a resource type's name, ``"comment"`` or ``"user"``);
*target_id*; *space_id*: the space whose moderators handle it (``None`` for a person:
platform administrators do); *user*: who reported; *reason*: ``"spam"``,
``"offensive"``, ``"off_topic"``, ``"charter"`` or ``"other"``; *report_count*: the
reports now held on the target.
""",
)

content_hidden = _signals.signal(
    "content-hidden",
    doc="""
Content was hidden pending review: a moderator hid it, or it reached the space's
number of reports. It shows as a placeholder. Sent after the commit. *sender*: the
target's type name; *target_id*; *space_id*; *user*: the moderator, or ``None`` when
hidden automatically; *author_id*: who wrote the content, if known (to tell them).
""",
)

content_unhidden = _signals.signal(
    "content-unhidden",
    doc="""
A moderator restored hidden content (unhid it, or dismissed its reports). Sent after
the commit. *sender*: the target's type name; *target_id*; *space_id*; *user*: the
moderator; *author_id*: who wrote the content, if known.
""",
)

user_blocked = _signals.signal(
    "user-blocked",
    doc="""
A platform administrator blocked a person: they can no longer log in and their
contributions are hidden. Sent after the commit. *sender*: the blocked
:class:`~brique.plugin_api.User`; *by*: the administrator; *reason*: the reason they
are shown when they try to log in.
""",
)

user_unblocked = _signals.signal(
    "user-unblocked",
    doc="""
A platform administrator unblocked a person. Sent after the commit. *sender*: the
:class:`~brique.plugin_api.User`; *by*: the administrator.
""",
)

# --- Follows and notifications ------------------------------------------------------------------

results_published = _signals.signal(
    "results-published",
    doc="""
A component published results: a vote's tally, the projects selected, a panel drawn by
lot, answers to proposals... Components send it after the commit. *sender*: the
:class:`~brique.plugin_api.Component`; *url*: where participants read the results;
*title*: what was published (``"Résultats du vote"``), or ``""``; *user*: who published
them (``None`` for commands). Followers of the space are notified.
""",
)

# --- Search, open data and statistics -----------------------------------------------------------
