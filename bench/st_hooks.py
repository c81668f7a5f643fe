"""Schemathesis hooks that let `st run` reach an AWS JSON 1.1 target at all.

Loaded by `st run` through SCHEMATHESIS_HOOKS=bench.st_hooks. They do no more than the wire
needs: the JSON 1.1 media type is JSON (to serialise requests and validate responses), and
every operation is `POST /` (the operation travels in X-Amz-Target, which schemathesis already
generates from the header parameter each operation declares).
"""
import json

import schemathesis

WIRE_CONTENT_TYPE = "application/x-amz-json-1.1"

schemathesis.serializer.alias(WIRE_CONTENT_TYPE, "application/json")


@schemathesis.deserializer(WIRE_CONTENT_TYPE)
def _json(ctx, response):
    return json.loads(response.content)


@schemathesis.hook
def before_call(context, case, **kwargs):
    case.path = "/"
