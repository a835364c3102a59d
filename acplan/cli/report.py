"""`report`: a round's meeting pack as a Thai PDF or an Excel workbook."""

from datetime import date
from pathlib import Path

from acplan import clock
from acplan import format as fmt
from acplan.cli.common import plan_id, written
from acplan.errors import Issue, UnusableInput
from acplan.reporting import FORMATS, build_report


def report(args, session, actor) -> str:
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UnusableInput(Issue("report_format"))
    data = build_report(session=session, actor=actor, plan_id=plan_id(session, args.org), code=args.round,
                        internal=not args.public, fmt=suffix, today=_date(args.report_date, "report_date") or clock.today(),
                        meeting_date=_date(args.meeting_date, "meeting_date"))
    Path(args.output).write_bytes(data)
    return written(args.output, args.lang)


def _date(text: str | None, option: str) -> date | None:
    """A date given on the command line in the Buddhist Era (27/11/2569, 27 พ.ย. 2569, 2569-11-27)."""
    try:
        return fmt.parse_be_date(text or "")
    except fmt.DateNotRead as exc:
        raise UnusableInput(Issue(exc.reason, {"value": text}, column=option)) from None
