"""Tags come back with their values, and an untag removes the keys it names and no others."""
from personalize_conformance.checks.contracts import judge


def _messages(rule, **observation):
    verdicts = judge(rule, **observation)
    assert all(v.outcome == "fail" for v in verdicts), verdicts
    return [v.message for v in verdicts]


def test_a_tag_listed_with_another_value_breaks_the_round_trip():
    messages = _messages("tags.round-trip", expected={"team": "a", "stage": "b"},
                         listed={"team": "a", "stage": "changed"}, how="by TagResource")
    assert messages == ["tag 'stage' given by TagResource as 'b' is listed as 'changed'"]


def test_a_tag_listed_with_its_value_holds_even_beside_others():
    assert judge("tags.round-trip", expected={"team": "a"}, listed={"team": "a", "x": "y"}, how="at create") == []


def test_an_untag_that_also_removed_a_key_it_did_not_name_is_reported():
    messages = _messages("tags.untag-exact", before={"a": "1", "b": "2", "c": "3"}, removed=["a"],
                         after={"b": "2"})
    assert messages == ["UntagResource of ['a'] also removed ['c']"]


def test_an_untag_that_removed_nothing_it_named_and_lost_others_reports_both():
    messages = _messages("tags.untag-exact", before={"a": "1", "b": "2"}, removed=["a"], after={"a": "1"})
    assert len(messages) == 2
    assert "still listed" in messages[0] and "also removed ['b']" in messages[1]


def test_an_untag_of_a_key_that_was_never_there_is_not_a_loss():
    assert judge("tags.untag-exact", before={"b": "2"}, removed=["a", "b"], after={}) == []
