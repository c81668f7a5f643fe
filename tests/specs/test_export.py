"""`spec --export`: the patched document in standard OpenAPI, and loadable back as a spec."""
import json
import re
import sys

import pytest
import regex

from personalize_conformance.cli.main import main
from personalize_conformance.specs import load_spec
from personalize_conformance.specs.compare import compare
from personalize_conformance.specs.export import describe, export_document, python_pattern, unusable_patterns
from personalize_conformance.specs.patches import aws_pattern, java_regex, walk

TAG_PATTERN = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"


@pytest.fixture(scope="module")
def exported():
    return export_document(load_spec())


def test_every_aws_pattern_of_the_model_becomes_a_standard_pattern(exported):
    assert unusable_patterns(exported) == []
    schemas = exported["components"]["schemas"]
    assert schemas["Arn"]["pattern"] == "^(?:" + java_regex(schemas["Arn"]["x-aws-pattern"]) + ")$"
    assert not [s for s in walk(exported) if isinstance(s, dict) and str(s.get("format", "")).startswith("aws-pattern:")]


@pytest.mark.parametrize("aws, yes, no", [
    ("arn:([a-z\\d-]+):personalize:.*:.*:.+", "arn:aws:personalize:::x", "xarn:aws:personalize:::x"),
    ("arn:([a-z\\d-]+):personalize:.*:.*:.+", "arn:aws:personalize:::x", "arn:aws:personalize:::x\u2028"),
    ("\\p{ASCII}{1,3}", "abc", "é"),
    ("\\p{ASCII}{1,3}", "abc", "abcd"),
    ("^[a-zA-Z0-9][a-zA-Z0-9\\-_]*", "my-group", "my group"),
    (TAG_PATTERN, "Team tag_1 é 3:/=+-@", "tab\there"),
])
def test_a_translated_pattern_matches_what_aws_matches_the_whole_value(aws, yes, no):
    ours = re.compile(python_pattern(aws))
    theirs = aws_pattern(aws)
    assert bool(ours.search(yes)) == bool(theirs.match(yes)) is True
    assert bool(ours.search(no)) == bool(theirs.match(no)) is False


def test_the_tag_pattern_translation_is_exact_for_every_code_point():
    ours = re.compile(python_pattern(TAG_PATTERN)[:-1] + r"\Z")  # `$` may match before a final newline

    import unicodedata

    def java(c):  # the classes of the AWS pattern, by this interpreter's Unicode tables
        return unicodedata.category(c)[0] in "LNZ" or c in "_.:/=+-@"
    differ = [hex(cp) for cp in range(sys.maxunicode + 1) if bool(ours.match(chr(cp))) != java(chr(cp))]
    assert differ == []


def test_a_pattern_python_cannot_compile_stays_an_extension_only():
    assert python_pattern(r"\p{IsAlphabetic}+") is None
    doc = {"components": {"schemas": {"Odd": {"type": "string", "x-aws-pattern": r"\p{IsAlphabetic}+",
                                               "format": r"aws-pattern:\p{IsAlphabetic}+"}}}}
    from personalize_conformance.specs.export import EXPORT_STEPS
    for _name, _reason, fn in EXPORT_STEPS:
        fn(doc)
    assert doc["components"]["schemas"]["Odd"] == {"type": "string", "x-aws-pattern": r"\p{IsAlphabetic}+"}
    assert unusable_patterns(doc) == [r"\p{IsAlphabetic}+"]


def test_signature_headers_security_and_servers_are_left_to_the_signer_and_the_user(exported):
    assert "security" not in exported
    assert exported["servers"] == [{"url": "/"}]
    assert not [n for n in exported["components"].get("parameters", {}) if n.startswith("X-Amz-")]
    item = exported["paths"]["/AmazonPersonalize.CreateCampaign"]
    assert "parameters" not in item
    assert item["post"]["parameters"] == [{"name": "X-Amz-Target", "in": "header", "required": True,
                                           "schema": {"type": "string", "enum": ["AmazonPersonalize.CreateCampaign"]}}]
    assert set(item["post"]["responses"]) == {"200", "400"}
    assert "application/x-amz-json-1.1" in item["post"]["requestBody"]["content"]
    assert exported["components"]["schemas"]["Date"] == {"type": "number", "x-aws-timestamp": True}
    assert [name for name, _ in describe()] == ["patterns", "signature-headers", "security", "servers"]


def test_the_export_loads_back_as_the_same_spec(exported, tmp_path):
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(exported))
    built, again = load_spec(), load_spec(str(path))
    assert set(again.operations) == set(built.operations)
    for name, op in built.operations.items():
        other = again.operations[name]
        assert (other.target, other.errors, other.request_ref, other.response_ref) == \
            (op.target, op.errors, op.request_ref, op.response_ref), name
        assert other.request_schema == op.request_schema, name
    assert again.aws_patterns == built.aws_patterns
    assert again.framework_errors == built.framework_errors
    # what differs is the documents' wording of the same facts: patterns anchored, timestamps numbers
    kinds = {(c.kind, c.keyword) for c in compare(built, again)}
    assert kinds <= {("constraint", "pattern"), ("type-changed", "type")}, kinds


def test_spec_export_writes_the_patched_document_and_unpatched_on_request(tmp_path, capsys):
    patched, raw = tmp_path / "patched.json", tmp_path / "raw.json"
    assert main(["spec", "--export", str(patched)]) == 0
    out = capsys.readouterr().out
    assert "patched" in out and "SCHEMATHESIS_HOOKS=personalize_conformance.targets.schemathesis_hooks st run" in out
    assert "/AmazonPersonalize.ListSchemas" in json.loads(patched.read_text())["paths"]
    assert main(["spec", "--export", str(raw), "--unpatched"]) == 0
    assert "/#X-Amz-Target=AmazonPersonalize.ListSchemas" in json.loads(raw.read_text())["paths"]


def test_spec_export_into_a_folder_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    assert main(["spec", "--export", str(tmp_path / "missing" / "x.json")]) == 2
    assert "cannot write" in capsys.readouterr().err
