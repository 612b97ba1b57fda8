"""The site settings row, for pages that change it."""

from __future__ import annotations

import secrets

from brique.db import db
from brique.models import SiteSettings


def editable_site_settings() -> SiteSettings:
    """The row ``id=1``, created with the defaults the first time someone edits it."""
    site = db.session.get(SiteSettings, 1)
    if site is None:
        site = SiteSettings.get()
        db.session.add(site)
    return site


def census_salt(site: SiteSettings) -> str:
    """The salt of census hashes, generated once: changing it would orphan verifications."""
    if not site.census_salt:
        site.census_salt = secrets.token_hex(32)
    return site.census_salt
