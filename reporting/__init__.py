"""Reports: the files a run leaves in `reports/<run-id>/`, and the writers that make them.

Writers print verdicts the runner decided; they never re-derive one. Generated run folders are
git-ignored; this package is what writes them. results.json is written first: every other file
is a view of it, and a writer that fails must not cost the run its results.
"""
from __future__ import annotations

import pathlib
import sys

from . import html_report, junit_xml, results_json, summary_md

REPORTS_DIR = pathlib.Path(__file__).resolve().parent

WRITERS = {"results.json": results_json.write, "summary.md": summary_md.write,
           "junit.xml": junit_xml.write, "index.html": html_report.write}


def register_writer(filename: str):
    def add(fn):
        WRITERS[filename] = fn
        return fn
    return add


def write_all(doc: dict, out_dir: pathlib.Path, writers: dict | None = None) -> list[pathlib.Path]:
    """Every registered file (or those of `writers`) into `out_dir`; a writer that raises is
    reported and skipped."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, writer in (WRITERS if writers is None else writers).items():
        try:
            written.append(writer(out_dir / name, doc))
        except Exception as exc:  # one broken view must not lose the others, least of all results.json
            print(f"personalize-conformance: could not write {out_dir / name}: "
                  f"{exc.__class__.__name__}: {exc}", file=sys.stderr)
    return written
