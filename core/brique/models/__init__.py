"""The core's models. Plugins define theirs on :class:`brique.db.Base` with their own prefix."""

from brique.models.components import Component, ResourceLink
from brique.models.site import SiteSettings
from brique.models.spaces import Category, Scope, Space, SpaceRole, Step
from brique.models.users import User
from brique.models.verification import Authorization, CensusEntry, ProfileField

__all__ = [
    "Authorization",
    "Category",
    "CensusEntry",
    "Component",
    "ProfileField",
    "ResourceLink",
    "Scope",
    "SiteSettings",
    "Space",
    "SpaceRole",
    "Step",
    "User",
]
