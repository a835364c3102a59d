"""`report`: a round's meeting pack as a Thai PDF or an Excel workbook."""

from pathlib import Path

from acplan import clock
from acplan.cli.common import plan_id, written
from acplan.errors import Issue, UnusableInput
from acplan.reporting import FORMATS, build_report


def report(args, session, actor) -> str:
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UnusableInput(Issue("report_format"))
    data = build_report(session=session, actor=actor, plan_id=plan_id(session), code=args.round,
                        internal=not args.public, fmt=suffix, today=clock.today())
    Path(args.output).write_bytes(data)
    return written(args.output, args.lang)
