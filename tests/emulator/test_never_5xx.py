"""No input reaches a server error: random bodies, random shapes, random headers."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personalize_conformance.emulator import Emulator, model

from .helpers import RECIPE, ROLE, SCHEMA, Client, World, headers_for

OPERATIONS = model.operation_names()
EMULATOR = Emulator(timing="immediate")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=80))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=20), inner, max_size=4)),
    max_leaves=6)


def members_of(operation: str) -> list[str]:
    return list(model.input_members(operation)) or ["x"]


@st.composite
def requests(draw):
    operation = draw(st.sampled_from(OPERATIONS))
    keys = st.one_of(st.sampled_from(members_of(operation)), st.text(max_size=10))
    body = draw(st.dictionaries(keys, json_values, max_size=6))
    return operation, body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_shaped_garbage_never_gets_a_5xx(request):
    operation, body = request
    status, headers, payload = EMULATOR.handle("POST", "/", headers_for(operation),
                                               json.dumps(body).encode())
    assert status < 500, payload
    assert isinstance(json.loads(payload), dict)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(OPERATIONS),
       st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=4),
       st.sampled_from(["POST", "GET", "PUT", "X"]))
def test_raw_garbage_never_gets_a_5xx(body, operation, extra_headers, method):
    headers = {**headers_for(operation), **extra_headers}
    status, _, payload = EMULATOR.handle(method, "/", headers, body)
    assert status < 500, payload


# -- valid requests, deep into the handlers --------------------------------------------------

WORLD = World(Client(Emulator(timing="describes:1"))).build()
ARNS = sorted(WORLD.arns.values()) + [RECIPE + "aws-sims", RECIPE + "aws-vod-top-picks",
                                      WORLD.arns["solution"] + "/$LATEST",
                                      "arn:aws:personalize:us-east-1:123456789012:campaign/nope"]
STRINGS = {
    "Arn": st.sampled_from(ARNS),
    "RoleArn": st.just(ROLE),
    "KmsKeyArn": st.just("arn:aws:kms:us-east-1:123456789012:key/k"),
    "S3Location": st.just("s3://bucket/key"),
    "AvroSchema": st.sampled_from([SCHEMA, "{}", "not json"]),
    "Name": st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
    "SchedulingExpression": st.just("rate(1 day)"),
    "DatasetType": st.sampled_from(["Interactions", "items", "USERS", "Actions", "Clicks"]),
    "FilterExpression": st.sampled_from(['INCLUDE ItemID WHERE Items.X IN ("y")', "nonsense"]),
    "TagKey": st.sampled_from(["team", "env", "aws:reserved"]),
    "TagValue": st.sampled_from(["", "x"]),
    "NextToken": st.sampled_from(["", "bogus"]),
    "ColumnName": st.just("ITEM_NAME"),
}


def valid(shape, depth=0):
    """Values that pass validation, drawn to reach the handlers' branches."""
    kind = shape.type_name
    if kind == "structure":
        required = {name: valid(shape.members[name], depth + 1) for name in shape.required_members}
        optional = {name: valid(member, depth + 1) for name, member in shape.members.items()
                    if name not in shape.required_members} if depth < 3 else {}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        low, high = shape.metadata.get("min", 0), min(shape.metadata.get("max", 3), 3)
        return st.lists(valid(shape.member, depth + 1), min_size=low, max_size=max(low, high))
    if kind == "map":
        return st.dictionaries(valid(shape.key, depth + 1), valid(shape.value, depth + 1),
                               max_size=min(shape.metadata.get("max", 2), 2))
    if kind == "string":
        if shape.enum:
            return st.sampled_from(shape.enum)
        if shape.name in STRINGS:
            return STRINGS[shape.name]
        low, high = shape.metadata.get("min", 0), min(shape.metadata.get("max", 12), 12)
        return st.text(alphabet="abcXYZ019", min_size=low, max_size=max(low, high))
    if kind in ("integer", "long"):
        return st.integers(shape.metadata.get("min", -5), min(shape.metadata.get("max", 200), 200))
    if kind in ("double", "float"):
        return st.floats(shape.metadata.get("min", -5.0), shape.metadata.get("max", 5.0))
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(kind)


@st.composite
def valid_requests(draw):
    operation = draw(st.sampled_from(OPERATIONS))
    shape = model.operation(operation).input_shape
    return operation, draw(valid(shape)) if shape is not None else {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_requests())
def test_valid_requests_against_a_live_world_never_get_a_5xx(request):
    operation, body = request
    WORLD.c.call(operation, **body)   # Client asserts < 500, declared errors, output shape
