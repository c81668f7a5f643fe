"""Operations that change an existing resource: updates, start/stop, and the metric reads
that depend on a resource's state.

Updates with a latest-update object (campaign, recommender, solution, dataset) record the
requested change there and apply it to the resource's own members only when the update flow
turns ACTIVE, so Describe shows the old values until then.
"""
from __future__ import annotations

from ..errors import ApiError, in_use, invalid_input
from ..lifecycle import FLOWS
from ._registry import Registry, pick
from .creates import check_metric_names, deployable_version, recommender_config

registry = Registry()

MAX_METRICS = 10   # MetricAttributes: list max 10

SOLUTION_METRICS = {
    "coverage": 0.3136,
    "mean_reciprocal_rank_at_25": 0.1241,
    "normalized_discounted_cumulative_gain_at_10": 0.1607,
    "normalized_discounted_cumulative_gain_at_25": 0.2031,
    "normalized_discounted_cumulative_gain_at_5": 0.1372,
    "precision_at_10": 0.0301,
    "precision_at_25": 0.0214,
    "precision_at_5": 0.0389,
}


@registry.handles("UpdateCampaign")
def update_campaign(svc, call, p):
    campaign = svc.require(call, "campaign", p["campaignArn"])
    # UpdateCampaign: "the campaign status must be ACTIVE or CREATE FAILED".
    svc.require_settled(campaign, "ACTIVE", "CREATE FAILED")
    changes = pick(p, "solutionVersionArn", "minProvisionedTPS", "campaignConfig")
    refs = {}
    if "solutionVersionArn" in changes:
        version = deployable_version(svc, call, changes["solutionVersionArn"],
                                     p.get("campaignConfig"))
        refs = {"solutionVersionArn": version.arn, **pick(version.refs, "solutionArn")}
    summary = {**pick(campaign.attrs, "solutionVersionArn", "minProvisionedTPS",
                      "campaignConfig"), **changes}

    def apply(at):
        campaign.attrs.update(changes)
        campaign.refs.update(refs)

    svc.start_update(call, campaign, "latestCampaignUpdate", summary, apply)
    return {"campaignArn": campaign.arn}


@registry.handles("UpdateRecommender")
def update_recommender(svc, call, p):
    recommender = svc.require(call, "recommender", p["recommenderArn"])
    svc.require_settled(recommender, "ACTIVE")
    config = recommender_config(p["recommenderConfig"])

    def apply(at):
        recommender.attrs["recommenderConfig"] = config

    svc.start_update(call, recommender, "latestRecommenderUpdate",
                     {"recommenderConfig": config}, apply)
    return {"recommenderArn": recommender.arn}


@registry.handles("UpdateSolution")
def update_solution(svc, call, p):
    solution = svc.require(call, "solution", p["solutionArn"])
    svc.require_settled(solution, "ACTIVE")
    flags = pick(p, "performAutoTraining", "performIncrementalUpdate")
    update_config = p.get("solutionUpdateConfig")
    summary = {**pick(solution.attrs, "performAutoTraining", "performIncrementalUpdate"), **flags}
    if update_config is not None:
        summary["solutionUpdateConfig"] = update_config

    def apply(at):
        solution.attrs.update(flags)
        if update_config:
            # A fresh dict: rendered replies may still share the old one.
            solution.attrs["solutionConfig"] = {**solution.attrs.get("solutionConfig", {}),
                                                **update_config}

    svc.start_update(call, solution, "latestSolutionUpdate", summary, apply)
    return {"solutionArn": solution.arn}


@registry.handles("UpdateDataset")
def update_dataset(svc, call, p):
    dataset = svc.require(call, "dataset", p["datasetArn"])
    svc.require_settled(dataset, "ACTIVE")
    schema = svc.resolve_reference(call, "schema", p["schemaArn"])
    group = call.state.get("dataset-group", dataset.refs.get("datasetGroupArn", ""))
    if group is not None and group.attrs.get("domain") != schema.attrs.get("domain"):
        raise invalid_input("The schema's domain does not match the dataset group's domain.")

    def apply(at):
        dataset.attrs["schemaArn"] = schema.arn
        dataset.refs["schemaArn"] = schema.arn

    svc.start_update(call, dataset, "latestDatasetUpdate", {"schemaArn": schema.arn}, apply)
    # Recorded AWS traffic: the dataset's own status walks UPDATE PENDING > UPDATE IN_PROGRESS
    # > ACTIVE beside its latestDatasetUpdate, and clients poll it.
    svc.lifecycle.begin(dataset, FLOWS["update-dataset"], call.now)
    return {"datasetArn": dataset.arn}


