"""AWS pattern semantics, exact-length strings, and the resource pool."""
from hypothesis import strategies as st

from personalize_conformance.strategies import StaticPool
from personalize_conformance.strategies.patterns import accepts, generable, plausible, prefix_only
from personalize_conformance.strategies.pool import kind_of, observe
from personalize_conformance.strategies.strings import ALPHABET, off_pattern, sized, with_tail

from .helpers import draw

NAME = r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*"
TAG = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"


ARN = r"arn:([a-z\d-]+):personalize:.*:.*:.+"


def test_patterns_must_match_the_whole_value():
    # The model writes only a leading `^`; AWS checks the whole value (Java's matches()).
    assert not accepts(NAME, "abc!!") and not accepts(NAME, "my group") and accepts(NAME, "my-group")
    assert not accepts(NAME, "!abc")
    assert accepts(TAG, "中文 é") and not accepts(TAG, "a!b")
    assert not accepts(r"\p{ASCII}{0,1500}", "tokené")


def test_java_dot_stops_at_line_terminators():
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    assert accepts(ARN, arn)
    assert not any(accepts(ARN, arn + t) for t in ("\n", "\r", "\u0085", "\u2028", "\u2029"))


def test_prefix_only_values_match_a_start_but_not_the_whole():
    assert prefix_only(NAME, "my group") and prefix_only(NAME, "abc!!")
    assert not prefix_only(NAME, "my-group")  # a whole match
    assert not prefix_only(NAME, "!abc")  # no prefix either
    assert not prefix_only(TAG, "a!b")  # anchored at both ends in the model: no prefix reading
    assert prefix_only(TAG, "ab\n")  # but `$` matches before a final line terminator, in Java too


def test_a_tail_makes_a_valid_value_prefix_only_within_the_length_limits():
    assert with_tail("my-group", " ", 1, 63, lambda v: prefix_only(NAME, v)) == "my-group "
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    assert with_tail(arn, " ", 0, 256, lambda v: prefix_only(ARN, v)) == arn + "\n"  # `.` takes a space
    full = "a" * 63
    assert with_tail(full, " ", 1, 63, lambda v: prefix_only(NAME, v)) == "a" * 62 + " "
    assert with_tail("x", " ", 1, 63, lambda v: prefix_only(TAG, v)) == "x\n"
    assert with_tail("x", " ", 1, 63, lambda v: prefix_only(r"rate\(\d+ days?\)$", v)) is None


def test_digits_are_ascii_as_java_reads_them():
    assert accepts(r"rate\(\d+ days?\)", "rate(3 days)")
    assert not accepts(r"rate\(\d+ days?\)", "rate(\u0663 days)")  # ARABIC-INDIC DIGIT THREE


def test_generable_patterns_only_generate_full_matches():
    for pattern in (TAG, NAME, r"arn:([a-z\d-]+):personalize:.*:.*:.+", r"(s3|http|https)://.+"):
        for value in draw(st.from_regex(generable(pattern), fullmatch=True, alphabet=ALPHABET), n=20, at=1):
            assert plausible(pattern, value), (pattern, value)


def test_sized_reaches_the_exact_length_keeping_the_pattern():
    ok = lambda v: plausible(TAG, v)  # noqa: E731
    out = sized("team", 128, "é", ok)
    assert len(out) == 128 and ok(out) and "é" in out
    assert sized("abc", 2, "a", lambda v: plausible(NAME, v)) in ("ab", "ac", "bc")
    assert sized("rate(1 day)", 16, "a", lambda v: plausible(r"rate\(\d+ days?\)", v)) == "rate(100000 day)"
    assert sized("x", 5, "a", lambda v: False) is None


def test_off_pattern_values_stay_within_the_length_limits():
    value = off_pattern("myname", "!", 1, 63, lambda v: not accepts(NAME, v))
    assert value is not None and 1 <= len(value) <= 63 and not accepts(NAME, value)


def test_the_pool_keeps_what_the_run_created_and_forgets_deleted_resources():
    pool = StaticPool()
    group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies"
    version = "arn:aws:personalize:us-east-1:123456789012:solution/recs/0a1b2c3d"
    theirs = "arn:aws:personalize:us-east-1:123456789012:dataset-group/production"
    observe(pool, "CreateDatasetGroup", 200, f'{{"datasetGroupArn":"{group}"}}'.encode(), {})
    observe(pool, "CreateSolutionVersion", 200, f'{{"solutionVersionArn":"{version}"}}'.encode(), {})
    observe(pool, "ListDatasetGroups", 200, f'{{"datasetGroups":[{{"datasetGroupArn":"{theirs}"}}]}}'.encode(), {})
    observe(pool, "CreateSchema", 400, b'{"__type":"x","message":"arn:aws:personalize:us-east-1:1:schema/y"}', {})
    observe(pool, "CreateSchema", 200, b'{"schemaArn":"arn:aws:personalize:us-east-1:123456789012:schema/absent-q"}', {})
    assert pool.arns("dataset-group") == (group,) and pool.arns("solution-version") == (version,)
    assert pool.arns("schema") == ()  # an error's ARN, and a missing one, never join
    observe(pool, "DeleteDatasetGroup", 200, b"{}", {"datasetGroupArn": group})
    assert pool.arns("dataset-group") == ()
    assert kind_of(version) == "solution-version" and kind_of(group) == "dataset-group"
