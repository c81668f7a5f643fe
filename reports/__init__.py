"""Reports: the files a run leaves in `reports/<run-id>/`, and the writers that make them.

Writers print verdicts the runner decided; they never re-derive one. Generated run folders are
git-ignored; this package is what writes them.
"""
from __future__ import annotations

import pathlib

from . import results_json, summary_md

REPORTS_DIR = pathlib.Path(__file__).resolve().parent

WRITERS = {"results.json": results_json.write, "summary.md": summary_md.write}


def register_writer(filename: str):
    def add(fn):
        WRITERS[filename] = fn
        return fn
    return add


def write_all(doc: dict, out_dir: pathlib.Path) -> list[pathlib.Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [writer(out_dir / name, doc) for name, writer in WRITERS.items()]
