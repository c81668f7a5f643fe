"""The commands that drive the harness: run, spec, validate, emulator."""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

from .framework import (REGISTRY, UsageError, add_spec_option, add_target_options, command,  # noqa: F401
                        folder_name, inside, output_folder, positive_int, read_input, seed)


def _load_spec(source):
    """The spec, or a `SpecError` (a `ConformanceError`: one line, exit 2)."""
    from personalize_conformance.specs import load_spec
    return load_spec(source)


def _fail_on(text: str):
    from personalize_conformance.runner.gate import parse_fail_on
    try:
        return parse_fail_on(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


RUN_EPILOG = """exit codes:
  0  everything checked conforms, or every failure is accepted by --baseline
  1  non-conformance found: an outcome --fail-on names that --baseline does not accept
  2  usage error, harness error, the target was unavailable, or something was not judged: nothing
     at all, or an operation never seen to succeed (its response checks never ran)
  130  interrupted (Ctrl-C or SIGTERM); what the run created was torn down first
"""


EXAMPLES_VARIABLE = "PERSONALIZE_CONFORMANCE_EXAMPLES"  # also the pytest plugin's default budget


def _default_examples() -> int:
    """A shorter (or longer) budget for every run of a session, e.g. a CI job's, without editing
    each command line."""
    value = os.environ.get(EXAMPLES_VARIABLE, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 10


@command
def register_run(sub) -> None:
    p = sub.add_parser("run", help="run the conformance suite against a target and write reports",
                       epilog=RUN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_target_options(p)
    add_spec_option(p)
    p.add_argument("--hypothesis-seed", type=seed, help="replay a run: the seed its report names")
    p.add_argument("--replay", metavar="RUN", help="draw a run's cases again: its seed, examples and operations, "
                   "from its folder or results.json (warns when the installed Hypothesis is not the run's)")
    p.add_argument("--examples", type=positive_int, default=None,
                   help=f"valid requests per operation (default ${EXAMPLES_VARIABLE}, else 10); boundary and "
                        "invalid probes get one request each per 20")
    p.add_argument("--operation", action="append", dest="operations", metavar="OP",
                   help="only this operation (repeatable)")
    p.add_argument("--include", action="append", metavar="PATTERN",
                   help="keep only what matches: an operation glob (Create*), family:NAME (valid, boundary, "
                        "invalid, lifecycle) or rule:GLOB (schema.*); repeatable")
    p.add_argument("--exclude", action="append", metavar="PATTERN",
                   help="leave out what matches, same patterns as --include; repeatable")
    p.add_argument("--out", default="reports", help="folder for reports/<run-id>/ (default ./reports)")
    p.add_argument("--run-id", type=folder_name,
                   help="name of the run and of its report folder inside --out (default: timestamp + "
                        "random suffix)")
    p.add_argument("--har", metavar="FILE", help="also record every request and response to FILE (HAR 1.2)")
    p.add_argument("--emulator-fault", action="append", metavar="NAME[:Op,...]",
                   help="switch on one of the bundled emulator's named faults (repeatable; "
                        "`personalize-conformance emulator --help` lists them)")
    p.add_argument("--emulator-timing", metavar="MODE",
                   help="the bundled emulator's status timing: describes:N (the run's default: describes:1), "
                        "seconds:T or immediate")
    p.add_argument("--emulator-quotas", action="store_true",
                   help="enforce the bundled emulator's service quotas (a run lifts them by default)")
    p.add_argument("--allow-billable", action="store_true",
                   help="with --target aws: also send operations that start paid work (training, campaigns, jobs)")
    p.add_argument("--fail-on", type=_fail_on, default=("fail",), metavar="OUTCOMES",
                   help="what makes the run exit 1: a comma list of fail, warn, not-implemented (default fail)")
    p.add_argument("--baseline", metavar="FILE",
                   help="known failures (YAML or JSON: operation, rule, family, reason): exit 0 while nothing "
                        "else fails; lists accepted failures that now pass")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: a machine-readable summary on stdout, the human text on stderr")
    p.add_argument("--plan", action="store_true",
                   help="print what the run would send and create, per operation; send nothing to the target")
    p.add_argument("--strict", action="store_true",
                   help="fail, not warn, where a target departs from what only the docs say of statuses, "
                        "values, required members, error names or validation order")
    p.set_defaults(handler=run)


def _emulator_options(args) -> dict:
    """Faults and timing for the bundled emulator targets: to see a check catch its defect."""
    options: dict = {}
    if args.emulator_fault or args.emulator_timing:
        if args.target not in (None, "emulator", "emulator-server") or (args.target is None and args.endpoint_url):
            option = "--emulator-fault" if args.emulator_fault else "--emulator-timing"
            raise UsageError(f"{option} applies to the emulator and emulator-server targets only")
    if args.emulator_fault:
        from personalize_conformance.emulator.faults import FaultSet
        try:
            FaultSet.parse(tuple(args.emulator_fault))
        except ValueError as exc:
            raise UsageError(f"--emulator-fault: {exc}") from None
        options["faults"] = tuple(args.emulator_fault)
    if args.emulator_timing:
        from personalize_conformance.emulator.lifecycle import parse_timing
        try:
            parse_timing(args.emulator_timing)
        except ValueError as exc:
            raise UsageError(f"--emulator-timing {args.emulator_timing!r}: {exc}") from None
        options["timing"] = args.emulator_timing
    if args.emulator_quotas:
        options["quotas"] = True
    return options


def _writable_file(path: str, option: str) -> None:
    """A file the run writes at its end: refused now if its folder does not exist."""
    parent = pathlib.Path(path).expanduser().parent
    if not parent.is_dir() or pathlib.Path(path).expanduser().is_dir():
        raise UsageError(f"cannot write {option} {path}: " + ("it is a folder" if parent.is_dir()
                                                               else f"no folder {parent}"))


def run(args) -> int:
    from personalize_conformance.runner import RunOptions, conformance_run, new_run_id
    from personalize_conformance.runner.gate import Gate, judge, load_baseline
    from personalize_conformance.runner.selection import Selection
    from personalize_conformance.runner.teardown import RunInterrupted
    from personalize_conformance.targets import check_choice

    from . import safety_commands
    check_choice(args.target, args.endpoint_url)
    emulator_options = _emulator_options(args)
    spec = _load_spec(args.spec)
    for name in args.operations or ():
        if name not in spec.operations:
            raise UsageError(f"unknown operation {name!r} for spec {spec.source}")
    if args.replay:
        _take_replayed_run(args, spec)
    if args.examples is None:
        args.examples = _default_examples()
    selection = Selection.parse(args.include, args.exclude, spec.operations)
    operations = selection.operations(args.operations or list(spec.operations))
    if not operations:
        raise UsageError("--include/--exclude leave no operation to run")
    if not selection.families:
        raise UsageError("--include/--exclude leave no family to run (valid, boundary, invalid, lifecycle)")
    gate = Gate(fail_on=args.fail_on, baseline=load_baseline(args.baseline) if args.baseline else None,
                baseline_path=args.baseline)
    run_id = args.run_id or new_run_id()
    if args.plan:
        return safety_commands.print_plan(args, spec, operations=operations, selection=selection, run_id=run_id,
                                          emulator_options=emulator_options)
    if args.har:
        _writable_file(args.har, "--har")
    inside(output_folder(args.out, create=True), run_id)
    options = RunOptions(target=args.target, spec=args.spec, endpoint_url=args.endpoint_url,
                         allow_aws=args.allow_aws, seed=args.hypothesis_seed, examples=args.examples,
                         operations=None if operations == list(spec.operations) else operations,
                         out_dir=args.out, run_id=run_id, timeout=args.timeout, har=args.har,
                         allow_billable=args.allow_billable, emulator_options=emulator_options,
                         selection=selection, strict=args.strict)
    human = sys.stderr if args.format == "json" else sys.stdout
    try:
        doc, out = conformance_run(options)
    except RunInterrupted as exc:
        print(safety_commands.interrupted_line(exc), file=sys.stderr)
        return 130
    except (ValueError, RuntimeError) as exc:  # a stage refusing its input: the user's to fix
        raise UsageError(str(exc)) from None
    down = safety_commands.unavailable_line(doc)
    if down:
        print(f"personalize-conformance: {down}", file=sys.stderr)
    verdict = judge(doc, gate)
    from personalize_conformance.reporting.terminal import summary_lines
    if gate.baseline is None:  # nothing is accepted, so every failure is new: the top ones, named
        lines = summary_lines(doc, out, notes=[verdict.nothing_judged] if verdict.nothing_judged else [],
                              outcomes=(*gate.fail_on, "error"))
    else:  # the gate names what is new, what it accepted and what now passes
        lines = summary_lines(doc, out, notes=verdict.lines(), top=0)
    print("\n".join(lines), file=human)
    if args.format == "json":
        print(json.dumps(_summary(doc, out, verdict, gate), indent=1, ensure_ascii=False))
    return verdict.exit_code


def _summary(doc: dict, out, verdict, gate) -> dict:
    """`run --format json`: what a CI step reads, without opening results.json."""
    return {"run_id": doc["run_id"], "target": doc["target"]["name"], "spec": doc.get("spec"),
            "hypothesis_seed": doc["hypothesis_seed"], "exit_code": verdict.exit_code,
            "totals": doc["totals"], "fail_on": list(gate.fail_on), "baseline": gate.baseline_path,
            "evidence": {k: (doc.get("evidence") or {}).get(k) for k in ("fail_operations", "doc_warnings", "strict")},
            "gate": verdict.to_dict(),
            "operations": {op: row["status"] for op, row in doc["operations"].items()},
            "reports": {name: str(pathlib.Path(out) / name)
                        for name in ("results.json", "summary.md", "junit.xml", "index.html")}}


def _take_replayed_run(args, spec) -> None:
    """`--replay RUN`: what the user did not set comes from the run; a Hypothesis that is not the
    run's is said before anything is sent."""
    from personalize_conformance.reporting.results_json import load
    from personalize_conformance.runner.replay import rerun_of
    rerun = rerun_of(load(args.replay), spec)  # an unreadable run or one without a seed: exit 2
    if args.hypothesis_seed is not None and args.hypothesis_seed != rerun.seed:
        raise UsageError(f"--replay {args.replay} draws seed {rerun.seed}; --hypothesis-seed {args.hypothesis_seed} "
                         "asks for another")
    args.hypothesis_seed = rerun.seed
    args.examples = rerun.examples if args.examples is None else args.examples
    args.operations = args.operations or rerun.operations
    if rerun.warning:
        print(f"personalize-conformance: warning: {rerun.warning}", file=sys.stderr)


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
        _writable_file(args.export, "--export")
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
    p.add_argument("--status", type=http_status, default=200, help="its HTTP status (default 200)")
    p.add_argument("--headers", metavar="FILE",
                   help="its headers: a JSON object, or 'Name: value' lines (default: a conformant set)")
    p.add_argument("body", nargs="?", metavar="BODY_FILE|-", help="the response body, or - for standard input")
    from .report_commands import add_har_options
    add_har_options(p)
    p.set_defaults(handler=validate)


def http_status(text: str) -> int:
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"not an HTTP status: {text!r}") from None
    if not 100 <= value <= 599:
        raise argparse.ArgumentTypeError(f"an HTTP status is 100 to 599, not {text!r}")
    return value


def _read_headers(path: str | None) -> dict:
    if path is None:
        return {"content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "recorded"}
    text = read_input(path, "--headers").decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"--headers {path} is not a JSON object: {exc}") from None
        if not isinstance(doc, dict):
            raise UsageError(f"--headers {path} is not a JSON object")
        return {str(k).lower(): str(v) for k, v in doc.items()}
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {k.strip().lower(): v.strip() for k, v in pairs}


def _stdin() -> bytes:
    try:
        return sys.stdin.buffer.read()
    except (OSError, AttributeError, ValueError) as exc:  # closed, or not a byte stream
        raise UsageError(f"cannot read the body from standard input: {exc}") from None


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
        raise UsageError(f"unknown operation {args.operation!r} for spec {loaded.source}")
    body = _stdin() if args.body == "-" else read_input(args.body, "BODY_FILE")
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
    # Everything after `emulator` goes, as typed, to the emulator's own parser: its options, its
    # --help (with the faults), its errors. This parser has no prefix character, so it takes none
    # of those arguments for an option of its own (with `-`, argparse took `--port` for one and
    # refused it as unrecognized); building the emulator's parser here instead would load the
    # emulator for every command.
    p = sub.add_parser("emulator", help="serve the bundled reference emulator over HTTP until stopped "
                                        "(`emulator --help` for its options)",
                       add_help=False, prefix_chars="\0")
    p.add_argument("emulator_argv", nargs=argparse.REMAINDER, metavar="OPTIONS")
    p.set_defaults(handler=emulator)


def emulator(args) -> int:
    from personalize_conformance.emulator.__main__ import main as emulator_main
    return emulator_main(args.emulator_argv) or 0
