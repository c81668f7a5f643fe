"""Each subcommand is a function that registers its parser; REGISTRY lists them in help order."""
from __future__ import annotations

import argparse
import json
import pathlib
import sys

REGISTRY: list = []


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2, no traceback."""


def command(fn):
    REGISTRY.append(fn)
    return fn


def add_spec_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--spec", metavar="PATH|URL",
                   help="OpenAPI document to drive the run (default: built from the installed botocore; "
                        "botocore==X, a botocore wheel or an unpacked botocore folder: built from that release)")


def add_target_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", default=None,
                   help="emulator (default), emulator-server, moto, moto-server, aws, or an http(s) URL")
    p.add_argument("--endpoint-url", help="any emulator's URL (same as --target URL)")
    p.add_argument("--allow-aws", action="store_true", help="confirm that --target aws may reach real AWS")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each response")


def _load_spec(source):
    from personalize_conformance.specs import load_spec
    try:
        return load_spec(source)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot load spec {source}: {exc}") from None


@command
def register_run(sub) -> None:
    p = sub.add_parser("run", help="run the conformance suite against a target and write reports")
    add_target_options(p)
    add_spec_option(p)
    p.add_argument("--hypothesis-seed", type=int, help="replay a run: the seed its report names")
    p.add_argument("--examples", type=int, default=10, help="valid requests per operation (default 10); boundary and invalid probes get one request each per 20")
    p.add_argument("--operation", action="append", dest="operations", metavar="OP",
                   help="only this operation (repeatable)")
    p.add_argument("--out", default="reports", help="folder for reports/<run-id>/ (default ./reports)")
    p.add_argument("--run-id", help="name of the run (default: timestamp + random suffix)")
    p.add_argument("--har", metavar="FILE", help="also record every request and response to FILE (HAR 1.2)")
    p.add_argument("--emulator-fault", action="append", metavar="NAME[:Op,...]",
                   help="switch on one of the bundled emulator's named faults (repeatable; "
                        "`personalize-conformance emulator --help` lists them)")
    p.add_argument("--emulator-timing", metavar="MODE",
                   help="the bundled emulator's status timing: immediate, describes:N or seconds:T")
    p.add_argument("--allow-billable", action="store_true",
                   help="with --target aws: also send operations that start paid work (training, campaigns, jobs)")
    p.add_argument("--plan", action="store_true", help="print what the run would create, per operation; send nothing")
    p.set_defaults(handler=run)


def _emulator_options(args) -> dict:
    """Faults and timing for the bundled emulator targets: to see a check catch its defect."""
    options: dict = {}
    if args.emulator_fault:
        if args.target not in (None, "emulator", "emulator-server"):
            raise UsageError("--emulator-fault applies to the emulator and emulator-server targets only")
        options["faults"] = tuple(args.emulator_fault)
    if args.emulator_timing:
        options["timing"] = args.emulator_timing
    return options


def run(args) -> int:
    from personalize_conformance.runner import RunOptions, conformance_run, exit_code
    from personalize_conformance.targets import TargetUnavailable
    spec = _load_spec(args.spec)
    for name in args.operations or ():
        if name not in spec.operations:
            raise UsageError(f"unknown operation {name!r} for spec {spec.source}")
    from . import safety_commands
    if args.plan:
        return safety_commands.print_plan(args, spec)
    options = RunOptions(target=args.target, spec=args.spec, endpoint_url=args.endpoint_url,
                         allow_aws=args.allow_aws, seed=args.hypothesis_seed, examples=args.examples,
                         operations=args.operations, out_dir=args.out, run_id=args.run_id,
                         timeout=args.timeout, har=args.har, allow_billable=args.allow_billable,
                         emulator_options=_emulator_options(args))
    from personalize_conformance.runner.teardown import RunInterrupted
    try:
        doc, out = conformance_run(options)
    except RunInterrupted as exc:
        print(safety_commands.interrupted_line(exc), file=sys.stderr)
        return 130
    except (ValueError, RuntimeError, TargetUnavailable) as exc:
        raise UsageError(str(exc)) from None
    down = safety_commands.unavailable_line(doc)
    if down:
        print(f"personalize-conformance: {down}", file=sys.stderr)
    totals = doc["totals"]
    print(f"run {doc['run_id']} against {doc['target']['name']}: " + ", ".join(
        f"{v} {k}" for k, v in totals.items() if v and k != "operations") + f" of {totals['operations']} operations")
    print(f"reports: {out}/index.html, {out}/summary.md, {out}/junit.xml, {out}/results.json")
    print(f"hypothesis seed: {doc['hypothesis_seed']}")
    return exit_code(doc)


@command
def register_spec(sub) -> None:
    p = sub.add_parser("spec", help="print the operation index of a spec (default: the botocore-built one)")
    add_spec_option(p)
    p.add_argument("--json", action="store_true", help="the index as JSON")
    p.add_argument("--patches", action="store_true", help="list the patch layer instead")
    p.add_argument("--export", metavar="FILE",
                   help="write the patched OpenAPI document to FILE, in standard OpenAPI for schemathesis "
                        "and other tools (loads back as --spec)")
    p.add_argument("--unpatched", action="store_true", help="with --export: the document as loaded, unpatched")
    p.set_defaults(handler=spec)


def spec(args) -> int:
    from personalize_conformance.specs import describe_patches
    if args.patches:
        for name, reason in describe_patches():
            print(f"{name:24} {reason}")
        return 0
    loaded = _load_spec(args.spec)
    if args.export:
        return _export(loaded, args.export, patched=not args.unpatched)
    rows = [(op.name, op.resource, op.kind, ",".join(op.errors)) for op in loaded.operations.values()]
    if args.json:
        print(json.dumps([dict(zip(("operation", "resource", "kind", "errors"), r)) for r in rows], indent=1))
        return 0
    print(f"# {loaded.source}: {len(rows)} operations")
    print(f"{'operation':34} {'resource':22} {'kind':9} declared errors")
    for name, resource, kind, errors in rows:
        print(f"{name:34} {resource:22} {kind:9} {errors}")
    return 0


HOOKS_MODULE = "personalize_conformance.targets.schemathesis_hooks"


def _export(loaded, path: str, *, patched: bool) -> int:
    from personalize_conformance.specs.export import export_document, unusable_patterns
    document = export_document(loaded) if patched else loaded.raw
    try:
        pathlib.Path(path).write_text(json.dumps(document, indent=1), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path} ({len(loaded.operations)} operations, {loaded.source}, "
          f"{'patched' if patched else 'unpatched'})")
    if patched:
        for pattern in unusable_patterns(document):
            print(f"  pattern {pattern!r} has no Python `re` equivalent: kept as x-aws-pattern only")
        print(f"schemathesis: SCHEMATHESIS_HOOKS={HOOKS_MODULE} st run {path} --url URL")
    return 0


@command
def register_validate(sub) -> None:
    p = sub.add_parser("validate", help="check one recorded response offline with the run's checks")
    add_spec_option(p)
    p.add_argument("--operation", help="the operation the response answers (required without --har)")
    p.add_argument("--status", type=int, default=200, help="its HTTP status (default 200)")
    p.add_argument("--headers", metavar="FILE",
                   help="its headers: a JSON object, or 'Name: value' lines (default: a conformant set)")
    p.add_argument("body", nargs="?", metavar="BODY_FILE|-", help="the response body, or - for standard input")
    from .report_commands import add_har_options
    add_har_options(p)
    p.set_defaults(handler=validate)


def _read_headers(path: str | None) -> dict:
    if path is None:
        return {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "recorded"}
    text = pathlib.Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        return {k.lower(): str(v) for k, v in json.loads(text).items()}
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {k.strip().lower(): v.strip() for k, v in pairs}


def validate(args) -> int:
    from personalize_conformance.checks import context_for, run_checks
    from personalize_conformance.strategies import Case
    from personalize_conformance.targets import WireResponse
    if args.har:
        from .report_commands import validate_har
        return validate_har(args)
    if not args.operation or args.body is None:
        raise UsageError("validate needs --operation and BODY_FILE (or --har FILE)")
    loaded = _load_spec(args.spec)
    if args.operation not in loaded.operations:
        raise UsageError(f"unknown operation {args.operation!r}")
    body = sys.stdin.buffer.read() if args.body == "-" else pathlib.Path(args.body).read_bytes()
    response = WireResponse.of(args.status, _read_headers(args.headers), body)
    case = Case(operation=args.operation, body=b"{}", family="recorded", case_id="recorded")
    findings = run_checks(case, response, context_for(loaded))
    bad = [f for f in findings if f.outcome in ("fail", "error")]
    for f in findings:
        if f.outcome != "pass":
            print(f"{f.outcome.upper():5} {f.rule}: {f.message}")
    print(f"{len(findings) - len(bad)} checks passed, {len(bad)} failed")
    return 1 if bad else 0


@command
def register_emulator(sub) -> None:
    p = sub.add_parser("emulator", help="serve the bundled reference emulator over HTTP until stopped",
                       add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=emulator)


def emulator(args) -> int:
    from personalize_conformance.emulator.__main__ import main as emulator_main
    return emulator_main(args.rest) or 0
