"""Errors the emulator answers with.

An ``ApiError`` carries the wire ``__type`` and message; the wire layer renders it. Handlers
raise these instead of building responses so that every failure takes the same path out.
"""
from __future__ import annotations


class ApiError(Exception):
    """An AWS-style error: HTTP status, ``__type`` code and message."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def invalid_input(message: str) -> ApiError:
    return ApiError("InvalidInputException", message)


def not_found(label: str, arn: str) -> ApiError:
    # The form AWS answers with, e.g. "The given solution does not exist: <arn>".
    return ApiError("ResourceNotFoundException", f"The given {label} does not exist: {arn}")


def in_use(message: str) -> ApiError:
    return ApiError("ResourceInUseException", message)


def already_exists(label: str, arn: str) -> ApiError:
    # AWS's form, as a public CreateSchema failure printed it: "Another resource with Arn <arn>
    # already exists." (github.com/aws-samples/retail-demo-store/issues/219).
    return ApiError("ResourceAlreadyExistsException", f"Another resource with Arn {arn} already exists.")


def serialization(message: str) -> ApiError:
    return ApiError("SerializationException", message)


def unknown_operation(message: str) -> ApiError:
    return ApiError("UnknownOperationException", message)


def invalid_next_token() -> ApiError:
    return ApiError("InvalidNextTokenException", "The nextToken is not valid.")
