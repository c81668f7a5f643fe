"""Parity commands: `record` a target as snapshots, `compare` another target against them,
`import` traffic recorded elsewhere (HAR, botocore debug logs) as snapshots.

Exit codes: record 0 written, 2 usage error or target unavailable; compare 0 every comparable
exchange identical, 1 differences found, 2 usage error, nothing comparable or target unavailable.
"""
from __future__ import annotations

import argparse
import sys

from .framework import UsageError, add_spec_option, add_target_options, command, folder_name, output_folder

RAW = argparse.RawDescriptionHelpFormatter


def _target(args):
    from personalize_conformance.targets import make_target
    try:
        return make_target(args.target, endpoint_url=args.endpoint_url, allow_aws=args.allow_aws,
                           allow_billable=getattr(args, "allow_billable", False), timeout=args.timeout)
    except (ValueError, RuntimeError) as exc:
        raise UsageError(str(exc)) from None


def _spec(args):
    from personalize_conformance.specs import load_spec
    return load_spec(args.spec)  # a SpecError is a ConformanceError: one line, exit 2


def _progress(done: int, total: int, name: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{done + 1}/{total} {name:60}", end="", file=sys.stderr, flush=True)


@command
def register_record(sub) -> None:
    p = sub.add_parser("record", help="record a target's answers to a fixed scenario set as normalised snapshots",
                       description="Run every resource type's lifecycle, lists with paging, tags and the main "
                                   "error cases on a target, and store each exchange (request, status, error "
                                   "code, normalised body, statuses walked while polling) under --out.",
                       epilog="exit codes:\n  0  snapshots written\n  2  usage error or target unavailable\n",
                       formatter_class=RAW)
    add_target_options(p)
    add_spec_option(p)
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the snapshots")
    p.add_argument("--scenario", action="append", dest="scenarios", metavar="NAME",
                   help="only this scenario, e.g. lifecycle/dataset-group (repeatable)")
    p.add_argument("--allow-billable", action="store_true",
                   help="with --target aws: also run scenarios that start paid work")
    p.add_argument("--plan", action="store_true", help="list the scenarios and what they create; send nothing")
    p.set_defaults(handler=record)


def record(args) -> int:
    from personalize_conformance.parity import record as recording
    from personalize_conformance.parity.session import record_to
    from personalize_conformance.targets import TargetUnavailable
    spec = _spec(args)
    names = recording.scenario_names(spec)
    unknown = sorted(set(args.scenarios or ()) - set(names))
    if unknown:
        raise UsageError(f"unknown scenario {unknown[0]!r}; `record --plan` lists them")
    chosen = args.scenarios or names
    if args.plan:
        return _plan(chosen)
    output_folder(args.out, create=True)
    try:
        scenarios = record_to(args.out, spec, _target(args), scenarios=chosen, progress=_progress)
    except TargetUnavailable as exc:
        raise UsageError(f"target unavailable: {exc}") from None
    if sys.stderr.isatty():
        print(file=sys.stderr)
    exchanges = sum(len(s.exchanges) for s in scenarios)
    print(f"recorded {len(scenarios)} scenarios, {exchanges} exchanges: {args.out}")
    return 0


def _plan(names: list[str]) -> int:
    from personalize_conformance import contracts
    for name in names:
        family, _, rtype = name.partition("/")
        if family == "errors":
            print(f"{name:42} sends requests that create nothing")
            continue
        chain = [rtype, *contracts.ancestors(rtype)]
        print(f"{name:42} creates {' ← '.join(chain)} (and deletes them after)")
    print(f"{len(names)} scenarios; each is torn down before the next starts")
    return 0


@command
def register_compare(sub) -> None:
    p = sub.add_parser("compare", help="replay recorded snapshots on a target and diff every exchange",
                       description="Replay each snapshot exchange on the target (references turned into "
                                   "the target's own ARNs, names and tokens) and compare member sets and "
                                   "types, error codes, HTTP statuses, statuses walked and list contents. "
                                   "Writes a run folder with a parity section.",
                       epilog="exit codes:\n  0  every comparable exchange identical\n  1  differences found\n"
                              "  2  usage error, nothing comparable, or target unavailable\n", formatter_class=RAW)
    add_target_options(p)
    add_spec_option(p)
    p.add_argument("--snapshots", required=True, metavar="DIR", help="a folder written by record or import")
    p.add_argument("--scenario", action="append", dest="scenarios", metavar="NAME", help="only this scenario")
    p.add_argument("--out", default="reports", help="folder for reports/<run-id>/ (default ./reports)")
    p.add_argument("--run-id", type=folder_name, help="name of the comparison run (its folder inside --out)")
    p.add_argument("--allow-billable", action="store_true",
                   help="with --target aws: also replay exchanges that start paid work")
    p.set_defaults(handler=compare)


def compare(args) -> int:
    from personalize_conformance.parity.session import compare_with, exit_code
    from personalize_conformance.parity.snapshot import SnapshotError
    from personalize_conformance.targets import TargetUnavailable
    spec = _spec(args)
    output_folder(args.out)
    try:
        doc, out = compare_with(args.snapshots, spec, _target(args), run_id=args.run_id, out_dir=args.out,
                                scenarios=args.scenarios, progress=_progress)
    except SnapshotError as exc:
        raise UsageError(str(exc)) from None
    except TargetUnavailable as exc:
        raise UsageError(f"target unavailable: {exc}") from None
    if sys.stderr.isatty():
        print(file=sys.stderr)
    section = doc["parity"]
    score = "n/a" if section["score"] is None else f"{section['score'] * 100:.1f}%"
    print(f"parity with {section['recorded_target'] or 'the snapshots'}: {score} of comparable exchanges "
          f"({section['identical']} identical, {section['different']} different, "
          f"{section['not comparable']} not comparable)")
    different = [op for op, row in section["operations"].items() if row["verdict"] == "different"]
    if different:
        print("different: " + ", ".join(different))
    print(f"reports: {out}/summary.md, {out}/index.html, {out}/junit.xml, {out}/results.json")
    return exit_code(section)


@command
def register_import(sub) -> None:
    p = sub.add_parser("import", help="turn a HAR file or a botocore debug log into snapshots",
                       epilog="exit codes:\n  0  snapshots written\n  2  unreadable input\n", formatter_class=RAW)
    p.add_argument("files", nargs="*", metavar="FILE", help="*.har, or a botocore DEBUG log (any other name)")
    p.add_argument("--observations", nargs="?", const="", metavar="DIR",
                   help="the observed-AWS corpus (default: the one the harness ships), or a folder like it")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the snapshots")
    p.set_defaults(handler=import_)


def import_(args) -> int:
    from personalize_conformance.parity import importers, snapshot
    if not args.files and args.observations is None:
        raise UsageError("name a HAR file, a botocore log, or --observations")
    scenarios = []
    try:
        if args.observations is not None:
            scenarios.extend(importers.from_observations(args.observations or None))
        for path in args.files:
            reader = importers.from_har if str(path).endswith(".har") else importers.from_botocore_log
            scenarios.append(reader(path))
    except snapshot.SnapshotError as exc:
        raise UsageError(str(exc)) from None
    output_folder(args.out, create=True)
    snapshot.write(args.out, scenarios, target="observed AWS" if args.observations is not None else "imported")
    print(f"imported {sum(len(s.exchanges) for s in scenarios)} exchanges from {len(scenarios)} files: {args.out}")
    return 0
