"""Error checks: an error is one the operation declares or the protocol front end may send."""
from __future__ import annotations

from .errorcode import error_code
from .findings import SKIP, fail
from .registry import check

WELL_FORMED = ("valid", "boundary", "lifecycle")


@check("errors.declared",
       source="Operation's declared errors, plus the AWS JSON 1.1 framework-level errors")
def declared(case, response, ctx):
    code = error_code(response.headers, response.body) if response.status >= 300 else None
    if code is None:
        yield SKIP
        return
    op = ctx.operation(case.operation)
    allowed = set(op.errors if op else ()) | set(ctx.spec.framework_errors)
    if code not in allowed:
        yield fail(f"{code} is neither declared by {case.operation} nor a framework-level error")


@check("errors.no-5xx", source="AWS JSON 1.1 protocol: a well-formed request never gets a server fault",
       families=WELL_FORMED)
def no_server_error(case, response, ctx):
    if response.status >= 500:
        code = error_code(response.headers, response.body) or "no error code"
        yield fail(f"well-formed request answered HTTP {response.status} ({code})")
