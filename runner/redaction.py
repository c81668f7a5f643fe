"""Credentials never leave the process: not in reports, not in logs.

Signed headers are redacted where a report is built (`targets.redact`); this is the second line:
a target may echo what it received (a session token travels in clear in X-Amz-Security-Token)
into a body or an error message. Every string of a results document is scrubbed of the run's
secret values and of SigV4 signatures. (botocore's signer logs the canonical request, token
included, at DEBUG: `targets.aws` drops those records.)
"""
from __future__ import annotations

import re

MASK = "<redacted>"
_SIGNATURE = re.compile(r"(Signature=)[0-9a-f]{64}")


def scrub(value, secrets):
    """`value` (any JSON-like structure) with every occurrence of a secret replaced."""
    secrets = tuple(s for s in secrets if s and len(s) >= 4)
    if not secrets:
        return value

    def clean(v):
        if isinstance(v, str):
            for secret in secrets:
                if secret in v:
                    v = v.replace(secret, MASK)
            return _SIGNATURE.sub(r"\1" + MASK, v)
        if isinstance(v, dict):
            return {clean(k): clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v
    return clean(value)


__all__ = ["scrub", "MASK"]
