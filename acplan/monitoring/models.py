"""SQLModel tables of the monitoring workflow: accounts, rounds, members' entries, findings, yearly results, audit.

Status columns are enum-typed (stored as their stable English keys); see SCORING.md for the rules.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

import acplan.plan.models  # noqa: F401  (the plan's tables, which these reference by foreign key)
from acplan.access import Role
from acplan.db.types import StrEnumType


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class ImplementationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NOT_POSSIBLE = "not_possible"


class NotPossibleReason(StrEnum):
    NO_BUDGET = "no_budget"
    POLICY_CHANGE = "policy_change"
    STAFFING = "staffing"
    OTHER = "other"


class EntryState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ReportState(StrEnum):
    """A unit's report on an item: a draft while the unit writes it, submitted (locked), or returned by the
    secretary with a reason (the unit may change it and submit it again)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class FindingStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Visibility(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


class CommitteeDuty(StrEnum):
    """A person's duty on the monitoring committee, as the plan's committee orders name them."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SECRETARY = "secretary"
    ASSISTANT_SECRETARY = "assistant_secretary"


class AppUser(SQLModel, table=True):
    """A person who signs in; the password is stored only as an Argon2 hash."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str
    role: Role = Field(sa_type=StrEnumType(Role))
    password_hash: str
    position_th: str = Field(default="", max_length=200)  # ตำแหน่ง, as the meeting pack lists the committee
    committee_duty: str | None = Field(default=None, max_length=32)  # CommitteeDuty: chair, member, secretary, …
    oversight_province_th: str = Field(default="", max_length=100)  # an oversight account's province; "": all
    email: str = Field(default="", max_length=254)  # where reminders go ("": none)
    is_active: bool = True
    created_at: datetime
    updated_at: datetime
    version: int = 1


class EvaluationRound(SQLModel, table=True):
    """Round 1 (Oct–Mar) or 2 (the whole fiscal year) of one fiscal year's evaluation."""

    __table_args__ = (UniqueConstraint("plan_id", "fiscal_year_be", "round_no"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    fiscal_year_be: int
    round_no: int
    period_start: date
    period_end: date
    status: RoundStatus = Field(default=RoundStatus.DRAFT, sa_type=StrEnumType(RoundStatus))
    recorded_after_fact: bool = False
    prefilled_from_id: int | None = Field(default=None, foreign_key="evaluationround.id")
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    published_at: datetime | None = None
    audit_head: str | None = Field(default=None, max_length=64)  # the audit chain's head when it was published
    conclusion_th: str = ""  # the committee's overall conclusion, entered by the secretary, printed in the pack
    units_due_on: date | None = None  # the day the responsible units report by
    members_due_on: date | None = None  # the day the members score by
    version: int = 1


class ScoreEntry(SQLModel, table=True):
    """One committee member's evaluation of one item in one round; see SCORING.md."""

    __table_args__ = (UniqueConstraint("round_id", "project_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="evaluationround.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    member_id: int = Field(foreign_key="appuser.id", index=True)
    status: ImplementationStatus | None = Field(default=None, sa_type=StrEnumType(ImplementationStatus))
    not_possible_reason: NotPossibleReason | None = Field(default=None, sa_type=StrEnumType(NotPossibleReason))
    progress_pct: int | None = None
    score: int | None = None
    spent_thb: int | None = None
    comment: str = ""
    state: EntryState = Field(default=EntryState.DRAFT, sa_type=StrEnumType(EntryState))
    carried_forward: bool = False
    created_at: datetime
    updated_at: datetime
    version: int = 1


class IndicatorResult(SQLModel, table=True):
    """The actual value a member recorded for one of the item's indicators in a round."""

    __table_args__ = (UniqueConstraint("score_entry_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    score_entry_id: int = Field(foreign_key="scoreentry.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    actual_value: float | None = None
    achieved: bool | None = None
    note: str = ""


class Finding(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="evaluationround.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    risk_area_id: int | None = Field(default=None, foreign_key="riskarea.id")
    text: str
    severity: Severity = Field(sa_type=StrEnumType(Severity))
    recommendation: str = ""
    responsible_unit: str = ""
    due_date: date | None = None
    status: FindingStatus = Field(default=FindingStatus.OPEN, sa_type=StrEnumType(FindingStatus))
    unit_response: str = ""
    visibility: Visibility = Field(default=Visibility.INTERNAL, sa_type=StrEnumType(Visibility))
    brought_forward_from_id: int | None = Field(default=None, foreign_key="finding.id")
    created_by_id: int | None = Field(default=None, foreign_key="appuser.id")
    created_at: datetime
    updated_at: datetime
    version: int = 1


class YearlyResult(SQLModel, table=True):
    """Actual figures for a fiscal year that the secretary records: ITA score, corruption cases."""

    __table_args__ = (UniqueConstraint("plan_id", "fiscal_year_be"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    fiscal_year_be: int
    ita_score: float | None = None
    corruption_cases: int | None = None
    note: str = ""
    updated_at: datetime
    version: int = 1


class AuditLog(SQLModel, table=True):
    """Append-only record of every write; the database refuses UPDATE and DELETE on it."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: str = Field(max_length=64, index=True)
    before: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    reason: str | None = None
    prev_hash: str | None = Field(default=None, max_length=64)  # the chain (chain.py): the row before's hash
    row_hash: str | None = Field(default=None, max_length=64)  # … and this row's own


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins counted per account name and per client; a row is locked while an attempt is decided.

    `key` is `account:` or `client:` followed by a SHA-256 of the name or address, so nothing a person typed
    into the username field is kept in clear.
    """

    __tablename__ = "login_throttle"
    key: str = Field(primary_key=True, max_length=80)
    failures: int = 0
    locked_until: datetime | None = None
    last_failure: datetime | None = None


class AuditHead(SQLModel, table=True):
    """The audit chain's newest hash and length: one row, locked by every write transaction (see chain.py)."""

    __tablename__ = "audit_head"
    id: int = Field(default=1, primary_key=True)
    hash: str = Field(max_length=64)
    rows: int = 0


class WebSession(SQLModel, table=True):
    """A signed-in browser, known by a cookie whose token is kept here only as its SHA-256 (see websessions.py)."""

    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="appuser.id", index=True)
    created_at: datetime
    last_seen: datetime
    ended: bool = False


class SignInTicket(SQLModel, table=True):
    """A one-time ticket, valid for a minute, that the session route exchanges for the session cookie."""

    __tablename__ = "signin_ticket"
    ticket_hash: str = Field(max_length=64, primary_key=True)
    user_id: int = Field(foreign_key="appuser.id")
    expires_at: datetime


class AccountUnit(SQLModel, table=True):
    """A `unit` account's responsible units: it reports on the items of these units (an account may hold several)."""

    __tablename__ = "account_unit"
    user_id: int = Field(foreign_key="appuser.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True)


class UnitReport(SQLModel, table=True):
    """What the responsible unit reports on one item in one round: what it did, spending, status, progress, the
    indicators' actual values, problems and suggestions. The committee scores from it."""

    __tablename__ = "unit_report"
    __table_args__ = (UniqueConstraint("round_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="evaluationround.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    state: ReportState = Field(default=ReportState.DRAFT, sa_type=StrEnumType(ReportState))
    status: ImplementationStatus | None = Field(default=None, sa_type=StrEnumType(ImplementationStatus))
    progress_pct: int | None = None
    spent_thb: int | None = None
    done_th: str = ""  # ผลการดำเนินงาน, in the unit's words
    problems_th: str = ""  # ปัญหาอุปสรรค
    suggestions_th: str = ""  # ข้อเสนอแนะ
    returned_reason_th: str = ""  # why the secretary returned it, when it was
    updated_by_id: int | None = Field(default=None, foreign_key="appuser.id")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    version: int = 1


class UnitReportActivity(SQLModel, table=True):
    """One thing the unit did for the item: what, when (a day or a period), where, how many took part or came out."""

    __tablename__ = "unit_report_activity"
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="unit_report.id", index=True)
    seq: int
    text_th: str
    start_on: date | None = None
    end_on: date | None = None
    place_th: str = ""
    count: int | None = None  # participants, or what it produced (copies, sessions, …)


class UnitReportIndicator(SQLModel, table=True):
    """The actual value the unit reports for one of the item's indicators."""

    __tablename__ = "unit_report_indicator"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="unit_report.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    actual_value: float | None = None
    note: str = ""


class Evidence(SQLModel, table=True):
    """A file attached to a unit's report, a member's entry or a finding; its bytes are kept apart, addressed by
    their SHA-256 (photos stored as cleaned: no location or camera data). Withdrawing one is recorded, never a
    silent delete; the bytes stay until an administrator purges withdrawn files, which is audited too."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="evaluationround.id", index=True)
    subject: str = Field(max_length=16)  # unit_report | entry | finding
    subject_id: int = Field(index=True)
    sha256: str = Field(max_length=64, index=True)
    size: int
    content_type: str = Field(max_length=100)
    original_name: str = Field(max_length=255)  # as uploaded, cleaned of folders and control characters
    thumbnail_sha256: str | None = Field(default=None, max_length=64)
    public: bool = False  # shown on the public site once the round is published
    uploaded_by_id: int | None = Field(default=None, foreign_key="appuser.id")
    uploaded_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by_id: int | None = Field(default=None, foreign_key="appuser.id")
    withdrawn_reason: str = ""
    purged_at: datetime | None = None


class ReminderLog(SQLModel, table=True):
    """A reminder sent: to whom, of what kind, about what (a round and deadline, or a finding); sent once."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("kind", "user_id", "about"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int | None = Field(default=None, foreign_key="evaluationround.id")
    kind: str = Field(max_length=32)  # round_open | units_due | members_due | finding_overdue
    user_id: int = Field(foreign_key="appuser.id")
    about: str = Field(max_length=64)  # e.g. "2570-1:2570-04-15" or "finding:12:2570-03-31"
    sent_at: datetime


class RoundSummary(SQLModel, table=True):
    """A published round's figures as the roll-up across organisations reads them (monitoring/rollup.py): written
    when the round is published, removed when it is reopened, rewritten when its plan is amended. Reading the
    roll-up so costs one row per round, never the members' entries."""

    __tablename__ = "round_summary"
    round_id: int = Field(foreign_key="evaluationround.id", primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    fiscal_year_be: int
    round_no: int
    published_on: date  # the day (Thai time) it was published
    on_time: bool  # published within rollup.PUBLISH_WITHIN_DAYS of the round's period end
    result: float | None = None  # SCORING.md §4, as the results page shows it
    items: int  # the items the round lists
    items_scored: int
    completed: int
    in_progress: int
    not_started: int
    not_possible: int
    not_scored: int
    # the items not possible, by the reason most of their members gave (unstated: none given)
    reason_no_budget: int = 0
    reason_policy_change: int = 0
    reason_staffing: int = 0
    reason_other: int = 0
    reason_unstated: int = 0
    planned_thb: int  # the listed items' budget for the round's fiscal year
    spent_thb: int | None = None  # the sum of the items' spending (each the members' median); None: none recorded
    # per dimension of the national template (1–4): its result (SCORING.md §4), items scored, items listed
    dim1_result: float | None = None
    dim1_scored: int = 0
    dim1_items: int = 0
    dim2_result: float | None = None
    dim2_scored: int = 0
    dim2_items: int = 0
    dim3_result: float | None = None
    dim3_scored: int = 0
    dim3_items: int = 0
    dim4_result: float | None = None
    dim4_scored: int = 0
    dim4_items: int = 0
