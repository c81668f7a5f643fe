"""Case ids a person can pass to `replay`: unique within a run, and the same for the same seed.

A case's own id digests its body, and bodies repeat (a lifecycle polls the same Describe many
times; two invalid probes may send the same `{}`) and carry what differs from run to run (the
run id stamped into names, the ARNs a target answers). So a run's ids are given when its report
is built, from where each case stands in the run: operation, family, rule, and how many cases of
that kind came before it. Two runs with the same seed send the same sequence of cases, so they
give the same ids; a pytest-xdist worker adds its name, so the merged report's ids stay unique.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter


def assign(records, seed, worker: str | None = None) -> None:
    """Give every record's case (and its findings) its id in this run; the same record listed
    twice keeps one id."""
    seen: Counter = Counter()
    done: set[int] = set()
    cases: set[int] = set()
    for record in records:
        if id(record) in done:
            continue
        done.add(id(record))
        if id(record.case) in cases:  # one case object behind two records: each gets its own
            record.case = dataclasses.replace(record.case)
        case = record.case
        cases.add(id(case))
        kind = (case.operation, case.family, case.rule or "")
        key = "|".join(map(str, (seed, worker or "", *kind, seen[kind])))
        seen[kind] += 1
        new = f"{case.operation}-{case.family}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"
        for finding in record.findings:
            if finding.case_id in ("", case.case_id):
                finding.case_id = new
        case.case_id = new


__all__ = ["assign"]
