"""The contract data and the spec's text must not drift apart: every citation still appears in
the spec, every status the spec lists is known, and every documented flow is a chain of the spec."""
import pytest

from personalize_conformance import contracts
from personalize_conformance.contracts import Citation, extract
from personalize_conformance.specs import load_spec

SPEC = load_spec()
CITATIONS = contracts.all_citations()
MACHINES = contracts.machines()


@pytest.mark.parametrize("where,citation", CITATIONS, ids=[w for w, _ in CITATIONS])
def test_citation_still_appears_in_the_spec(where, citation):
    assert citation.problem(SPEC) is None, f"{where}: {citation.problem(SPEC)}"


def test_a_phrase_the_spec_does_not_contain_is_reported():
    forged = Citation(operation="CreateCampaign", phrase="CREATE PENDING > ACTIVE > CREATE PENDING")
    assert "phrase not found" in forged.problem(SPEC)
    assert "no longer declares" in Citation(operation="ListSchemas", declares="TooManyTagsException").problem(SPEC)
    assert "not in the spec" in Citation(operation="CreateNothing", phrase="x").problem(SPEC)


def _documented(machine):
    found = contracts.chains.Documented()
    for source in machine.sources:
        doc = extract(source.raw(SPEC))
        found.chains += doc.chains
        found.states |= doc.states
    return found


@pytest.mark.parametrize("key", list(MACHINES), ids=[f"{r}.{m}" for r, m in MACHINES])
def test_every_status_the_spec_lists_is_known_to_the_machine(key):
    machine = MACHINES[key]
    documented = _documented(machine)
    if machine.documented:
        assert documented.states, f"{key}: its sources list no status; is it still documented?"
    else:
        assert not documented.states, f"{key} is marked undocumented but the spec now lists {documented.states}"
    unknown = {s for s in documented.states if not machine.knows(s)}
    assert not unknown, f"{key}: the spec lists {sorted(unknown)}, the machine does not know them"


def _runs(chain):
    return [tuple(chain.steps[i:j]) for i in range(len(chain.steps)) for j in range(i + 1, len(chain.steps) + 1)]


@pytest.mark.parametrize("key", [k for k, m in MACHINES.items() if m.documented],
                         ids=[f"{r}.{m}" for (r, m), v in MACHINES.items() if v.documented])
def test_documented_flows_are_chains_of_the_spec(key):
    machine = MACHINES[key]
    for action, flow in machine.flows.items():
        cited = extract(flow.cite.raw(SPEC))
        canon = [contracts.Chain(tuple(machine.canonical(s) for s in c.steps),
                                 machine.canonical(c.failure) if c.failure else None) for c in cited.chains]
        for chain in flow.chains:
            if canon and len(chain.steps) > 1:
                assert any(chain.steps in _runs(c) and chain.failure in (None, c.failure) for c in canon), \
                    f"{key}.{action}: {chain} is not part of a chain the spec gives at {flow.cite}"
            else:
                listed = {machine.canonical(s) for s in cited.states} or _documented(machine).states
                assert set(chain.states) <= {machine.canonical(s) for s in listed}, \
                    f"{key}.{action}: {chain} uses statuses {flow.cite} does not list"


@pytest.mark.parametrize("key", [k for k, m in MACHINES.items() if m.documented],
                         ids=[f"{r}.{m}" for (r, m), v in MACHINES.items() if v.documented])
def test_every_step_of_a_spec_chain_is_walked_by_some_flow(key):
    machine = MACHINES[key]
    flows = list(machine.flows.values())
    for chain in _documented(machine).chains:
        steps = [machine.canonical(s) for s in chain.steps]
        for a, b in zip(steps, steps[1:]):
            inside = any(f.reaches(a, b) and a in f.states and b in f.states for f in flows)
            handover = any(a in f.resting for f in flows) and any(b in f.entries for f in flows)
            assert inside or handover, f"{key}: the spec's step {a} > {b} ({chain}) is in no flow"
