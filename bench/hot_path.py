"""Where a stateless run's time goes: the run under cProfile, folded into the harness's stages.

Why: the harness is as fast as its slowest stage, and the stages belong to different parts of
the tree (strategies, the Hypothesis engine the runner drives, targets, checks). The table
names each, so a slowdown is sent to the part that owns it. Figures are cumulative and nest
(shrinking re-draws and re-sends; a draw contains its filters), so shares do not add up to 100%.

    python -m bench.hot_path [--target emulator] [--operations all|Op,Op] [--examples 10] [--top 15]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

from bench import machine, table
from bench.stateless_rate import Counting

# (label, file suffix, function name): cumulative time of that function, outermost calls only.
STAGES = (
    ("Hypothesis: the valid family's runs (`@given(st.data())`, several draws per example)",
     "runner/stateless.py", "explore"),
    ("  of which drawing cases (`st.data().draw`)", "strategies/_internal/core.py", "draw"),
    ("  of which filtered draws (`.filter`, e.g. on `from_regex`)", "strategies/_internal/strategies.py", "do_filtered_draw"),
    ("boundary and invalid: enumerated, every probe's cases built and sent", "runner/stateless.py", "enumerated"),
    ("  of which building cases (`Probe.cases`)", "strategies/probes.py", "first_cases"),
    ("  of which each operation's skeleton, drawn once (in the warm-up run)", "strategies/skeleton.py",
     "simplest_values"),
    ("Hypothesis: shrinking failures (re-draws and re-sends inside)", "conjecture/engine.py", "shrink_interesting_examples"),
    ("Hypothesis: repr of failing examples (pretty printer)", "hypothesis/vendor/pretty.py", "repr_call"),
    ("Hypothesis: source digest per run (database key)", "internal/reflection.py", "function_digest"),
    ("harness: send and check (runner.stateless.send_and_check)", "runner/stateless.py", "send_and_check"),
    ("  target.send (signing and the target itself)", "targets/inprocess.py", "send"),
    ("  of which SigV4 signing (botocore)", "targets/signing.py", "sign"),
    ("  checks (checks.run_checks)", "checks/registry.py", "run_checks"),
    ("  of which schema.response (openapi-core validator)", "checks/schema.py", "response_schema"),
)


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> tuple[float, int]:
    total, calls = 0.0, 0
    for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if func == name and filename.replace("\\", "/").endswith(suffix):
            total += ct
            calls += nc
    return total, calls


def profile_run(target_name: str, operations, examples: int, seed: int):
    from personalize_conformance.runner.stateless import run_stateless
    from personalize_conformance.specs import load_spec
    from personalize_conformance.targets import make_target
    spec = load_spec()
    target = make_target(target_name)
    counting = Counting(target)
    run_stateless(spec, counting, run_seed=seed + 1, examples=2, operations=operations)  # warm caches
    counting.sent = 0
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    run_stateless(spec, counting, run_seed=seed, examples=examples, operations=operations)
    profiler.disable()
    elapsed = time.perf_counter() - started
    target.close()
    return pstats.Stats(profiler), elapsed, counting.sent


def hypothesis_floor(examples: int = 1000) -> tuple[float, float]:
    """CPU ms per example of Hypothesis alone, no profiler: a bare `@given` over a two-member dict
    (a short name, a small integer), and the same strategy drawn through `st.data()` in one
    example as a batch draws. What any Hypothesis-driven generator pays per case before its own
    work, to set beside the raw floor's round trip."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    request = st.fixed_dictionaries({"name": st.text(min_size=1, max_size=20), "n": st.integers(0, 10)})
    quiet = settings(database=None, deadline=None, suppress_health_check=list(HealthCheck), phases=(Phase.generate,))

    @settings(quiet, max_examples=examples)
    @given(request)
    def each(value):
        pass

    @settings(quiet, max_examples=10)
    @given(st.data())
    def together(data):  # a hundred per example: far below Hypothesis's cap on one example's size
        for _ in range(examples // 10):
            data.draw(request)

    out = []
    for test in (each, together):
        started = time.process_time()
        test()
        out.append((time.process_time() - started) / examples * 1000)
    return out[0], out[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hot_path", description=__doc__.split("\n")[0])
    parser.add_argument("--target", default="emulator", help="emulator (default) or moto: in-process targets")
    parser.add_argument("--operations", default="all", help="all, or comma-separated operation names")
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=12, help="also list the N functions with most own time")
    parser.add_argument("--tiny", action="store_true", help="two operations, two examples")
    args = parser.parse_args(argv)
    operations = None if args.operations == "all" else args.operations.split(",")
    if args.tiny:
        operations, args.examples, args.top = ["DescribeSchema", "ListSchemas"], 2, 5
    import warnings
    from hypothesis.errors import HypothesisWarning
    warnings.simplefilter("ignore", HypothesisWarning)  # "overly large repr": its cost is a row below
    stats, elapsed, sent = profile_run(args.target, operations, args.examples, args.seed)
    total = max(stats.total_tt, 1e-9)
    _, runs = _cumulative(stats, "hypothesis/core.py", "run_engine")
    rows = [["whole stateless run (profiled)", f"{total:.2f} s", "100%", f"{sent} cases in {runs} Hypothesis runs"]]
    for label, suffix, name in STAGES:
        seconds, calls = _cumulative(stats, suffix, name)
        rows.append([label, f"{seconds:.2f} s", f"{seconds / total:.0%}", f"{calls} calls"])
    print(machine.header(f"hot path of a stateless run on the in-process {args.target}"))
    print(table.render(["stage", "cumulative", "share", "calls"], rows, [
        f"operations: {args.operations if operations is None else ','.join(operations)}; "
        f"{args.examples} examples; seed {args.seed}; {sent / elapsed:.1f} cases/s under the profiler",
        "stages nest and overlap; cProfile roughly doubles the run's time"]))
    per_example, per_draw = hypothesis_floor(100 if args.tiny else 1000)
    print(f"- Hypothesis alone, unprofiled: {per_example:.3f} ms CPU per `@given` example of a two-member dict; "
          f"{per_draw:.3f} ms per draw of it through `st.data()`")
    if args.top:
        own = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:args.top]
        print(table.render(["function (own time)", "own", "calls"], [
            [f"{f.split('site-packages/')[-1]}:{line} {func}", f"{tt:.2f} s", nc]
            for (f, line, func), (_cc, nc, tt, _ct, _callers) in own]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
