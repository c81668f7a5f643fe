"""The state machine's model: what it predicts from what a walk made, without a target."""
from personalize_conformance.runner.statemachine_model import (ACCEPT, MAX_PER_NODE, MAX_UPDATES, REFUSE, UNSPECIFIED,
                                                               Item, Model, nodes, parent_node)

GROUP = "arn:aws:personalize:us-east-1:1:dataset-group/g"
OTHER_GROUP = "arn:aws:personalize:us-east-1:1:dataset-group/h"
SCHEMA = "arn:aws:personalize:us-east-1:1:schema/s"


def _item(node, arn, lineage=None, status="ACTIVE"):
    rtype = node.split("@")[0]
    return Item(node, rtype, arn, {rtype: arn, **(lineage or {})}, status)


def _model(*items) -> Model:
    model = Model()
    for item in items:
        model.created(item)
    return model


def _tracker(arn, group=GROUP):
    return _item("event-tracker", arn, {"dataset-group": group})


def test_a_second_event_tracker_in_a_group_is_predicted_refused_under_its_rule():
    model = _model(_item("dataset-group", GROUP), _tracker("arn:tracker/1"))
    prediction = model.predict_create("event-tracker", {"datasetGroupArn": GROUP})
    assert prediction.answer == REFUSE
    assert prediction.rule.rule == "uniqueness.one-per-parent" and "ResourceAlreadyExistsException" in prediction.rule.expect


def test_an_event_tracker_in_another_group_or_after_a_delete_is_predicted_accepted():
    tracker = _tracker("arn:tracker/1")
    model = _model(_item("dataset-group", GROUP), _item("dataset-group", OTHER_GROUP), tracker)
    assert model.predict_create("event-tracker", {"datasetGroupArn": OTHER_GROUP}).answer == ACCEPT
    tracker.alive = False
    assert model.predict_create("event-tracker", {"datasetGroupArn": GROUP}).answer == ACCEPT


def test_a_second_metric_attribution_in_a_group_is_left_to_the_target():
    model = _model(_item("metric-attribution", "arn:ma/1", {"dataset-group": GROUP}))
    assert model.predict_create("metric-attribution", {"datasetGroupArn": GROUP}).answer == UNSPECIFIED
    assert model.predict_create("metric-attribution", {"datasetGroupArn": OTHER_GROUP}).answer == ACCEPT


def test_deleting_a_schema_a_dataset_uses_is_predicted_blocked_by_the_documented_rule():
    schema = _item("schema", SCHEMA, status=None)
    dataset = _item("dataset", "arn:dataset/d", {"dataset-group": GROUP, "schema": SCHEMA})
    plan = _model(schema, dataset).plan_delete(schema)
    assert plan.blocker is dataset and plan.dependants == (dataset,)
    assert (plan.rule.parent, plan.rule.child, plan.rule.documented) == ("schema", "dataset", True)


def test_a_delete_blocked_by_an_inferred_rule_carries_that_it_is_not_documented():
    group = _item("dataset-group", GROUP)
    filter_ = _item("filter", "arn:filter/f", {"dataset-group": GROUP})
    plan = _model(group, filter_).plan_delete(group)
    assert plan.blocker is filter_ and plan.rule.documented is False


def test_a_delete_whose_dependants_no_rule_names_has_no_blocker_and_orphans_them():
    group = _item("dataset-group", GROUP)
    attribution = _item("metric-attribution", "arn:ma/1", {"dataset-group": GROUP})
    model = _model(group, attribution)
    plan = model.plan_delete(group)
    assert plan.blocker is None and plan.dependants == (attribution,)
    model.deleted(group, plan)
    assert model.live(GROUP) is None and model.live(attribution.arn) is None
    assert attribution.orphaned and not group.orphaned


def test_lists_go_round_the_types_made_and_every_fourth_pages_small():
    group, schema = _item("dataset-group", GROUP), _item("schema", SCHEMA, status=None)
    model = _model(group, schema)
    plans = [model.next_list() for _ in range(12)]
    assert [p.rtype for p in plans[:2]] == ["schema", "dataset-group"]  # tick 1, 2: sorted types, round robin
    assert [p.max_results for p in plans] == [None, None, None, 2, None, None, None, 3, None, None, None, 1]
    assert plans[0].alive == (SCHEMA,) and plans[1].alive == (GROUP,)


def test_a_deleted_resource_must_be_gone_from_its_list_but_an_orphan_is_not_judged():
    group = _item("dataset-group", GROUP)
    attribution = _item("metric-attribution", "arn:ma/1", {"dataset-group": GROUP})
    model = _model(group, attribution)
    model.deleted(group, model.plan_delete(group))
    plan = model.next_list()
    assert plan.rtype == "dataset-group" and plan.gone == (GROUP,) and plan.alive == ()
    assert all(p.rtype != "metric-attribution" for p in (model.next_list() for _ in range(4))), \
        "orphans' types are not listed"


def test_nothing_to_list_before_anything_is_made():
    model = Model()
    assert model.next_list() is None and model.tick == 0


def test_a_recommender_at_rest_is_stopped_or_started_and_otherwise_left_alone():
    item = _item("recommender@domain", "arn:recommender/r")
    assert Model.toggle_action(item) == "stop"
    item.status = "INACTIVE"
    assert Model.toggle_action(item) == "start"
    item.status = "STOP IN_PROGRESS"
    assert Model.toggle_action(item) is None


def test_only_an_active_resource_is_updated_and_only_so_many_times():
    item = _item("campaign", "arn:campaign/c")
    assert Model.may_update(item)
    item.updates = MAX_UPDATES
    assert not Model.may_update(item)
    item.updates, item.status = 0, "UPDATE IN_PROGRESS"
    assert not Model.may_update(item)


def test_a_bundle_holds_a_few_live_resources_at_most():
    model = Model()
    for n in range(MAX_PER_NODE):
        assert model.room("schema")
        model.created(_item("schema", f"{SCHEMA}{n}", status=None))
    assert not model.room("schema") and model.room("dataset-group")
    model.items[f"{SCHEMA}0"].alive = False
    assert model.room("schema")


def test_tags_follow_tag_and_untag():
    item = _item("dataset-group", GROUP)
    Model.tagged(item, "team", "a")
    Model.tagged(item, "stage", "b")
    Model.untagged(item, ["team", "owner"])
    assert item.tags == {"stage": "b"}


def test_variant_chains_get_their_own_bundles_and_parents():
    graph = nodes()
    assert graph["recommender@domain"] == ("recommender", "domain")
    assert parent_node("dataset-group", "domain") == "dataset-group@domain"
    assert parent_node("dataset-group", None) == "dataset-group"
    assert list(graph).index("dataset-group@domain") < list(graph).index("recommender@domain")


def test_live_resources_are_picked_by_type_oldest_first():
    group, schema = _item("dataset-group", GROUP), _item("schema", SCHEMA, status=None)
    other = _item("dataset-group", OTHER_GROUP)
    model = _model(group, schema, other)
    assert model.live_arns(lambda t: t == "dataset-group") == [GROUP, OTHER_GROUP]
    other.alive = False
    assert model.live_arns(lambda t: True) == [GROUP, SCHEMA]
