"""`plan template | import | export`: a plan as a workbook a clerk fills in Excel, or as a YAML data file."""

import hashlib
from pathlib import Path

from acplan import clock, settings
from acplan.cli.common import org_plan, out, read_file, written
from acplan.errors import InvalidInput, Issue
from acplan.format import date_long, fiscal_year_of
from acplan.i18n import t
from acplan.monitoring import amendments, orgs, plans
from acplan.plan import datafile
from acplan.plan import workbook as plan_workbook
from acplan.plan.amend import change_line


def template(args) -> int:
    first = args.first_fy or fiscal_year_of(clock.today()) + 1
    structure, _sha = datafile.read_file(settings.get().plan_file)  # the national template's dimensions and missions
    Path(args.output).write_bytes(plan_workbook.template(first_fy=first, last_fy=first + max(args.years, 1) - 1,
                                                         structure=structure))
    out(written(args.output, args.lang))
    return 0


def _read_plan(path: str) -> tuple[dict, str | None, bytes]:
    """A plan file's data (without `organisation`), the organisation it names, and its bytes."""
    raw = read_file(path)
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        data = datafile.read_bytes(raw)
        named = (block := data.pop("organisation", None)) and isinstance(block, dict) and block.get("code")
        return data, named or None, raw
    book = plan_workbook.read(raw)
    return book.data, book.org_slug or None, raw


def import_file(args, session, actor) -> str:
    data, named, raw = _read_plan(args.path)
    if not (org := args.org or named):  # a file that names no organisation: the only one, or say which
        sole = orgs.sole_org(session=session)
        org = sole.code if sole is not None else ""
    plan = plans.import_plan(session=session, actor=actor, org_code=org, data=data, named_org=named,
                             sha256=hashlib.sha256(raw).hexdigest(), replace=args.replace)
    return t("cli_plan_imported", args.lang, plan=plan.code, org=org, count=len(data["projects"]))


def export(args, session, actor) -> str:
    org, plan_id = org_plan(session, args.org)
    data = amendments.plan_as_of(session=session, plan_id=plan_id, number=args.as_of)
    if Path(args.output).suffix.lower() in (".yaml", ".yml"):
        import json

        import yaml

        data = json.loads(json.dumps(data))  # plain values (enum members as their keys)

        Path(args.output).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
                                     encoding="utf-8")
    else:
        Path(args.output).write_bytes(plan_workbook.write(data, org_slug=org.code, org_name_th=org.name_th))
    return written(args.output, args.lang)


def amend(args, session, actor) -> str:
    """Compare the file's plan with the stored one, print every change, and apply them as one amendment."""
    org, plan_id = org_plan(session, args.org)
    data, named, _raw = _read_plan(args.path)
    if named and named != org.code:
        raise InvalidInput(Issue("plan_other_org", {"file": named, "org": org.code}))
    number = args.number or amendments.next_number(session=session, plan_id=plan_id)
    amendment = amendments.parse_amendment(session=session, plan_id=plan_id, values={
        "number": number, "approved_on": args.date, "effective_fy": args.effective_fy, "reason_th": args.reason,
        "reference_th": args.reference})
    pv = amendments.preview(session=session, actor=actor, plan_id=plan_id, proposed=data,
                            effective_fy=amendment.effective_fy_be)
    out(t("cli_amend_changes", args.lang, number=amendment.number, n=len(pv.changes)))
    for change in pv.changes:
        out("  " + change_line(change.as_dict(), args.lang))
    if args.dry_run:
        return t("cli_amend_dry_run", args.lang)
    amendments.apply(session=session, actor=actor, plan_id=plan_id, proposed=data, amendment=amendment,
                     base_revision=pv.revision)
    return t("cli_amend_applied", args.lang, number=amendment.number, n=len(pv.changes))


def history(args, session, actor) -> str:
    _org, plan_id = org_plan(session, args.org)
    rows = amendments.list_amendments(session=session, plan_id=plan_id)
    if not rows:
        return t("cli_amend_none", args.lang)
    for a in rows:
        out(t("amend_summary", args.lang, number=a.number, date=date_long(a.approved_on, args.lang),
              year=a.effective_fy_be, reason=a.reason_th))
        if a.reference_th:
            out("  " + t("amend_reference_line", args.lang, reference=a.reference_th))
        for change in a.changes:
            out("  · " + change_line(change, args.lang))
    return ""
