"""Evidence attached to a unit's report, a member's entry or a finding: who may attach, read, withdraw and purge.

Whoever may write the record may attach files to it (a unit to its own report before it is submitted, a member to
their own entry, the staff and committee to a finding) within the limits the settings set; whoever may read the
record may read its files. A file is withdrawn with a reason, never deleted in silence: it disappears from the
pages but its row and bytes stay until an administrator purges withdrawn files older than an age. Every step is
audited in the caller's transaction (the bytes are stored first: a refused or failed save leaves at most an
unreferenced blob, which a purge removes).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from acplan import settings
from acplan.access import Actor, Permission
from acplan.errors import InvalidInput, Issue, NotAllowed, NotFound
from acplan.monitoring import audit, entries, files, unitreports
from acplan.monitoring.auth import acts_in, authorize
from acplan.monitoring.evaluation import may_read_member_scores
from acplan.monitoring.models import (
    AppUser,
    EvaluationRound,
    Evidence,
    Finding,
    ReportState,
    RoundStatus,
    ScoreEntry,
    UnitReport,
    Visibility,
)
from acplan.plan.models import PlanItem

SUBJECTS = ("unit_report", "entry", "finding")
MB = 1024 * 1024


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    name: str
    content_type: str
    size: int
    public: bool
    uploaded_at: datetime
    has_thumbnail: bool


def _subject(session: Session, subject: str, subject_id: int):
    model = {"unit_report": UnitReport, "entry": ScoreEntry, "finding": Finding}.get(subject)
    row = session.get(model, subject_id) if model else None
    if row is None:
        raise NotFound(Issue("evidence_unknown", {"id": f"{subject}:{subject_id}"}))
    return row, session.get(EvaluationRound, row.round_id)


def _may_write(session: Session, actor: Actor, subject: str, row, rnd: EvaluationRound) -> None:
    if subject == "unit_report":
        unitreports.unit_may_write(session, actor, rnd, session.get(PlanItem, row.project_id))
        if row.state == ReportState.SUBMITTED:
            raise NotAllowed(Issue("report_submitted", {"number": session.get(PlanItem, row.project_id).number}))
    elif subject == "entry":
        entries.member_may_write(session, actor, session.get(AppUser, row.member_id), rnd)
    else:
        authorize(session=session, actor=actor, permission=Permission.MANAGE_FINDINGS, round_id=rnd.id)


def _may_read(session: Session, actor: Actor, subject: str, row, rnd: EvaluationRound) -> None:
    if subject == "unit_report":
        unitreports.report_details(session=session, actor=actor, report_id=row.id)
    elif subject == "entry":
        if actor.user_id is None or actor.user_id != row.member_id:
            may_read_member_scores(session, actor, rnd.id)
    else:
        public = rnd.status == RoundStatus.PUBLISHED and row.visibility == Visibility.PUBLIC
        authorize(session=session, actor=actor, round_id=rnd.id,
                  permission=Permission.READ_PUBLISHED if public else Permission.READ_UNPUBLISHED)


def attach(*, session: Session, actor: Actor, subject: str, subject_id: int, name: str, raw: bytes,
           public: bool = False) -> Evidence:
    """Check, clean and keep one file on a record; InvalidInput says why a file is refused (nothing is kept)."""
    row, rnd = _subject(session, subject, subject_id)
    _may_write(session, actor, subject, row, rnd)
    s = settings.get()
    count = session.exec(select(func.count()).select_from(Evidence).where(
        Evidence.subject == subject, Evidence.subject_id == subject_id, Evidence.withdrawn_at.is_(None))).one()
    if count >= s.evidence_max_files:
        raise InvalidInput(Issue("evidence_too_many", {"max": s.evidence_max_files}))
    checked = files.check(raw, name, max_bytes=s.evidence_max_mb * MB)
    total = session.exec(select(func.coalesce(func.sum(Evidence.size), 0)).where(
        Evidence.round_id == rnd.id, Evidence.purged_at.is_(None))).one()
    if total + len(checked.data) > s.evidence_max_round_mb * MB:
        raise InvalidInput(Issue("evidence_round_full", {"max": s.evidence_max_round_mb}))
    files.put(checked.data)
    thumb = files.put(checked.thumbnail) if checked.thumbnail else None
    evidence = Evidence(round_id=rnd.id, subject=subject, subject_id=subject_id, sha256=checked.sha256,
                        size=len(checked.data), content_type=checked.content_type, original_name=checked.name,
                        thumbnail_sha256=thumb, public=public, uploaded_by_id=actor.user_id,
                        uploaded_at=datetime.now(UTC))
    session.add(evidence)
    session.flush()
    audit.record(session, actor=actor.username, action="evidence.attach", entity="evidence", entity_id=evidence.id,
                 after=audit.snapshot(evidence))
    return evidence


def list_for(*, session: Session, actor: Actor, subject: str, subject_id: int) -> list[EvidenceInfo]:
    """The record's files still in force, oldest first; for a public reader only those marked public."""
    row, rnd = _subject(session, subject, subject_id)
    _may_read(session, actor, subject, row, rnd)
    stmt = select(Evidence).where(Evidence.subject == subject, Evidence.subject_id == subject_id,
                                  Evidence.withdrawn_at.is_(None))
    if actor.role is None or not acts_in(session, actor, round_id=rnd.id):  # the public: files marked public only
        stmt = stmt.where(Evidence.public)
    return [EvidenceInfo(e.id, e.original_name, e.content_type, e.size, e.public, e.uploaded_at,
                         e.thumbnail_sha256 is not None) for e in session.exec(stmt.order_by(Evidence.id))]


