"""`sweep`: find and delete what conformance runs left on a target; and the safety parts of `run`
(`--plan`, the one-line message for an unavailable target, the interrupted-run message).

Exit codes of `sweep`: 0 nothing left; 1 something could not be deleted (listed); 2 usage error
or target unavailable.
"""
from __future__ import annotations

import re
import sys

from .framework import UsageError, add_target_options, command

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """`90m`, `2h`, `1h30m`, `7d` → seconds."""
    compact = text.replace(" ", "")
    parts = _DURATION.findall(compact)
    if not parts or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise UsageError(f"not a duration: {text!r} (use e.g. 30m, 2h, 1d, 1h30m)")
    return sum(float(n) * _UNIT[u.lower()] for n, u in parts)


@command
def register_sweep(sub) -> None:
    p = sub.add_parser("sweep", help="find and delete resources conformance runs left behind on a target")
    add_target_options(p)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--run-id", help="the run whose resources to delete (its report names it)")
    which.add_argument("--older-than", metavar="DURATION",
                       help="every run's resources older than this (e.g. 2h, 1d)")
    p.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    p.add_argument("--no-tags", action="store_true",
                   help="match by name prefix only (skips one ListTagsForResource per other resource)")
    p.set_defaults(handler=sweep)


def sweep(args) -> int:
    from personalize_conformance.runner.sweep import Selector, delete, discover
    from personalize_conformance.targets import TargetUnavailable, make_target
    if not (args.target or args.endpoint_url):
        raise UsageError("sweep needs a target: --target aws --allow-aws, or --target URL")
    try:
        selector = Selector(run_id=args.run_id,
                            older_than=parse_duration(args.older_than) if args.older_than else None)
        target = make_target(args.target, endpoint_url=args.endpoint_url, allow_aws=args.allow_aws,
                             timeout=args.timeout)
    except (ValueError, RuntimeError) as exc:
        raise UsageError(str(exc)) from None
    try:
        found = discover(target, selector, tags=not args.no_tags)
        for problem in found.problems:
            print(f"warning: {problem}", file=sys.stderr)
        what = f"run {args.run_id}" if args.run_id else f"runs older than {args.older_than}"
        print(f"found {len(found.found)} resources of {what} on {target.name}")
        for f in found.found:
            print(f"  {f.rtype:20} {f.arn}  ({f.why})")
        if args.dry_run or not found.found:
            return 0
        report = delete(target, found)
    except TargetUnavailable as exc:
        raise UsageError(f"target unavailable: {exc}") from None
    finally:
        target.close()
    for arn in report.deleted:
        print(f"deleted {arn}")
    for arn in report.already_gone:
        print(f"already gone {arn}")
    for arn in report.left_to_parent:
        print(f"gone with its parent {arn}")
    for arn, reason in report.failed:
        print(f"could not delete {arn}: {reason}")
    print(f"deleted {len(report.deleted)}, gone with their parents {len(report.left_to_parent)}, "
          f"could not delete {len(report.failed)}")
    return 1 if report.failed else 0


def print_plan(args, spec, *, operations, selection, run_id: str, emulator_options: dict) -> int:
    """`run --plan`: the plan, rehearsed in this process; the target is never built."""
    import random

    from personalize_conformance.runner.plan import build_plan, render
    seed = args.hypothesis_seed if args.hypothesis_seed is not None else random.SystemRandom().randrange(2**32)
    plan = build_plan(spec, operations=operations, examples=args.examples, target=args.target,
                      endpoint_url=args.endpoint_url, allow_billable=args.allow_billable, run_id=run_id,
                      seed=seed, selection=selection, emulator_options=emulator_options)
    print(render(plan))
    return 0


def unavailable_line(doc: dict) -> str | None:
    """One line for stderr when the target stopped answering: how much of the run it cost."""
    down = [name for name, row in doc["operations"].items() if row["status"] == "UNAVAILABLE"]
    if not down:
        return None
    first = next((f["message"] for c in doc["cases"] for f in c["findings"]
                  if f["outcome"] == "unavailable"), "")
    return (f"target {doc['target']['name']} unavailable for {len(down)} of {len(doc['operations'])} "
            f"operations: {first}")


def interrupted_line(exc) -> str:
    teardown = exc.teardown or {}
    where = f"; partial report: {exc.out}/summary.md" if exc.out else ""
    status = teardown.get("status")
    done = {"done": "teardown done", "skipped": "teardown skipped", "incomplete": "teardown incomplete",
            "not needed": "nothing to tear down"}.get(status, "")
    return "interrupted" + (f": {done}" if done else "") + where
