"""The demo's proposals: ideas of Beaulieu-sur-Loire's inhabitants, supported and discussed."""

from __future__ import annotations

from datetime import timedelta

from brique.plugin_api import DemoContext, db, now
from brique_proposals.lifecycle import RESOURCE_TYPE
from brique_proposals.models import Proposal
from brique_proposals.supports import support

IDEAS = (
    (
        "Des bancs ombragés le long des quais",
        "Installer une dizaine de bancs sous les tilleuls des quais de Loire, pour que les "
        "personnes âgées puissent faire une pause pendant leur promenade.",
    ),
    (
        "Un composteur partagé par quartier",
        "Chaque quartier aurait son composteur, entretenu par des habitants volontaires "
        "formés par la ville. Moins de déchets, du compost pour les jardins.",
    ),
    (
        "Une piste cyclable sécurisée vers le lycée",
        "Le trajet entre Les Aubiers et le lycée Jean-Zay est dangereux à vélo aux heures de "
        "pointe. Une piste séparée de la route protégerait plus de 300 élèves.",
    ),
    (
        "Des fontaines à eau dans les parcs",
        "Pouvoir remplir sa gourde l'été au parc de la Source et au square Saint-Marc.",
    ),
    (
        "Un terrain de basket rénové aux Coteaux",
        "Le terrain est fissuré et les paniers n'ont plus de filets. Les jeunes du quartier "
        "proposent de participer aux travaux de peinture.",
    ),
    (
        "Une boîte à livres devant la médiathèque",
        "Déposer et emprunter des livres librement, à toute heure.",
    ),
    (
        "Éclairer le passage sous la voie ferrée",
        "Le passage piéton sous la voie ferrée est très sombre le soir ; des lampes à "
        "détecteur de présence rassureraient celles et ceux qui rentrent tard.",
    ),
    (
        "Un jardin partagé à La Source",
        "La friche derrière l'école pourrait devenir un jardin cultivé par les habitants et "
        "les écoliers.",
    ),
    (
        "Des toilettes publiques au centre-ville",
        "Il n'y a aucune toilette publique près du marché : indispensable pour les familles "
        "et les personnes âgées.",
    ),
    (
        "Végétaliser la cour de l'école Jules-Ferry",
        "Remplacer une partie du bitume par des arbres et des espaces verts pour une cour "
        "plus fraîche en été.",
    ),
    (
        "Un abri pour vélos à la gare",
        "Un abri couvert et fermé pour laisser son vélo à la journée sans craindre le vol.",
    ),
    (
        "Des ateliers de réparation de vélos",
        "Un samedi par mois, un atelier où des bénévoles aident à réparer son vélo.",
    ),
)

COMMENTS = (
    ("Excellente idée, je passe par là tous les jours.", 1),
    ("Attention au coût d'entretien sur la durée.", -1),
    ("Il faudrait consulter les riverains avant.", 0),
    ("Je soutiens, c'est attendu depuis longtemps !", 1),
)


def add_demo_proposals(demo: DemoContext) -> None:
    """A proposals component in the demo's "ideas" step, with supports, answers, comments."""
    component = demo.add_component(
        "proposals",
        "Vos idées pour Beaulieu",
        settings={"threshold": 5, "support_limit": 10, "geolocation": True},
        step_settings={
            "ideas": {"creation_open": True, "supports_enabled": True},
            "analysis": {"supports_enabled": True, "supports_blocked": True},
            "vote": {"supports_enabled": True, "supports_blocked": True},
            "results": {"supports_enabled": True, "supports_blocked": True},
        },
    )
    proposals = [_propose(demo, component, n, idea) for n, idea in enumerate(IDEAS)]
    db.session.flush()
    for proposal in proposals:
        _support(demo, proposal)
    _answer(proposals[1], "accepted", 4500, "La ville fournira les composteurs en 2026.")
    _answer(proposals[8], "evaluating", None, "Les services techniques étudient deux sites.")
    db.session.commit()
    for proposal in proposals[:4]:
        for body, alignment in demo.random.sample(COMMENTS, 2):
            author = demo.random.choice(demo.participants)
            demo.add_comment(RESOURCE_TYPE, proposal, author, body, alignment=alignment)


def _propose(demo: DemoContext, component, number: int, idea: tuple[str, str]) -> Proposal:
    title, body = idea
    published = now() - timedelta(days=28 - 2 * number, hours=demo.random.randint(0, 12))
    proposal = Proposal(
        component_id=component.id,
        author_id=demo.participants[number % len(demo.participants)].id,
        title=title,
        body=body,
        status="published",
        created_at=published,
        published_at=published,
        category_id=demo.random.choice(demo.categories).id if demo.categories else None,
        scope_id=demo.random.choice(demo.districts).id if demo.districts else None,
    )
    db.session.add(proposal)
    return proposal


def _support(demo: DemoContext, proposal: Proposal) -> None:
    supporters = demo.random.sample(demo.participants, demo.random.randint(0, 8))
    for supporter in supporters:
        support(proposal, supporter)


def _answer(proposal: Proposal, state: str, cost: int | None, text: str) -> None:
    proposal.answer_state = state
    proposal.answer_text = text
    proposal.answer_published = True
    proposal.answered_at = now()
    proposal.cost = cost
