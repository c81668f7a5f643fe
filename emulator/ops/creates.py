"""The fifteen Create operations.

Each handler checks what only it can know (documented cross-member rules), resolves the ARNs
it references, forms the new ARN the way AWS does, and hands the rest to ``Service.create``.
"""
from __future__ import annotations

import json
import re
import uuid

from ..errors import in_use, invalid_input
from ..recipes import RECIPE_PREFIX, RECIPES_BY_ARN
from ._registry import Registry, pick

registry = Registry()

# CreateDataset: "One of the following (case insensitive) values: Interactions Items Users
# Actions Action_Interactions"
DATASET_TYPES = frozenset({"INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS"})

FILTER_EXPRESSION = re.compile(r"\s*(INCLUDE|EXCLUDE)\s", re.IGNORECASE)

MODEL_METRICS = {
    "coverage": 0.2735,
    "hit_at_25": 0.3427,
    "mean_reciprocal_rank_at_25": 0.1195,
    "normalized_discounted_cumulative_gain_at_25": 0.1698,
    "popularity_at_25": 0.0061,
    "precision_at_25": 0.0137,
}

DEFAULT_RECOMMENDER_CONFIG = {"minRecommendationRequestsPerSecond": 1}

# MODEL_ROLE_ARN: DatasetImportJob.roleArn and DatasetExportJob.roleArn are modelled with the
# Personalize ``Arn`` shape (pattern ``arn:...:personalize:...``), which no IAM role ARN can
# match. The service reports the role it was given, and so does the emulator: the model, not
# the answer, is wrong there.


def short_id() -> str:
    """The 8 hex digits AWS puts in solution version and event tracker ARNs."""
    return uuid.uuid4().hex[:8]


