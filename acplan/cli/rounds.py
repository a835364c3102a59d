"""`round create | open | close | publish | reopen | list | conclusion`: the evaluation rounds of the plan."""

import sys

from acplan import clock
from acplan import format as fmt
from acplan.cli.common import plan_id
from acplan.i18n import t
from acplan.monitoring import rounds


def create(args, session, actor) -> str:
    rnd = rounds.create_round(session=session, actor=actor, plan_id=plan_id(session, args.org), fiscal_year_be=args.fiscal_year,
                              round_no=args.round_no, today=clock.today(), prefill=not args.no_prefill,
                              bring_forward=not args.no_bring_forward)
    return t("cli_round_created", args.lang, code=rounds.round_code(rnd))


def _transition(action: str):
    def handler(args, session, actor) -> str:
        rnd = rounds.transition(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.code, action=action,
                                reason=getattr(args, "reason", None), early=getattr(args, "early", False),
                                today=clock.today())
        said = t("cli_round_status", args.lang, code=args.code, status=t(f"round_status_{rnd.status}", args.lang))
        return said + ("\n" + t("pack_audit_head", args.lang, head=rnd.audit_head) if rnd.audit_head else "")
    return handler


open, close, publish, reopen = (_transition(a) for a in ("open", "close", "publish", "reopen"))  # noqa: A001


def conclusion(args, session, actor) -> str:
    rounds.set_conclusion(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.code,
                          text=sys.stdin.read())
    return t("cli_done", args.lang)


def list_all(args, session, actor) -> str:
    lang = args.lang
    return "\n".join(f"{rounds.round_code(r)}\t{t('round_status_' + r.status, lang)}\t"
                     f"{fmt.date_long(r.period_start, lang)} – {fmt.date_long(r.period_end, lang)}"
                     f"{chr(9) + t('after_the_fact', lang) if r.recorded_after_fact else ''}"
                     for r in rounds.list_rounds(session=session, actor=actor, plan_id=plan_id(session, args.org)))


def deadlines(args, session, actor) -> str:
    rnd = rounds.set_deadlines(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.code,
                               units_due=args.units, members_due=args.members)
    return t("round_deadlines_saved", args.lang, code=rounds.round_code(rnd))
