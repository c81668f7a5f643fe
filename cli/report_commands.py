"""Commands that read what runs left behind: diff, drift, replay, report, and `validate --har`.

Exit codes follow the harness's: 0 all conform (or nothing changed for the worse), 1
non-conformance found (a regression, drift, a failing replay), 2 usage or harness error.
"""
from __future__ import annotations

import argparse
import json
import pathlib

from personalize_conformance.errors import ConformanceError

from .framework import UsageError, add_target_options, command, folder_name, inside, output_folder

RAW = argparse.RawDescriptionHelpFormatter


def _epilog(one: str, zero: str = "everything checked conforms") -> str:
    return ("exit codes:\n"
            f"  0  {zero}\n"
            f"  1  {one}\n"
            "  2  usage error, unreadable input, harness error or unavailable target\n")


def _load_results(path: str) -> dict:
    from personalize_conformance.reporting.results_json import ResultsError, load
    try:
        return load(path)
    except ResultsError as exc:
        raise UsageError(str(exc)) from None


def _load_spec(source: str | None, what: str = "spec"):
    from personalize_conformance.specs import load_spec
    try:
        return load_spec(None if source in (None, "", "botocore") else source)
    except ConformanceError as exc:
        raise UsageError(f"{what}: {exc}") from None
    except Exception as exc:  # any way a document can be unreadable is the user's input, not a crash
        raise UsageError(f"cannot load {what} {source}: {exc.__class__.__name__}: {exc}") from None


# ---------------------------------------------------------------- diff

@command
def register_diff(sub) -> None:
    p = sub.add_parser(
        "diff", help="compare two runs: newly failing, newly passing, newly implemented (a release gate)",
        description="Compare two runs cell by cell (operation x check) as their results.json state them. "
                    "A regression is a cell that fails now and did not before, or an operation the target "
                    "no longer implements.",
        epilog=_epilog("a regression: some operation x check got worse",
                       "no regression (the later run may still fail where the earlier one did)")
        + "  (2 also when the later run could not judge cells the earlier one did)\n", formatter_class=RAW)
    p.add_argument("before", metavar="RUN_A", help="the earlier run: its folder or its results.json")
    p.add_argument("after", metavar="RUN_B", help="the later run: its folder or its results.json")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(handler=diff)


def diff(args) -> int:
    from personalize_conformance.reporting.diff import compare, render_text
    result = compare(_load_results(args.before), _load_results(args.after))
    print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False) if args.json else render_text(result),
          end="" if not args.json else "\n")
    return result.exit_code


# ---------------------------------------------------------------- drift

@command
def register_drift(sub) -> None:
    p = sub.add_parser(
        "drift", help="compare two specs: operations, shapes, constraints, errors, members, required",
        description="What changed from SPEC_A to SPEC_B. Each is a path, a URL, 'botocore' for the "
                    "document built from the installed botocore model, or another botocore release: "
                    "'botocore==X.Y.Z' (the installed one, a cached wheel, or one `pip download` fetches), "
                    "a botocore wheel file, or an unpacked botocore folder.",
        epilog=_epilog("the specs differ", "the specs describe the same API"), formatter_class=RAW)
    p.add_argument("spec_a", metavar="SPEC_A")
    p.add_argument("spec_b", metavar="SPEC_B")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.set_defaults(handler=drift)


def drift(args) -> int:
    from personalize_conformance.reporting import drift as spec_drift
    from personalize_conformance.specs.compare import compare
    a, b = _load_spec(args.spec_a, "SPEC_A"), _load_spec(args.spec_b, "SPEC_B")
    changes = compare(a, b)
    if args.json:
        print(json.dumps(spec_drift.render_json(a.source, b.source, changes), indent=1, ensure_ascii=False,
                         default=str))
    else:
        print(spec_drift.render_text(a.source, b.source, changes), end="")
    return 1 if changes else 0


# ---------------------------------------------------------------- replay

@command
def register_replay(sub) -> None:
    p = sub.add_parser(
        "replay", help="send one recorded case again, exactly, and judge it with the same checks",
        description="Re-send the exact bytes and header overrides of one case from a run's results.json "
                    "to a target (e.g. after a fix) and print the verdicts now beside the verdicts then.",
        epilog=_epilog("the case still fails (or fails now)", "the case conforms"), formatter_class=RAW)
    p.add_argument("case_id", metavar="CASE_ID", help="a case id from the run's reports")
    p.add_argument("--run", required=True, metavar="RUN_DIR", help="the run's folder or its results.json")
    add_target_options(p)
    p.add_argument("--spec", metavar="PATH|URL", help="spec to judge with (default: the run's own)")
    p.set_defaults(handler=replay)


