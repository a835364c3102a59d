"""The meeting pack as a use case: gather a round's figures and write them in the requested format."""

from datetime import date

from sqlmodel import Session

from acplan import report, report_xlsx


def build_report(*, session: Session, plan_id: int, code: str, internal: bool, fmt: str, today: date) -> bytes:
    """A round's report as PDF or XLSX bytes; `internal=False` is the public version (no member names or scores)."""
    data = report.gather(session=session, plan_id=plan_id, code=code, internal=internal, today=today)
    return report.render_pdf(data) if fmt == "pdf" else report_xlsx.render_xlsx(data)
