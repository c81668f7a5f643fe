"""A report's seed replays the same cases: the same seed, in two processes that imported different
modules (and hash strings differently), draws the same requests, in the stateless run and in the
state machine alike."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

import personalize_conformance

DRAW = r'''
import importlib, json, re, sys
for module in sys.argv[1:]:
    importlib.import_module(module)
from personalize_conformance.runner.polling import PollPolicy
from personalize_conformance.runner.stateless import run_stateless
from personalize_conformance.runner.statemachine import fresh_emulator, run
from personalize_conformance.specs import load_spec
from personalize_conformance.targets import make_target

spec = load_spec()
records = run_stateless(spec, make_target("emulator"), run_seed=1234, examples=4,
                        operations=["CreateDatasetGroup", "CreateFilter", "CreateSchema"])
sent, names = [], {}
factory = fresh_emulator([], "immediate")

def same(match):  # what the target made up (ARNs, tokens) and the run's random name prefix, by order seen
    return names.setdefault(match.group(0), "<%d>" % len(names))

def recording():
    target = factory()
    class Recording:
        name, endpoint = target.name, target.endpoint
        def send(self, operation, body, headers=None):
            sent.append(operation + " " + re.sub(r'arn:aws:personalize:[^"]+|"nextToken":"[^"]*"|pc[0-9a-f]{6}-',
                                                 same, body.decode()))
            return target.send(operation, body, headers)
        def close(self):
            pass
    return Recording()

run(spec, recording, examples=3, steps_per_example=15, seed=1234,
    poll=PollPolicy(max_wait=60.0, max_polls=8, delay=0.0, max_delay=0.0))
print(json.dumps({"stateless": [r.case.case_id for r in records], "state_machine": sent}))
'''


def _literals(folder: pathlib.Path) -> str:
    """A module of the user's own, full of literals of the kinds requests are made of."""
    rows = [f"    {f'pc-{i}'!r}, {f'arn:aws:pc:{i}'!r}, {f'x{i}@y'!r}, {100 + 7 * i}," for i in range(300)]
    (folder / "pc_many_literals.py").write_text("NAMES = [\n" + "\n".join(rows) + "\n]\n")
    return "pc_many_literals"


def _draw(folder, hash_seed: str, *modules):
    root = pathlib.Path(personalize_conformance.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed,
           "PYTHONPATH": os.pathsep.join([str(root), str(folder), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", DRAW, *modules], env=env, cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(process) -> dict:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.splitlines()[-1])


@pytest.mark.slow
def test_the_same_seed_draws_the_same_cases_whatever_else_a_process_imported(tmp_path):
    literals = _literals(tmp_path)
    plain = _draw(tmp_path, "0")
    crowded = _draw(tmp_path, "1", literals, "personalize_conformance.reporting", "personalize_conformance.cli.main")
    a, b = _result(plain), _result(crowded)
    assert len(a["stateless"]) > 50 and len(a["state_machine"]) > 20, "both runs drew cases"
    assert a["stateless"] == b["stateless"]
    assert a["state_machine"] == b["state_machine"]