def replay(args) -> int:
    from personalize_conformance.runner import replay as replaying
    from personalize_conformance.targets import make_target
    doc = _load_results(args.run)
    spec = _load_spec(args.spec if args.spec else replaying.spec_source(doc), "the run's spec")
    try:
        target = make_target(args.target, endpoint_url=args.endpoint_url, allow_aws=args.allow_aws,
                             timeout=args.timeout)
    except Exception as exc:
        raise UsageError(f"cannot reach target: {exc}") from None
    try:
        result = replaying.replay(doc, args.case_id, target, spec)
    except replaying.ReplayError as exc:
        raise UsageError(str(exc)) from None
    finally:
        target.close()
    print(replaying.render_text(result), end="")
    return result.exit_code


# ---------------------------------------------------------------- report

@command
def register_report(sub) -> None:
    p = sub.add_parser(
        "report", help="write a run's report files again from its results.json",
        description="Render summary.md, junit.xml and index.html (and any other registered report) from a "
                    "results.json, into its folder or --out.",
        epilog=_epilog("the run it reports found non-conformance"), formatter_class=RAW)
    p.add_argument("run", metavar="RUN", help="a run folder or a results.json")
    p.add_argument("--out", metavar="DIR", help="folder to write into (default: the run's own folder)")
    p.set_defaults(handler=report)


def report(args) -> int:
    from personalize_conformance.reporting import WRITERS, write_all
    from personalize_conformance.reporting.results_json import resolve
    from personalize_conformance.runner.verdicts import exit_code
    doc = _load_results(args.run)
    out = output_folder(args.out, create=True) if args.out else resolve(args.run).parent
    writers = dict(WRITERS)
    if not args.out:
        writers.pop("results.json", None)  # never rewrite the document being read
    written = write_all(doc, out, writers)
    print("wrote " + ", ".join(str(p) for p in written))
    return exit_code(doc["operations"])


# ---------------------------------------------------------------- validate --har

def add_har_options(p: argparse.ArgumentParser) -> None:
    """`validate --har FILE` and its companions; `validate` itself lives in cli/commands.py."""
    p.add_argument("--har", metavar="FILE",
                   help="validate every Amazon Personalize exchange of a HAR file (browser, proxy or "
                        "`run --har`) and write the report files for it")
    p.add_argument("--family", default="valid", choices=("valid", "boundary", "invalid", "lifecycle"),
                   help="with --har: what requests recorded elsewhere are taken as (default valid: "
                        "well-formed); a HAR written by `run --har` keeps each case's own family")
    p.add_argument("--out", default="reports", help="with --har: folder for reports/<run-id>/ (default ./reports)")
    p.add_argument("--run-id", type=folder_name, help="with --har: name of the report folder inside --out")


def validate_har(args) -> int:
    from personalize_conformance.reporting import write_all
    from personalize_conformance.reporting.har import HarError
    from personalize_conformance.runner.har_validate import result_for
    from personalize_conformance.runner.session import build_document
    from personalize_conformance.runner.verdicts import exit_code
    spec = _load_spec(args.spec)
    try:
        result = result_for(args.har, spec, family=args.family, run_id=args.run_id)
    except HarError as exc:
        raise UsageError(str(exc)) from None
    skipped = result.extra["har"]["skipped"]
    if not result.records:
        reasons = "; ".join(f"{n} {why}" for why, n in skipped["reasons"].items()) or "it has no entries"
        raise UsageError(f"{args.har}: no Amazon Personalize exchange to validate ({reasons})")
    doc = build_document(result)
    out = inside(output_folder(args.out, create=True), result.run_id)
    write_all(doc, out)
    _print_verdicts(doc)
    for why, n in skipped["reasons"].items():
        print(f"left out: {n} entries, {why}")
    if skipped["unknown_operations"]:
        print("unknown operations: " + ", ".join(sorted(skipped["unknown_operations"])))
    print(f"reports: {out}/index.html, {out}/summary.md, {out}/junit.xml, {out}/results.json")
    return exit_code(doc["operations"])


def _print_verdicts(doc: dict) -> None:
    from personalize_conformance.reporting import view
    problems: dict[tuple, view.Group] = {(g.operation, g.rule): g for g in view.groups(doc)}
    for row in view.rows(doc):
        print(f"{row.status:15} {row.operation} ({row.cases} exchanges)")
        for rule, verdict in row.checks.items():
            if verdict in ("FAIL", "ERROR"):
                group = problems.get((row.operation, rule))
                print(f"  {verdict:13} {rule}" + (f": {group.message[:200]}" if group else ""))
    totals = view.totals(doc)
    print(", ".join(f"{n} {k}" for k, n in totals.items() if n and k != "operations")
          + f" of {totals.get('operations', 0)} operations")


__all__ = ["add_har_options", "validate_har", "diff", "drift", "replay", "report"]
