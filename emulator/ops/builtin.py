"""Describe and list the read-only catalogue: recipes, algorithms, feature transformations."""
from __future__ import annotations

from ..errors import not_found
from ..recipes import (ALGORITHMS, RECIPES, TRANSFORMATIONS, algorithm_view,
                       recipe_summary, recipe_view, transformation_view)
from ._registry import Registry

registry = Registry()

@registry.handles("DescribeRecipe")
def describe_recipe(svc, call, p):
    return {"recipe": recipe_view(svc.resolve_recipe(p["recipeArn"]))}

@registry.handles("DescribeAlgorithm")
def describe_algorithm(svc, call, p):
    name = ALGORITHMS.get(p["algorithmArn"])
    if name is None:
        raise not_found("algorithm", p["algorithmArn"])
    return {"algorithm": algorithm_view(name)}

@registry.handles("DescribeFeatureTransformation")
def describe_feature_transformation(svc, call, p):
    arn = p["featureTransformationArn"]
    if arn not in TRANSFORMATIONS:
        raise not_found("feature transformation", arn)
    return {"featureTransformation": transformation_view(arn)}

# AWS pages ListRecipes when maxResults is not given (recorded AWS traffic); the page size it
# uses then is in neither the model (maxResults: 1-100) nor the documentation.
RECIPES_PAGE = 10


@registry.handles("ListRecipes")
def list_recipes(svc, call, p):
    # ListRecipes domain: "If you don't specify a domain, all recipes are returned."
    # recipeProvider: every recipe is a SERVICE recipe, the only value the model allows.
    domain = p.get("domain")
    recipes = [r for r in RECIPES if domain is None or r.domain == domain]
    page, token = svc.page(call, domain or "", recipes, list(range(1, len(recipes) + 1)), p,
                           default_size=RECIPES_PAGE)
    out = {"recipes": [recipe_summary(r) for r in page]}
    if token is not None:
        out["nextToken"] = token
    return out
