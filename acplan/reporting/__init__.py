"""The meeting pack as a use case: gather a round's figures and write them in the requested format."""

from datetime import date

from sqlmodel import Session

from acplan.access import Actor
from acplan.reporting.data import gather

FORMATS = ("pdf", "xlsx", "docx")


def build_report(*, session: Session, actor: Actor, plan_id: int, code: str, internal: bool, fmt: str,
                 today: date, meeting_date: date | None = None) -> bytes:
    """A round's report as PDF, XLSX or DOCX bytes; `internal=False` is the public version (no member names or scores).

    `today` is the report's date; `meeting_date`, when given, the meeting it is presented to."""
    data = gather(session=session, actor=actor, plan_id=plan_id, code=code, internal=internal, today=today,
                  meeting_date=meeting_date)
    if fmt == "pdf":
        from acplan.reporting.pdf import render_pdf

        return render_pdf(data)
    if fmt == "docx":
        from acplan.reporting.docx import render_docx

        return render_docx(data)
    from acplan.reporting.xlsx import render_xlsx

    return render_xlsx(data)
