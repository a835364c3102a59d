"""`scores template | import | export`: a member's Excel sheet and a round's scores."""

from pathlib import Path

from acplan.cli.common import plan_id, read_file, written
from acplan.i18n import describe, t
from acplan.monitoring import rounds, scoresheet, users


def _round_and_member(args, session, actor):
    rnd = rounds.get_round(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.round)
    return rnd, users.get_user(session=session, actor=actor, username=args.member)


def template(args, session, actor) -> str:
    rnd, member = _round_and_member(args, session, actor)
    Path(args.output).write_bytes(scoresheet.member_template(session=session, actor=actor, rnd=rnd, member=member))
    return written(args.output, args.lang)


def import_sheet(args, session, actor) -> str:
    rnd, member = _round_and_member(args, session, actor)
    data = read_file(args.path)
    count = scoresheet.import_sheet(session=session, actor=actor, rnd=rnd, member=member, data=data)
    warnings = scoresheet.status_score_warnings(scoresheet.read_sheet(data).rows)
    return "\n".join([t("cli_imported", args.lang, count=count, member=member.username, code=args.round),
                      *(t("cli_warning", args.lang, message=describe(w, args.lang)) for w in warnings)])


def export(args, session, actor) -> str:
    rnd = rounds.get_round(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.round)
    kind = "csv" if Path(args.output).suffix.lower() == ".csv" else "xlsx"
    Path(args.output).write_bytes(scoresheet.export_round(session=session, actor=actor, rnd=rnd, fmt=kind))
    return written(args.output, args.lang)
