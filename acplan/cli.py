"""Operator command line: `python -m acplan init | validate-data | export-plan | user | round | scores | result`."""

import argparse
import json
import sys
from pathlib import Path

from sqlmodel import Session, select

from acplan import cli_monitor, config, db, format as fmt, plandata
from acplan.export import export_plan
from acplan.i18n import t
from acplan.models import Plan
from acplan.store import InvalidPlanData, init_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acplan", description="acplan operator commands")
    parser.add_argument("--lang", choices=("th", "en"), default="th", help="language of messages (default th)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or migrate the database and load the shipped plan if absent")
    val = sub.add_parser("validate-data", help="check a plan data file and print a report")
    val.add_argument("path", nargs="?", type=Path, help="plan data file (default: the shipped plan)")
    sub.add_parser("export-plan", help="print the loaded plan as JSON")
    cli_monitor.register(sub)
    args = parser.parse_args(argv)
    handler = {"init": cmd_init, "validate-data": cmd_validate, "export-plan": cmd_export}.get(args.command, cli_monitor.run)
    return handler(args)


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


def cmd_init(args: argparse.Namespace) -> int:
    try:
        result = init_store(db.make_engine(), config.plan_file())
    except InvalidPlanData as exc:
        _print_problems(exc.report, args.lang)
        return 1
    _out(t("cli_init_loaded" if result.loaded else "cli_init_present", args.lang, revision=result.revision))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    path = args.path or config.plan_file()
    try:
        data, _sha = plandata.read_file(path)
    except (OSError, UnicodeDecodeError, plandata.PlanDataError) as exc:
        _err(t("file_unreadable", args.lang, error=exc))
        return 2
    report = plandata.validate(data)
    if not report.ok:
        _print_problems(report, args.lang)
        return 1
    lang = args.lang
    _out(t("cli_valid", lang) + f": {path}")
    _out(t("cli_items", lang, count=report.items))
    for dim, count in report.items_by_dimension.items():
        _out("  " + t("cli_items_by_dimension", lang, dimension=dim, count=count))
    for year, total in report.budget_by_year.items():
        amounts = " / ".join(fmt.number(report.budget_by_dimension[d].get(year, 0)) for d in report.budget_by_dimension)
        _out(t("cli_budget_line", lang, year=year, amounts=amounts, total=fmt.baht(total, lang)))
    _out(t("cli_budget_total", lang, total=fmt.baht(sum(report.budget_by_year.values()), lang)))
    return 0


def _print_problems(report: plandata.Report, lang: str) -> None:
    _err(t("cli_invalid", lang, count=len(report.problems)))
    for p in report.problems:
        _err(f"- [{p.code}] " + t(p.code, lang, **p.params))


def cmd_export(args: argparse.Namespace) -> int:
    engine = db.make_engine()
    with Session(engine) as session:
        plan = session.exec(select(Plan).order_by(Plan.id)).first() if db.current_revision(engine) else None
        if plan is None:
            _err(t("cli_no_plan", args.lang))
            return 1
        _out(json.dumps(export_plan(session=session, plan_id=plan.id), ensure_ascii=False, indent=1))
    return 0
