"""The meeting pack's figures of a round, gathered once for the PDF and the workbook."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlmodel import Session, select

from acplan import format as fmt
from acplan import settings
from acplan.access import Actor, Role
from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import evaluation, rounds, scoring, unitreports, yearly
from acplan.monitoring.findings import findings_frame
from acplan.monitoring.models import AppUser, CommitteeDuty, EntryState, RoundStatus, ScoreEntry
from acplan.plan import figures, queries
from acplan.plan.models import Committee, CommitteeMember


@dataclass
class ReportData:
    """Everything a round's report shows; `internal` adds the members who scored and internal findings."""

    org_name: str
    plan_title: str
    plan_period: str
    round_code: str
    fiscal_year_be: int
    round_status: str
    period: tuple[date, date]
    after_the_fact: bool
    generated: date
    internal: bool
    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: float | None
    status_counts: pd.DataFrame
    budget_year_thb: int
    spent_thb: int
    findings: pd.DataFrame
    targets: pd.DataFrame
    members: list[str] = field(default_factory=list)
    member_entries: pd.DataFrame | None = None
    budget_by_dim_year: pd.DataFrame | None = None
    audit_head: str | None = None  # the audit chain's head when the round was published
    round_no: int = 1
    meeting_date: date | None = None  # the committee meeting the report goes to
    addressee: str = ""  # เรียน …: the organisation's executive (นายกเทศมนตรี …)
    prev_code: str | None = None  # the round before, and the same round of the previous year, when visible
    year_code: str | None = None
    overall_prev: float | None = None
    overall_year: float | None = None
    dimension_table: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None  # every indicator, its targets and what members recorded  # per dimension and the whole plan: statuses, planned, spent
    conclusion: str = ""  # the committee's conclusion, as the secretary typed it (rounds.set_conclusion)
    committee_name: str = ""  # the plan's monitoring committee, and its seats as the plan sets them
    committee_seats: list[dict] = field(default_factory=list)
    committee: list[dict] = field(default_factory=list)  # internal edition: name, position, duty of each person
    signatories: list[dict] = field(default_factory=list)  # chair and secretary: duty, name and position
    logo: str | None = None  # file URI of the organisation's emblem for the cover
    unit_reports: pd.DataFrame | None = None  # the units' submitted reports: what was done, problems, suggestions

    @property
    def round_label(self) -> str:
        """The round as Thai practice names it: รอบ 6 เดือน (1 ต.ค. 2569 – 31 มี.ค. 2570) / รอบ 12 เดือน (…)."""
        return t(f"pack_round_months_{self.round_no}", "th", start=fmt.date_short(self.period[0]),
                 end=fmt.date_short(self.period[1]))

    @property
    def item_notes(self) -> list[dict]:
        """Internal edition: per item with any, the members' comments (ผลการดำเนินงาน, by name) and the reasons
        given for 'not possible' with how many members gave each (ปัญหาอุปสรรค)."""
        if self.member_entries is None or self.member_entries.empty:
            return []
        names = dict(zip(self.items["number"], self.items["name_th"], strict=True))
        notes = []
        for number, group in self.member_entries.groupby("number", sort=True):
            comments = [(m, c.strip()) for m, c in zip(group["member_name"], group["comment"], strict=True)
                        if isinstance(c, str) and c.strip()]
            reasons = group["not_possible_reason"].dropna().value_counts()
            if comments or len(reasons):
                notes.append({"number": int(number), "name": names.get(int(number), ""), "comments": comments,
                              "obstacles": [(str(r), int(n)) for r, n in reasons.items()]})
        return notes

    @property
    def draft(self) -> bool:
        """An internal report of a round not yet published: every page says ร่าง / DRAFT."""
        return self.round_status != RoundStatus.PUBLISHED

    @property
    def scored(self) -> int:
        return int((self.items["n"] > 0).sum())


