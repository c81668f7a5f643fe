"""What judging one response costs: the harness's checks beside a bare openapi-core validation.

Both judge the same recorded 200 bodies against the same patched spec, with everything that can
be built once built once (the harness's validators per operation, openapi-core's `OpenAPI`
object), so the figures are the per-response cost a run pays.
"""
from __future__ import annotations

import json
import time

LIST_ITEMS = 25


def _per_call(fn, iterations: int) -> float:
    for _ in range(min(20, iterations)):
        fn()
    started = time.perf_counter()
    for _ in range(iterations):
        fn()
    return (time.perf_counter() - started) / iterations


def recorded_responses(spec):
    """(label, case, response): a Describe and a List answer from the in-process emulator."""
    from bench.clients import AVRO_SCHEMA
    from personalize_conformance.strategies import Case
    from personalize_conformance.targets import make_target
    target = make_target("emulator")
    arn = None
    for i in range(LIST_ITEMS):
        body = json.dumps({"name": f"bench-{i}", "schema": AVRO_SCHEMA}).encode()
        arn = arn or json.loads(target.send("CreateSchema", body).body)["schemaArn"]
    describe = Case.from_params("DescribeSchema", {"schemaArn": arn})
    listing = Case.from_params("ListSchemas", {"maxResults": 100})
    out = []
    for label, case in ((f"DescribeSchema (1 schema)", describe), (f"ListSchemas ({LIST_ITEMS} items)", listing)):
        response = target.send(case.operation, case.body, case.headers)
        if response.status != 200:
            raise RuntimeError(f"{case.operation}: emulator answered HTTP {response.status}")
        out.append((label, case, response))
    target.close()
    return out


def openapi_core_validator(spec):
    """openapi-core's own entry point, built once, told what the patch layer tells the harness."""
    from openapi_core import Config, OpenAPI
    from personalize_conformance.checks.context import aws_pattern_matcher
    from personalize_conformance.specs.patches import AWS_PATTERN_FORMAT
    formats = {AWS_PATTERN_FORMAT + p: aws_pattern_matcher(p) for p in spec.aws_patterns}
    config = Config(extra_format_validators=formats,
                    extra_media_type_deserializers={"application/x-amz-json-1.1": json.loads})
    return OpenAPI.from_dict(spec.document, config=config)


def validation_cost(spec, iterations: int = 300) -> list[dict]:
    from openapi_core.testing import MockRequest, MockResponse
    from personalize_conformance.checks import context_for, run_checks
    ctx = context_for(spec)
    api = openapi_core_validator(spec)
    host = "https://personalize.us-east-1.amazonaws.com"
    rows = []
    for label, case, response in recorded_responses(spec):
        op = spec.operation(case.operation)
        request = MockRequest(host, "post", op.path, data=case.body, content_type="application/x-amz-json-1.1")
        reply = MockResponse(response.body, status_code=200, content_type="application/x-amz-json-1.1")
        api.validate_response(request, reply)  # raises if the bare validator disagrees: nothing to compare
        findings = run_checks(case, response, ctx)
        failed = [f for f in findings if f.outcome not in ("pass",)]
        rows.append({
            "label": label,
            "harness": _per_call(lambda: run_checks(case, response, ctx), iterations),
            "schema_check": _per_call(lambda: run_checks(case, response, ctx, rules=["schema.response"]), iterations),
            "openapi_core": _per_call(lambda: api.validate_response(request, reply), iterations),
            "checks": len(findings), "not_passing": len(failed),
        })
    return rows
