"""The resource catalogue: one row of data per Personalize resource type.

Each ``Kind`` says how the type is named, how its ARN is formed, which request member filters
its list, which lifecycle flows it follows, and which members must be unique. Operation names,
response keys and summary shapes are not repeated here: ``KindInfo`` derives them from the
botocore model, so this table holds only what the model cannot say.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from . import model


@dataclass(frozen=True)
class Kind:
    key: str                      # ARN resource type, e.g. "dataset-group"
    label: str                    # used in messages, e.g. "dataset group"
    suffix: str                   # operation suffix: Create<suffix>, Describe<suffix>, ...
    arn_path: str                 # ARN resource part; {name}, {group}, {type}, {solution}, {hex}
    name_member: str = "name"
    list_filter: str | None = None        # List request member that narrows to a parent
    create_flow: str | None = "create"    # lifecycle.FLOWS key; None: no status at all
    delete_flow: str | None = "delete"    # None: the type has no Delete operation
    unique: tuple[tuple[str, ...], ...] = (("name",),)
    newest_first: bool = False            # list order, when the documentation says so

    @cached_property
    def info(self) -> "KindInfo":
        return KindInfo(self)


@dataclass
class KindInfo:
    """What the model says about a kind: operations, keys and shapes."""

    kind: Kind
    describe_op: str = field(init=False)
    create_op: str = field(init=False)
    delete_op: str | None = field(init=False)
    list_op: str = field(init=False)
    arn_member: str = field(init=False)      # the Describe request's single member
    describe_key: str = field(init=False)    # the Describe response's single member
    shape: str = field(init=False)           # the described structure
    list_key: str = field(init=False)        # the List response's item member
    summary_shape: str = field(init=False)
    taggable: bool = field(init=False)

    def __post_init__(self):
        suffix = self.kind.suffix
        names = set(model.operation_names())
        self.describe_op = f"Describe{suffix}"
        self.create_op = f"Create{suffix}"
        self.delete_op = f"Delete{suffix}" if f"Delete{suffix}" in names else None
        self.list_op = f"List{suffix}s"
        (self.arn_member,) = model.input_members(self.describe_op)
        out = model.output_shape(self.describe_op)
        (self.describe_key,) = out.members
        self.shape = out.members[self.describe_key].name
        listed = model.output_shape(self.list_op)
        (self.list_key,) = [m for m in listed.members if m != "nextToken"]
        self.summary_shape = listed.members[self.list_key].member.name
        self.taggable = "tags" in model.input_members(self.create_op)


KINDS: tuple[Kind, ...] = (
    Kind("dataset-group", "dataset group", "DatasetGroup", "dataset-group/{name}",
         delete_flow="delete-dataset-group"),
    Kind("schema", "schema", "Schema", "schema/{name}", create_flow=None, delete_flow="remove"),
    # CreateDataset: one dataset of each type per group; the ARN is group name + TYPE.
    Kind("dataset", "dataset", "Dataset", "dataset/{group}/{type}", list_filter="datasetGroupArn",
         unique=(("datasetGroupArn", "datasetType"), ("datasetGroupArn", "name"))),
    Kind("dataset-import-job", "dataset import job", "DatasetImportJob",
         "dataset-import-job/{name}", name_member="jobName", list_filter="datasetArn",
         delete_flow=None, unique=(("jobName",),)),
    Kind("dataset-export-job", "dataset export job", "DatasetExportJob",
         "dataset-export-job/{name}", name_member="jobName", list_filter="datasetArn",
         delete_flow=None, unique=(("jobName",),)),
    Kind("solution", "solution", "Solution", "solution/{name}", list_filter="datasetGroupArn"),
    Kind("solution-version", "solution version", "SolutionVersion", "solution/{solution}/{hex}",
         list_filter="solutionArn", delete_flow=None, unique=(("solutionArn", "name"),)),
    Kind("campaign", "campaign", "Campaign", "campaign/{name}", list_filter="solutionArn"),
    Kind("recommender", "recommender", "Recommender", "recommender/{name}",
         list_filter="datasetGroupArn"),
    Kind("filter", "filter", "Filter", "filter/{name}", list_filter="datasetGroupArn"),
    # CreateEventTracker: "Only one event tracker can be associated with a dataset group".
    Kind("event-tracker", "event tracker", "EventTracker", "event-tracker/{hex}",
         list_filter="datasetGroupArn", unique=(("name",), ("datasetGroupArn",))),
    Kind("metric-attribution", "metric attribution", "MetricAttribution",
         "metric-attribution/{name}", list_filter="datasetGroupArn",
         unique=(("name",), ("datasetGroupArn",))),
    # Batch jobs: status member "PENDING IN PROGRESS ACTIVE CREATE FAILED".
    Kind("batch-inference-job", "batch inference job", "BatchInferenceJob",
         "batch-inference-job/{name}", name_member="jobName", list_filter="solutionVersionArn",
         create_flow="batch", delete_flow=None, unique=(("jobName",),)),
    Kind("batch-segment-job", "batch segment job", "BatchSegmentJob",
         "batch-segment-job/{name}", name_member="jobName", list_filter="solutionVersionArn",
         create_flow="batch", delete_flow=None, unique=(("jobName",),)),
    # ListDataDeletionJobs: "ordered by creation time, with the most recent first".
    Kind("data-deletion-job", "data deletion job", "DataDeletionJob", "data-deletion-job/{name}",
         name_member="jobName", list_filter="datasetGroupArn", create_flow="data-deletion",
         delete_flow=None, unique=(("jobName",),), newest_first=True),
)

BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class Blocker:
    """A dependant that stops a delete: resources of ``kind`` whose ``link`` points at the
    target (or at the target's ``via`` member), optionally only while they are busy."""

    kind: str
    link: str
    busy_only: bool = False
    via: str | None = None


# Who blocks whose delete (ResourceInUseException), from each Delete operation's documentation.
BLOCKERS: dict[str, tuple[Blocker, ...]] = {
    # DeleteDatasetGroup: "you must delete ... event trackers ... solutions ... datasets";
    # recommenders, filters and metric attributions live in the group the same way.
    "dataset-group": (
        Blocker("dataset", "datasetGroupArn"),
        Blocker("solution", "datasetGroupArn"),
        Blocker("event-tracker", "datasetGroupArn"),
        Blocker("recommender", "datasetGroupArn"),
        Blocker("filter", "datasetGroupArn"),
        Blocker("metric-attribution", "datasetGroupArn"),
    ),
    # DeleteSchema: "you must delete all datasets referencing the schema".
    "schema": (Blocker("dataset", "schemaArn"),),
    # DeleteDataset: "if an associated DatasetImportJob or SolutionVersion is in the
    # CREATE PENDING or IN PROGRESS state".
    "dataset": (
        Blocker("dataset-import-job", "datasetArn", busy_only=True),
        Blocker("solution-version", "datasetGroupArn", busy_only=True, via="datasetGroupArn"),
    ),
    # DeleteSolution: "you must delete all campaigns based on the solution" and "if an
    # associated SolutionVersion is in the CREATE PENDING or IN PROGRESS state".
    "solution": (
        Blocker("campaign", "solutionArn"),
        Blocker("solution-version", "solutionArn", busy_only=True),
    ),
}

# What disappears with a resource once it is gone (children that have no Delete operation).
CASCADES: dict[str, tuple[tuple[str, str], ...]] = {
    # DeleteSolution: "Deletes all versions of a solution and the Solution object itself".
    "solution": (("solution-version", "solutionArn"),),
    "solution-version": (("batch-inference-job", "solutionVersionArn"),
                         ("batch-segment-job", "solutionVersionArn")),
    "dataset": (("dataset-import-job", "datasetArn"), ("dataset-export-job", "datasetArn")),
    "dataset-group": (("data-deletion-job", "datasetGroupArn"),),
}