def gather(*, session: Session, actor: Actor, plan_id: int, code: str, internal: bool, today: date,
           meeting_date: date | None = None) -> ReportData:
    """Collect a round's figures from the store (the public version: published data and no member names)."""
    plan = queries.get_plan(session=session, plan_id=plan_id)
    rnd = rounds.get_round(session=session, actor=actor, plan_id=plan_id, code=code)
    if not internal and rnd.status != RoundStatus.PUBLISHED:
        raise InvalidInput(Issue("pack_public_unpublished", {"code": code}))
    projects = queries.list_projects(session=session, plan_id=plan_id)
    budget = queries.list_budget_lines(session=session, plan_id=plan_id)
    year_budget = budget[budget["fiscal_year_be"] == rnd.fiscal_year_be]
    items = evaluation.round_items(session=session, actor=actor, plan_id=plan_id, round_id=rnd.id).merge(
        projects[["number", "name_th", "dimension", "kind", "unit"]], on="number")
    items["budget_thb"] = items["number"].map(year_budget.groupby("number")["amount_thb"].sum()).fillna(0).astype(int)
    items["spent_pct"] = [spent_pct(b, s) for b, s in zip(items["budget_thb"], items["spent_thb"], strict=True)]
    dims = queries.list_dimensions(session=session, plan_id=plan_id)
    data = ReportData(
        org_name=plan.org_name_th, plan_title=plan.title_th, plan_period=t("pack_plan_period", "th", start=plan.start_fy_be, end=plan.end_fy_be),
        round_code=code, fiscal_year_be=rnd.fiscal_year_be, round_status=rnd.status, period=(rnd.period_start, rnd.period_end),
        after_the_fact=rnd.recorded_after_fact, audit_head=rnd.audit_head, generated=today, internal=internal, items=items,
        dimensions=scoring.dimension_results(items, projects), overall=scoring.round_result(items),
        status_counts=evaluation.status_distribution(items), budget_year_thb=figures.total_budget_thb(year_budget),
        spent_thb=int(items["spent_thb"].fillna(0).sum()),
        findings=findings_frame(session=session, actor=actor if internal else Actor.anonymous(), round_ids=[rnd.id]),
        targets=yearly.list_targets(session=session, plan_id=plan_id),
        budget_by_dim_year=figures.budget_by_dimension_year(projects, budget), round_no=rnd.round_no,
        meeting_date=meeting_date, addressee=plan.executive_title_th,
        indicators=evaluation.indicator_results(session=session, actor=actor, plan_id=plan_id, round_id=rnd.id),
        dimension_table=dimension_table(items, scoring.dimension_results(items, projects), dims,
                                        scoring.round_result(items)))
    compare_rounds(session, actor if internal else Actor.anonymous(), plan_id, code, data)
    data.conclusion = rnd.conclusion_th
    data.unit_reports = unitreports.reports_frame(session=session, actor=actor if internal else Actor.anonymous(),
                                                  rnd=rnd)
    data.committee_name, data.committee_seats = committee_seats(session, plan_id)
    if internal:
        data.committee = committee_people(session, rnd.id)
    data.signatories = signatories(data.committee)
    logo = settings.get().logo
    data.logo = logo.resolve().as_uri() if logo else None
    if internal and not evaluation.sealed(actor, rnd.status):
        data.members = list(session.exec(
            select(AppUser.display_name).join(ScoreEntry, ScoreEntry.member_id == AppUser.id)
            .where(ScoreEntry.round_id == rnd.id, ScoreEntry.state == EntryState.SUBMITTED).distinct()
            .order_by(AppUser.display_name)))
        data.member_entries = evaluation.member_entries(session=session, actor=actor, round_id=rnd.id)
    return data


DUTY_ORDER = [CommitteeDuty.CHAIR, CommitteeDuty.VICE_CHAIR, CommitteeDuty.MEMBER, CommitteeDuty.SECRETARY,
              CommitteeDuty.ASSISTANT_SECRETARY]
MONITORING_COMMITTEE = "monitoring_committee"


def committee_seats(session: Session, plan_id: int) -> tuple[str, list[dict]]:
    """The plan's monitoring committee (as its document sets it up): name and seats (position, duty, how many)."""
    committee = session.exec(select(Committee).where(Committee.plan_id == plan_id,
                                                     Committee.code == MONITORING_COMMITTEE)).first()
    if committee is None:
        return "", []
    seats = session.exec(select(CommitteeMember).where(CommitteeMember.committee_id == committee.id)
                         .order_by(CommitteeMember.seq))
    return committee.name_th, [{"position": m.position_th, "duty": m.role_th, "head_count": m.head_count} for m in seats]


