"""``brique demo``: a believable French participatory budget, with every plugin's content."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from brique.clock import now
from brique.components import component_type
from brique.db import db
from brique.models import (
    Category,
    Component,
    ProfileField,
    Scope,
    SiteSettings,
    Space,
    SpaceRole,
    Step,
    User,
)

DEMO_SLUG = "budget-participatif-2026"
CITY = "Beaulieu-sur-Loire"
DISTRICTS = ("Centre-ville", "Les Aubiers", "La Source", "Saint-Marc", "Les Coteaux")
AGE_BANDS = ("16-24", "25-34", "35-49", "50-64", "65+")
PARTICIPANTS = (
    ("Camille Martin", "camille"),
    ("Louis Bernard", "louis_b"),
    ("Inès Dubois", "ines"),
    ("Hugo Thomas", "hugo.t"),
    ("Léa Robert", "lea-robert"),
    ("Nathan Petit", "nathan"),
    ("Chloé Richard", "chloe"),
    ("Mehdi Durand", "mehdi"),
    ("Manon Leroy", "manon"),
    ("Yanis Moreau", "yanis"),
    ("Sarah Simon", "sarah_s"),
    ("Jules Laurent", "jules"),
)


@dataclass
class DemoContext:
    """What plugins get in the ``demo_content`` hook."""

    space: Space
    #: ``ideas``, ``analysis``, ``vote``, ``results``
    steps: dict[str, Step]
    participants: list[User]
    admin: User
    categories: list[Category]
    districts: list[Scope]
    random: random.Random = field(default_factory=lambda: random.Random(2026))

    def add_component(
        self,
        type_name: str,
        name: str,
        *,
        settings: dict[str, Any] | None = None,
        step_settings: dict[str, dict[str, Any]] | None = None,
        published: bool = True,
    ) -> Component:
        """Add a component to the demo space; ``step_settings`` are keyed by step key."""
        ctype = component_type(type_name)
        by_step = {
            str(self.steps[key].id): ctype.load_step_settings(values)
            for key, values in (step_settings or {}).items()
        }
        component = Component(
            space=self.space,
            type=type_name,
            name=name,
            position=len(self.space.components),
            settings=ctype.load_settings(settings or {}),
            default_step_settings=ctype.default_step_settings(),
            step_settings=by_step,
            published_at=now() if published else None,
        )
        db.session.add(component)
        db.session.flush()
        return component

    def add_comment(
        self,
        type_name: str,
        resource: Any,
        author: User,
        body: str,
        *,
        alignment: int = 0,
        parent: Any = None,
    ) -> Any:
        """Comment on a public, commentable resource as ``author`` (``alignment``: 1 in
        favour, -1 against, 0 neutral); ``parent``: the comment this one replies to.
        Commits, like a comment posted on the site."""
        from brique.comments.services import find_commented, publish_comment

        target = find_commented(type_name, resource.id)
        if target is None:
            raise LookupError(f"{type_name} {resource.id} is not commentable or not public")
        data = {"body": body, "alignment": alignment, "official": False}
        return publish_comment(target, author, data, parent)


def demo_exists() -> bool:
    return db.session.scalar(select(Space.id).where(Space.slug == DEMO_SLUG)) is not None


def create_demo(admin_email: str, admin_password: str) -> DemoContext:
    """Create the demo process and everything around it, then ask plugins for content.

    The demo participants share the admin's password: it is a demo, never production.
    """
    admin = _user(admin_email, "admin", "Agnès Administratrice", admin_password, is_admin=True)
    site = db.session.get(SiteSettings, 1) or SiteSettings(id=1)
    site.name, site.welcome_text = f"Ville de {CITY}", WELCOME
    db.session.add(site)
    districts = _scopes()
    _profile_fields()
    participants = [
        _participant(index, name, nickname, districts, admin_password)
        for index, (name, nickname) in enumerate(PARTICIPANTS)
    ]
    space = _space(districts[0].parent)
    steps = _steps(space)
    categories = [Category(space=space, name=name) for name in CATEGORIES]
    db.session.add_all([*categories, SpaceRole(space=space, user=admin, role="admin")])
    _other_spaces()
    db.session.flush()
    context = DemoContext(space, steps, participants, admin, categories, districts)
    current_app.extensions["brique"].hook.demo_content(demo=context)
    db.session.commit()
    _index_demo_content()
    return context


def _index_demo_content() -> None:
    """Plugins write demo content without signals: index it and count its participation."""
    from brique.search.indexing import reindex
    from brique.statistics.participation import rebuild

    reindex()
    rebuild()
    db.session.commit()


def _user(email: str, nickname: str, name: str, password: str, **extra: Any) -> User:
    user = User(
        email=email,
        nickname=nickname,
        name=name,
        locale="fr",
        session_token=secrets.token_hex(16),
        email_confirmed_at=now(),
        **extra,
    )
    user.set_password(password)
    db.session.add(user)
    return user


def _participant(
    index: int, name: str, nickname: str, districts: list[Scope], password: str
) -> User:
    user = _user(f"{nickname.replace('.', '-')}@example.org", nickname, name, password)
    user.profile = {
        "age_band": AGE_BANDS[index % len(AGE_BANDS)],
        "district": districts[index % len(districts)].name,
    }
    return user


def _scopes() -> list[Scope]:
    city = Scope(name=CITY, code="45400")
    districts = [
        Scope(name=name, parent=city, code=f"D{index + 1}") for index, name in enumerate(DISTRICTS)
    ]
    db.session.add_all([city, *districts])
    return districts


def _profile_fields() -> None:
    db.session.add_all(
        [
            ProfileField(
                key="age_band",
                label="Tranche d'âge",
                type="choice",
                choices=list(AGE_BANDS),
                at_signup=True,
                position=0,
            ),
            ProfileField(
                key="district",
                label="Quartier",
                type="choice",
                choices=list(DISTRICTS),
                at_signup=True,
                position=1,
            ),
        ]
    )


def _space(city: Scope | None) -> Space:
    today = now().date()
    space = Space(
        slug=DEMO_SLUG,
        title="Budget participatif 2026",
        subtitle=f"500 000 € pour les projets des habitants de {CITY}",
        short_description="Proposez vos idées pour la ville, puis votez pour les projets que "
        "vous voulez voir réalisés.",
        description=DESCRIPTION,
        objectives="Associer les habitants à l'investissement public "
        "et financer des projets d'intérêt général proposés et choisis par eux.",
        participants="Toute personne de 16 ans ou plus habitant, travaillant ou étudiant à "
        f"{CITY}.",
        decision_making="Les projets jugés réalisables par les services sont "
        "soumis au vote ; les plus soutenus sont financés dans la limite de l'enveloppe, et le "
        "conseil municipal s'engage à les réaliser.",
        organiser=f"Ville de {CITY}, mission démocratie participative",
        scope=city,
        reference="BP-2026",
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=120),
        published_at=now(),
        promoted=True,
    )
    db.session.add(space)
    return space


def _steps(space: Space) -> dict[str, Step]:
    start = _midnight(now().date() - timedelta(days=30))
    plan = (
        ("ideas", "Dépôt des idées", 45, "Chacun peut proposer une ou plusieurs idées."),
        (
            "analysis",
            "Analyse par les services",
            30,
            "Les services étudient la faisabilité et le coût de chaque idée.",
        ),
        ("vote", "Vote", 21, "Choisissez vos projets préférés dans la limite du budget."),
        (
            "results",
            "Résultats et réalisation",
            24,
            "Les projets lauréats sont annoncés puis réalisés.",
        ),
    )
    steps = {}
    for position, (key, title, days, description) in enumerate(plan):
        end = start + timedelta(days=days)
        steps[key] = Step(
            space=space,
            position=position,
            title=title,
            description=description,
            start_at=start,
            end_at=end,
        )
        start = end
    db.session.add_all(steps.values())
    return steps


def _midnight(day: date) -> datetime:
    from brique.forms import institution_zone

    return datetime(day.year, day.month, day.day, tzinfo=institution_zone())


def _other_spaces() -> None:
    today = now().date()
    db.session.add_all(
        [
            Space(
                slug="concertation-place-du-marche",
                title="Réaménagement de la place du Marché",
                short_description="Donnez votre avis sur les trois scénarios d'aménagement.",
                start_date=today + timedelta(days=20),
                end_date=today + timedelta(days=80),
                published_at=now(),
            ),
            Space(
                slug="budget-participatif-2025",
                title="Budget participatif 2025",
                short_description="12 projets lauréats, en cours de réalisation.",
                start_date=today - timedelta(days=400),
                end_date=today - timedelta(days=200),
                published_at=now(),
            ),
        ]
    )


CATEGORIES = (
    "Mobilité et déplacements",
    "Nature en ville",
    "Solidarité et lien social",
    "Culture et sport",
    "Cadre de vie",
)

WELCOME = (
    f"Bienvenue sur la plateforme de participation de **{CITY}**. Proposez, débattez et "
    "votez pour transformer votre ville."
)

DESCRIPTION = """Le budget participatif permet aux habitants de décider de l'utilisation d'une \
partie du budget d'investissement de la ville : **500 000 €** cette année.

1. **Dépôt des idées** : proposez vos idées d'aménagements ou d'équipements.
2. **Analyse** : les services vérifient qu'elles relèvent des compétences de la ville, \
estiment leur coût et leur faisabilité.
3. **Vote** : chaque habitant de 16 ans ou plus vote pour ses projets préférés.
4. **Résultats** : les projets les plus soutenus sont réalisés dans les deux ans.
"""
