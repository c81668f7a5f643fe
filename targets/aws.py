"""Real AWS: the normal boto3 credential chain, and never without an explicit opt-in.

Two opt-ins, checked here because this is the one place requests to AWS are sent: `allow_aws`
to send anything at all, and `allow_billable` for operations that start paid work (training,
provisioned throughput, batch and data jobs). A refused request raises `NotSent` before any
byte leaves the process; the runner reports it as not run.
"""
from __future__ import annotations

import json
import logging

from .http import AwsNotAllowed, HttpTarget

# Operations that start paid work on AWS, with what is paid for.
BILLABLE: dict[str, str] = {
    "CreateSolutionVersion": "trains a model (billed training hours)",
    "CreateCampaign": "deploys a campaign (billed provisioned throughput)",
    "UpdateCampaign": "redeploys a campaign (billed provisioned throughput)",
    "CreateRecommender": "deploys a recommender (billed per hour while active)",
    "StartRecommender": "restarts a recommender (billed per hour while active)",
    "UpdateRecommender": "changes a recommender's billed throughput",
    "CreateBatchInferenceJob": "runs a batch inference job (billed)",
    "CreateBatchSegmentJob": "runs a batch segment job (billed)",
    "CreateDatasetImportJob": "imports data (billed per GB ingested)",
    "CreateDatasetExportJob": "exports data (billed)",
    "CreateDataDeletionJob": "runs a data deletion job (billed)",
}

# Billable depending on the request: member -> its value when absent. CreateSolution:
# "performAutoTraining ... The default is True and the solution automatically creates new
# solution versions every 7 days" - each one a billed training.
BILLABLE_WHEN_TRUE: dict[str, tuple[str, bool, str]] = {
    "CreateSolution": ("performAutoTraining", True, "turns on automatic training (billed solution versions)"),
    "UpdateSolution": ("performAutoTraining", False, "turns on automatic training (billed solution versions)"),
}


class _DropSigningDebug(logging.Filter):
    """botocore.auth's DEBUG records are the canonical request (session token included) and the
    string to sign: with real credentials they must not reach any log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_SIGNING_LOG_FILTER = _DropSigningDebug()


def quiet_signing_logs() -> None:
    logger = logging.getLogger("botocore.auth")
    if _SIGNING_LOG_FILTER not in logger.filters:
        logger.addFilter(_SIGNING_LOG_FILTER)


class NotSent(Exception):
    """A request the harness refused to send; reported as not run, never as a target's answer."""


def billable_reason(operation: str, body: bytes) -> str | None:
    """Why sending `body` to `operation` on AWS would cost money, or None."""
    if operation in BILLABLE:
        return BILLABLE[operation]
    if operation in BILLABLE_WHEN_TRUE:
        member, default, reason = BILLABLE_WHEN_TRUE[operation]
        try:
            params = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return reason + " - the body cannot be read, so it may"
        if not isinstance(params, dict) or params.get(member, default) is not False:
            return reason
    return None


class AwsTarget(HttpTarget):
    allows_aws = True

    def __init__(self, *, allow_aws: bool = False, allow_billable: bool = False, region: str | None = None,
                 endpoint_url: str | None = None, timeout: float = 30.0, retry=None):
        if not allow_aws:
            raise AwsNotAllowed("--target aws sends requests to real AWS and may cost money: "
                                "pass --allow-aws to confirm")
        import boto3
        quiet_signing_logs()
        session = boto3.Session(region_name=region)
        credentials = session.get_credentials()
        if credentials is None:
            raise AwsNotAllowed("no AWS credentials found in the boto3 credential chain")
        region = session.region_name or "us-east-1"
        url = endpoint_url or f"https://personalize.{region}.amazonaws.com"
        self.allow_billable = allow_billable
        super().__init__(url, region=region, credentials=credentials.get_frozen_credentials(),
                         timeout=timeout, name="aws", retry=retry)

    def send(self, operation: str, body: bytes, headers: dict | None = None):
        reason = billable_reason(operation, body)
        if reason and not self.allow_billable:
            raise NotSent(f"not sent: {operation} {reason}; pass --allow-billable to allow it")
        return super().send(operation, body, headers)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in any output of the run."""
        creds = self._credentials
        return tuple(v for v in (creds.secret_key, creds.token, creds.access_key) if v)


__all__ = ["AwsTarget", "AwsNotAllowed", "NotSent", "BILLABLE", "BILLABLE_WHEN_TRUE", "billable_reason"]
