"""The installed botocore model of Amazon Personalize, loaded once per process.

Everything the emulator knows about operations, shapes and constraints comes from here, so
that a botocore upgrade is picked up without editing tables by hand. Loading the model costs
tens of milliseconds, which is why it is cached and never touched on the request path.
"""
from __future__ import annotations

import functools

import botocore.session

SERVICE_NAME = "personalize"


@functools.lru_cache(maxsize=None)
def service_model():
    """The botocore ``ServiceModel`` for Personalize (cached for the process)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def operation_names() -> tuple[str, ...]:
    return tuple(service_model().operation_names)


def operation(name: str):
    return service_model().operation_model(name)


def target_prefix() -> str:
    """The ``X-Amz-Target`` prefix, ``AmazonPersonalize``."""
    return service_model().metadata["targetPrefix"]


def declared_errors(name: str) -> frozenset[str]:
    return frozenset(shape.name for shape in operation(name).error_shapes)


def input_members(name: str) -> tuple[str, ...]:
    shape = operation(name).input_shape
    return tuple(shape.members) if shape is not None else ()


def output_shape(name: str):
    return operation(name).output_shape


def shape(name: str):
    return service_model().shape_for(name)


@functools.lru_cache(maxsize=None)
def shape_members(name: str) -> tuple[str, ...]:
    """Member names of a structure shape, in model order."""
    return tuple(shape(name).members)
