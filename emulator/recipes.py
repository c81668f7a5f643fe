"""The read-only catalogue AWS ships: recipes, algorithms and feature transformations.

These ARNs have no region or account (``arn:aws:personalize:::recipe/...``) and are the same
for every caller, so they live here as plain data rather than in the store.
"""
from __future__ import annotations

from dataclasses import dataclass

RECIPE_PREFIX = "arn:aws:personalize:::recipe/"
ALGORITHM_PREFIX = "arn:aws:personalize:::algorithm/"
TRANSFORMATION_PREFIX = "arn:aws:personalize:::feature-transformation/"

# Fixed publication dates keep responses stable between runs.
_PUBLISHED = 1559347200.0   # 2019-06-01
_REVISED = 1696118400.0     # 2023-10-01

PERCENTILE_FILTERING = "JSON-percentile-filtering"


@dataclass(frozen=True)
class Recipe:
    name: str
    recipe_type: str
    description: str
    domain: str | None = None
    algorithm: str | None = None   # custom recipes train with an algorithm of the same name

    @property
    def arn(self) -> str:
        return RECIPE_PREFIX + self.name


_CUSTOM = (
    ("aws-user-personalization", "USER_PERSONALIZATION",
     "Predicts the items a user will interact with, exploring new items."),
    ("aws-user-personalization-v2", "USER_PERSONALIZATION",
     "Predicts the items a user will interact with, trained on large catalogues."),
    ("aws-personalized-ranking", "PERSONALIZED_RANKING",
     "Ranks a given list of items for a user."),
    ("aws-personalized-ranking-v2", "PERSONALIZED_RANKING",
     "Ranks a given list of items for a user, trained on large catalogues."),
    ("aws-popularity-count", "USER_PERSONALIZATION",
     "Recommends the most popular items by event count."),
    ("aws-trending-now", "USER_PERSONALIZATION",
     "Recommends the items gaining popularity fastest."),
    ("aws-similar-items", "RELATED_ITEMS",
     "Recommends items similar to a given item from interactions and metadata."),
    ("aws-sims", "RELATED_ITEMS",
     "Recommends items similar to a given item from item-to-item co-occurrence."),
    ("aws-semantic-similarity", "RELATED_ITEMS",
     "Recommends items whose text metadata is semantically similar to a given item."),
    ("aws-item-affinity", "USER_SEGMENTATION",
     "Finds the users most likely to interact with each item."),
    ("aws-item-attribute-affinity", "USER_SEGMENTATION",
     "Finds the users most likely to interact with items that have an attribute."),
    ("aws-next-best-action", "PERSONALIZED_ACTIONS",
     "Recommends the next best actions for a user."),
)

_DOMAIN = (
    ("aws-ecomm-customers-who-viewed-x-also-viewed", "ECOMMERCE", "RELATED_ITEMS",
     "Customers who viewed X also viewed."),
    ("aws-ecomm-frequently-bought-together", "ECOMMERCE", "RELATED_ITEMS",
     "Items frequently bought together with a given item."),
    ("aws-ecomm-popular-items-by-purchases", "ECOMMERCE", "USER_PERSONALIZATION",
     "Best sellers."),
    ("aws-ecomm-popular-items-by-views", "ECOMMERCE", "USER_PERSONALIZATION",
     "Most viewed items."),
    ("aws-ecomm-recommended-for-you", "ECOMMERCE", "USER_PERSONALIZATION",
     "Recommendations for a user."),
    ("aws-vod-because-you-watched-x", "VIDEO_ON_DEMAND", "RELATED_ITEMS",
     "Because you watched X."),
    ("aws-vod-more-like-x", "VIDEO_ON_DEMAND", "RELATED_ITEMS", "More like X."),
    ("aws-vod-most-popular", "VIDEO_ON_DEMAND", "USER_PERSONALIZATION", "Most popular videos."),
    ("aws-vod-top-picks", "VIDEO_ON_DEMAND", "USER_PERSONALIZATION", "Top picks for a user."),
    ("aws-vod-trending-now", "VIDEO_ON_DEMAND", "USER_PERSONALIZATION", "Trending now."),
)

