"""`plan template | import | export`: a plan as a workbook a clerk fills in Excel, or as a YAML data file."""

import hashlib
from pathlib import Path

from acplan import clock, settings
from acplan.cli.common import org_plan, out, read_file, written
from acplan.format import fiscal_year_of
from acplan.i18n import t
from acplan.monitoring import orgs, plans
from acplan.plan import datafile
from acplan.plan import workbook as plan_workbook
from acplan.plan.dump import export_plan


def template(args) -> int:
    first = args.first_fy or fiscal_year_of(clock.today()) + 1
    structure, _sha = datafile.read_file(settings.get().plan_file)  # the national template's dimensions and missions
    Path(args.output).write_bytes(plan_workbook.template(first_fy=first, last_fy=first + max(args.years, 1) - 1,
                                                         structure=structure))
    out(written(args.output, args.lang))
    return 0


def import_file(args, session, actor) -> str:
    raw = read_file(args.path)
    if Path(args.path).suffix.lower() in (".yaml", ".yml"):
        data = datafile.read_bytes(raw)
        named = (block := data.pop("organisation", None)) and isinstance(block, dict) and block.get("code")
    else:
        book = plan_workbook.read(raw)
        data, named = book.data, book.org_slug
    if not (org := args.org or named):  # a file that names no organisation: the only one, or say which
        sole = orgs.sole_org(session=session)
        org = sole.code if sole is not None else ""
    plan = plans.import_plan(session=session, actor=actor, org_code=org, data=data, named_org=named,
                             sha256=hashlib.sha256(raw).hexdigest(), replace=args.replace)
    return t("cli_plan_imported", args.lang, plan=plan.code, org=org, count=len(data["projects"]))


def export(args, session, actor) -> str:
    org, plan_id = org_plan(session, args.org)
    data = export_plan(session=session, plan_id=plan_id)
    if Path(args.output).suffix.lower() in (".yaml", ".yml"):
        import json

        import yaml

        data = json.loads(json.dumps(data))  # plain values (enum members as their keys)

        Path(args.output).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
                                     encoding="utf-8")
    else:
        Path(args.output).write_bytes(plan_workbook.write(data, org_slug=org.code, org_name_th=org.name_th))
    return written(args.output, args.lang)
