"""Minimal reproductions of a case: a curl line and a boto3 snippet, never with credentials in them.

A case that overrides a credential header (to test how a target treats a bad one) is reproduced
with the value redacted: the reader supplies their own.
"""
from __future__ import annotations

import json
import re
import shlex

from personalize_conformance.targets.signing import TARGET_PREFIX, redact, wire_headers


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def curl(case, endpoint: str, region: str = "us-east-1") -> str:
    url = endpoint if endpoint.startswith("http") else "http://127.0.0.1:PORT"
    parts = ["curl", "-sS", "-X", "POST", url.rstrip("/") + "/",
             "--aws-sigv4", f"aws:amz:{region}:personalize", "--user", '"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"']
    for name, value in redact(wire_headers(case.operation, case.headers)).items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    for name in [k for k, v in case.headers.items() if v is None]:
        parts += ["-H", shlex.quote(f"{name}:")]  # curl's way to send a request without the header
    try:
        parts += ["--data-binary", shlex.quote(case.body.decode("utf-8"))]
        prefix = ""
    except UnicodeDecodeError:  # exact bytes through printf, which every POSIX shell has
        parts += ["--data-binary", "@-"]
        prefix = f"printf '%b' {shlex.quote(_octal(case.body))} | "
    return prefix + " ".join(p if p.startswith('"$') else (p if p.startswith("'") else shlex.quote(p))
                             for p in parts)


def _octal(data: bytes) -> str:
    """Bytes as a printf %b argument: printable ASCII as is, everything else as \\0nnn."""
    return "".join(chr(b) if 32 <= b < 127 and b not in (0x5C, 0x25) else f"\\0{b:03o}" for b in data)


def boto3_snippet(case, endpoint: str, region: str = "us-east-1") -> str:
    url = endpoint if endpoint.startswith("http") else None
    lines = ["import boto3", "from botocore.config import Config", ""]
    lines.append("client = boto3.client(\"personalize\", region_name=%r%s," % (
        region, f", endpoint_url={url!r}" if url else ""))
    lines.append("                      config=Config(parameter_validation=False, retries={\"max_attempts\": 1}))")
    standard = case.params is not None and not case.headers
    if standard:
        lines.append(f"print(client.{_snake(case.operation)}(**{json.dumps(case.params, ensure_ascii=False)}))")
    else:
        lines += [
            "# this case is not expressible as boto3 parameters: send its exact bytes",
            "def _raw(request, **_):",
            f"    request.data = {case.body!r}",
            *(f"    request.headers[{k!r}] = {v!r}" if v is not None else f"    del request.headers[{k!r}]"
              for k, v in redact(case.headers).items()),
            f"client.meta.events.register_first(\"before-sign.personalize.{case.operation}\", _raw)",
            f"print(client.{_snake(case.operation)}())",
        ]
    return "\n".join(lines)


__all__ = ["curl", "boto3_snippet", "TARGET_PREFIX"]
