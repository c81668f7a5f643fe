"""The harness's speed: against the raw floor, against schemathesis, and the suite's wall time.

Why: users run the harness in CI on every change, and its speed decides whether they do. Each
figure is printed beside the peer measured in the same run, on the same machine, against the
same target, because on a shared 2-core machine only such pairs mean anything.

- stateless cases/s (generate + sign + send + check + shrink, `run_stateless` as `run` drives
  it) on moto's server and the emulator's server, each in its own process, beside the raw floor
  (the run's requests pre-built, one per operation, replayed over a keep-alive http.client) and
  beside schemathesis (`st run`, fuzzing phase, positive mode; see st_run.py for what it is given);
- the same in-process (moto's mock_aws, the emulator's `handle`), beside the in-process floor;
- checks per response beside a bare openapi-core `validate_response`;
- the whole default suite on the in-process emulator, serial and `pytest -n 2`, and `run`.

    python -m bench.harness [--examples 10] [--rounds 2] [--skip schemathesis,suite] [--tiny]
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import tempfile
from dataclasses import dataclass, field

from bench import loops, machine, table
from bench.loops import Rate, own_cpu
from bench.raw import EmulatorReplay, HttpReplay, MotoReplay
from bench.servers import ChildServer
from bench.stateless_rate import first_cases, harness_rate

SEED = 1
SCHEMA_OPS = ["CreateSchema", "DeleteSchema", "DescribeSchema", "ListSchemas"]  # what moto implements
TARGETS = {"floor": 0.5, "schemathesis": 5.0, "suite_seconds": 60.0, "xdist": 1.6, "run_seconds": 10.0}
# Per-target figures where they differ: the emulator's server answers in a fraction of moto's
# time, so the same client work is a larger share of its round trip; all 71 operations on it is
# the comparison with schemathesis that counts.
FLOOR_TARGETS = {"emulator server": 0.25}
ST_TARGETS = {"emulator server, all operations": 10.0}
SECTIONS = ("http", "in-process", "schemathesis", "validation", "suite")


@dataclass
class Stateless:
    label: str
    harness: Rate
    floor: Rate
    st_rate: float | None = None
    st_cases: int | None = None
    st_seconds: float | None = None
    st_wall: float | None = None
    st_command: list[str] = field(default_factory=list)


def say(message: str) -> None:
    """Progress on stderr: the table on stdout stays one table."""
    print(f"[bench.harness] {message}", file=sys.stderr, flush=True)


def _best(a: Rate | None, b: Rate) -> Rate:
    return b if a is None or b.per_second > a.per_second else a


def http_stateless(spec, kind: str, operations: list[str], label: str, args, workdir,
                   with_st: bool = True) -> Stateless:
    """Harness, floor and schemathesis in turn against one server process, best round each."""
    say(f"stateless: {label}")
    from bench.st_run import run_st
    from personalize_conformance.targets.http import HttpTarget
    with ChildServer(kind) as server:
        cpu = lambda: own_cpu() + server.cpu()  # noqa: E731
        target = HttpTarget(server.url, name=server.name)
        floor = HttpReplay(server.url, first_cases(spec, operations, server.url))
        warm_up(spec, target, operations)
        best_h = best_f = None
        result = None
        for r in range(args.rounds):
            before = server.requests()
            rate = harness_rate(spec, target, operations, examples=args.examples, seed=SEED + r, cpu=cpu)
            rate.count = server.requests() - before  # what the server answered, like the others
            best_h = _best(best_h, rate)
            best_f = _best(best_f, loops.measure(floor, seconds=args.floor_seconds, max_count=20000, cpu=cpu))
            if with_st and "schemathesis" not in args.skip:
                before = server.requests()
                st = run_st(spec, server.url, operations, args.examples, SEED + r, workdir)
                cases = server.requests() - before
                seconds = st.fuzzing_seconds or st.wall_seconds
                if result is None or (seconds and cases / seconds > (result.st_rate or 0)):
                    result = Stateless(label, best_h, best_f, cases / seconds if seconds else None, cases,
                                       seconds, st.wall_seconds, st.command)
        target.close()
        floor.close()
    if result is None:
        return Stateless(label, best_h, best_f)
    result.harness, result.floor = best_h, best_f
    return result


def warm_up(spec, target, operations: list[str]) -> None:
    """One short run, not measured: the process's one-time costs (imports, validators built per
    operation, Hypothesis's first look at the strategies) are start-up, as schemathesis's are."""
    harness_rate(spec, target, operations, examples=2, seed=SEED + 100)


def in_process_stateless(spec, kind: str, operations: list[str], label: str, args) -> Stateless:
    say(f"stateless: {label}")
    from personalize_conformance.targets import make_target
    target = make_target(kind)
    try:
        prebuilt = first_cases(spec, operations)
        floor = EmulatorReplay(target.emulator, prebuilt) if kind == "emulator" else MotoReplay(prebuilt)
        warm_up(spec, target, operations)
        best_h = best_f = None
        for r in range(args.rounds):
            best_h = _best(best_h, harness_rate(spec, target, operations, examples=args.examples, seed=SEED + r))
            best_f = _best(best_f, loops.measure(floor, seconds=args.floor_seconds, max_count=50000))
    finally:
        target.close()
    return Stateless(label, best_h, best_f)


def _cpu(rate: Rate) -> str:
    return f"{table.rate(rate.per_second)} ({table.ms(rate.cpu_per_request)} CPU each)"


def stateless_rows(results: list[Stateless]) -> list[list]:
    rows = []
    for s in results:
        ratio = s.harness.per_second / s.floor.per_second if s.floor.per_second else 0
        floor = _target(FLOOR_TARGETS, s.label, TARGETS["floor"])
        rows.append([f"stateless cases/s — {s.label}", _cpu(s.harness),
                     f"raw floor {_cpu(s.floor)} req/s", f"{ratio:.2f}×", f"≥ {floor}× floor",
                     "yes" if ratio >= floor else "no"])
        if s.st_rate:
            st_ratio = s.harness.per_second / s.st_rate
            st_target = _target(ST_TARGETS, s.label, TARGETS["schemathesis"])
            rows.append(["", "", f"schemathesis {s.st_rate:,.1f} cases/s ({s.st_cases} in {s.st_seconds:.1f} s "
                         f"fuzzing; {s.st_wall:.1f} s process)", f"{st_ratio:.2f}×",
                         f"≥ {st_target}× schemathesis", "yes" if st_ratio >= st_target else "no"])
    return rows


def _target(targets: dict, label: str, default: float) -> float:
    return next((v for k, v in targets.items() if label.startswith(k)), default)


def validation_rows(spec, iterations: int) -> list[list]:
    from bench.validation import validation_cost
    say("validation cost per response")
    rows = []
    for v in validation_cost(spec, iterations):
        rows.append([f"checks per 200 response — {v['label']}",
                     f"{table.ms(v['harness'])} ({v['checks']} checks; schema.response alone {table.ms(v['schema_check'])})",
                     f"bare openapi-core validate_response {table.ms(v['openapi_core'])}",
                     f"{v['openapi_core'] / v['harness']:.1f}× cheaper", "", ""])
    return rows


def suite_rows(args) -> list[list]:
    from bench.suite import shown, startup_times, suite_times
    say("default suite: serial, -n 2, and the run command (fresh processes)")
    runs = suite_times(rounds=args.suite_rounds, workers=2, select="DescribeSchema" if args.tiny else None,
                       timeout=args.suite_timeout)
    serial, parallel, cli = runs["pytest serial"], runs["pytest -n 2"], runs["personalize-conformance run"]
    speedup = serial.seconds / parallel.seconds if parallel.seconds else 0
    limit = TARGETS["suite_seconds"]
    wall = lambda run: f"{run.seconds:.1f} s ({run.cpu:.1f} s CPU)"  # noqa: E731
    return [
        [f"default suite wall — `{shown(serial.command)}`", wall(serial),
         serial.summary, "", f"< {limit:g} s", "yes" if serial.seconds < limit else "no"],
        [f"default suite wall — `{shown(parallel.command)}`", wall(parallel),
         f"serial {serial.seconds:.1f} s; {parallel.summary}", f"{speedup:.2f}×",
         f"≥ {TARGETS['xdist']}× serial", "yes" if speedup >= TARGETS["xdist"] else "no"],
        [f"whole run wall — `{shown(cli.command)}`", wall(cli), cli.summary, "",
         f"< {TARGETS['run_seconds']:g} s", "yes" if cli.seconds < TARGETS["run_seconds"] else "no"],
    ] + startup_rows(startup_times())


def startup_rows(runs) -> list[list]:
    """Start-up and collection per pytest process: paid once serially, three times under -n 2."""
    from bench.suite import shown
    configured, every = runs
    return [[f"pytest process start-up + collection — `{shown(configured.command)}`",
             f"{configured.seconds:.1f} s ({configured.cpu:.1f} s CPU)",
             f"with every installed plugin loaded (`-o addopts=`): {every.seconds:.1f} s ({every.cpu:.1f} s CPU)",
             f"{every.cpu / configured.cpu:.2f}× CPU" if configured.cpu else "—", "", ""]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harness", description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=10, help="examples per operation (run's default: 10)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per stateless measurement; best kept")
    parser.add_argument("--floor-seconds", type=float, default=2.0, help="length of one raw-floor round")
    parser.add_argument("--suite-rounds", type=int, default=1, help="runs of each suite command; best kept")
    parser.add_argument("--suite-timeout", type=float, default=900, help="bound on one suite command, seconds")
    parser.add_argument("--validation-iterations", type=int, default=500)
    parser.add_argument("--skip", default="", help=f"comma-separated sections to leave out: {', '.join(SECTIONS)}")
    parser.add_argument("--tiny", action="store_true", help="a few cases each: checks the script runs")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    schema_ops, all_label = SCHEMA_OPS, "all operations"
    if args.tiny:
        args.examples, args.rounds, args.floor_seconds, args.suite_rounds = 2, 1, 0.2, 1
        args.validation_iterations = 20
        schema_ops = ["DescribeSchema"]

    import warnings
    from hypothesis.errors import HypothesisWarning
    warnings.simplefilter("ignore", HypothesisWarning)  # "overly large repr": its cost is in hot_path's table
    from personalize_conformance.specs import load_spec
    spec = load_spec()
    every = None if args.tiny else list(spec.operations)  # tiny: the schema rows only
    ops_label = f"{len(schema_ops)} schema operation{'s' * (len(schema_ops) > 1)}"
    title = machine.header("harness speed")
    results: list[Stateless] = []
    rows: list[list] = []
    with tempfile.TemporaryDirectory(prefix="bench-st-") as tmp:
        workdir = pathlib.Path(tmp)
        if "http" not in args.skip:
            results.append(http_stateless(spec, "moto", schema_ops, f"moto server, {ops_label}", args, workdir,
                                          with_st=not args.tiny))
            results.append(http_stateless(spec, "emulator", schema_ops, f"emulator server, {ops_label}", args, workdir))
            if every:
                results.append(http_stateless(spec, "emulator", every,
                                              f"emulator server, {all_label} ({len(every)})", args, workdir))
    if "in-process" not in args.skip:
        results.append(in_process_stateless(spec, "moto", schema_ops, f"moto mock_aws in-process, {ops_label}", args))
        results.append(in_process_stateless(spec, "emulator", schema_ops, f"emulator in-process, {ops_label}", args))
        if every:
            results.append(in_process_stateless(spec, "emulator", every,
                                                f"emulator in-process, {all_label} ({len(every)})", args))
    rows += stateless_rows(results)
    if "validation" not in args.skip:
        rows += validation_rows(spec, args.validation_iterations)
    if "suite" not in args.skip:
        rows += suite_rows(args)

    st_command = next((s.st_command for s in results if s.st_command), None)
    notes = [
        f"stateless: {args.examples} examples per operation, seed {SEED}+round, best of {args.rounds} "
        "round(s) after one unmeasured warm-up run; cases = requests the target answered (shrinking "
        "included); CPU = client + server process",
        "HTTP servers each run in their own process on 127.0.0.1; moto's werkzeug closes every connection",
        "raw floor: one valid request per operation generated and signed once, replayed round-robin "
        "(HTTP: keep-alive http.client; in-process: `Emulator.handle` / mock_aws's botocore stub), no checks",
    ]
    if st_command:
        notes.append("schemathesis was asked to: `SCHEMATHESIS_HOOKS=personalize_conformance.targets."
            "schemathesis_hooks " + " ".join(c if " " not in c else repr(c) for c in st_command) + "` — the "
            "document `spec --export` writes, every request sent to POST / and SigV4-signed by the shipped "
            "hooks; its rate is requests the server answered ÷ its fuzzing phase")
    notes.append(f"load avg after: {machine.load()}")
    print(title)
    print(table.render(["measure", "harness", "beside it (same run)", "ratio", "target", "met"], rows, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
