"""`audit verify`: walk the audit chain and check a head printed in a published report."""

import sys

from sqlalchemy import func
from sqlmodel import Session, select

from acplan.access import Actor, Permission
from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import chain
from acplan.monitoring.auth import authorize
from acplan.monitoring.models import AuditLog


def verify(args, session: Session, actor: Actor) -> str:
    authorize(session=session, actor=actor, permission=Permission.READ_AUDIT_LOG)
    total = session.exec(select(func.count()).select_from(AuditLog)).one()

    def progress(done: int) -> None:
        if done % 5000 == 0 or done == total:
            sys.stderr.write(f"\r{t('cli_audit_progress', args.lang, done=done, total=total)}")
            if done == total:
                sys.stderr.write("\n")

    verdict = chain.verify(session, expected_head=args.head, progress=progress if total > 5000 else None)
    issues = [Issue("audit_row_broken", {"id": row_id, "what": t(f"audit_broken_{what}", args.lang)})
              if row_id is not None else Issue("audit_head_broken") for row_id, what in verdict.problems]
    if verdict.head_found is False:
        issues.append(Issue("audit_head_not_found", {"head": args.head}))
    if issues:
        raise InvalidInput(*issues)
    return t("cli_audit_ok", args.lang, rows=verdict.rows, head=verdict.head)
