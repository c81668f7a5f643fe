"""Retrying throttled requests the way the AWS SDKs do, and nothing else.

The pieces are botocore's standard retry mode (`botocore.retries.standard`): its retry handler,
exponential backoff with full jitter, max-attempts checker and retry quota - so the harness waits
exactly as long as the installed botocore would. Only the condition is narrowed: a throttled answer (HTTP 429, a throttling error code, or
a bare 503) is retried; a 500 or a malformed answer is not, because retrying those would hide
the very non-conformance a run is looking for. What still throttles after the last attempt is
returned as is, and the `target.throttled` gate reports it as unavailable.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable

from botocore.awsrequest import AWSResponse
from botocore.retries import quota, standard

from .base import WireResponse

DEFAULT_MAX_ATTEMPTS = 3  # botocore's standard mode default
THROTTLED_STATUSES = (429,)
BARE_THROTTLED_STATUSES = (503,)  # throttling only when no error code says otherwise


def _error_code(response: WireResponse) -> str | None:
    from personalize_conformance.checks.errorcode import error_code
    return error_code(response.headers, response.body)


def is_throttled(response: WireResponse) -> bool:
    """The same judgement as the `target.throttled` gate, so what is retried is what is reported."""
    from personalize_conformance.checks.errorcode import THROTTLING
    code = _error_code(response)
    return (response.status in THROTTLED_STATUSES or code in THROTTLING
            or (response.status in BARE_THROTTLED_STATUSES and code is None))


class _Throttled(standard.BaseRetryableChecker):
    def is_retryable(self, context) -> bool:
        return bool(context.request_context.get("throttled"))


class _ThrottlingDetector:
    """Every retry made here is for throttling: botocore releases that scale backoff by kind use
    their throttling scale, and the retry quota charges the throttling cost."""

    def is_throttling_error_from_context(self, context) -> bool:
        return bool(context.request_context.get("throttled"))


class _Both(standard.BaseRetryableChecker):
    def __init__(self, *checkers):
        self._checkers = checkers

    def is_retryable(self, context) -> bool:
        return all(c.is_retryable(context) for c in self._checkers)


@dataclass
class RetryStats:
    throttled: int = 0  # throttled answers seen, retried or not
    retries: int = 0
    slept: float = 0.0


@dataclass
class ThrottlingRetry:
    """When to send a throttled request again, and how long to wait first.

    `random` and `sleep` are botocore's own hooks on backoff and handler; tests pass a
    deterministic jitter and a recording sleep instead of waiting.
    """
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    max_backoff: float = 20.0
    random: object = random.random
    sleep: object = time.sleep
    stats: RetryStats = field(default_factory=RetryStats)

    def __post_init__(self) -> None:
        detector = _ThrottlingDetector()
        self._quota = standard.RetryQuotaChecker(quota.RetryQuota(), throttling_detector=detector)
        policy = standard.RetryPolicy(
            retry_checker=_Both(standard.MaxAttemptsChecker(self.max_attempts), _Throttled()),
            retry_backoff=standard.ExponentialBackoff(
                max_backoff=self.max_backoff, random=self.random, service_name="personalize",
                throttling_detector=detector))
        self._handler = standard.RetryHandler(policy, standard.RetryEventAdapter(), self._quota,
                                              service_name="personalize", sleep=self.sleep)

    def send(self, attempt: Callable[[], WireResponse], url: str = "") -> WireResponse:
        """`attempt()` until its answer is not throttled or botocore's policy says stop."""
        context: dict = {"retries": {}}
        number = 1
        while True:
            response = attempt()
            http = AWSResponse(url, response.status, response.headers, raw=None)
            delay = self._delay(context, number, response, http)
            if delay is None:
                self._quota.release_retry_quota(context, http)
                return response
            self.sleep(delay)
            number += 1

    def _delay(self, context: dict, number: int, response: WireResponse, http) -> float | None:
        context["throttled"] = is_throttled(response)
        if not context["throttled"]:
            return None
        self.stats.throttled += 1
        parsed = {"Error": {"Code": _error_code(response) or str(response.status), "Message": ""}}
        delay = self._handler.needs_retry(response=(http, parsed), attempts=number,
                                          caught_exception=None, operation=None,
                                          request_dict={"context": context})
        if not isinstance(delay, (int, float)) or isinstance(delay, bool):
            return None
        self.stats.retries += 1
        self.stats.slept += delay
        return float(delay)


def no_retry() -> ThrottlingRetry:
    return ThrottlingRetry(max_attempts=1)


__all__ = ["ThrottlingRetry", "RetryStats", "is_throttled", "no_retry", "DEFAULT_MAX_ATTEMPTS"]
