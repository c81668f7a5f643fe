"""What Personalize members mean beyond their schema, kept as data.

The request schemas say `schema` is a string of at most 20000 characters and `roleArn` a string
matching a pattern; a real client sends an Avro record schema and the ARN of an IAM role. These
tables give such members plausible values (so valid cases reach the operation's logic instead of
its input checks), say which members reference other resources, which map keys make sense,
which list items must be unique, and which documented cross-member rules a request must follow.
Each entry cites the operation and a phrase of its reference documentation.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable

from hypothesis import strategies as st

from .paths import member_key, render
from .pool import ACCOUNT, REGION, TAGGABLE

CATALOGUE = "arn:aws:personalize:::"
# The recipes Amazon Personalize publishes (ListRecipes): custom-resource recipes, then the
# use cases of Domain dataset groups.
CUSTOM_RECIPES = (
    "aws-user-personalization", "aws-user-personalization-v2", "aws-personalized-ranking",
    "aws-personalized-ranking-v2", "aws-popularity-count", "aws-trending-now", "aws-similar-items",
    "aws-sims", "aws-semantic-similarity", "aws-item-affinity", "aws-item-attribute-affinity",
    "aws-next-best-action",
)
DOMAIN_RECIPES = (
    "aws-ecomm-customers-who-viewed-x-also-viewed", "aws-ecomm-frequently-bought-together",
    "aws-ecomm-popular-items-by-purchases", "aws-ecomm-popular-items-by-views",
    "aws-ecomm-recommended-for-you", "aws-vod-because-you-watched-x", "aws-vod-more-like-x",
    "aws-vod-most-popular", "aws-vod-top-picks", "aws-vod-trending-now",
)
FEATURE_TRANSFORMATIONS = ("JSON-percentile-filtering",)
# CreateDataset datasetType: "One of the following (case insensitive) values".
DATASET_TYPES = ("Interactions", "Items", "Users", "Actions", "Action_Interactions")

# Built from `text` rather than `from_regex`: these are drawn for almost every request, and
# regex-driven generation costs ten times as much per draw.
NAMES = st.builds(lambda first, rest: first + rest, st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
                  st.text("abcdefghijklmnopqrstuvwxyz0123456789-", max_size=18).map(lambda s: s.rstrip("-")))
HEX8 = st.text("0123456789abcdef", min_size=8, max_size=8)
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Resource and job names (`^[a-zA-Z0-9][a-zA-Z0-9\-_]*`, 1-63): the shape users give them.
RESOURCE_NAMES = st.builds(lambda first, rest: first + rest, st.sampled_from(_ALNUM),
                           st.text(_ALNUM + "-_", max_size=20))
COLUMNS = st.sampled_from(("GENRES", "PRICE", "CATEGORY_L1", "TITLE", "DESCRIPTION", "AGE",
                           "MEMBERSHIP", "EVENT_VALUE", "CREATION_TIMESTAMP"))


@dataclass(frozen=True)
class Semantic:
    """A member's plausible values.

    `check` says whether a value still means the same kind of thing (an Avro record, an
    expression starting with INCLUDE); `resize(value, n, fill)` brings one to `n` characters where
    a generic edit would break it; `invalid` maps a rule kind to values breaking only that rule
    (what a target must refuse even though the schema cannot tell).
    """
    values: st.SearchStrategy
    check: Callable[[str], bool] | None = None
    resize: Callable[[str, int, str], str | None] | None = None
    invalid: dict[str, st.SearchStrategy] = field(default_factory=dict)
    source: str = ""


# -- Avro schemas ------------------------------------------------------------------------------

_AVRO_FIELDS = {
    "Interactions": [("USER_ID", "string"), ("ITEM_ID", "string"), ("TIMESTAMP", "long")],
    "Items": [("ITEM_ID", "string"), ("GENRES", ["null", "string"])],
    "Users": [("USER_ID", "string"), ("AGE", ["null", "int"])],
}
_AVRO_OPTIONAL = [("EVENT_TYPE", "string"), ("EVENT_VALUE", ["null", "float"]),
                  ("CATEGORY_L1", ["null", "string"])]


def avro_schema(record: str, extra: tuple = (), doc: str | None = None) -> str:
    fields = [{"name": n, "type": t} for n, t in _AVRO_FIELDS[record] + list(extra)]
    schema = {"type": "record", "name": record,
              "namespace": "com.amazonaws.personalize.schema", "fields": fields, "version": "1.0"}
    if doc is not None:
        schema["doc"] = doc
    return json.dumps(schema, ensure_ascii=False, separators=(",", ":"))


def is_avro_record(text: str) -> bool:
    """CreateSchema schema: 'must be in Avro JSON format' - a record with named, typed fields."""
    try:
        schema = json.loads(text)
    except ValueError:
        return False
    return (isinstance(schema, dict) and schema.get("type") == "record"
            and isinstance(schema.get("name"), str) and isinstance(schema.get("fields"), list)
            and bool(schema["fields"])
            and all(isinstance(f, dict) and isinstance(f.get("name"), str) and "type" in f
                    for f in schema["fields"]))


def _resize_avro(value: str, n: int, fill: str) -> str | None:
    """An Avro record of exactly `n` characters: the schema's `doc` string takes up the slack."""
    schema = json.loads(value)
    schema.pop("doc", None)
    schema["doc"] = ""
    bare = len(json.dumps(schema, ensure_ascii=False, separators=(",", ":")))
    if n < bare:
        return None
    schema["doc"] = fill * (n - bare) if fill not in "\"\\" else "a" * (n - bare)
    return json.dumps(schema, ensure_ascii=False, separators=(",", ":"))


