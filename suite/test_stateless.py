"""The stateless conformance suite: every operation of the spec, its valid, boundary and invalid
requests, every check.

`pytest --target moto -k "CreateSchema and invalid"` runs one operation's invalid family; without
--target it runs on the bundled emulator. The report gets the run's constraint coverage.
"""
import pytest

from personalize_conformance.runner.stateless import FAMILIES, Budget, OperationRun, add_coverage

pytestmark = pytest.mark.conformance

JUDGED = ("fail", "error", "unavailable")


def pytest_generate_tests(metafunc):
    """One test per operation of the spec the session judges with (--conformance-spec)."""
    if "operation_name" in metafunc.fixturenames:
        from personalize_conformance.specs import load_spec
        spec = load_spec(metafunc.config.getoption("--conformance-spec"))
        metafunc.parametrize("operation_name", list(spec.operations))


@pytest.fixture(scope="module")
def pool(conformance):
    """Resources the target's answers show to exist, for later operations to point at."""
    from personalize_conformance.strategies import StaticPool
    yield StaticPool()
    add_coverage(conformance.result, conformance.spec)


@pytest.mark.parametrize("family", FAMILIES)
def test_operation_conforms(conformance, pool, operation_name, family):
    spec = conformance.spec
    conformance.result.operations[operation_name] = spec.operation(operation_name)
    run = OperationRun(spec, conformance.target, conformance.seed, Budget.from_examples(conformance.examples),
                       (family,), pool)
    records = run(operation_name)
    conformance.result.records.extend(records)
    failing = [r for r in records if any(f.outcome in JUDGED for f in r.findings)]
    if failing:
        pytest.fail(_explain(conformance, failing, operation_name, family), pytrace=False)
    outcomes = {f.outcome for r in records for f in r.findings}
    if outcomes == {"not-implemented"}:
        pytest.skip(f"NOT IMPLEMENTED by {conformance.target.name}: " + records[0].findings[0].message[:200])


def _how(record) -> str:
    if not record.shrunk:
        return "as sent"
    return "minimal by construction" if record.shrunk_by == "construction" else "shrunk by Hypothesis"


def _explain(conformance, failing, operation, family) -> str:
    from personalize_conformance.reporting.repro import boto3_snippet, curl
    lines = [f"{len(failing)} {family} case(s) of {operation} failed; the first, "
             f"{_how(failing[0])}:"]
    r = failing[0]
    if r.case.rule:
        lines.append(f"aimed at: {r.case.rule}" + (f" ({r.case.note})" if r.case.note else ""))
    lines += [f"{f.rule} [{f.outcome}]: {f.message} (rule source: {f.source})"
              for f in r.findings if f.outcome in JUDGED]
    lines += [
        f"minimal request: {r.case.body.decode('utf-8', 'replace')[:500]}",
        f"replay: pytest --hypothesis-seed {conformance.seed} -k '{operation} and {family}'",
        "curl: " + curl(r.case, conformance.target.endpoint),
        "boto3:\n" + boto3_snippet(r.case, conformance.target.endpoint),
    ]
    others = sorted({x.case.rule or "valid" for x in failing[1:]})
    if others:
        lines.append("also failing: " + ", ".join(others[:10]) + (" ..." if len(others) > 10 else ""))
    return "\n".join(lines)
