"""Normalisation: run-specific values become references that keep identity, and each
transformer is what stops its kind of value from leaking into a snapshot."""
import pytest

from personalize_conformance.parity import normalise
from personalize_conformance.parity.normalise import Arns, Bundle, Names, Opaque, Timestamps

ARN_A = "arn:aws:personalize:us-east-1:111122223333:dataset-group/pc1a2b3c-1"
ARN_B = "arn:aws:personalize:eu-west-1:444455556666:dataset-group/pcffffff-1"


def _doc(arn, name, token, tracking, created, updated):
    return {"datasetGroupArn": arn, "name": name, "nextToken": token, "trackingId": tracking,
            "roleArn": f"arn:aws:iam::{arn.split(':')[4]}:role/r",
            "creationDateTime": created, "lastUpdatedDateTime": updated,
            "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization"}


RUN_A = _doc(ARN_A, "pc1a2b3c-1", "tokA", "0f1e2d3c-aaaa-bbbb-cccc-000000000001", 1.6984e9, 1.6984e9 + 5)
RUN_B = _doc(ARN_B, "pcffffff-1", "tokB", "99999999-aaaa-bbbb-cccc-000000000002", 1.7e9, 1.7e9 + 0.4)


def test_two_runs_of_one_scenario_normalise_to_the_same_document():
    assert normalise.personalize().apply(RUN_A) == normalise.personalize().apply(RUN_B)


def test_references_keep_identity_across_calls():
    bundle = normalise.personalize()
    first = bundle.apply({"datasetGroupArn": ARN_A})
    again = bundle.apply({"datasetGroup": {"datasetGroupArn": ARN_A}, "other": ARN_A.replace("-1", "-2")})
    assert first["datasetGroupArn"] == again["datasetGroup"]["datasetGroupArn"] == "<dataset-group:1>"
    assert again["other"] == "<dataset-group:2>"


def test_timestamps_keep_their_type_and_their_order_within_an_object():
    out = normalise.personalize().apply({"creationDateTime": 5.5, "lastUpdatedDateTime": 9.0, "x": {"creationDateTime": 1.0}})
    assert out == {"creationDateTime": 0.0, "lastUpdatedDateTime": 1.0, "x": {"creationDateTime": 0.0}}
    same = normalise.personalize().apply({"creationDateTime": 5.5, "lastUpdatedDateTime": 5.5})
    assert same == {"creationDateTime": 0.0, "lastUpdatedDateTime": 0.0}


def test_aws_owned_arns_stay_as_they_are():
    assert normalise.personalize().apply(RUN_A)["recipeArn"] == RUN_A["recipeArn"]


@pytest.mark.parametrize("left_out, member", [
    (Arns, "datasetGroupArn"), (Names, "name"), (Opaque, "nextToken"), (Opaque, "trackingId"),
    (Timestamps, "lastUpdatedDateTime")])
def test_without_each_transformer_its_kind_of_value_leaks(left_out, member):
    """The transformer is what makes the two runs agree on this member: leave it out and they differ."""
    def bundle():
        return Bundle([t() for t in (Arns, Names, Opaque, Timestamps) if t is not left_out])
    assert bundle().apply(RUN_A)[member] != bundle().apply(RUN_B)[member]


def test_substitute_turns_references_into_the_replayed_targets_values():
    values = {"<dataset-group:1>": ARN_B, "<name:2>": "pcffffff-2"}
    out = normalise.substitute({"datasetGroupArn": "<dataset-group:1>", "filterExpression": "x <name:2> y"},
                               values.__getitem__)
    assert out == {"datasetGroupArn": ARN_B, "filterExpression": "x pcffffff-2 y"}
