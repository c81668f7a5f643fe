"""Benchmark scripts: how fast the harness, its targets and its peers are on this machine.

Each script prints one table beside the peer measured in the same run; nothing here asserts a
time. Run them from the repository root, e.g. `python -m bench.harness` (see bench/README.md).
"""