RECIPES: tuple[Recipe, ...] = tuple(
    Recipe(name, rtype, text, algorithm=name) for name, rtype, text in _CUSTOM
) + tuple(Recipe(name, rtype, text, domain=domain) for name, domain, rtype, text in _DOMAIN)

RECIPES_BY_ARN = {recipe.arn: recipe for recipe in RECIPES}


def recipe_view(recipe: Recipe) -> dict:
    """The ``Recipe`` structure DescribeRecipe answers with."""
    view = {
        "name": recipe.name,
        "recipeArn": recipe.arn,
        "featureTransformationArn": TRANSFORMATION_PREFIX + PERCENTILE_FILTERING,
        "status": "ACTIVE",
        "description": recipe.description,
        "creationDateTime": _PUBLISHED,
        "recipeType": recipe.recipe_type,
        "lastUpdatedDateTime": _REVISED,
    }
    if recipe.algorithm:
        view["algorithmArn"] = ALGORITHM_PREFIX + recipe.algorithm
    return view


def recipe_summary(recipe: Recipe) -> dict:
    summary = {
        "name": recipe.name,
        "recipeArn": recipe.arn,
        "status": "ACTIVE",
        "creationDateTime": _PUBLISHED,
        "lastUpdatedDateTime": _REVISED,
    }
    if recipe.domain:
        summary["domain"] = recipe.domain
    return summary


_HYPER_PARAMETERS = {
    "bptt": "32",
    "hidden_dimension": "149",
    "recency_mask": "true",
    "min_user_history_length_percentile": "0.0",
    "max_user_history_length_percentile": "0.99",
}

_HYPER_PARAMETER_RANGES = {
    "integerHyperParameterRanges": [
        {"name": "bptt", "minValue": 2, "maxValue": 32, "isTunable": True},
        {"name": "hidden_dimension", "minValue": 32, "maxValue": 256, "isTunable": True},
    ],
    "continuousHyperParameterRanges": [
        {"name": "max_user_history_length_percentile", "minValue": 0.0, "maxValue": 1.0,
         "isTunable": False},
    ],
    "categoricalHyperParameterRanges": [
        {"name": "recency_mask", "values": ["true", "false"], "isTunable": True},
    ],
}


def algorithm_view(name: str) -> dict:
    """The ``Algorithm`` structure DescribeAlgorithm answers with."""
    return {
        "name": name,
        "algorithmArn": ALGORITHM_PREFIX + name,
        "algorithmImage": {"name": name,
                           "dockerURI": f"personalize/{name}:latest"},
        "defaultHyperParameters": dict(_HYPER_PARAMETERS),
        "defaultHyperParameterRanges": _HYPER_PARAMETER_RANGES,
        "defaultResourceConfig": {"maxNumberOfTrainingJobs": "20",
                                  "maxParallelTrainingJobs": "5"},
        "trainingInputMode": "File",
        "creationDateTime": _PUBLISHED,
        "lastUpdatedDateTime": _REVISED,
    }


ALGORITHMS = {ALGORITHM_PREFIX + r.algorithm: r.algorithm for r in RECIPES if r.algorithm}

TRANSFORMATIONS = {
    TRANSFORMATION_PREFIX + PERCENTILE_FILTERING: {
        "min_user_history_length_percentile": "0.0",
        "max_user_history_length_percentile": "0.99",
    },
}


def transformation_view(arn: str) -> dict:
    """The ``FeatureTransformation`` structure DescribeFeatureTransformation answers with."""
    return {
        "name": arn.rsplit("/", 1)[1],
        "featureTransformationArn": arn,
        "defaultParameters": dict(TRANSFORMATIONS[arn]),
        "creationDateTime": _PUBLISHED,
        "lastUpdatedDateTime": _REVISED,
        "status": "ACTIVE",
    }