def committee_people(session: Session, round_id: int) -> list[dict]:
    """Who sits on the committee for this round, chair first and secretaries last: active accounts with a duty
    on the committee, committee members and secretaries, and anyone who submitted scores in the round."""
    submitted = select(ScoreEntry.member_id).where(ScoreEntry.round_id == round_id,
                                                   ScoreEntry.state == EntryState.SUBMITTED)
    people = session.exec(select(AppUser).where(
        ((AppUser.is_active == True) & ((AppUser.committee_duty != None)  # noqa: E712, E711 (SQL expressions)
                                        | AppUser.role.in_([Role.COMMITTEE, Role.SECRETARY])))
        | AppUser.id.in_(submitted)))
    rows = []
    for person in people:
        duty = CommitteeDuty(person.committee_duty) if person.committee_duty else (
            CommitteeDuty.SECRETARY if person.role == Role.SECRETARY else CommitteeDuty.MEMBER)
        rows.append({"name": person.display_name, "position": person.position_th, "duty": duty,
                     "duty_label": t(f"duty_{duty}", "th")})
    return sorted(rows, key=lambda r: (DUTY_ORDER.index(r["duty"]), r["name"]))


def signatories(people: list[dict]) -> list[dict]:
    """The signature block: the chair and the secretary, with name and position where the accounts say them
    (left blank for a pen otherwise, and in the public edition)."""
    out = []
    for duty in (CommitteeDuty.CHAIR, CommitteeDuty.SECRETARY):
        person = next((p for p in people if p["duty"] == duty), None)
        out.append({"duty_label": t(f"duty_{duty}", "th"), "name": person["name"] if person else "",
                    "position": person["position"] if person else ""})
    return out


def spent_pct(budget_thb, spent_thb) -> float | None:
    """Spending as a percentage of the year's planned budget; None where nothing was planned or reported."""
    if spent_thb is None or pd.isna(spent_thb) or not budget_thb:
        return None
    return round(100 * float(spent_thb) / float(budget_thb), 1)


STATUS_COLUMNS = ("completed", "in_progress", "not_started", "not_possible", "not_scored")


def dimension_table(items: pd.DataFrame, results: pd.DataFrame, dims: pd.DataFrame,
                    overall: float | None = None) -> pd.DataFrame:
    """Per dimension (number and Thai name) and for the whole plan (dimension 0): items by status with the share
    completed, planned budget of the year, spending reported and its share, and the dimension's result (the
    round's overall result on the whole-plan row, as the summary states it)."""
    names = dict(zip(dims["dimension"], dims["dimension_name_th"], strict=True))
    rows = []
    for dim, group in [*items.groupby("dimension", sort=True), (0, items)]:
        statuses = group["status"].fillna("not_scored").value_counts()
        spent = group["spent_thb"].dropna()
        row = {"dimension": int(dim), "name_th": names.get(int(dim), ""), "items": len(group),
               **{s: int(statuses.get(s, 0)) for s in STATUS_COLUMNS},
               "budget_thb": int(group["budget_thb"].sum()), "spent_thb": int(spent.sum()) if len(spent) else None}
        row["completed_pct"] = round(100 * row["completed"] / row["items"], 1) if row["items"] else None
        row["spent_pct"] = spent_pct(row["budget_thb"], row["spent_thb"])
        match = results[results["dimension"] == dim]["result"]
        row["result"] = overall if dim == 0 else None if match.empty else match.iloc[0]
        rows.append(row)
    return pd.DataFrame(rows)


def compare_rounds(session: Session, actor: Actor, plan_id: int, code: str, data: ReportData) -> None:
    """Each item's and the whole round's change from the round before and from the same round a year earlier
    (SCORING.md §4), among the rounds `actor` may see; both stay empty where that round is not there."""
    visible = evaluation.list_visible_rounds(session=session, actor=actor, plan_id=plan_id)
    codes = [r.code for r in visible]
    at = codes.index(code) if code in codes else None
    prev = visible[at - 1] if at else None
    year = next((r for r in visible if (r.fiscal_year_be, r.round_no) == (data.fiscal_year_be - 1, data.round_no)), None)
    for attr, other in (("prev", prev), ("year", year)):
        if other is None:
            data.items[f"change_{attr}"] = None
            continue
        before = evaluation.round_items(session=session, actor=actor, plan_id=plan_id, round_id=other.id)
        means = before.set_index("number")["mean"]
        data.items[f"change_{attr}"] = [scoring.change(m, means.get(n)) for n, m in
                                        zip(data.items["number"], data.items["mean"], strict=True)]
        setattr(data, f"{attr}_code", other.code)
        setattr(data, f"overall_{attr}", scoring.round_result(before))
