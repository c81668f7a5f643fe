"""One full run against the bundled emulator behind a `BrokenServer`, in a process of its own:
`python -m tests.robustness.side_by_side MODE OPERATION TIMEOUT OUT` (MODE: clean, hang or reset,
for OPERATION only). Prints one JSON line: the run's wall time, its report folder, and how many
requests of OPERATION reached the server.

Runs compared by wall time are started side by side, as processes: on a shared machine, load
that comes and goes then slows them alike, where runs one after the other can differ by half.
"""
from __future__ import annotations

import json
import sys
import time

from personalize_conformance.emulator import Emulator
from personalize_conformance.runner import RunOptions, conformance_run
from personalize_conformance.targets.inprocess import HARNESS_EMULATOR

from .broken import HANG, RESET, BrokenServer, proxy

SEED = 7


def main(mode: str, operation: str, timeout: float, out: str) -> dict:
    emulate = proxy(Emulator(**HARNESS_EMULATOR))  # as a run's own emulator target: describe-driven
    broken_with = {"hang": HANG, "reset": RESET}.get(mode)

    def respond(req):
        return broken_with if broken_with and req.operation == operation else emulate(req)
    with BrokenServer(respond) as server:
        started = time.monotonic()
        _, folder = conformance_run(RunOptions(target=server.url, seed=SEED, examples=1, timeout=timeout,
                                               out_dir=out, run_id=mode, progress=False))
        elapsed = time.monotonic() - started
        sent = server.operations().count(operation)
    return {"mode": mode, "elapsed": elapsed, "report": str(folder), "sent": sent}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4])), flush=True)
