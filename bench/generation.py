"""How fast the strategies generate requests, and what their requests find, beside schemathesis and
hypothesis-jsonschema generating from the same patched spec in the same run.

Speed: requests generated per second of CPU for each family, made as a run makes them (valid:
drawn by Hypothesis, one run per operation; boundary and invalid: built directly from the
constraint index, one case per probe),
next to schemathesis (`APIOperation.as_strategy`, positive and negative mode) and
hypothesis-jsonschema (`from_schema` on the request schema). Both are given the harness's AWS
patterns as formats, generated the way the strategies generate them, so all three work from the
same constraints.

Power: every generator's requests go to a clean bundled emulator and to one emulator per
strategy fault (no-length-check, no-enum-check, no-required-check, multibyte-500); a fault is
found when some request gets a different status class (2xx/4xx/5xx) from the two. Beside that,
the harness's own validator says which request-schema rules each request breaks: how many
constraints a generator broke alone (one rule per request: a failure that points at one rule)
and how many requests broke several at once.

What the comparison decided: the harness keeps its own strategies. Drawn from the same
constraints, schemathesis's negative mode breaks rules several at a time and reaches few of them
alone, and hypothesis-jsonschema's valid requests carry members the spec does not name and
strings JSON cannot encode; neither knows which constraint a request aims at, which is what a
failure report and the coverage figure need. Both stay in this script as the yardstick.

Not a test: nothing here asserts a figure. `--tiny` checks that it runs.
"""
from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field

from hypothesis import strategies as st

from bench import machine, table
from personalize_conformance.strategies.sample import sample

FAULTS = ("no-length-check", "no-enum-check", "no-required-check", "multibyte-500")
DEFAULT_OPERATIONS = ("CreateSchema", "CreateDatasetGroup", "CreateSolution", "CreateFilter", "TagResource",
                      "ListSchemas", "DescribeSchema", "UpdateRecommender")
TINY_OPERATIONS = ("CreateSchema", "ListSchemas")
WIRE_CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass
class Generated:
    """What one generator drew: (operation, body bytes, header overrides) and the CPU it took."""
    label: str
    requests: list = field(default_factory=list)
    cpu: float = 0.0
    wall: float = 0.0
    errors: list = field(default_factory=list)


def _timed(label: str, jobs) -> Generated:
    """Run `jobs` (operation, thunk returning requests) and time them together."""
    result = Generated(label)
    cpu, wall = time.process_time(), time.perf_counter()
    for operation, job in jobs:
        try:
            result.requests.extend(job())
        except Exception as exc:  # a generator that cannot draw for an operation is a finding here
            result.errors.append(f"{operation}: {exc.__class__.__name__}: {str(exc).splitlines()[0][:120]}")
    result.cpu, result.wall = time.process_time() - cpu, time.perf_counter() - wall
    return result


# -- the generators ------------------------------------------------------------------------------

def harness(spec, operations, family: str, examples: int, seed: int) -> Generated:
    from personalize_conformance.strategies import probes

    def job(operation):
        found = probes(spec, operation, family)
        if family == "valid":  # drawn by Hypothesis, as a run draws them
            cases = [c for p in found for c in sample(p.strategy, examples, seed)]
        else:  # built directly, one per probe as `Budget` sends them at the default examples
            cases = [c for p in found for c in p.cases(1, seed)]
        return [(c.operation, c.body, c.headers) for c in cases]
    return _timed(f"harness {family}", [(op, lambda op=op: job(op)) for op in operations])


def _aws_formats(spec) -> dict:
    from personalize_conformance.strategies.patterns import generable
    from personalize_conformance.strategies.strings import ALPHABET
    return {f"aws-pattern:{p}": st.from_regex(generable(p), fullmatch=True, alphabet=ALPHABET)
            for p in spec.aws_patterns}


def schemathesis_cases(spec, operations, mode: str, examples: int, seed: int) -> Generated:
    import schemathesis
    from schemathesis import GenerationMode
    schemathesis.serializer.alias(WIRE_CONTENT_TYPE, "application/json")
    for name, strategy in _aws_formats(spec).items():
        schemathesis.openapi.format(name, strategy)
    schema = schemathesis.openapi.from_dict(spec.document)
    by_name = {}
    for result in schema.get_all_operations():
        op = result.ok()
        by_name[op.path.rsplit(".", 1)[-1]] = op
    generation_mode = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE

    def job(operation):
        out = []
        for case in sample(by_name[operation].as_strategy(generation_mode=generation_mode), examples, seed):
            body = case.body if isinstance(case.body, (dict, list, str, int, float, bool)) or case.body is None else {}
            target = (case.headers or {}).get("X-Amz-Target")
            headers = {} if target == f"AmazonPersonalize.{operation}" else {"X-Amz-Target": target}
            out.append((operation, _encode(body), headers))
        return out
    return _timed(f"schemathesis {mode}", [(op, lambda op=op: job(op)) for op in operations])


