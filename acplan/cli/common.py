"""What every command shares: settings check, the operator actor, one transaction, one way to print refusals."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from acplan import db, settings
from acplan.access import Actor
from acplan.errors import AcplanError, InvalidInput, Issue, UnusableInput
from acplan.i18n import describe, t

OPERATOR = Actor.operator("cli")


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def err(line: str) -> None:
    sys.stderr.write(line + "\n")


def print_issues(issues: list[Issue], lang: str) -> None:
    for issue in issues:
        err(describe(issue, lang))


def dispatch(handler: Callable, args: argparse.Namespace) -> int:
    """Call `handler(args, session, actor)` in one transaction (or `handler(args)` for whole-store commands)."""
    try:
        settings.get()
        if not args.session:
            return handler(args)
        engine = db.make_engine()
        db.require_current_schema(engine)
        with Session(engine) as session:
            text = handler(args, session, OPERATOR)
            session.commit()
    except settings.SettingsError as exc:
        err(str(exc))
        return 2
    except AcplanError as exc:
        print_issues(exc.issues, args.lang)
        return 2 if isinstance(exc, UnusableInput) else 1
    except OperationalError:
        print_issues([Issue("database_busy")], args.lang)
        return 1
    if text:
        out(text)
    return 0


def plan_id(session: Session, org: str | None) -> int:
    """The plan the command works on: organisation `org`'s, or the only organisation's when there is one."""
    return org_plan(session, org)[1]


def org_plan(session: Session, org: str | None):
    """(organisation, plan id) for `--org`; without it the store must hold exactly one organisation."""
    from acplan.monitoring import orgs

    row = orgs.get_org(session=session, code=org) if org else orgs.sole_org(session=session)
    plan = orgs.plan_of(session=session, org=row) if row is not None else None
    if plan is None:
        raise InvalidInput(Issue("no_plan_loaded"))
    return row, plan.id


def written(path: str, lang: str) -> str:
    return t("cli_written", lang, path=path)


def read_file(path: str) -> bytes:
    """The bytes of a file the operator named, or one message saying it cannot be read (exit 2)."""
    try:
        return Path(path).read_bytes()
    except OSError:
        raise UnusableInput(Issue("file_missing", {"path": path})) from None


def progress_bar(lang: str):
    """A one-line progress bar on standard error: the step, and how far it is."""
    def tell(step: str, done: int, total: int) -> None:
        width = 24
        filled = width * done // total if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {t(step, lang)}\033[K")
        sys.stderr.flush()
    return tell
