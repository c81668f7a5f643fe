"""The stateless conformance suite: every operation of the spec, generated requests, every check.

`pytest --target moto -k CreateSchema` runs one operation; without --target it runs on the
bundled emulator.
"""
import pytest

from runner.stateless import Explorer, operation_seed
from strategies import valid_cases

pytestmark = pytest.mark.conformance


def test_operation_conforms(conformance, operation_name):
    spec = conformance.spec
    conformance.result.operations[operation_name] = spec.operation(operation_name)
    explorer = Explorer(conformance.target, spec, conformance.examples)
    records = explorer.explore(operation_name, valid_cases(spec, operation_name),
                               operation_seed(conformance.seed, operation_name))
    conformance.result.records.extend(records)
    outcomes = {f.outcome for r in records for f in r.findings}
    failing = [r for r in records if any(f.outcome in ("fail", "error", "unavailable") for f in r.findings)]
    if failing:
        from reports.repro import boto3_snippet, curl
        r = failing[-1]
        lines = [f"{f.rule} [{f.outcome}]: {f.message} (rule source: {f.source})"
                 for f in r.findings if f.outcome in ("fail", "error", "unavailable")]
        pytest.fail("\n".join(lines + [
            f"minimal request ({'shrunk' if r.shrunk else 'as sent'}): {r.case.body.decode('utf-8', 'replace')[:500]}",
            f"replay: --hypothesis-seed {conformance.seed}",
            "curl: " + curl(r.case, conformance.target.endpoint),
            "boto3:\n" + boto3_snippet(r.case, conformance.target.endpoint)]), pytrace=False)
    if outcomes == {"not-implemented"}:
        pytest.skip(f"NOT IMPLEMENTED by {conformance.target.name}: " + records[0].findings[0].message[:200])
