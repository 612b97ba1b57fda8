"""The vote count of participatory budgeting, as plain Python: no web, no database.

Build an ``Instance`` (the budget and the projects) and a ``Profile`` (the ballots), by hand,
from database rows or from a Pabulib file (``read_pabulib``), then ask ``compute_outcome``
which projects a rule funds. The rules give exactly pabutools' results (the reference
implementation used by researchers and cities), ties included, because money is counted
exactly.
"""

from brique_budgets.voting.compute import COMPLETIONS, RULES, compute_outcome
from brique_budgets.voting.model import VOTE_TYPES, Ballot, Instance, Profile, Project
from brique_budgets.voting.outcome import Outcome, ProjectResult, Reason, Stage
from brique_budgets.voting.pabulib import (
    format_pabulib,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)
from brique_budgets.voting.scores import Tally

__all__ = [
    "COMPLETIONS",
    "RULES",
    "VOTE_TYPES",
    "Ballot",
    "Instance",
    "Outcome",
    "Profile",
    "Project",
    "ProjectResult",
    "Reason",
    "Stage",
    "Tally",
    "compute_outcome",
    "format_pabulib",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]