def arn_tail(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def recommender_config(config: dict | None) -> dict:
    """CreateRecommender: minRecommendationRequestsPerSecond defaults to 1."""
    return {**DEFAULT_RECOMMENDER_CONFIG, **(config or {})}


@registry.handles("CreateDatasetGroup")
def create_dataset_group(svc, call, p):
    # CreateDatasetGroup roleArn: "Supplying an IAM role is only valid when also specifying a
    # KMS key."
    if p.get("roleArn") and not p.get("kmsKeyArn"):
        raise invalid_input("roleArn is only valid together with kmsKeyArn.")
    arn = call.state.arn(f"dataset-group/{p['name']}")
    svc.create(call, "dataset-group", arn, pick(p, "name", "roleArn", "kmsKeyArn", "domain"),
               tags=p.get("tags"))
    return {"datasetGroupArn": arn, **pick(p, "domain")}


@registry.handles("CreateSchema")
def create_schema(svc, call, p):
    # CreateSchema: "The schema you create must be in Avro JSON format."
    try:
        schema = json.loads(p["schema"])
    except ValueError:
        schema = None
    if not (isinstance(schema, dict) and schema.get("type") == "record"
            and isinstance(schema.get("fields"), list)):
        raise invalid_input("The schema must be an Avro record schema in JSON format.")
    arn = call.state.arn(f"schema/{p['name']}")
    svc.create(call, "schema", arn, pick(p, "name", "schema", "domain"))
    return {"schemaArn": arn}


@registry.handles("CreateDataset")
def create_dataset(svc, call, p):
    dataset_type = p["datasetType"].upper()
    if dataset_type not in DATASET_TYPES:
        raise invalid_input(f"datasetType must be one of {', '.join(sorted(DATASET_TYPES))} "
                            f"(any case).")
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"], active=True)
    schema = svc.resolve_reference(call, "schema", p["schemaArn"])
    # CreateSchema domain: a Domain dataset group's datasets use schemas of that domain.
    if group.attrs.get("domain") != schema.attrs.get("domain"):
        raise invalid_input("The schema's domain does not match the dataset group's domain.")
    group_name = group.attrs.get("name") or arn_tail(group.arn)
    arn = call.state.arn(f"dataset/{group_name}/{dataset_type}")
    attrs = {"name": p["name"], "datasetGroupArn": group.arn, "datasetType": dataset_type,
             "schemaArn": schema.arn}
    svc.create(call, "dataset", arn, attrs,
               refs={"datasetGroupArn": group.arn, "schemaArn": schema.arn}, tags=p.get("tags"))
    return {"datasetArn": arn}


@registry.handles("CreateDatasetImportJob")
def create_dataset_import_job(svc, call, p):
    dataset = svc.resolve_reference(call, "dataset", p["datasetArn"], active=True)
    mode = p.get("importMode", "FULL")
    # CreateDatasetImportJob importMode: "If you haven't imported bulk records into the
    # dataset previously, you can only specify FULL."
    if mode == "INCREMENTAL" and not any(
            job.status == "ACTIVE" for job in call.state.linked(
                "dataset-import-job", "datasetArn", dataset.arn)):
        raise invalid_input("importMode INCREMENTAL needs an earlier completed import.")
    arn = call.state.arn(f"dataset-import-job/{p['jobName']}")
    # roleArn: see MODEL_ROLE_ARN.
    attrs = pick(p, "jobName", "dataSource", "roleArn", "publishAttributionMetricsToS3")
    attrs.update(datasetArn=dataset.arn, importMode=mode)
    svc.create(call, "dataset-import-job", arn, attrs, tags=p.get("tags"),
               refs={"datasetArn": dataset.arn, **pick(dataset.refs, "datasetGroupArn")})
    return {"datasetImportJobArn": arn}


@registry.handles("CreateDatasetExportJob")
def create_dataset_export_job(svc, call, p):
    dataset = svc.resolve_reference(call, "dataset", p["datasetArn"], active=True)
    arn = call.state.arn(f"dataset-export-job/{p['jobName']}")
    attrs = pick(p, "jobName", "roleArn", "jobOutput")   # roleArn: see MODEL_ROLE_ARN
    # CreateDatasetExportJob ingestionMode: "The default value is PUT."
    attrs.update(datasetArn=dataset.arn, ingestionMode=p.get("ingestionMode", "PUT"))
    svc.create(call, "dataset-export-job", arn, attrs, refs={"datasetArn": dataset.arn},
               tags=p.get("tags"))
    return {"datasetExportJobArn": arn}


@registry.handles("CreateSolution")
def create_solution(svc, call, p):
    automl = p.get("performAutoML", False)
    recipe_arn = p.get("recipeArn")
    # CreateSolution performAutoML: "you must specify recipeArn" when false, "you must omit
    # recipeArn" when true.
    if automl and recipe_arn:
        raise invalid_input("Omit recipeArn when performAutoML is true.")
    if not automl and not recipe_arn:
        raise invalid_input("recipeArn is required when performAutoML is false.")
    if recipe_arn:
        recipe = svc.resolve_recipe(recipe_arn)
        # CreateRecommender recipeArn: domain use cases serve recommenders, not solutions.
        if recipe.domain:
            raise invalid_input(f"{recipe_arn} is a Domain dataset group use case; use it "
                                f"with CreateRecommender.")
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"], active=True)
    arn = call.state.arn(f"solution/{p['name']}")
    attrs = pick(p, "name", "performIncrementalUpdate", "recipeArn", "eventType", "solutionConfig")
    # CreateSolution: performHPO and performAutoML default to false, performAutoTraining to true.
    attrs.update(datasetGroupArn=group.arn, performHPO=p.get("performHPO", False),
                 performAutoML=automl, performAutoTraining=p.get("performAutoTraining", True))

    def trained(at):
        if automl:
            attrs["autoMLResult"] = {"bestRecipeArn": RECIPE_PREFIX + "aws-user-personalization"}

    svc.create(call, "solution", arn, attrs, refs={"datasetGroupArn": group.arn},
               tags=p.get("tags"), done=trained)
    return {"solutionArn": arn}


@registry.handles("CreateSolutionVersion")
def create_solution_version(svc, call, p):
    # CreateSolutionVersion: the solution "must be in the ACTIVE state".
    solution = svc.resolve_reference(call, "solution", p["solutionArn"], active=True)
    svc.check_unique(call, "solution-version", {"solutionArn": solution.arn, **pick(p, "name")})
    for version in call.state.linked("solution-version", "solutionArn", solution.arn):
        svc.lifecycle.settle(version, call.now)
        if version.home is not None and version.busy:
            raise in_use(f"The solution {solution.arn} already has a version in training: "
                         f"{version.arn}.")
    version_id = short_id()
    arn = f"{solution.arn}/{version_id}"
    # DescribeSolutionVersion answers a name even for a version created without one: recorded AWS
    # traffic shows "<solution name>/<version id>" (which the Name pattern would not allow).
    attrs = {"name": p.get("name") or f"{solution.attrs['name']}/{version_id}"}
    attrs.update(pick(solution.attrs, "performHPO", "performAutoML", "performIncrementalUpdate",
                      "recipeArn", "eventType", "datasetGroupArn", "solutionConfig"))
    attrs.update(solutionArn=solution.arn, trainingMode=p.get("trainingMode", "FULL"),
                 trainingType="MANUAL")

    def trained(at):
        # SolutionVersion trainingHours: "visible only after ... successfully trains a model".
        if attrs.get("status") == "ACTIVE":
            attrs["trainingHours"] = 0.5

    refs = {"solutionArn": solution.arn, **pick(solution.refs, "datasetGroupArn")}
    svc.create(call, "solution-version", arn, attrs, refs=refs, tags=p.get("tags"), done=trained)
    solution.extra["latest_version"] = arn
    return {"solutionVersionArn": arn}


def deployable_version(svc, call, arn: str, config: dict | None):
    """The solution version a campaign deploys: an ACTIVE version, or with ``SolutionArn/$LATEST``
    the solution's newest ACTIVE version (UpdateCampaign solutionVersionArn)."""
    if arn.endswith("/$LATEST"):
        solution = svc.resolve_reference(call, "solution", arn[: -len("/$LATEST")])
        ready = [v for v in svc.settled(call, "solution-version")
                 if v.refs.get("solutionArn") == solution.arn and v.status == "ACTIVE"]
        if not ready:
            raise in_use(f"The solution {solution.arn} has no ACTIVE solution version.")
        return ready[-1]
    # CampaignConfig syncWithLatestSolutionVersion: "It must be in SolutionArn/$LATEST format."
    if (config or {}).get("syncWithLatestSolutionVersion"):
        raise invalid_input("syncWithLatestSolutionVersion needs solutionVersionArn in "
                            "SolutionArn/$LATEST format.")
    # CreateSolutionVersion: "Wait until the status shows as ACTIVE before calling
    # CreateCampaign."
    return svc.resolve_reference(call, "solution-version", arn, active=True)


@registry.handles("CreateCampaign")
def create_campaign(svc, call, p):
    version = deployable_version(svc, call, p["solutionVersionArn"], p.get("campaignConfig"))
    arn = call.state.arn(f"campaign/{p['name']}")
    attrs = pick(p, "name", "solutionVersionArn")
    # DescribeCampaign answers campaignConfig even when the create gave none: an empty one.
    attrs["campaignConfig"] = p.get("campaignConfig") or {}
    # CreateCampaign: "The default minProvisionedTPS is 1."
    attrs["minProvisionedTPS"] = p.get("minProvisionedTPS", 1)
    # The dataset group scopes the campaign quota (quotas.yaml).
    refs = {"solutionVersionArn": version.arn, **pick(version.refs, "solutionArn", "datasetGroupArn")}
    svc.create(call, "campaign", arn, attrs, refs=refs, tags=p.get("tags"))
    return {"campaignArn": arn}


@registry.handles("CreateRecommender")
def create_recommender(svc, call, p):
    recipe = svc.resolve_recipe(p["recipeArn"])
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"], active=True)
    domain = group.attrs.get("domain")
    # CreateRecommender: "You create recommenders for a Domain dataset group"; recipeArn:
    # "Only Domain dataset group use cases can be used to create a recommender."
    if not domain:
        raise invalid_input(f"{group.arn} is not a Domain dataset group.")
    if recipe.domain != domain:
        raise invalid_input(f"{recipe.arn} is not a use case of the {domain} domain.")
    arn = call.state.arn(f"recommender/{p['name']}")
    attrs = {"name": p["name"], "datasetGroupArn": group.arn, "recipeArn": recipe.arn,
             "recommenderConfig": recommender_config(p.get("recommenderConfig"))}

    def trained(at):
        attrs["modelMetrics"] = dict(MODEL_METRICS)

    svc.create(call, "recommender", arn, attrs, refs={"datasetGroupArn": group.arn},
               tags=p.get("tags"), done=trained)
    return {"recommenderArn": arn}


@registry.handles("CreateFilter")
def create_filter(svc, call, p):
    # CreateFilter filterExpression: "must follow specific format rules" - it starts with
    # INCLUDE or EXCLUDE.
    if not FILTER_EXPRESSION.match(p["filterExpression"]):
        raise invalid_input("filterExpression must start with INCLUDE or EXCLUDE.")
    # CreateFilter declares no ResourceInUseException: the group need only exist.
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"])
    arn = call.state.arn(f"filter/{p['name']}")
    attrs = {"name": p["name"], "datasetGroupArn": group.arn,
             "filterExpression": p["filterExpression"]}
    svc.create(call, "filter", arn, attrs, refs={"datasetGroupArn": group.arn},
               tags=p.get("tags"))
    return {"filterArn": arn}


@registry.handles("CreateEventTracker")
def create_event_tracker(svc, call, p):
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"], active=True)
    arn = call.state.arn(f"event-tracker/{short_id()}")
    tracking_id = str(uuid.uuid4())
    attrs = {"name": p["name"], "datasetGroupArn": group.arn, "accountId": call.state.account,
             "trackingId": tracking_id}
    svc.create(call, "event-tracker", arn, attrs, refs={"datasetGroupArn": group.arn},
               tags=p.get("tags"))
    return {"eventTrackerArn": arn, "trackingId": tracking_id}


def check_metric_names(metrics: list[dict]) -> None:
    names = [metric["metricName"] for metric in metrics]
    if len(set(names)) != len(names):
        raise invalid_input("Metric names must be unique within a metric attribution.")


@registry.handles("CreateMetricAttribution")
def create_metric_attribution(svc, call, p):
    check_metric_names(p["metrics"])
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"], active=True)
    arn = call.state.arn(f"metric-attribution/{p['name']}")
    attrs = {"name": p["name"], "datasetGroupArn": group.arn,
             "metricsOutputConfig": p["metricsOutputConfig"]}
    res = svc.create(call, "metric-attribution", arn, attrs, refs={"datasetGroupArn": group.arn})
    res.extra["metrics"] = list(p["metrics"])
    return {"metricAttributionArn": arn}


# CreateBatchInferenceJob: "You can't get batch recommendations with the Trending-Now or
# Next-Best-Action recipes."
NO_BATCH_RECOMMENDATIONS = frozenset({RECIPE_PREFIX + "aws-trending-now",
                                      RECIPE_PREFIX + "aws-next-best-action"})
SEGMENTATION = "USER_SEGMENTATION"


def _version_recipe(version):
    recipe_arn = version.attrs.get("recipeArn")
    return RECIPES_BY_ARN.get(recipe_arn) if recipe_arn else None


def _batch_job(svc, call, p, kind: str, extra_members: tuple[str, ...], segments: bool):
    version = svc.resolve_reference(call, "solution-version", p["solutionVersionArn"],
                                    active=True)
    recipe = _version_recipe(version)
    if recipe is not None:
        # Batch segment jobs need a user segmentation recipe (item-affinity and
        # item-attribute-affinity); batch inference jobs cannot use one.
        if segments and recipe.recipe_type != SEGMENTATION:
            raise invalid_input(f"{recipe.arn} is not a user segmentation recipe; batch segment "
                                f"jobs need one.")
        if not segments and (recipe.recipe_type == SEGMENTATION
                             or recipe.arn in NO_BATCH_RECOMMENDATIONS):
            raise invalid_input(f"Batch recommendations are not available for {recipe.arn}.")
    refs = {"solutionVersionArn": version.arn, **pick(version.refs, "solutionArn")}
    if p.get("filterArn"):
        refs["filterArn"] = svc.resolve_reference(call, "filter", p["filterArn"], active=True).arn
    arn = call.state.arn(f"{kind}/{p['jobName']}")
    attrs = pick(p, "jobName", "solutionVersionArn", "filterArn", "numResults", "jobInput",
                 "jobOutput", "roleArn", *extra_members)
    return arn, attrs, refs


@registry.handles("CreateBatchInferenceJob")
def create_batch_inference_job(svc, call, p):
    # CreateBatchInferenceJob: "To generate themes, set the job's mode to THEME_GENERATION and
    # specify the name of the field that contains item names".
    mode = p.get("batchInferenceJobMode", "BATCH_INFERENCE")
    if mode == "THEME_GENERATION" and not p.get("themeGenerationConfig"):
        raise invalid_input("THEME_GENERATION jobs need a themeGenerationConfig.")
    arn, attrs, refs = _batch_job(svc, call, p, "batch-inference-job",
                                  ("batchInferenceJobConfig", "themeGenerationConfig"),
                                  segments=False)
    attrs["batchInferenceJobMode"] = mode
    svc.create(call, "batch-inference-job", arn, attrs, refs=refs, tags=p.get("tags"))
    return {"batchInferenceJobArn": arn}


@registry.handles("CreateBatchSegmentJob")
def create_batch_segment_job(svc, call, p):
    arn, attrs, refs = _batch_job(svc, call, p, "batch-segment-job", (), segments=True)
    svc.create(call, "batch-segment-job", arn, attrs, refs=refs, tags=p.get("tags"))
    return {"batchSegmentJobArn": arn}


@registry.handles("CreateDataDeletionJob")
def create_data_deletion_job(svc, call, p):
    group = svc.resolve_reference(call, "dataset-group", p["datasetGroupArn"], active=True)
    arn = call.state.arn(f"data-deletion-job/{p['jobName']}")
    attrs = pick(p, "jobName", "dataSource", "roleArn")
    attrs["datasetGroupArn"] = group.arn

    def finished(at):
        attrs["numDeleted"] = 0

    svc.create(call, "data-deletion-job", arn, attrs, refs={"datasetGroupArn": group.arn},
               tags=p.get("tags"), done=finished)
    return {"dataDeletionJobArn": arn}


@registry.on_bind
def _solution_view(svc, table):
    def latest_version(res, attrs):
        # Solution latestSolutionVersion: a summary of the newest version, rendered live.
        arn = res.extra.get("latest_version")
        version = res.home.get("solution-version", arn) if arn and res.home else None
        if version is not None:
            attrs["latestSolutionVersion"] = svc.view(version, "SolutionVersionSummary")

    svc.add_view("solution", latest_version)