AVRO = st.builds(avro_schema, st.sampled_from(sorted(_AVRO_FIELDS)),
                 st.lists(st.sampled_from(_AVRO_OPTIONAL), max_size=2, unique_by=lambda f: f[0]).map(tuple))
NOT_AVRO = st.sampled_from((
    "not an avro schema", "{}", "[]", "123", '"record"',
    '{"type": "record", "name": "Interactions"}',
    '{"type": "enum", "name": "Kind", "symbols": ["A"]}',
    '{"type": "record", "name": "Interactions", "fields": "USER_ID"}',
)) | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=40).filter(
    lambda s: not is_avro_record(s))

# -- expressions -------------------------------------------------------------------------------

FILTER_START = re.compile(r"\s*(INCLUDE|EXCLUDE)\s", re.IGNORECASE)
_FILTERS = (
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("{v}")',
    'INCLUDE ItemID WHERE Items.GENRES IN ("{v}")',
    'EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("{v}")',
    'INCLUDE ItemID WHERE Items.PRICE > 10',
)
FILTER_EXPRESSIONS = st.builds(lambda t, v: t.format(v=v), st.sampled_from(_FILTERS),
                               st.sampled_from(("comedy", "click", "shoes", "drama")))
NOT_FILTER = st.sampled_from(("ItemID", "WHERE Items.GENRES IN (\"comedy\")", "SELECT *",
                              "INCLUDEItemID"))


def _s3(scheme: str = "s3") -> st.SearchStrategy:
    return st.builds(lambda b, k, ext: f"{scheme}://{b}/{k}{ext}", NAMES, NAMES,
                     st.sampled_from(("", "/", ".csv", "/part-0.csv")))


ROLE_ARNS = st.builds(lambda n: f"arn:aws:iam::{ACCOUNT}:role/{n}",
                      st.sampled_from(("PersonalizeRole", "service-role/PersonalizeS3Access",
                                       "personalize-import")) | NAMES)
# Key ids are UUIDs; drawn as hex digits rather than `st.uuids()`, whose values have no simplest.
KMS_ARNS = st.builds(lambda h: f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}",
                     st.text("0123456789abcdef", min_size=32, max_size=32))
KMS_EXAMPLE = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _recipes(names) -> st.SearchStrategy:
    return st.sampled_from(tuple(CATALOGUE + "recipe/" + n for n in names))


def _tag_key_ok(value: str) -> bool:
    # TagResource: keys beginning with `aws:` are reserved for AWS.
    return not value.lower().startswith("aws:")


