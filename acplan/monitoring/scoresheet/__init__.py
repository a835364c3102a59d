"""Score sheets as use cases: a member's template, importing a filled sheet (all rows or none), exporting a round."""

from sqlmodel import Session

from acplan.access import Actor
from acplan.errors import InvalidInput, Issue
from acplan.monitoring import rounds, scoring
from acplan.monitoring.entries import (
    EntryIn,
    entries_frame,
    entry_issues,
    get_entry,
    member_may_write,
    read_entries,
    save_entry,
)
from acplan.monitoring.evaluation import may_read_member_scores
from acplan.monitoring.models import AppUser, EntryState, EvaluationRound
from acplan.monitoring.scoresheet.workbook import (
    Sheet,
    export_csv,
    export_workbook,
    parse_row,
    read_sheet,
    template,
    whole_number,
)
from acplan.plan.queries import list_item_refs


def member_template(*, session: Session, actor: Actor, rnd: EvaluationRound, member: AppUser) -> bytes:
    """The member's sheet for the round, pre-filled with what the member has already entered."""
    existing = entries_frame(session=session, actor=actor, round_id=rnd.id, member_id=member.id)
    items = list_item_refs(session=session, plan_id=rnd.plan_id, fiscal_year=rnd.fiscal_year_be)
    return template(round_code=rounds.round_code(rnd), member=member.username,
                    items=[(i.number, i.name_th) for i in items], existing=existing)


def check_rows(rows: list[dict], known: dict[int, int]) -> tuple[list[tuple[int, EntryIn]], list[Issue]]:
    """Parse and validate every row; returns (item id, entry) pairs and every issue found."""
    parsed, issues, seen = [], [], {}
    for row in rows:
        r = row["_row"]
        number = whole_number(row.get("project_no"))
        if number not in known:
            issues.append(Issue("sheet_unknown_item", {"value": row.get("project_no")}, row=r, column="project_no"))
            continue
        if number in seen:
            issues.append(Issue("sheet_duplicate_item", {"number": number, "first": seen[number]}, row=r, column="project_no"))
            continue
        seen[number] = r
        values, row_issues = parse_row(row)
        row_issues += [i for i in entry_issues(values, row=r) if i.column not in {x.column for x in row_issues}]
        for column, code in (("status", "status_required"), ("score", "score_required")):
            if values.get(column) is None and not any(x.column == column for x in row_issues):
                row_issues.append(Issue(code, {"number": number}, row=r, column=column))
        issues += row_issues
        if not row_issues:
            parsed.append((known[number], EntryIn.model_validate(values)))
    return parsed, issues


def _untouched_carried(session: Session, rnd: EvaluationRound, member: AppUser, known: dict[int, int], row: dict) -> bool:
    """A row of a pre-filled round's template that still says exactly what was carried forward into it.

    Such a row stays the member's draft: the template can be imported again unchanged (SCORING.md §1).
    """
    number = whole_number(row.get("project_no"))
    if number not in known:
        return False
    entry = get_entry(session=session, round_id=rnd.id, project_id=known[number], member_id=member.id)
    if entry is None or not entry.carried_forward or entry.state != EntryState.DRAFT:
        return False
    values, issues = parse_row(row)
    return not issues and (values["status"], values["not_possible_reason"], values["progress_pct"], values["score"],
                           values["spent_thb"], values["comment"]) == \
        (entry.status, entry.not_possible_reason, entry.progress_pct, entry.score, entry.spent_thb, entry.comment)


def target_issues(sheet: Sheet, rnd: EvaluationRound, member: AppUser) -> list[Issue]:
    """A sheet made for another round or another member is refused, naming both (a sheet without them is taken)."""
    code, issues = rounds.round_code(rnd), []
    if sheet.meta.get("round", code) != code:
        issues.append(Issue("sheet_other_round", {"sheet": sheet.meta["round"], "target": code}))
    if sheet.meta.get("member", member.username) != member.username:
        issues.append(Issue("sheet_other_member", {"sheet": sheet.meta["member"], "target": member.username,
                                                   "name": member.display_name}))
    return issues


def import_sheet(*, session: Session, actor: Actor, rnd: EvaluationRound, member: AppUser, data: bytes) -> int:
    """Import a filled sheet as the member's submitted entries: every row valid, or nothing is written.

    A member imports their own sheet; the operator may import a member's sheet for them. A sheet made for
    another round or member is refused whole.
    """
    member_may_write(session, actor, member, rnd, on_behalf=True)
    parsed = _checked(session, read_sheet(data), rnd, member)[0]
    for project_id, entry_in in parsed:
        entry = get_entry(session=session, round_id=rnd.id, project_id=project_id, member_id=member.id)
        save_entry(session=session, actor=actor, member=member, rnd=rnd, project_id=project_id, entry_in=entry_in,
                   expected_version=entry.version if entry else None, state=EntryState.SUBMITTED,
                   on_behalf=True)
    return len(parsed)


def export_round(*, session: Session, actor: Actor, rnd: EvaluationRound, fmt: str) -> bytes:
    """Per-member rows (and, in a workbook, per-item aggregates) of a round's submitted entries."""
    may_read_member_scores(session, actor, rnd.id)
    entries = read_entries(session=session, round_id=rnd.id, submitted_only=True)
    code = rounds.round_code(rnd)
    if fmt == "csv":
        return export_csv(entries=entries, round_code=code)
    numbers = sorted({i.number for i in list_item_refs(session=session, plan_id=rnd.plan_id, fiscal_year=rnd.fiscal_year_be)}
                     | {int(n) for n in entries["number"]})
    return export_workbook(entries=entries, aggregates=scoring.item_results(entries, numbers), round_code=code)


def status_score_warnings(rows: list[dict]) -> list[Issue]:
    """Rows whose score contradicts their status (3 or more for an item not started): imported, and said."""
    warnings = []
    for row in rows:
        values, _ = parse_row(row)
        warnings += [Issue(w.code, w.params, row=row["_row"], column="score")
                     for w in scoring.score_status_warnings(values["status"], values["score"])]
    return warnings


def _checked(session: Session, sheet: Sheet, rnd: EvaluationRound, member: AppUser) -> tuple[list, list[dict]]:
    """The rows `import_sheet` would write, parsed, and the raw rows; InvalidInput naming every problem otherwise:
    a sheet for another round or member, no row to import (untouched carried rows are not imported), bad rows."""
    if wrong := target_issues(sheet, rnd, member):
        raise InvalidInput(*wrong)
    known = {i.number: i.id for i in list_item_refs(session=session, plan_id=rnd.plan_id, fiscal_year=rnd.fiscal_year_be)}
    rows = [row for row in sheet.rows if not _untouched_carried(session, rnd, member, known, row)]
    if not rows:
        raise InvalidInput(Issue("sheet_no_rows"))
    parsed, issues = check_rows(rows, known)
    if issues:
        raise InvalidInput(*issues)
    return parsed, rows


def preview(*, session: Session, actor: Actor, data: bytes, rnd: EvaluationRound,
            member: AppUser) -> tuple[int, list[Issue], list[Issue]]:
    """For the confirmation before a sheet is imported, with the import's own checks: how many rows it would
    import (untouched carried rows are not counted), every reason it cannot be imported (so they are shown before
    anything is asked), and what in it would be imported with a warning. Writes nothing."""
    member_may_write(session, actor, member, rnd, on_behalf=True)
    try:
        rows = _checked(session, read_sheet(data), rnd, member)[1]
    except InvalidInput as exc:
        return 0, exc.issues, []
    return len(rows), [], status_score_warnings(rows)