def listed_with_thumbnails(*, session: Session, actor: Actor, subject: str,
                           subject_id: int) -> tuple[list[EvidenceInfo], dict[int, bytes]]:
    """`list_for` and the photos' thumbnails, under one check of who may read the record."""
    shown = list_for(session=session, actor=actor, subject=subject, subject_id=subject_id)
    rows = session.exec(select(Evidence.id, Evidence.thumbnail_sha256).where(
        Evidence.id.in_([e.id for e in shown]), Evidence.thumbnail_sha256.is_not(None))).all()
    digests = {evidence_id: digest for evidence_id, digest in rows}
    return shown, {i: files.get(d) for i, d in digests.items()}


def read(*, session: Session, actor: Actor, evidence_id: int, thumbnail: bool = False) -> tuple[bytes, str, str]:
    """A file's bytes (checked against their SHA-256), its name and content type, for whoever may read its record;
    a thumbnail of a photo is a JPEG."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.withdrawn_at is not None:
        raise NotFound(Issue("evidence_unknown", {"id": evidence_id}))
    if evidence_id not in {e.id for e in list_for(session=session, actor=actor, subject=evidence.subject,
                                                  subject_id=evidence.subject_id)}:
        raise NotAllowed(Issue("not_allowed", {"action": Permission.READ_UNPUBLISHED.value}))
    if thumbnail and evidence.thumbnail_sha256:
        return files.get(evidence.thumbnail_sha256), evidence.original_name + ".jpg", "image/jpeg"
    return files.get(evidence.sha256), evidence.original_name, evidence.content_type


def withdraw(*, session: Session, actor: Actor, evidence_id: int, reason: str) -> Evidence:
    """Take a file off its record with a reason (who may write the record); kept, and audited."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.withdrawn_at is not None:
        raise NotFound(Issue("evidence_unknown", {"id": evidence_id}))
    row, rnd = _subject(session, evidence.subject, evidence.subject_id)
    _may_write(session, actor, evidence.subject, row, rnd)
    if not reason.strip():
        raise InvalidInput(Issue("evidence_reason_required", column="reason"))
    before = audit.snapshot(evidence)
    evidence.withdrawn_at, evidence.withdrawn_by_id = datetime.now(UTC), actor.user_id
    evidence.withdrawn_reason = reason.strip()
    session.add(evidence)
    session.flush()
    audit.record(session, actor=actor.username, action="evidence.withdraw", entity="evidence", entity_id=evidence.id,
                 before=before, after=audit.snapshot(evidence), reason=reason.strip())
    return evidence


def purge(*, session: Session, actor: Actor, plan_id: int, older_than_days: int, today: date) -> int:
    """Delete the bytes of files withdrawn more than `older_than_days` ago (their rows stay, marked purged), unless
    another record still uses the same bytes; audited. How many files were purged."""
    authorize(session=session, actor=actor, permission=Permission.PURGE_EVIDENCE, plan_id=plan_id)
    cutoff = datetime.combine(today - timedelta(days=older_than_days), datetime.min.time(), tzinfo=UTC)
    rounds = select(EvaluationRound.id).where(EvaluationRound.plan_id == plan_id)
    stale = session.exec(select(Evidence).where(Evidence.round_id.in_(rounds), Evidence.withdrawn_at.is_not(None),
                                                Evidence.withdrawn_at < cutoff, Evidence.purged_at.is_(None))).all()
    now = datetime.now(UTC)
    for evidence in stale:
        evidence.purged_at = now
        session.add(evidence)
    session.flush()
    for evidence in stale:
        for digest in filter(None, (evidence.sha256, evidence.thumbnail_sha256)):
            in_use = session.exec(select(func.count()).select_from(Evidence).where(
                (Evidence.sha256 == digest) | (Evidence.thumbnail_sha256 == digest), Evidence.purged_at.is_(None))).one()
            if not in_use:
                files.remove(digest)
        audit.record(session, actor=actor.username, action="evidence.purge", entity="evidence", entity_id=evidence.id,
                     after={"purged": True, "sha256": evidence.sha256})
    return len(stale)
