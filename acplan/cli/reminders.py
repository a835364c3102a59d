"""`remind`: today's reminders by e-mail, each sent once (or, with --dry-run, listed); `purge-evidence`."""

from acplan import clock
from acplan.cli.common import out, plan_id
from acplan.i18n import t
from acplan.monitoring import evidence, reminders


def remind(args, session, actor) -> str:
    pid = plan_id(session, args.org)
    if args.dry_run:
        for r in reminders.due(session=session, actor=actor, plan_id=pid, today=clock.today(),
                               days_before=args.days_before):
            out(f"{r.email}\t{r.kind}\t{r.subject}")
        return ""
    sent = reminders.send(session=session, actor=actor, plan_id=pid, today=clock.today(), days_before=args.days_before)
    return t("cli_reminders_sent", args.lang, n=sent)


def purge(args, session, actor) -> str:
    n = evidence.purge(session=session, actor=actor, plan_id=plan_id(session, args.org), older_than_days=args.days,
                       today=clock.today())
    return t("cli_evidence_purged", args.lang, n=n, days=args.days)
