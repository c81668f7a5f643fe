"""`run --plan`: what a run would send and create, per operation, before anything is sent.

Read from the spec and the run's options alone: no target is built, no connection is opened,
no credentials are read. On `--target aws` it shows which operations the billable guard would
hold back, so the cost of a run is known before it starts.
"""
from __future__ import annotations

from dataclasses import dataclass

from personalize_conformance.targets.aws import BILLABLE, BILLABLE_WHEN_TRUE

from .safety import IN_PROCESS
from .stamp import TAG_KEY, name_prefix


# What an operation that creates nothing does, by kind.
EFFECT = {"describe": "reads only", "list": "reads only",
          "delete": "deletes only the resource its request names",
          "update": "changes only the resource its request names",
          "stop": "stops only the resource its request names",
          "start": "starts only the resource its request names"}


@dataclass
class PlanRow:
    operation: str
    kind: str
    sends: int  # at most
    creates: str  # what it creates, or ""
    note: str = ""


def target_label(target: str | None, endpoint_url: str | None) -> str:
    return target or endpoint_url or "emulator"


def build_plan(spec, *, operations, examples: int, target: str | None, endpoint_url: str | None,
               allow_billable: bool, run_id: str) -> list[PlanRow]:
    on_aws = target == "aws"
    prefix = name_prefix(run_id)
    rows = []
    for name in operations:
        op = spec.operation(name)
        props = (op.request_schema or {}).get("properties", {})
        sends, note, creates = examples, "", ""
        if on_aws and name in BILLABLE and not allow_billable:
            sends, note = 0, f"not sent: {BILLABLE[name]} (--allow-billable sends it)"
        elif on_aws and name in BILLABLE_WHEN_TRUE and not allow_billable:
            member, _, reason = BILLABLE_WHEN_TRUE[name]
            note = f"sent only with {member}=false: otherwise it {reason} (--allow-billable sends it)"
        elif on_aws and name in BILLABLE:
            note = f"billable: {BILLABLE[name]}"
        if op.kind == "create" and sends:
            named = next((m for m in ("name", "jobName") if m in props), None)
            creates = f"up to {sends} {op.resource}" + (f" named {prefix}…" if named else "")
            if "tags" in props:
                creates += f", tagged {TAG_KEY}={run_id}"
        rows.append(PlanRow(name, op.kind, sends, creates, note))
    return rows


def render(rows: list[PlanRow], *, target: str, run_id: str) -> str:
    width = max([len(r.operation) for r in rows] + [9])
    lines = [f"plan for run {run_id} against {target} (nothing has been sent)", "",
             f"{'operation':{width}}  sends  creates / note"]
    for r in rows:
        text = "; ".join(x for x in (r.creates or EFFECT.get(r.kind, ""), r.note) if x)
        lines.append(f"{r.operation:{width}}  {('≤' + str(r.sends)) if r.sends else '0':>5}  {text}")
    created = [r for r in rows if r.creates]
    held = [r for r in rows if r.sends == 0]
    lines += ["", f"creates: up to {sum(r.sends for r in created)} resources through {len(created)} create operations"]
    if held:
        lines.append(f"held back: {len(held)} billable operations ({', '.join(r.operation for r in held)})")
    if target.split(":")[0] in IN_PROCESS:
        lines.append("teardown: not needed, the target does not outlive the run")
    else:
        lines.append("teardown: everything created is deleted at the end of the run, children first, "
                     "also after a failure, Ctrl-C or SIGTERM")
    return "\n".join(lines)


__all__ = ["PlanRow", "build_plan", "render"]
