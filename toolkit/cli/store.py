"""``toolkit store check|repair DIR``: find and set aside the bad lines of a corrections store."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "store",
        help="check or repair a corrections store",
        description=(
            "check: list every bad line of the store (file, line, field, what is wrong) and every span that cuts "
            "a token; exit 1 if any line is bad. repair: move the bad lines to <file>.quarantine beside each file "
            "(nothing is deleted; each file is rewritten atomically) and say what was moved."
        ),
    )
    parser.add_argument("action", choices=("check", "repair"), help="check: list the bad lines; repair: move them to a quarantine file")
    parser.add_argument("annotations", nargs="?", default="annotations", metavar="DIR", help="the store (default: annotations/)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..store import Corrections

    store = Corrections(args.annotations)
    if not store.files():
        print(f"toolkit store: no .jsonl files in {args.annotations}")
        return 1 if not Path(args.annotations).exists() else 0
    if args.action == "check":
        problems = store.check()
        for problem in problems:
            print(problem)
        fatal = sum(p.fatal for p in problems)
        print(
            f"{len(store.files())} file(s): {fatal} bad line(s), {len(problems) - fatal} span(s) that cut a token"
            + (f"; `toolkit store repair {args.annotations}` moves the bad lines aside" if fatal else "")
        )
        return 1 if fatal else 0
    moved = store.repair()
    for problem in moved:
        print(f"moved to {problem.file.name}.quarantine: {problem}")
    print(f"{len(moved)} bad line(s) moved aside; every other record is where it was")
    return 0
