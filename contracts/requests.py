"""Minimal valid requests built from the catalogue: a create given its parents, an update.

Values such as the IAM role and the S3 location cannot be invented for a real account, so they
are placeholders a run fills in (`Placeholders`); the defaults are well-formed and fine for any
emulator.
"""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass

from .catalogue import resource_type, updates

ENV_ROLE = "PERSONALIZE_CONFORMANCE_ROLE_ARN"
ENV_S3 = "PERSONALIZE_CONFORMANCE_S3"


@dataclass(frozen=True)
class Placeholders:
    account: str = "123456789012"
    role_arn: str = "arn:aws:iam::123456789012:role/personalize-conformance"
    s3: str = "s3://personalize-conformance-bucket/data"

    @classmethod
    def from_env(cls) -> "Placeholders":
        """Defaults, overridden by PERSONALIZE_CONFORMANCE_ROLE_ARN / _S3 for a real account."""
        base = cls()
        return cls(role_arn=os.environ.get(ENV_ROLE, base.role_arn),
                   s3=os.environ.get(ENV_S3, base.s3).rstrip("/"))

    def fill(self, value):
        if isinstance(value, str):
            for key in ("role_arn", "s3", "account"):
                value = value.replace("{%s}" % key, getattr(self, key))
            return value
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return value


def create_request(rtype: str, name: str, parents: dict[str, str], *, variant: str | None = None,
                   placeholders: Placeholders | None = None, tags: dict[str, str] | None = None,
                   **overrides) -> dict:
    """A minimal valid Create request for `rtype`.

    `parents` maps each parent member to the ARN to use; `variant` applies the type's request
    members for that chain (e.g. a Domain dataset group); `overrides` replace members last.
    """
    rt = resource_type(rtype)
    fill = (placeholders or Placeholders()).fill
    params = {rt.name: name}
    params.update(fill(copy.deepcopy(rt.create)))
    if variant and variant in rt.variants:
        params.update(fill(copy.deepcopy(rt.variants[variant])))
    for member in rt.parents:
        if member in parents:
            params[member] = parents[member]
    if tags:
        params["tags"] = [{"tagKey": k, "tagValue": v} for k, v in tags.items()]
    params.update(overrides)
    return params


def update_request(rtype: str, arn: str, extra: dict | None = None, n: int = 1) -> dict | None:
    """The Update request of `rtype` for the resource at `arn`, or None when it has none.
    `extra` supplies the members the update `needs` (fresh resources' ARNs); `n` numbers the
    update, for members that must differ from one update to the next (an added metric's name)."""
    spec = updates().get(rtype)
    if spec is None:
        return None
    rt = resource_type(rtype)
    return {rt.arn: arn, **_number(copy.deepcopy(spec.request), n), **(extra or {})}


def _number(value, n: int):
    if isinstance(value, str):
        return value.replace("{n}", str(n))
    if isinstance(value, dict):
        return {k: _number(v, n) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v, n) for v in value]
    return value