SEMANTICS: dict[str, Semantic] = {
    "CreateSchema.schema": Semantic(
        AVRO, check=is_avro_record, resize=_resize_avro, invalid={"avro": NOT_AVRO},
        source="CreateSchema schema: 'A schema in Avro JSON format'"),
    "CreateFilter.filterExpression": Semantic(
        FILTER_EXPRESSIONS, check=lambda v: FILTER_START.match(v) is not None,
        invalid={"expression": NOT_FILTER},
        source="CreateFilter filterExpression: 'The filter expression defines which items are included or excluded'"),
    "CreateDataset.datasetType": Semantic(
        st.sampled_from(DATASET_TYPES) | st.sampled_from(DATASET_TYPES).map(str.upper),
        check=lambda v: v.upper() in {t.upper() for t in DATASET_TYPES},
        invalid={"dataset-type": st.sampled_from(("Purchases", "Interaction", "ITEM"))},
        source="CreateDataset datasetType: 'One of the following (case insensitive) values'"),
    "CreateSolution.recipeArn": Semantic(_recipes(CUSTOM_RECIPES)),
    # autoMLConfig recipeList holds up to 100 distinct ARNs, more than the catalogue has.
    "recipeList[]": Semantic(_recipes(CUSTOM_RECIPES) | NAMES.map(lambda n: CATALOGUE + "recipe/aws-" + n)),
    "CreateRecommender.recipeArn": Semantic(_recipes(DOMAIN_RECIPES)),
    "recipeArn": Semantic(_recipes(CUSTOM_RECIPES + DOMAIN_RECIPES)),
    "featureTransformationArn": Semantic(st.sampled_from(
        tuple(CATALOGUE + "feature-transformation/" + n for n in FEATURE_TRANSFORMATIONS))),
    "algorithmArn": Semantic(st.sampled_from(
        tuple(CATALOGUE + "algorithm/" + n for n in CUSTOM_RECIPES))),
    "name": Semantic(RESOURCE_NAMES),
    "jobName": Semantic(RESOURCE_NAMES),
    "nextToken": Semantic(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=24)),
    "roleArn": Semantic(ROLE_ARNS),
    "kmsKeyArn": Semantic(KMS_ARNS),
    "path": Semantic(_s3()),
    "dataLocation": Semantic(_s3()),
    "schedulingExpression": Semantic(st.integers(1, 30).map(lambda n: f"rate({n} day{'s' * (n > 1)})")),
    "eventType": Semantic(st.sampled_from(("click", "purchase", "watch", "like"))),
    "eventValueThreshold": Semantic(st.sampled_from(("0.5", "1", "10"))),
    "hpoObjective.type": Semantic(st.sampled_from(("Maximize", "Minimize"))),
    "metricName": Semantic(st.sampled_from(("precision_at_25", "coverage", "CLICKS", "REVENUE")) |
                           NAMES.map(str.upper)),
    "metricRegex": Semantic(st.just("precision_at_25=([0-9.]+)")),
    "maxNumberOfTrainingJobs": Semantic(st.integers(1, 40).map(str)),
    "maxParallelTrainingJobs": Semantic(st.integers(1, 10).map(str)),
    "expression": Semantic(st.sampled_from(("SUM(Interactions.EVENT_VALUE)", "SAMPLECOUNT()"))),
    "itemName": Semantic(st.sampled_from(("TITLE", "NAME", "PRODUCT_NAME"))),
    "itemAttribute": Semantic(st.sampled_from(("PRICE", "MARGIN"))),
    # Lists hold up to 200 tags with distinct keys: the well-known keys, then made-up ones.
    "tagKey": Semantic(st.sampled_from(("team", "cost-center", "env", "项目")) | NAMES, check=_tag_key_ok),
    "tagKeys[]": Semantic(st.sampled_from(("team", "cost-center", "env")) | NAMES, check=_tag_key_ok),
    "tagValue": Semantic(st.sampled_from(("recs", "1234", "prod", "é@+=")),),
    "excludedDatasetColumns{}[]": Semantic(COLUMNS),
    "includedDatasetColumns{}[]": Semantic(COLUMNS),
}

