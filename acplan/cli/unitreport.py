"""`unit-report template | import`: a responsible unit's report as an Excel workbook, imported for the unit."""

from pathlib import Path

from acplan.cli.common import plan_id, read_file, written
from acplan.i18n import t
from acplan.monitoring import rounds, unitsheet


def template(args, session, actor) -> str:
    rnd = rounds.get_round(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.round)
    Path(args.output).write_bytes(unitsheet.template(session=session, actor=actor, rnd=rnd, unit_name=args.unit))
    return written(args.output, args.lang)


def import_sheet(args, session, actor) -> str:
    rnd = rounds.get_round(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.round)
    count = unitsheet.import_sheet(session=session, actor=actor, rnd=rnd, unit_name=args.unit,
                                   raw=read_file(args.path), submit=args.submit, on_behalf=True)
    return t("cli_unit_imported", args.lang, n=count, unit=args.unit, code=args.round)
