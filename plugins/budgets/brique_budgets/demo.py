"""The demo's participatory budget: Beaulieu-sur-Loire spends 100,000 € on its inhabitants'
projects; voting is open so that visitors can fill a ballot."""

from __future__ import annotations

from brique.plugin_api import DemoContext, db
from brique_budgets.ballots import add, checkout
from brique_budgets.models import Budget, Project

PROJECTS = (
    ("Des bancs ombragés le long des quais", 18_000, "Dix bancs sous les tilleuls des quais."),
    (
        "Un composteur partagé par quartier",
        12_000,
        "Six composteurs et la formation des référents.",
    ),
    (
        "Une piste cyclable sécurisée vers le lycée",
        45_000,
        "800 mètres de piste séparée de la route.",
    ),
    (
        "Des fontaines à eau dans les parcs",
        15_000,
        "Trois fontaines au parc de la Source et au square Saint-Marc.",
    ),
    (
        "Un terrain de basket rénové aux Coteaux",
        25_000,
        "Sol, paniers et filets neufs, peinture avec les jeunes.",
    ),
    (
        "Une boîte à livres devant la médiathèque",
        3_000,
        "Une armoire étanche fabriquée par le lycée professionnel.",
    ),
    ("Éclairer le passage sous la voie ferrée", 9_000, "Des lampes à détecteur de présence."),
    (
        "Un jardin partagé à La Source",
        20_000,
        "Clôture, bacs, cabane à outils et récupérateur d'eau.",
    ),
    (
        "Végétaliser la cour de l'école Jules-Ferry",
        40_000,
        "Arbres, pelouse et noues à la place du bitume.",
    ),
)

#: Ballots the demo's participants cast, by project index.
BALLOTS = ((0, 1, 5), (2, 3, 6), (0, 4, 5, 6), (7, 8), (0, 2, 5))


def add_demo_budget(demo: DemoContext) -> None:
    """A budgets component with one knapsack budget, voting open now, a few ballots cast."""
    open_vote = {"votes_open": True, "announcement": ANNOUNCEMENT}
    component = demo.add_component(
        "budgets",
        "Budget participatif : le vote",
        settings={"vote_type": "knapsack", "minimum_projects": 1, "ballots_final": False},
        step_settings={"ideas": open_vote, "vote": open_vote},
    )
    budget = Budget(
        component_id=component.id,
        title="Budget participatif 2026",
        amount=100_000,
        description="La ville consacre 100 000 € aux projets de ses habitants.",
    )
    db.session.add(budget)
    db.session.flush()
    for title, cost, description in PROJECTS:
        db.session.add(
            Project(
                budget_id=budget.id,
                component_id=component.id,
                title=title,
                cost=cost,
                description=description,
                feasibility="feasible",
                selected=True,
                category_id=demo.random.choice(demo.categories).id if demo.categories else None,
            )
        )
    db.session.flush()
    ids = [project.id for project in budget.projects]
    for voter, picks in zip(demo.participants, BALLOTS, strict=False):
        for index in picks:
            add(voter, budget, ids[index])
        checkout(voter, budget)
    db.session.commit()


ANNOUNCEMENT = (
    "Démonstration : le vote est ouvert dès maintenant pour que vous puissiez essayer. "
    "Choisissez vos projets dans la limite de 100 000 €."
)
