"""`init`, `validate-data`, `export-plan`: the plan data file and the store."""

import argparse
import json
from pathlib import Path

from sqlmodel import Session

from acplan import db, settings
from acplan import format as fmt
from acplan.cli.common import OPERATOR, err, out, plan_id
from acplan.i18n import t
from acplan.plan import datafile
from acplan.plan.dump import export_plan
from acplan.plan.load import InvalidPlanData, init_store


def init(args: argparse.Namespace) -> int:
    try:
        result = init_store(db.make_engine(), None if args.no_plan else settings.get().plan_file, actor=OPERATOR)
    except InvalidPlanData as exc:
        _print_problems(exc.report, args.lang)
        return 1
    key = "cli_init_loaded" if result.loaded else "cli_init_present" if result.plan_id else "cli_init_migrated"
    out(t(key, args.lang, revision=result.revision))
    return 0


def validate(args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else settings.get().plan_file
    lang = args.lang
    data, _sha = datafile.read_file(path)
    report = datafile.validate(data)
    if not report.ok:
        _print_problems(report, lang)
        return 1
    out(t("cli_valid", lang) + f": {path}")
    out(t("cli_items", lang, count=report.items))
    for dim, count in report.items_by_dimension.items():
        out("  " + t("cli_items_by_dimension", lang, dimension=dim, count=count))
    for year, total in report.budget_by_year.items():
        amounts = " / ".join(fmt.number(report.budget_by_dimension[d].get(year, 0)) for d in report.budget_by_dimension)
        out(t("cli_budget_line", lang, year=year, amounts=amounts, total=fmt.baht(total, lang)))
    out(t("cli_budget_total", lang, total=fmt.baht(sum(report.budget_by_year.values()), lang)))
    return 0


def _print_problems(report: datafile.Report, lang: str) -> None:
    err(t("cli_invalid", lang, count=len(report.problems)))
    for p in report.problems:
        err(f"- [{p.code}] " + t(p.code, lang, **p.params))


def export(args: argparse.Namespace, session: Session, actor) -> str:
    return json.dumps(export_plan(session=session, plan_id=plan_id(session, args.org)), ensure_ascii=False, indent=1)
