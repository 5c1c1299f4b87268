#!/usr/bin/env python3
"""List the volatile facts of data/facts.yml with their age, and report the stale ones.

    make facts                                  # every entry: key, value or state, checked, age, source
    make facts ARGS="--stale 90"                # only the entries not checked for 90 days, or due a recheck
    make facts ARGS="--stale 90 --report r.md"  # also write them as Markdown (the scheduled workflow's issue)
    make facts ARGS="--features Kubernetes"     # a project's feature states, those that may move first

After editing a release entry (say kubernetes.release to 1.38), `--features Kubernetes` lists the
alpha, beta and deprecated features the new release may have promoted or removed: check each.

`--report` writes the file only when some entry is stale and removes an old one otherwise, so the
workflow opens or updates its issue when the file exists and closes it when it does not. A
malformed facts file exits with status 2 and names the file, line and fix.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from site_extensions.facts_data import STALE_DAYS, Fact, FactsError, load, stale  # noqa: E402


def table(facts: list[Fact], today: dt.date) -> str:
    """A plain-text table, one entry a line, widest columns first trimmed to fit a terminal."""
    rows = [("KEY", "VALUE OR STATE", "CHECKED", "AGE", "SOURCE")]
    rows += [(f.key, f.summary(), f.checked.isoformat(), _age(f, today), f.source) for f in facts]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows)


def _age(fact: Fact, today: dt.date) -> str:
    due = fact.recheck is not None and fact.recheck <= today
    return f"{fact.age(today)} d" + (f", recheck since {fact.recheck.isoformat()}" if due else "")


def report(facts: list[Fact], today: dt.date, days: int, data: str) -> str:
    """The Markdown body of the stale-facts issue."""
    lines = [
        f"{len(facts)} entr{'y' if len(facts) == 1 else 'ies'} of `{data}` "
        f"{'has' if len(facts) == 1 else 'have'} not been checked for {days} days or more, "
        f"or reached the day set to recheck them (as of {today.isoformat()}).",
        "",
        "For each: open the source, correct `value` (or `state` and `since`) if the project has moved on, "
        "set `checked` to today, and review the pages that use the key (`git grep -nF 'KEY' docs includes`).",
        "",
        "| Key | Value or state | Checked | Age (days) | Recheck | Source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in facts:
        recheck = f.recheck.isoformat() if f.recheck else ""
        lines.append(
            f"| `{f.key}` | {f.summary()} | {f.checked.isoformat()} | {f.age(today)} | {recheck} | <{f.source}> |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="data/facts.yml", help="the facts file (default: %(default)s)")
    parser.add_argument("--stale", type=int, metavar="DAYS", help=f"only entries at least DAYS old (e.g. {STALE_DAYS})")
    parser.add_argument("--report", metavar="FILE", help="write the stale entries as Markdown (needs --stale)")
    parser.add_argument("--features", metavar="PROJECT", help="the feature states of PROJECT (e.g. Kubernetes)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report and args.stale is None:
        parser.error("--report needs --stale DAYS")
    try:
        facts = load(Path(args.data), today=args.today)
    except FactsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.features:
        wanted = args.features.casefold()
        chosen = [f for f in facts.values() if f.is_feature and (f.project or "").casefold() == wanted]
        chosen.sort(key=lambda f: (f.state == "stable", f.key))
        print(table(chosen, args.today) if chosen else f"No feature state of project {args.features!r}.")
        moving = sum(f.state != "stable" for f in chosen)
        print(f"\n{len(chosen)} feature states; {moving} not stable (review these after a release).")
        return 0
    if args.stale is None:
        print(table(list(facts.values()), args.today))
        old = stale(facts, args.today)
        print(f"\n{len(facts)} entries; {len(old)} not checked for {STALE_DAYS} days or more, or due a recheck.")
        return 0
    old = stale(facts, args.today, args.stale)
    print(table(old, args.today) if old else f"No entry is {args.stale} days old or more.")
    if args.report:
        path = Path(args.report)
        if old:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(report(old, args.today, args.stale, args.data), encoding="utf-8")
        else:
            path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
