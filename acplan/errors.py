"""Errors the services raise; each carries i18n catalog keys so the app and CLI can say what to fix."""

from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Issue:
    """One thing wrong with input or a data file: a catalog key and its parameters, optionally a row and column."""

    code: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str | None = None
    sheet: str | None = None  # a workbook's sheet by its key (the plan workbook); `column` then reads "H (budget_2568)"


class AcplanError(Exception):
    """Base of the service errors: `issues` say what is wrong; nothing was written."""

    def __init__(self, *issues: Issue):
        super().__init__(", ".join(i.code for i in issues))
        self.issues = list(issues)


class InvalidInput(AcplanError):
    """The input breaks a rule (range, unknown key, missing field)."""


class UnusableInput(InvalidInput):
    """The input cannot be used at all (a file of the wrong kind); the command line exits with 2."""


class NotAllowed(AcplanError):
    """The user's role does not permit the action, or the record's state does not."""


class NotFound(AcplanError):
    """The record named does not exist."""


class Conflict(AcplanError):
    """Someone saved the same record since it was read (optimistic locking)."""


def parse_input(model: type[M], values: dict, *, codes: dict[str, str], row: int | None = None) -> M:
    """`values` as the input model, or InvalidInput with one Issue per bad field (`codes`: field -> catalog key).

    Each Issue quotes the value as it was given, so the message can show the person what they typed.
    """
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        columns = dict.fromkeys(str(err["loc"][0]) for err in exc.errors() if err["loc"])
        raise InvalidInput(*[Issue(codes.get(c, "value_invalid"), {"value": values.get(c)}, row=row, column=c)
                             for c in columns]) from None
