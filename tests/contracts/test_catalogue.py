"""The resource catalogue agrees with the spec: its operations, members and minimal requests."""
import jsonschema
import pytest

from personalize_conformance import contracts
from personalize_conformance.checks.context import aws_pattern_matcher
from personalize_conformance.specs import load_spec
from personalize_conformance.specs.patches import walk

SPEC = load_spec()
TYPES = contracts.resource_types()
FAKE = "arn:aws:personalize:us-east-1:123456789012:{}/conformance-parent"


def _validate(schema: dict, instance: dict) -> list[str]:
    checker = jsonschema.FormatChecker()
    for fmt in {s.get("format") for s in walk(schema) if str(s.get("format", "")).startswith("aws-pattern:")}:
        checker.checks(fmt)(aws_pattern_matcher(fmt[len("aws-pattern:"):]))
    return [e.message for e in jsonschema.Draft7Validator(schema, format_checker=checker).iter_errors(instance)]


def test_every_create_operation_of_the_spec_has_a_catalogue_type():
    creates = {n for n, op in SPEC.operations.items() if op.kind == "create"}
    assert creates == {rt.op("create") for rt in TYPES.values()}


@pytest.mark.parametrize("key", list(TYPES))
def test_operations_exist_with_the_kind_the_catalogue_gives(key):
    for kind, name in TYPES[key].operations.items():
        op = SPEC.operation(name)
        assert op.kind == kind, f"{name} is a {op.kind} in the spec, {kind} in the catalogue"


@pytest.mark.parametrize("key", list(TYPES))
def test_members_are_where_the_catalogue_says(key):
    rt = TYPES[key]
    describe = SPEC.operation(rt.op("describe"))
    assert describe.request_schema["required"] == [rt.arn]
    described = describe.response_schema["properties"][rt.describe_key]["properties"]
    assert rt.arn in described and rt.name in described
    assert (rt.status in described) if rt.status else ("status" not in described)
    listed = SPEC.operation(rt.op("list")).response_schema["properties"]
    assert rt.list_key in listed
    create = SPEC.operation(rt.op("create"))
    assert rt.name in create.request_schema["properties"]
    assert rt.arn in create.response_schema["properties"]
    for member, parent in rt.parents.items():
        assert member in create.request_schema["properties"]
        assert contracts.references()[member] == parent
    if rt.list_filter:
        assert rt.list_filter in SPEC.operation(rt.op("list")).request_schema["properties"]
        assert contracts.references()[rt.list_filter] in [key] + contracts.ancestors(key)
    assert rt.taggable == ("tags" in create.request_schema["properties"])
    for kind in ("delete", "stop", "start", "update"):
        if rt.op(kind):
            assert rt.arn in SPEC.operation(rt.op(kind)).request_schema["properties"]


@pytest.mark.parametrize("key", list(TYPES))
@pytest.mark.parametrize("variant", [None, "domain", "segmentation"])
def test_the_minimal_create_request_is_valid_for_the_spec(key, variant):
    rt = TYPES[key]
    parents = {m: FAKE.format(p) for m, p in rt.parents.items()}
    params = contracts.create_request(key, "conformance-1", parents, variant=variant,
                                      tags={"team": "conformance"} if rt.taggable else None)
    assert _validate(SPEC.operation(rt.op("create")).request_schema, params) == []


def test_an_invalid_request_is_caught_by_the_validation_used_above():
    schema = SPEC.operation("CreateCampaign").request_schema
    assert _validate(schema, {"name": "bad name!", "solutionVersionArn": "nope"})


@pytest.mark.parametrize("key", list(contracts.updates()))
def test_update_requests_are_valid_for_the_spec(key):
    rt = TYPES[key]
    extra = {m: FAKE.format(t) for m, t in contracts.updates()[key].needs.items()}
    params = contracts.update_request(key, FAKE.format(key), extra)
    assert _validate(SPEC.operation(rt.op("update")).request_schema, params) == []


def test_every_update_operation_has_an_update_contract():
    updatable = {key for key, rt in TYPES.items() if rt.op("update")}
    assert updatable == set(contracts.updates())
    for key, update in contracts.updates().items():
        if update.via:
            assert contracts.machine(key, update.via) is not None, f"{key}.{update.via} has no lifecycle"


def test_every_type_with_a_status_has_a_lifecycle_and_every_lifecycle_a_type():
    with_status = {k for k, rt in TYPES.items() if rt.status}
    assert with_status == {r for r, m in contracts.machines() if m == "status"}
    for (rtype, _member), machine in contracts.machines().items():
        assert rtype in TYPES
        assert ("delete" in machine.flows) == bool(TYPES[rtype].op("delete")) or _member != "status"


def test_an_arn_names_its_type():
    arn = "arn:aws:personalize:us-east-1:123456789012:"
    assert contracts.type_of_arn(arn + "solution/s").key == "solution"
    assert contracts.type_of_arn(arn + "solution/s/0a1b2c3d").key == "solution-version"
    assert contracts.type_of_arn(arn + "dataset/g/INTERACTIONS").key == "dataset"
    assert contracts.type_of_arn("arn:aws:personalize:::recipe/aws-sims") is None


def test_creation_order_puts_parents_first():
    order = contracts.creation_order()
    for key, rt in TYPES.items():
        for parent in rt.parents.values():
            assert order.index(parent) < order.index(key)
