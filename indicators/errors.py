"""Typed errors a user can cause. The UI renders them in one place; the CLI maps them
to exit codes. Anything else is a bug and must surface. No UI imports here."""
from __future__ import annotations


class GNError(Exception):
    """Base for errors a user can cause; `key` names a UI string, `params` fill it."""

    def __init__(self, key: str, message: str = "", **params):
        super().__init__(message or key)
        self.key = key
        self.params = params


class CatalogError(GNError):
    """The indicator catalogue file is malformed (a developer/admin error)."""


class StoreLocked(GNError):
    """Another process holds the database file."""


class StoreError(GNError):
    """A database error wrapped at the store boundary."""


class PermissionDenied(GNError):
    """The account may not do this."""


class AuthError(GNError):
    """Login failed, throttled or the account is disabled."""


class InputError(GNError):
    """A command-line or request argument names something that does not exist (exit code 2)."""


class ValidationError(GNError):
    """An upload was rejected; `report` holds every problem found."""

    def __init__(self, report, message: str = "upload rejected"):
        super().__init__("upload.rejected", message)
        self.report = report
