"""What the public website holds, read once from the store as the public reads it (`Actor.anonymous()`)."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlmodel import Session, func, select

from acplan.access import Actor
from acplan.monitoring import evaluation, evidence, unitreports, yearly
from acplan.monitoring.findings import findings_frame
from acplan.monitoring.models import AuditLog, EvaluationRound, Evidence, RoundStatus
from acplan.plan import queries
from acplan.plan.models import Organisation
from acplan.reporting.data import ReportData, gather

PUBLIC = Actor.anonymous()


@dataclass
class PublicFile:
    """An evidence file marked public, of a published round: where it hangs and its stored bytes' addresses."""

    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    thumbnail_sha256: str | None
    round_code: str
    number: int  # the plan item it is evidence for
    subject: str  # unit_report | finding


@dataclass
class RoundContent:
    code: str
    published_on: date
    report: ReportData  # the public edition of the meeting pack's figures


@dataclass
class SiteContent:
    org: Organisation
    plan: queries.PlanInfo
    dimensions: pd.DataFrame
    missions: pd.DataFrame
    projects: pd.DataFrame
    budget: pd.DataFrame
    details: dict[int, queries.ProjectDetail]
    risk_areas: pd.DataFrame
    risk_issues: pd.DataFrame
    risk_measures: pd.DataFrame
    targets: pd.DataFrame
    rounds: list[RoundContent]  # published, oldest first
    findings: pd.DataFrame  # public findings of published rounds
    files: list[PublicFile] = field(default_factory=list)
    data_version: str = ""  # the audit log's last row when read: what the site was built from


def read(session: Session, org: Organisation, plan_id: int, *, progress=None) -> SiteContent:
    """Everything the site shows; `progress(step, total)` is told as each published round is read."""
    plan = queries.get_plan(session=session, plan_id=plan_id)
    projects = queries.list_projects(session=session, plan_id=plan_id)
    areas, issues, measures = queries.list_risk_register(session=session, plan_id=plan_id)
    published = [r for r in evaluation.list_visible_rounds(session=session, actor=PUBLIC, plan_id=plan_id)
                 if r.status == RoundStatus.PUBLISHED]
    published.sort(key=lambda r: (r.fiscal_year_be, r.round_no))
    rounds = []
    for i, info in enumerate(published):
        rnd = session.get(EvaluationRound, info.id)
        day = (rnd.published_at or rnd.closed_at).date() if (rnd.published_at or rnd.closed_at) else rnd.period_end
        rounds.append(RoundContent(info.code, day, gather(session=session, actor=PUBLIC, plan_id=plan_id,
                                                          code=info.code, internal=False, today=day)))
        if progress:
            progress(i + 1, len(published))
    found = findings_frame(session=session, actor=PUBLIC, round_ids=[r.id for r in published]) if published \
        else pd.DataFrame()
    content = SiteContent(
        org=org, plan=plan, dimensions=queries.list_dimensions(session=session, plan_id=plan_id),
        missions=queries.list_missions(session=session, plan_id=plan_id), projects=projects,
        budget=queries.list_budget_lines(session=session, plan_id=plan_id),
        details={int(n): queries.get_project(session=session, plan_id=plan_id, number=int(n))
                 for n in projects["number"]},
        risk_areas=areas, risk_issues=issues, risk_measures=measures,
        targets=yearly.list_targets(session=session, plan_id=plan_id), rounds=rounds,
        findings=found[found["visibility"] == "public"] if len(found) else found,
        files=_public_files(session, published, found),
        data_version=_data_version(session))
    return content


def _public_files(session: Session, published, found: pd.DataFrame) -> list[PublicFile]:
    """The public evidence of published rounds: of the units' reports and of public findings."""
    out = []
    for info in published:
        rnd = session.get(EvaluationRound, info.id)
        reports = unitreports.reports_frame(session=session, actor=PUBLIC, rnd=rnd)
        subjects = [("unit_report", int(r.report_id), int(r.number)) for r in reports.itertuples()]
        if len(found):
            mine = found[(found["round"] == info.code) & found["number"].notna()]
            subjects += [("finding", int(f.id), int(f.number)) for f in mine.itertuples()]
        for subject, subject_id, number in subjects:
            for e in evidence.list_for(session=session, actor=PUBLIC, subject=subject, subject_id=subject_id):
                row = session.get(Evidence, e.id)
                out.append(PublicFile(e.id, e.name, e.content_type, e.size, row.sha256, row.thumbnail_sha256,
                                      info.code, number, subject))
    return sorted(out, key=lambda f: (f.round_code, f.number, f.id))


def _data_version(session: Session) -> str:
    last = session.exec(select(func.max(AuditLog.id))).one()
    row = session.get(AuditLog, last) if last else None
    return f"{last}:{row.row_hash}" if row else "0"