@registry.handles("UpdateMetricAttribution")
def update_metric_attribution(svc, call, p):
    arn = p.get("metricAttributionArn")
    if arn is None:
        raise invalid_input("metricAttributionArn is required.")
    attribution = svc.require(call, "metric-attribution", arn)
    svc.require_settled(attribution, "ACTIVE")
    removed = set(p.get("removeMetrics", ()))
    current = attribution.extra.get("metrics", [])
    unknown = removed - {metric["metricName"] for metric in current}
    if unknown:
        raise invalid_input(f"The metric attribution has no metrics named {sorted(unknown)}.")
    metrics = [metric for metric in current if metric["metricName"] not in removed]
    added = p.get("addMetrics", [])
    check_metric_names(added)
    kept = {metric["metricName"] for metric in metrics}
    for metric in added:
        if metric["metricName"] in kept:
            raise ApiError("ResourceAlreadyExistsException",
                           f"The metric attribution already has a metric named "
                           f"{metric['metricName']}.")
    metrics += added
    if len(metrics) > MAX_METRICS:
        raise invalid_input(f"A metric attribution can have at most {MAX_METRICS} metrics.")
    output = p.get("metricsOutputConfig")

    def apply(at):
        attribution.extra["metrics"] = metrics
        if output is not None:
            attribution.attrs["metricsOutputConfig"] = output
        attribution.attrs["lastUpdatedDateTime"] = at

    # MetricAttribution has no latest-update member: the change applies at once.
    svc.start_update(call, attribution, None, None, apply)
    return {"metricAttributionArn": attribution.arn}


@registry.handles("ListMetricAttributionMetrics")
def list_metric_attribution_metrics(svc, call, p):
    arn = p.get("metricAttributionArn")
    if arn is None:
        raise invalid_input("metricAttributionArn is required.")
    attribution = call.state.get("metric-attribution", arn)
    if attribution is None:
        # The operation declares no ResourceNotFoundException.
        raise invalid_input(f"No metric attribution with ARN {arn}.")
    metrics = list(attribution.extra.get("metrics", ()))
    page, token = svc.page(call, arn, metrics, list(range(1, len(metrics) + 1)), p)
    out = {"metrics": page}
    if token is not None:
        out["nextToken"] = token
    return out


@registry.handles("StopRecommender")
def stop_recommender(svc, call, p):
    # StopRecommender: "Stops a recommender that is ACTIVE."
    recommender = svc.require(call, "recommender", p["recommenderArn"])
    svc.require_settled(recommender, "ACTIVE")
    svc.lifecycle.begin(recommender, FLOWS["stop"], call.now)
    return {"recommenderArn": recommender.arn}


@registry.handles("StartRecommender")
def start_recommender(svc, call, p):
    # StartRecommender: "Starts a recommender that is INACTIVE."
    recommender = svc.require(call, "recommender", p["recommenderArn"])
    svc.require_settled(recommender, "INACTIVE")
    svc.lifecycle.begin(recommender, FLOWS["start"], call.now)
    return {"recommenderArn": recommender.arn}


@registry.handles("StopSolutionVersionCreation")
def stop_solution_version_creation(svc, call, p):
    version = svc.require(call, "solution-version", p["solutionVersionArn"])
    # StopSolutionVersionCreation: "CREATE_PENDING > CREATE_STOPPED or CREATE_IN_PROGRESS >
    # CREATE_STOPPING > CREATE_STOPPED"
    flow = {"CREATE PENDING": "stop-pending-version",
            "CREATE IN_PROGRESS": "stop-running-version"}.get(version.status)
    if flow is None:
        raise in_use(f"The solution version {version.arn} is in {version.status} state; only "
                     f"CREATE PENDING or CREATE IN_PROGRESS versions can be stopped.")
    svc.lifecycle.begin(version, FLOWS[flow], call.now)
    return {}


@registry.handles("GetSolutionMetrics")
def get_solution_metrics(svc, call, p):
    version = svc.resolve_reference(call, "solution-version", p["solutionVersionArn"],
                                    active=True)
    return {"solutionVersionArn": version.arn, "metrics": dict(SOLUTION_METRICS)}