def jsonschema_cases(spec, operations, examples: int, seed: int) -> Generated:
    from hypothesis_jsonschema import from_schema
    formats = _aws_formats(spec)

    def plain(schema):
        if isinstance(schema, dict):
            return {k: plain(v) for k, v in schema.items()
                    if not k.startswith("x-") and k not in ("description", "title")}
        return [plain(v) for v in schema] if isinstance(schema, list) else schema

    def job(operation):
        strategy = from_schema(plain(spec.operation(operation).request_schema), custom_formats=formats)
        return [(operation, _encode(p), {}) for p in sample(strategy, examples, seed)]
    return _timed("hypothesis-jsonschema", [(op, lambda op=op: job(op)) for op in operations])


def _encode(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


# -- what the requests find ----------------------------------------------------------------------

def _status_class(status: int) -> int:
    return status // 100


def power(spec, generated: Generated, breakable: set) -> dict:
    """Faults found (clean vs faulty emulator) and the rules each request breaks."""
    from personalize_conformance.checks.acceptance import request_violations
    from personalize_conformance.targets import make_target
    clean = make_target("emulator")
    faulty = {f: make_target("emulator", emulator_options={"faults": (f,)}) for f in FAULTS}
    found, server_errors, alone, several = set(), 0, set(), 0
    for operation, body, headers in generated.requests:
        expected = clean.send(operation, body, headers).status
        server_errors += expected >= 500
        for name, target in faulty.items():
            if name not in found and _status_class(target.send(operation, body, headers).status) != \
                    _status_class(expected):
                found.add(name)
        try:
            params = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(params, dict) and not headers:
            broken = request_violations(spec, operation, params)
            if len(broken) == 1:
                alone |= broken & breakable
            several += len(broken) > 1
    for target in (clean, *faulty.values()):
        target.close()
    return {"found": sorted(found), "alone": len(alone), "several": several, "server_errors": server_errors}


# -- the tables ----------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10, help="requests per operation for the generators "
                        "drawn per operation (the harness's valid family, schemathesis, hypothesis-jsonschema)")
    parser.add_argument("--operations", help="comma-separated operations (default: eight of every shape)")
    parser.add_argument("--all", action="store_true", help="every operation of the spec")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-power", action="store_true", help="speed only")
    parser.add_argument("--tiny", action="store_true", help="two operations, two examples: checks that it runs")
    args = parser.parse_args(argv)
    from personalize_conformance.specs import load_spec
    spec = load_spec()
    operations = (list(spec.operations) if args.all else
                  args.operations.split(",") if args.operations else
                  list(TINY_OPERATIONS if args.tiny else DEFAULT_OPERATIONS))
    examples = 2 if args.tiny else args.examples
    from personalize_conformance.strategies import constraints
    breakable = {c.rule for op in operations for c in constraints(spec, op) if c.breakable}
    total = len(breakable)

    runs = [harness(spec, operations, family, examples, args.seed) for family in ("valid", "boundary", "invalid")]
    runs += [schemathesis_cases(spec, operations, mode, examples, args.seed) for mode in ("positive", "negative")]
    runs.append(jsonschema_cases(spec, operations, examples, args.seed))

    print(machine.header("Request generation: the harness's strategies beside schemathesis and hypothesis-jsonschema"))
    print()
    rows = [[r.label, len(r.requests), f"{r.cpu:.2f}", table.rate(len(r.requests) / r.cpu if r.cpu else None),
             table.rate(len(r.requests) / r.wall if r.wall else None), len(r.errors)] for r in runs]
    print(table.render(["generator", "requests", "CPU s", "requests / CPU s", "requests / wall s",
                        "operations it could not draw for"], rows, [
        f"{len(operations)} operations; {examples} requests per operation for per-operation generators, "
        "one per probe for boundary and invalid (as a run builds them at its default --examples)",
        "generation only: nothing is sent while the clock runs",
        *[f"{r.label}: {e}" for r in runs for e in r.errors[:3]]]))
    if args.skip_power:
        return 0
    print()
    rows = []
    for r in runs:
        p = power(spec, r, breakable)
        rows.append([r.label, len(r.requests), f"{len(p['found'])} of {len(FAULTS)}",
                     ", ".join(p["found"]) or "—", f"{p['alone']} of {total}", p["several"], p["server_errors"]])
    print(table.render(["generator", "requests", "faults found", "which", "constraints broken alone",
                        "requests breaking several rules", "5xx from the clean emulator"], rows, [
        "a fault is found when a request gets another status class from the faulty emulator than "
        "from the clean one",
        "constraints broken alone: distinct request-schema rules some request broke as its only "
        "violation (the harness's openapi-core validator, AWS patterns matched against the whole value); a "
        "minLength 1 on a member whose pattern needs a first character cannot be broken alone",
    ]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
