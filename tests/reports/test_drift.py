"""drift: what the one spec comparer finds between two specs, each kind of change caught in isolation."""
import copy
import json
import pathlib
from types import SimpleNamespace

import pytest

from personalize_conformance.cli.main import main
from personalize_conformance.specs.compare import compare
from personalize_conformance.specs import Spec, load_spec

GURU = pathlib.Path(__file__).resolve().parents[3] / "shared" / "specs" / "personalize-2018-05-22.apisguru.openapi.json"


def _op(name, request, response, errors=()):
    post = {"operationId": name, "responses": {"200": {"description": "Success", "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}}}},
        "requestBody": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{request}"}}}}}
    for code, error in enumerate(errors, start=480):
        post["responses"][str(code)] = {"description": error, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{error}"}}}}
    return {f"/#X-Amz-Target=AmazonPersonalize.{name}": {"post": post}}


def base() -> dict:
    member = lambda shape: {"allOf": [{"$ref": f"#/components/schemas/{shape}"}, {"description": "d"}]}  # noqa
    return {"openapi": "3.0.0", "info": {"version": "1"},
            "paths": {**_op("CreateThing", "CreateThingRequest", "CreateThingResponse", ["InvalidInputException"]),
                      **_op("ListThings", "ListThingsRequest", "ListThingsResponse")},
            "components": {"schemas": {
                "CreateThingRequest": {"type": "object", "required": ["name"],
                                       "properties": {"name": member("Name"), "mode": member("Mode")}},
                "CreateThingResponse": {"type": "object", "properties": {"arn": member("Arn")}},
                "ListThingsRequest": {"type": "object", "properties": {"maxResults": member("MaxResults")}},
                "ListThingsResponse": {"type": "object", "properties": {"things": member("Things")}},
                "Things": {"type": "array", "items": {"$ref": "#/components/schemas/Arn"}, "maxItems": 100},
                "Name": {"type": "string", "minLength": 1, "maxLength": 63, "pattern": "^[a-z]+"},
                "Arn": {"type": "string", "maxLength": 256},
                "Mode": {"type": "string", "enum": ["A", "B"]},
                "MaxResults": {"type": "integer", "minimum": 1, "maximum": 100},
                "InvalidInputException": {},
            }}}


def _changes(mutate):
    a = base()
    b = copy.deepcopy(a)
    mutate(b)
    return compare(Spec(raw=a, source="a"), Spec(raw=b, source="b"))


def _one(mutate):
    changes = _changes(mutate)
    assert len(changes) == 1, [c.to_dict() for c in changes]
    return changes[0]


def test_identical_specs_have_no_drift():
    assert _changes(lambda b: None) == []


@pytest.mark.parametrize("shape, keyword, value, direction", [
    ("Name", "maxLength", 32, "tightened"),
    ("Name", "maxLength", 128, "loosened"),
    ("Name", "minLength", 2, "tightened"),
    ("Name", "minLength", None, "loosened"),
    ("Arn", "minLength", 20, "tightened"),
    ("MaxResults", "maximum", 50, "tightened"),
    ("MaxResults", "minimum", 0, "loosened"),
    ("Things", "maxItems", 1000, "loosened"),
    ("Things", "minItems", 1, "tightened"),
    ("Name", "pattern", None, "loosened"),
    ("Arn", "pattern", "arn:.*", "tightened"),
    ("Name", "pattern", "^[a-z0-9]+", "changed"),
])
def test_each_constraint_change_has_its_direction(shape, keyword, value, direction):
    def mutate(b):
        schema = b["components"]["schemas"][shape]
        if value is None:
            del schema[keyword]
        else:
            schema[keyword] = value
    change = _one(mutate)
    assert (change.kind, change.subject, change.keyword, change.direction) == ("constraint", shape, keyword, direction)


def test_a_lower_bound_of_zero_is_no_constraint():
    assert _changes(lambda b: b["components"]["schemas"]["Things"].update(minItems=0)) == []


def test_enum_values_removed_tighten_and_added_loosen():
    removed = _one(lambda b: b["components"]["schemas"]["Mode"].update(enum=["A"]))
    added = _one(lambda b: b["components"]["schemas"]["Mode"].update(enum=["A", "B", "C"]))
    assert (removed.direction, added.direction) == ("tightened", "loosened")
    assert "['C']" in added.detail and "['B']" in removed.detail


def test_shapes_say_whether_requests_or_responses_use_them():
    assert _one(lambda b: b["components"]["schemas"]["Mode"].update(enum=["A"])).used_in == "request"
    assert _one(lambda b: b["components"]["schemas"]["Things"].update(maxItems=5)).used_in == "response"
    assert _one(lambda b: b["components"]["schemas"]["Arn"].update(maxLength=5)).used_in == "response"


def test_required_members_added_and_removed():
    made = _one(lambda b: b["components"]["schemas"]["CreateThingRequest"].update(required=["name", "mode"]))
    dropped = _one(lambda b: b["components"]["schemas"]["CreateThingRequest"].update(required=[]))
    assert (made.kind, made.subject) == ("required-added", "CreateThingRequest.mode")
    assert (dropped.kind, dropped.subject) == ("required-removed", "CreateThingRequest.name")


def test_members_added_removed_and_retyped():
    props = lambda b: b["components"]["schemas"]["CreateThingResponse"]["properties"]  # noqa: E731
    added = _one(lambda b: props(b).update(extra={"$ref": "#/components/schemas/Name"}))
    removed = _one(lambda b: props(b).pop("arn"))
    retyped = _one(lambda b: props(b).update(arn={"$ref": "#/components/schemas/Name"}))
    assert [(c.kind, c.subject) for c in (added, removed, retyped)] == [
        ("member-added", "CreateThingResponse.extra"), ("member-removed", "CreateThingResponse.arn"),
        ("type-changed", "CreateThingResponse.arn")]
    assert (retyped.before, retyped.after) == ("Arn", "Name")


def test_a_shape_whose_type_changes_is_reported():
    change = _one(lambda b: b["components"]["schemas"]["MaxResults"].update(type="string"))
    assert (change.kind, change.before, change.after) == ("type-changed", "integer", "string")


def test_operations_errors_and_shapes_added_and_removed():
    def mutate(b):
        del b["paths"]["/#X-Amz-Target=AmazonPersonalize.ListThings"]
        b["paths"].update(_op("DeleteThing", "CreateThingRequest", "CreateThingResponse"))
        responses = b["paths"]["/#X-Amz-Target=AmazonPersonalize.CreateThing"]["post"]["responses"]
        responses["480"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/LimitExceeded"
        b["components"]["schemas"]["LimitExceeded"] = {}
        del b["components"]["schemas"]["InvalidInputException"]
    kinds = {(c.kind, c.subject, c.after if c.kind == "error-added" else c.before if c.kind == "error-removed" else None)
             for c in _changes(mutate)}
    assert kinds == {("operation-added", "DeleteThing", None), ("operation-removed", "ListThings", None),
                     ("error-added", "CreateThing", "LimitExceeded"),
                     ("error-removed", "CreateThing", "InvalidInputException"),
                     ("shape-added", "LimitExceeded", None), ("shape-removed", "InvalidInputException", None)}


def test_an_operation_whose_input_shape_changes_is_reported():
    def mutate(b):
        post = b["paths"]["/#X-Amz-Target=AmazonPersonalize.ListThings"]["post"]
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"] = "#/components/schemas/CreateThingRequest"
    change = next(c for c in _changes(mutate) if c.kind == "input-changed")
    assert (change.subject, change.before, change.after) == ("ListThings", "ListThingsRequest", "CreateThingRequest")


def test_malformed_schemas_do_not_crash_the_comparison():
    # drift reads documents as they are: no loader's tolerance is needed (an index with no operations)
    a = {"components": {"schemas": {"Orphan": {"type": "string", "maxLength": 5, "enum": ["x"]}, "Junk": {}}}}
    b = {"components": {"schemas": {"Orphan": {"type": "string", "maxLength": "ten", "properties": "junk",
                                               "required": "name", "enum": 3}, "Junk": "not a schema"}}}
    changes = compare(SimpleNamespace(raw=a, operations={}), SimpleNamespace(raw=b, operations={}))
    assert {(c.kind, c.subject, c.keyword) for c in changes} == {
        ("constraint", "Orphan", "maxLength"), ("constraint", "Orphan", "enum"), ("shape-removed", "Junk", "")}


guru = pytest.mark.skipif(not GURU.exists(), reason="reference spec ../shared/specs/ is not on this machine")


@guru
def test_apisguru_against_botocore_lists_the_four_operations_it_lacks_and_every_constraint_difference():
    changes = compare(load_spec(str(GURU)), load_spec())
    added = {c.subject for c in changes if c.kind == "operation-added"}
    assert {"CreateDataDeletionJob", "DescribeDataDeletionJob", "ListDataDeletionJobs", "UpdateSolution"} <= added
    assert not [c for c in changes if c.kind == "operation-removed"]
    constraints = {(c.subject, c.keyword, c.direction) for c in changes
                   if c.kind in ("constraint", "required-added", "required-removed")}
    assert constraints >= {
        ("AvroSchema", "maxLength", "loosened"), ("TrainingMode", "enum", "loosened"),
        ("ColumnName", "pattern", "tightened"), ("DatasetType", "pattern", "tightened"),
        ("NextToken", "pattern", "tightened"), ("CreateDatasetImportJobRequest.roleArn", "required", "loosened")}


@guru
def test_drift_command_prints_text_and_json_and_exits_1_on_drift(capsys):
    assert main(["drift", str(GURU), "botocore"]) == 1
    text = capsys.readouterr().out
    added = text.split("operations added (", 1)[1].split("\n\n", 1)[0]
    for name in ("CreateDataDeletionJob", "DescribeDataDeletionJob", "ListDataDeletionJobs", "UpdateSolution"):
        assert f"  {name}\n" in added + "\n"
    assert "AvroSchema: maxLength 10000 → 20000 (loosened)" in text
    assert main(["drift", str(GURU), "botocore", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["operations added"] >= 4 and data["to"].startswith("botocore")


def test_drift_command_exits_0_for_the_same_spec_and_2_for_a_missing_one(tmp_path, capsys):
    assert main(["drift", "botocore", "botocore"]) == 0
    assert "no drift" in capsys.readouterr().out
    assert main(["drift", str(tmp_path / "missing.json"), "botocore"]) == 2
    (tmp_path / "bad.yaml").write_text("- just\n- a list\n")
    assert main(["drift", str(tmp_path / "bad.yaml"), "botocore"]) == 2
