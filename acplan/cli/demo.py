"""`demo-data`: fictional organisations at national size; `rollup check|refresh`: the roll-up's stored figures."""

import sys
from pathlib import Path

from acplan import settings
from acplan.cli.common import out, progress_bar
from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import demo, rollup

EXAMPLE_WORKBOOK = Path(__file__).resolve().parents[2] / "data" / "examples" / "plan-sao-example-2569-2573.xlsx"


def load(args, session, actor) -> str:
    if not 1 <= args.orgs <= 20_000 or not 1 <= args.rounds <= 20 or not 1 <= args.members <= 30:
        raise InvalidInput(Issue("demo_sizes", {"orgs": args.orgs, "rounds": args.rounds, "members": args.members}))
    result = demo.load(session=session, actor=actor, n_orgs=args.orgs, n_rounds=args.rounds, n_members=args.members,
                       seed=args.seed, plan_file=settings.get().plan_file, example_workbook=EXAMPLE_WORKBOOK,
                       progress=progress_bar(args.lang))
    sys.stderr.write("\n")
    return t("cli_demo_done", args.lang, orgs=result.orgs, rounds=result.rounds, entries=f"{result.entries:,}",
             findings=result.findings, seconds=f"{result.seconds:.0f}")


def rollup_check(args, session, actor) -> str:
    wrong = rollup.check(session)
    for round_id in wrong:
        out(round_id)
    if wrong:
        raise InvalidInput(Issue("rollup_differs", {"n": len(wrong)}))
    return t("cli_rollup_ok", args.lang)


def rollup_refresh(args, session, actor) -> str:
    from acplan.access import Permission
    from acplan.monitoring.auth import authorize

    authorize(session=session, actor=actor, permission=Permission.MANAGE_ORGS)
    n = rollup.refresh_all(session, progress=lambda done, total: progress_bar(args.lang)("demo_step_summaries", done, total))
    sys.stderr.write("\n")
    return t("cli_rollup_refreshed", args.lang, n=n)
