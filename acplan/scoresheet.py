"""Score sheets as use cases: a member's template, importing a filled sheet (all rows or none), exporting a round."""

from sqlmodel import Session, select

from acplan import rounds, scoring
from acplan.entries import entries_frame, get_entry, save_entry, validate_values
from acplan.errors import Issue, InvalidInput
from acplan.models import AppUser, EntryState, EvaluationRound, Project
from acplan.sheets import export_csv, export_workbook, parse_row, read_rows, template, whole_number


def _items(session: Session, plan_id: int) -> list[tuple[int, str, int]]:
    rows = session.exec(select(Project.number, Project.name_th, Project.id).where(Project.plan_id == plan_id)
                        .order_by(Project.number))
    return [tuple(r) for r in rows]


def member_template(*, session: Session, rnd: EvaluationRound, member: AppUser) -> bytes:
    """The member's sheet for the round, pre-filled with what the member has already entered."""
    items = _items(session, rnd.plan_id)
    existing = entries_frame(session=session, round_id=rnd.id, member_id=member.id)
    return template(round_code=rounds.round_code(rnd), member=member.username, items=[(n, name) for n, name, _ in items],
                    existing=existing)


def check_rows(rows: list[dict], known: dict[int, int]) -> tuple[list[tuple[int, dict]], list[Issue]]:
    """Parse and validate every row; returns (project_id, values) pairs and every issue found."""
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
        row_issues += [i for i in validate_values(values, row=r) if i.column not in {x.column for x in row_issues}]
        if values.get("status") is None and not any(x.column == "status" for x in row_issues):
            row_issues.append(Issue("status_required", {"number": number}, row=r, column="status"))
        if values.get("score") is None and not any(x.column == "score" for x in row_issues):
            row_issues.append(Issue("score_required", {"number": number}, row=r, column="score"))
        issues += row_issues
        parsed.append((known[number], values))
    return parsed, issues


def import_sheet(*, session: Session, rnd: EvaluationRound, member: AppUser, data: bytes) -> int:
    """Import a filled sheet as the member's submitted entries: every row valid, or nothing is written."""
    rows = read_rows(data)
    if not rows:
        raise InvalidInput(Issue("sheet_no_rows"))
    known = {n: pid for n, _, pid in _items(session, rnd.plan_id)}
    parsed, issues = check_rows(rows, known)
    if issues:
        raise InvalidInput(*issues)
    for project_id, values in parsed:
        entry = get_entry(session=session, round_id=rnd.id, project_id=project_id, member_id=member.id)
        save_entry(session=session, member=member, rnd=rnd, project_id=project_id, values=values,
                   expected_version=entry.version if entry else None, state=EntryState.SUBMITTED)
    return len(parsed)


def export_round(*, session: Session, rnd: EvaluationRound, fmt: str) -> bytes:
    """Per-member rows (and, in a workbook, per-item aggregates) of a round's submitted entries."""
    entries = entries_frame(session=session, round_id=rnd.id, submitted_only=True)
    code = rounds.round_code(rnd)
    if fmt == "csv":
        return export_csv(entries=entries, round_code=code)
    numbers = [n for n, _, _ in _items(session, rnd.plan_id)]
    return export_workbook(entries=entries, aggregates=scoring.item_results(entries, numbers), round_code=code)
