"""Against moto's schema operations the invalid family finds what moto does not validate, each
with its minimal request."""
import pytest

from personalize_conformance.runner.stateless import Budget, OperationRun, failure_signature
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

SPEC = load_spec()


@pytest.fixture(scope="module")
def create_schema_records():
    target = make_target("moto")
    try:
        yield OperationRun(SPEC, target, 7, Budget(valid=3, per_probe=1), ("valid", "invalid"))("CreateSchema")
    finally:
        target.close()


def accepted(records, outcome="fail"):
    """rule -> the shrunk case moto accepted although it breaks that rule."""
    return {r.case.rule: r.case for r in records if r.case.family == "invalid" and r.response is not None
            and r.response.status == 200 and any(f.rule == "acceptance.negative" and f.outcome == outcome
                                                 for f in r.findings)}


def test_moto_takes_anything_as_an_avro_schema_which_only_the_docs_forbid(create_schema_records):
    """A string that is no Avro schema breaks only what CreateSchema's prose says: a warning. A
    number where the model wants a string breaks the model: a failure."""
    assert accepted(create_schema_records, "warn")["CreateSchema.schema.avro"].params["schema"] == "not an avro schema"
    assert accepted(create_schema_records)["CreateSchema.schema.type"].params["schema"] == 123


def test_moto_takes_names_beyond_the_length_limit_and_unknown_domains(create_schema_records):
    found = accepted(create_schema_records)
    assert len(found["CreateSchema.name.maxLength"].params["name"]) == 64
    assert found["CreateSchema.domain.enum"].params["domain"] == "ecommerce"


def test_each_kind_of_finding_is_shrunk_once_and_every_one_is_replayable(create_schema_records):
    failing = [r for r in create_schema_records if r.case.family == "invalid" and r.failed]
    shrunk = {failure_signature(r) for r in create_schema_records if r.shrunk}
    assert failing and shrunk
    for record in failing:
        assert record.seed is not None
        assert record.shrunk or failure_signature(record) in shrunk
        if record.shrunk:
            assert set(record.case.params or {}) <= {"name", "schema", "domain", "unknownMember"}
