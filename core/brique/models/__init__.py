"""The core's models. Plugins define theirs on :class:`brique.db.Base` with their own prefix."""

from brique.models.actionlog import ActionLogEntry, ActionLogHead
from brique.models.api_tokens import ApiToken
from brique.models.comments import Comment, CommentVersion, CommentVote
from brique.models.components import Component, ResourceLink
from brique.models.jobs import Job, JobSchedule
from brique.models.moderation import Moderation, Report
from brique.models.notifications import (
    AnnouncedStep,
    Follow,
    Newsletter,
    NewsletterRecipient,
    Notification,
    SpaceParticipant,
)
from brique.models.search import SearchDocument
from brique.models.site import SiteSettings
from brique.models.spaces import Category, Scope, Space, SpaceRole, Step
from brique.models.statistics import Participation
from brique.models.users import User
from brique.models.verification import Authorization, CensusEntry, ProfileField

__all__ = [
    "ActionLogEntry",
    "ActionLogHead",
    "AnnouncedStep",
    "ApiToken",
    "Authorization",
    "Category",
    "CensusEntry",
    "Comment",
    "CommentVersion",
    "CommentVote",
    "Component",
    "Follow",
    "Job",
    "JobSchedule",
    "Moderation",
    "Newsletter",
    "NewsletterRecipient",
    "Notification",
    "Participation",
    "ProfileField",
    "Report",
    "ResourceLink",
    "Scope",
    "SearchDocument",
    "SiteSettings",
    "Space",
    "SpaceParticipant",
    "SpaceRole",
    "Step",
    "User",
]
