"""A sequence of calls as a replayable boto3 script: the reproduction of a sequence-level failure.

ARNs returned by earlier calls become variables, so the script replays against any endpoint
(where ARNs carry random parts) and reads as the story it tells. Each call prints its answer or
its error code; the line that broke the rule says what the rule expected. No credentials appear:
boto3 reads them from its usual chain.
"""
from __future__ import annotations

import json
import re

_ARN = re.compile(r"^arn:[a-z-]+:personalize:[^:]*:[^:]*:[a-z-]+/.+")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _literal(value, names: dict[str, str]) -> str:
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v, names)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, names) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _variable(arn: str, taken: set[str]) -> str:
    kind = arn.split(":", 5)[-1].split("/")[0].replace("-", "_")
    if arn.count("/") == 2 and kind == "solution":
        kind = "solution_version"
    index = 1
    while f"{kind}_{index}" in taken:
        index += 1
    taken.add(f"{kind}_{index}")
    return f"{kind}_{index}"


def script(steps, endpoint: str | None = None, region: str = "us-east-1", seed: int | None = None,
           expectation: str | None = None) -> str:
    """`steps` are objects with `.operation`, `.params`, `.body` (dict or None) and `.outcome`
    (a short text of what the target answered)."""
    url = endpoint if endpoint and endpoint.startswith("http") else None
    lines = [
        "import boto3",
        "from botocore.config import Config",
        "from botocore.exceptions import ClientError",
        "",
        f"# replays a failing sequence{f' (hypothesis seed {seed})' if seed is not None else ''}",
        "client = boto3.client(\"personalize\", region_name=%r%s," % (region, f", endpoint_url={url!r}" if url else ""),
        "                      config=Config(parameter_validation=False, retries={\"max_attempts\": 1}))",
        "",
        "",
        "def call(operation, **params):",
        "    try:",
        "        answer = getattr(client, operation)(**params)",
        "    except ClientError as error:",
        "        print(operation, '->', error.response['Error']['Code'])",
        "        return {}",
        "    answer.pop('ResponseMetadata', None)",
        "    print(operation, '->', answer)",
        "    return answer",
        "",
    ]
    names: dict[str, str] = {}
    taken: set[str] = set()
    answers = 0
    for step in steps:
        args = ", ".join(f"{k}={_literal(v, names)}" for k, v in (step.params or {}).items())
        body = step.body or {}
        new = [(k, v) for k, v in body.items()
               if isinstance(v, str) and _ARN.match(v) and v not in names and k.endswith("Arn")]
        token = body.get("nextToken") if isinstance(body.get("nextToken"), str) else None
        comment = f"  # answered {step.outcome}" if getattr(step, "outcome", None) else ""
        invocation = f"call({_snake(step.operation)!r}{', ' + args if args else ''}){comment}"
        if (new and step.operation.startswith("Create")) or token:
            answers += 1
            answer = f"answer_{answers}"
            lines.append(f"{answer} = {invocation}")
            for key, arn in new if step.operation.startswith("Create") else ():
                var = _variable(arn, taken)
                names[arn] = var
                lines.append(f"{var} = {answer}.get({key!r}, {arn!r})")
            if token:
                names[token] = f"{answer}.get('nextToken')"  # tokens are opaque: replay the one handed out
        else:
            lines.append(invocation)
    if expectation:
        lines += ["", f"# expected: {expectation}"]
    return "\n".join(lines) + "\n"
