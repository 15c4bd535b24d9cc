"""What services raise when input is wrong; routes turn them into 4xx with the message."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(ServiceError):
    status = 422


class NotFound(ServiceError):
    status = 404


class Unavailable(ServiceError):
    """The database cannot be written now; the same request may succeed later."""

    status = 503


class Conflict(ServiceError):
    """A stale version: someone else changed the record since the caller read it."""

    status = 409

    def __init__(self, message: str, current: Any = None) -> None:
        super().__init__(message)
        self.current = current
