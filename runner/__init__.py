"""Runner: drives the stages of a run and folds findings into verdicts."""
from .records import CaseRecord, RunResult
from .session import RunOptions, build_document, conformance_run, exit_code, new_run_id
from .stateless import run_stateless, send_and_check

__all__ = ["CaseRecord", "RunResult", "RunOptions", "build_document", "conformance_run", "exit_code",
           "new_run_id", "run_stateless", "send_and_check"]