# Map keys the model constrains but the OpenAPI document cannot describe (`additionalProperties`
# has no key schema): RankingInfluence keys are an enum, dataset-column maps are keyed by dataset
# type, parameter maps by parameter name. A closed key set also bounds the map's plausible size.
MAP_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "rankingInfluence": (("POPULARITY", "FRESHNESS"), True),
    "excludedDatasetColumns": (("Interactions", "Items", "Users", "Actions", "Action_Interactions"), True),
    "includedDatasetColumns": (("Interactions", "Items", "Users", "Actions", "Action_Interactions"), True),
    "algorithmHyperParameters": (("hidden_dimension", "bptt", "recency_mask"), False),
    "featureTransformationParameters": (("min_user_history_length_percentile",
                                         "max_user_history_length_percentile"), False),
    "itemExplorationConfig": (("explorationWeight", "explorationItemAgeCutOff"), False),
}
GENERIC_KEYS = st.builds(lambda first, rest: first + rest, st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
                         st.text("abcdefghijklmnopqrstuvwxyz_", max_size=23))

# List members whose items a target keys by one of their members ("" when the items are the
# keys): duplicates are a different request (CreateMetricAttribution: metric names are unique;
# tags are keyed by tagKey).
UNIQUE_ITEMS: dict[str, str] = {
    "metrics": "metricName", "addMetrics": "metricName", "tags": "tagKey",
    "tagKeys": "", "removeMetrics": "", "recipeList": "",
}


def unique_key(member: str):
    """The function `st.lists(unique_by=...)` wants for a list member, or None."""
    if member not in UNIQUE_ITEMS:
        return None
    key = UNIQUE_ITEMS[member]
    return (lambda item: item.get(key) if isinstance(item, dict) else item) if key else (lambda item: item)


# Members the documentation requires although the model leaves them optional.
DOCUMENTED_REQUIRED: dict[str, tuple[str, ...]] = {
    # UpdateMetricAttribution metricAttributionArn: 'The Amazon Resource Name (ARN) for the
    # metric attribution to update' - there is nothing to update without it.
    "UpdateMetricAttribution": ("metricAttributionArn",),
    "ListMetricAttributionMetrics": ("metricAttributionArn",),
}

# Members that reference a resource of another kind, by member name; `<kind>Arn` members not
# listed here reference the kind their name spells (`datasetGroupArn` → `dataset-group`).
REFERENCES: dict[str, tuple[str, ...]] = {
    "resourceArn": TAGGABLE,
}
NOT_REFERENCES = frozenset({"roleArn", "kmsKeyArn", "recipeArn", "recipeList[]", "algorithmArn",
                            "featureTransformationArn"})


def lookup(operation: str, path: tuple[str, ...]) -> Semantic | None:
    key = member_key(path)
    for name in (f"{operation}.{render(path)}", f"{operation}.{key}", render(path[-2:]) if len(path) > 1 else None,
                 key):
        if name and name in SEMANTICS:
            return SEMANTICS[name]
    return None


def reference_kinds(path: tuple[str, ...], known: tuple[str, ...]) -> tuple[str, ...]:
    """The resource kinds a member points at, or () when it is not a reference."""
    key = member_key(path)
    if key in REFERENCES:
        return REFERENCES[key]
    if key in NOT_REFERENCES or not key.endswith("Arn"):
        return ()
    kind = re.sub(r"(?<!^)(?=[A-Z])", "-", key[:-3]).lower()
    return (kind,) if kind in known else ()


# -- documented cross-member rules --------------------------------------------------------------

FIXUPS: dict[str, list[Callable[[dict], dict]]] = {}


def fixup(*operations: str):
    """Register a rule that brings a request in line with its operation's documentation. A fixup
    only adds members or sets booleans, so it never undoes the value a case is about."""
    def register(fn):
        for name in operations:
            FIXUPS.setdefault(name, []).append(fn)
        return fn
    return register


