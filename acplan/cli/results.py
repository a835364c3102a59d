"""`result set`: a fiscal year's ITA score and number of corruption cases."""

from acplan.cli.common import plan_id
from acplan.i18n import t
from acplan.monitoring import yearly


def set_result(args, session, actor) -> str:
    result_in = yearly.parse_yearly({"fiscal_year_be": args.fiscal_year, "ita_score": args.ita,
                                     "corruption_cases": args.cases, "note": args.note})
    yearly.set_yearly_result(session=session, actor=actor, plan_id=plan_id(session, args.org), result_in=result_in)
    return t("cli_done", args.lang)
