"""Input validation policy: types -> SerializationException, constraints -> the modelled
InvalidInputException (ValidationException where none is modelled), unknown members ignored."""
from __future__ import annotations

import pytest

from personalize_conformance.emulator.validation import java_pattern

from .helpers import ROLE

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"


def message(client, operation, **params) -> tuple[str, str]:
    reply = client.call(operation, **params)
    assert reply.status == 400, reply.body
    return reply.code, reply.data["message"]


def test_too_long_name_names_the_member_and_constraint(fast):
    assert message(fast, "CreateDatasetGroup", name="a" * 64) == (
        "InvalidInputException",
        "1 validation error detected: Value at 'name' failed to satisfy constraint: "
        "Member must have length less than or equal to 63")


def test_missing_required_member(fast):
    assert message(fast, "CreateDatasetGroup") == (
        "InvalidInputException",
        "1 validation error detected: Value at 'name' failed to satisfy constraint: "
        "Member must not be null")


def test_null_counts_as_absent(fast):
    code, text = message(fast, "CreateDatasetGroup", name=None)
    assert "Member must not be null" in text


def test_a_nested_null_is_absent_and_never_answered_back(world):
    c, group = world.c, world.group(name="nulls")
    arn = c.ok("CreateMetricAttribution", name="nulls", datasetGroupArn=group,
               metrics=[{"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
               metricsOutputConfig={"roleArn": ROLE, "s3DataDestination": None})["metricAttributionArn"]
    described = c.ok("DescribeMetricAttribution", metricAttributionArn=arn)["metricAttribution"]
    assert described["metricsOutputConfig"] == {"roleArn": ROLE}


def test_enum(fast):
    code, text = message(fast, "CreateDatasetGroup", name="g", domain="RETAIL")
    assert code == "InvalidInputException"
    assert "Member must satisfy enum value set: [ECOMMERCE, VIDEO_ON_DEMAND]" in text


def test_pattern(fast):
    code, text = message(fast, "CreateDatasetGroup", name="-leading-dash")
    assert code == "InvalidInputException"
    assert "Value at 'name' failed to satisfy constraint: Member must satisfy regular " \
           "expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*" in text


@pytest.mark.parametrize("name", ["my group", "ok name!", "café", "name\n", "组"])
def test_a_pattern_must_match_the_whole_value(fast, name):
    # Name is ^[a-zA-Z0-9][a-zA-Z0-9\-_]*: AWS checks it as Java's matches() does, so a valid
    # prefix followed by anything outside the class is refused, and no ARN is built from it.
    code, text = message(fast, "CreateDatasetGroup", name=name)
    assert code == "InvalidInputException" and "Value at 'name'" in text
    assert fast.ok("ListDatasetGroups")["datasetGroups"] == []


def test_a_line_terminator_ends_a_java_dot(fast):
    # Arn is arn:([a-z\d-]+):personalize:.*:.*:.+ and Java's `.` stops at every line terminator.
    for tail in ("\n", "\r", "\u2028"):
        code, text = message(fast, "DescribeDatasetGroup", datasetGroupArn=GROUP + tail)
        assert code == "InvalidInputException" and "Value at 'datasetGroupArn'" in text
    assert fast.error("DescribeDatasetGroup", datasetGroupArn=GROUP) == "ResourceNotFoundException"


def test_the_prefix_patterns_fault_reads_patterns_as_prefixes():
    from personalize_conformance.emulator import Emulator

    from .helpers import Client
    client = Client(Emulator(timing="immediate", faults=["prefix-patterns"]), conformance=False)
    assert client.call("CreateDatasetGroup", name="my group").status == 200
    assert client.call("CreateDatasetGroup", name="-leading-dash").status == 400


def test_digit_classes_are_ascii_as_in_java(fast):
    code, text = message(fast, "CreateDatasetGroup", name="g", kmsKeyArn="k",
                         roleArn="arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/r")
    assert "Value at 'roleArn'" in text and "Value at 'kmsKeyArn'" in text
    assert java_pattern(r"[a-z\d-]+\d{12}") == "[a-z0-9-]+[0-9]{12}"


def test_unicode_letter_classes_accept_non_latin_tags(fast):
    tags = [{"tagKey": "équipe", "tagValue": "推荐 système"}]
    assert fast.call("CreateDatasetGroup", name="g", tags=tags).status == 200


def test_nested_list_member_paths(fast):
    code, text = message(fast, "CreateDatasetGroup", name="g",
                         tags=[{"tagKey": "ok", "tagValue": "v"}, {"tagKey": "", "tagValue": "v"}])
    assert "Value at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have " \
           "length greater than or equal to 1" in text


def test_several_errors_are_counted(fast):
    code, text = message(fast, "CreateSchema", name="-" * 64)
    assert text.startswith("3 validation errors detected: ")
    assert text.count("Value at ") == 3


@pytest.mark.parametrize("value", [0, 101])
def test_integer_range(fast, value):
    code, text = message(fast, "ListDatasets", maxResults=value)
    assert code == "InvalidInputException"
    assert "Value at 'maxResults'" in text


def test_operations_without_a_modelled_validation_error_answer_validation_exception(fast):
    # ListDatasetGroups and ListSchemas declare no InvalidInputException.
    for operation in ("ListDatasetGroups", "ListSchemas"):
        code, text = message(fast, operation, maxResults=0)
        assert code == "ValidationException"
        assert text.startswith("1 validation error detected: Value at 'maxResults'")


def test_double_range(world):
    code, text = message(world.c, "UpdateCampaign", campaignArn=world.arns["campaign"],
                         campaignConfig={"rankingInfluence": {"POPULARITY": 2.0}})
    assert "Value at 'campaignConfig.rankingInfluence.value'" in text
    assert "less than or equal to 1" in text


def test_map_keys_are_checked(world):
    code, text = message(world.c, "UpdateCampaign", campaignArn=world.arns["campaign"],
                         campaignConfig={"rankingInfluence": {"NOVELTY": 0.5}})
    assert "Value at 'campaignConfig.rankingInfluence.key'" in text


def test_list_size(fast):
    tags = [{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)]
    code, text = message(fast, "CreateDatasetGroup", name="g", tags=tags)
    assert code == "InvalidInputException"
    assert "Value at 'tags' failed to satisfy constraint: Member must have length less than " \
           "or equal to 200" in text


@pytest.mark.parametrize("operation, params", [
    ("ListDatasets", {"maxResults": "10"}),
    ("ListDatasets", {"maxResults": True}),
    ("ListDatasets", {"maxResults": 1.5}),
    ("ListDatasets", {"maxResults": 2**40}),
    ("CreateDatasetGroup", {"name": 7}),
    ("CreateDatasetGroup", {"name": ["g"]}),
    ("CreateDatasetGroup", {"name": "g", "tags": {"tagKey": "k"}}),
    ("CreateDatasetGroup", {"name": "g", "tags": ["k"]}),
    ("CreateSolution", {"name": "s", "datasetGroupArn": GROUP, "performHPO": "true"}),
    ("UpdateCampaign", {"campaignArn": GROUP, "campaignConfig": {"rankingInfluence": []}}),
])
def test_wrong_json_types_are_serialization_exceptions(fast, operation, params):
    code, text = message(fast, operation, **params)
    assert code == "SerializationException"


def test_unknown_members_are_ignored(fast):
    reply = fast.call("CreateDatasetGroup", name="g", notAMember={"deep": [1, 2]}, Name="x")
    assert reply.status == 200


def test_validation_runs_before_the_operation(fast):
    fast.call("CreateDatasetGroup", name="g", domain="RETAIL")
    assert fast.ok("ListDatasetGroups")["datasetGroups"] == []


def test_semantic_rules_are_invalid_input(fast):
    # CreateDatasetGroup: a role is only valid together with a KMS key.
    assert message(fast, "CreateDatasetGroup", name="g", roleArn=ROLE)[0] == "InvalidInputException"
    assert message(fast, "CreateSchema", name="s", schema="not json")[0] == "InvalidInputException"
    group = fast.ok("CreateDatasetGroup", name="g2")["datasetGroupArn"]
    assert message(fast, "CreateFilter", name="f", datasetGroupArn=group,
                   filterExpression="SELECT *")[0] == "InvalidInputException"
    assert message(fast, "CreateSolution", name="s", datasetGroupArn=group)[0] == \
        "InvalidInputException"
