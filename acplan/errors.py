"""Errors the services raise; each carries i18n catalog keys so the app and CLI can say what to fix."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One thing wrong with input: a catalog key and its parameters, optionally a row and column of a sheet."""

    code: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str | None = None


class AcplanError(Exception):
    """Base of the service errors: `issues` say what is wrong; nothing was written."""

    def __init__(self, *issues: Issue):
        super().__init__(", ".join(i.code for i in issues))
        self.issues = list(issues)


class InvalidInput(AcplanError):
    """The input breaks a rule (range, unknown key, missing field)."""


class NotAllowed(AcplanError):
    """The user's role does not permit the action, or the record's state does not."""


class NotFound(AcplanError):
    """The record named does not exist."""


class Conflict(AcplanError):
    """Someone saved the same record since it was read (optimistic locking)."""
