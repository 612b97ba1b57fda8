"""Time and memory of the participatory-budgeting vote count on real Pabulib files, beside
pabutools 1.2.3 (the reference implementation), and whether both fund the same projects.

    .venv/bin/python benchmarks/budgets_rules.py                   # Łódź 2022, Warszawa 2026
    .venv/bin/python benchmarks/budgets_rules.py --skip-pabutools  # ours only, in seconds
    .venv/bin/python benchmarks/budgets_rules.py --files Poland_Swiecie_2023 --pabutools-add1

Each side runs in a child process, so each peak memory (maximum resident set size, the
interpreter included) is its own. Times are CPU times of the process: for this one-thread
code that is the wall time of an idle machine, and it stays meaningful on a busy one. Our
times are the best of ``--runs`` runs; each computation
starts from the parsed file (the ballots are counted again every time). pabutools gets its
fastest path: its own parser, ballots grouped in a multiprofile (timed apart), cost
satisfaction. Its add-one completion reruns Equal Shares once per unit of currency added to
each voter's share (60 times on Łódź, 186 on Warszawa), hours in all: asked for with
``--pabutools-add1`` only. Pabulib files: ``../shared/pabulib`` beside the checkout, or
``BRIQUE_PABULIB_DIR``; cite Pabulib (pabulib.org) when quoting these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ["Poland_Lodz_2022", "Poland_Warszawa_2026"]


def main() -> None:
    options = parse_arguments()
    folder = pabulib_folder()
    if folder is None:
        sys.exit("No Pabulib folder: put the files in ../shared/pabulib or set BRIQUE_PABULIB_DIR")
    for name in options.files:
        path = folder / f"{name}.pb"
        ours = child("ours", path, options)
        theirs = None if options.skip_pabutools else child("pabutools", path, options)
        print_table(name, ours, theirs)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="+", default=FILES, help="Pabulib file names, no .pb")
    parser.add_argument("--runs", type=int, default=3, help="our times: best of this many runs")
    parser.add_argument("--skip-pabutools", action="store_true", help="time our code only")
    parser.add_argument("--pabutools-add1", action="store_true", help="also pabutools' add1")
    parser.add_argument("--side", choices=["ours", "pabutools"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    return parser.parse_args()


def pabulib_folder() -> Path | None:
    named = os.environ.get("BRIQUE_PABULIB_DIR")
    for folder in (Path(named) if named else None, (ROOT / ".." / "shared" / "pabulib").resolve()):
        if folder is not None and folder.is_dir():
            return folder
    return None


def child(side: str, path: Path, options: argparse.Namespace) -> dict:
    """Run one side in a fresh interpreter and return what it measured."""
    command = [sys.executable, __file__, "--side", side, "--path", str(path)]
    command += ["--runs", str(options.runs)]
    command += ["--pabutools-add1"] if options.pabutools_add1 else []
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"the {side} side failed:\n{done.stderr}")
    return json.loads(done.stdout)


def measure_ours(path: Path, runs: int) -> dict:
    from brique_budgets.voting import Tally, compute_outcome, read_pabulib

    figures: dict = {}
    parse_time, (instance, profile) = best(runs, lambda: read_pabulib(path))
    figures["about"] = describe(instance, profile)
    figures["parse"] = [parse_time, None]
    figures["count"] = [best(runs, lambda: Tally(instance, profile).supporters)[0], None]
    for label, rule, completion in (
        ("greedy", "greedy", None),
        ("equal shares", "equal-shares", None),
        ("equal shares + add1", "equal-shares", "add1"),
    ):
        times = 1 if completion else runs
        work = partial(compute_outcome, instance, profile, rule, completion)
        seconds, outcome = best(times, work)
        figures[label] = [seconds, list(outcome.selected)]
    figures["peak memory"] = peak_memory()
    return figures


def measure_pabutools(path: Path, add1: bool) -> dict:
    from pabutools.election import parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    figures: dict = {}
    seconds, (instance, profile) = best(1, lambda: parse_pabulib(str(path)))
    cost_sat = cost_satisfaction(instance.meta["vote_type"])
    figures["parse"] = [seconds, None]
    seconds, grouped = best(1, profile.as_multiprofile)
    figures["count"] = [seconds, None]
    runs = [("greedy", greedy_utilitarian_welfare, {})]
    runs.append(("equal shares", method_of_equal_shares, {}))
    if add1:
        runs.append(("equal shares + add1", method_of_equal_shares, {"voter_budget_increment": 1}))
    for label, rule, extra in runs:
        seconds, outcome = best(1, partial(rule, instance, grouped, sat_class=cost_sat, **extra))
        figures[label] = [seconds, [project.name for project in outcome]]
    figures["peak memory"] = peak_memory()
    return figures


def cost_satisfaction(vote_type: str):
    """pabutools' satisfaction matching ours: the cost of a project, times the points or
    Borda points it gets on cumulative and ordinal ballots (pabutools' ``Cost_Sat`` ignores
    them, and has no class for this)."""
    from pabutools.election import AdditiveSatisfaction, Cost_Sat
    from pabutools.election.satisfaction.positionalsatisfaction import borda_sat_func

    def value(ballot, project):
        if vote_type == "cumulative":
            return ballot.get(project, 0)
        return borda_sat_func(ballot, project)

    class PointsTimesCost(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            def func(_instance, _profile, ballot, project, _precomputed):
                return value(ballot, project) * project.cost

            super().__init__(instance, profile, ballot, func)

    return Cost_Sat if vote_type in ("approval", "choose-1") else PointsTimesCost


def best(runs: int, work):
    """The shortest CPU time of ``runs`` runs of ``work()``, and its result."""
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return min(times), result


def describe(instance, profile) -> str:
    return (
        f"{profile.total_weight:,} voters, {len(instance.projects)} projects, "
        f"{profile.vote_type} ballots, budget {float(instance.budget):,.0f}"
    )


def peak_memory() -> float:
    """The process's maximum resident set size so far, in megabytes (Linux counts in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(name: str, ours: dict, theirs: dict | None) -> None:
    print(f"\n{name}.pb: {ours['about']}")
    print(f"{'':24}{'brique':>12}{'pabutools':>12}   same outcome")
    for label in ("parse", "count", "greedy", "equal shares", "equal shares + add1"):
        mine = ours[label]
        other = theirs.get(label) if theirs else None
        same = "" if other is None or mine[1] is None else ("yes" if mine[1] == other[1] else "NO")
        print(
            f"{label:24}{duration(mine[0]):>12}{duration(other[0] if other else None):>12}   {same}"
        )
    memory = theirs["peak memory"] if theirs else None
    print(f"{'peak memory':24}{ours['peak memory']:>9.0f} MB{megabytes(memory):>12}")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "skipped"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def megabytes(value: float | None) -> str:
    return "skipped" if value is None else f"{value:.0f} MB"


if __name__ == "__main__":
    arguments = parse_arguments()
    if arguments.side == "ours":
        print(json.dumps(measure_ours(Path(arguments.path), arguments.runs)))
    elif arguments.side == "pabutools":
        print(json.dumps(measure_pabutools(Path(arguments.path), arguments.pabutools_add1)))
    else:
        main()