def apply_fixups(operation: str, params):
    if not isinstance(params, dict):
        return params
    for fn in FIXUPS.get(operation, ()):
        params = fn(params)
    return params


@fixup("CreateSolution")
def automl_or_recipe(p: dict) -> dict:
    # CreateSolution performAutoML: recipeArn is 'required when performAutoML is false' and
    # must be omitted when it is true.
    p = dict(p)
    if "recipeArn" in p:
        if p.get("performAutoML"):
            p["performAutoML"] = False
    else:
        p["performAutoML"] = True
    return p


@fixup("CreateDatasetGroup")
def role_needs_key(p: dict) -> dict:
    # CreateDatasetGroup roleArn: 'Supplying an IAM role is only valid when also specifying a
    # KMS key.'
    if p.get("roleArn") and not p.get("kmsKeyArn"):
        p = {**p, "kmsKeyArn": KMS_EXAMPLE}
    return p


@fixup("CreateCampaign", "UpdateCampaign")
def sync_needs_latest(p: dict) -> dict:
    # CampaignConfig syncWithLatestSolutionVersion: the solution version 'must be in
    # SolutionArn/$LATEST format'.
    config = p.get("campaignConfig")
    if isinstance(config, dict) and config.get("syncWithLatestSolutionVersion") and \
            not str(p.get("solutionVersionArn", "")).endswith("/$LATEST"):
        p = {**p, "campaignConfig": {**config, "syncWithLatestSolutionVersion": False}}
    return p


@fixup("CreateBatchInferenceJob")
def themes_need_config(p: dict) -> dict:
    # CreateBatchInferenceJob: to generate themes 'specify the name of the field that contains
    # item names in the input data'.
    if p.get("batchInferenceJobMode") == "THEME_GENERATION" and not p.get("themeGenerationConfig"):
        p = {**p, "themeGenerationConfig": {"fieldsForThemeGeneration": {"itemName": "TITLE"}}}
    return p


# The model bounds a range's minValue from below and its maxValue from one side only; AWS refuses
# a range whose minimum is above its maximum, as any client would expect. A boundary case puts
# one of them at its edge (±1000000): that one is kept and the other brought level with it.
RANGE_EDGES = {"integerHyperParameterRanges": (-1000000, 1000000), "continuousHyperParameterRanges": (-1000000, -1000000)}


@fixup("CreateSolution")
def ranges_in_order(p: dict) -> dict:
    # IntegerHyperParameterRange / ContinuousHyperParameterRange: 'The minimum allowable value for
    # the hyperparameter' and 'The maximum allowable value for the hyperparameter'.
    hpo = ((p.get("solutionConfig") or {}).get("hpoConfig") or {}) if isinstance(p.get("solutionConfig"), dict) else {}
    ranges = hpo.get("algorithmHyperParameterRanges") if isinstance(hpo, dict) else None
    if not isinstance(ranges, dict):
        return p
    fixed = {}
    for kind, (min_edge, max_edge) in RANGE_EDGES.items():
        items = ranges.get(kind)
        if isinstance(items, list):
            fixed[kind] = [_in_order(r, min_edge, max_edge, kind.startswith("integer")) for r in items]
    if not fixed or all(fixed[k] == ranges.get(k) for k in fixed):
        return p
    config = p["solutionConfig"]
    return {**p, "solutionConfig": {**config, "hpoConfig": {**hpo, "algorithmHyperParameterRanges": {**ranges, **fixed}}}}


def _in_order(r, min_edge, max_edge, integer: bool):
    """The range with minValue <= maxValue, the member a boundary case put at its edge kept."""
    if not isinstance(r, dict):
        return r
    lo, hi = r.get("minValue"), r.get("maxValue")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi)) or lo <= hi:
        return r
    if hi == max_edge:
        return {**r, "minValue": hi}
    if lo == min_edge or not integer or lo <= max_edge:
        return {**r, "maxValue": lo}
    if hi >= min_edge:  # an integer maximum cannot rise above its edge: the minimum comes down
        return {**r, "minValue": hi}
    return {**r, "minValue": max_edge, "maxValue": max_edge}
