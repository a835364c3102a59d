"""Operator command line: `python -m acplan …` (or `acplan …`).

The parser names each command's handler as "module:function" in `acplan.cli`; a handler's module is
imported only when that command runs, so `--help` starts without loading the store, pandas or the
report engines. Commands that work in the store run in one transaction as the operator actor; a
refused input prints what to fix (exit 1) and writes nothing. Only `init` migrates the schema; any
other command on an older schema says so.
"""

import argparse
import importlib
import sys

ROLE_CHOICES = ("admin", "secretary", "committee", "council", "unit", "oversight")
ORG_TYPES = ("city_municipality", "town_municipality", "subdistrict_municipality", "sao", "pao")
DUTY_CHOICES = ("chair", "vice_chair", "member", "secretary", "assistant_secretary")


def _cmd(sub, name: str, func: str, *, session: bool = True, org: bool = True, **kw) -> argparse.ArgumentParser:
    """A command; one that works in the store takes `--org` (needed once the store holds several organisations)
    unless `org=False` (the commands that name an organisation themselves)."""
    parser = sub.add_parser(name, **kw)
    parser.set_defaults(func=func, session=session, org=None)
    if session and org:
        parser.add_argument("--org", metavar="SLUG", help="the organisation (needed when there are several)")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acplan", description="acplan operator commands")
    parser.add_argument("--lang", choices=("th", "en"), default="th", help="language of messages (default th)")
    sub = parser.add_subparsers(dest="command", required=True)
    _cmd(sub, "init", "plan:init", session=False,
         help="create or migrate the database; into an empty one, load the shipped plan") \
        .add_argument("--no-plan", action="store_true", help="migrate only: the organisations bring their own plans")
    _cmd(sub, "validate-data", "plan:validate", session=False, help="check a plan data file and print a report") \
        .add_argument("path", nargs="?", help="plan data file (default: the shipped plan)")
    _cmd(sub, "export-plan", "plan:export", help="print the loaded plan as JSON")
    _orgs(sub.add_parser("org", help="organisations (local governments) this installation serves")
          .add_subparsers(dest="action", required=True))
    _plans(sub.add_parser("plan", help="a plan as a workbook: template, import, export")
           .add_subparsers(dest="action", required=True))
    _users(sub.add_parser("user", help="manage accounts").add_subparsers(dest="action", required=True))
    _rounds(sub.add_parser("round", help="evaluation rounds").add_subparsers(dest="action", required=True))
    _scores(sub.add_parser("scores", help="score sheets").add_subparsers(dest="action", required=True))
    _unit_reports(sub.add_parser("unit-report", help="a responsible unit's report as an Excel workbook")
                  .add_subparsers(dest="action", required=True))
    rset = _cmd(sub.add_parser("result", help="yearly results").add_subparsers(dest="action", required=True), "set",
                "results:set_result", help="record a fiscal year's ITA score and corruption cases")
    rset.add_argument("fiscal_year", type=int)
    rset.add_argument("--ita", type=float)
    rset.add_argument("--cases", type=int)
    rset.add_argument("--note", default="")
    purge = _cmd(sub, "purge-evidence", "reminders:purge",
                 help="delete the bytes of evidence files withdrawn more than --days ago (their records stay)")
    purge.add_argument("--days", type=int, required=True, help="withdrawn at least this many days ago")
    remind = _cmd(sub, "remind", "reminders:remind",
                  help="send today's reminders by e-mail (round opened, deadlines near, findings overdue); run daily")
    remind.add_argument("--days-before", type=int, default=3, help="how many days before a deadline (default 3)")
    remind.add_argument("--dry-run", action="store_true", help="list who would be reminded of what; send nothing")
    _store(sub)
    site = _cmd(sub, "publish-site", "site:publish",
                help="write the organisation's public website (static files: upload them to any web host)")
    site.add_argument("-o", "--output", required=True, help="the folder to write (re-publishing rewrites what changed)")
    site.add_argument("--base-url", help="the address it will be served at, e.g. https://www.example.go.th/acplan "
                                         "(for the sitemap and the OIT links)")
    site.add_argument("--lang", dest="lang_site", default="th,en", help="languages, Thai first (default th,en)")
    site.add_argument("--oit-year", type=int, help="the ITA assessment year of the OIT page (default: the latest map)")
    oit = _cmd(sub, "oit", "site:oit_table", help="the ITA/OIT items this plan answers, with their links")
    oit.add_argument("--year", type=int, required=True, help="the ITA assessment year, e.g. 2569")
    oit.add_argument("--base-url", help="the public website's address, to print absolute links")
    demo = _cmd(sub, "demo-data", "demo:load", org=False,
                help="add fictional organisations (marked ตัวอย่าง / demo) with plans, rounds and scores, to try or "
                     "measure the roll-up at a province's or the nation's size")
    demo.add_argument("--orgs", type=int, required=True, help="how many organisations, e.g. 1000")
    demo.add_argument("--rounds", type=int, default=10, help="rounds per organisation, at most 2 per plan year (default 10)")
    demo.add_argument("--members", type=int, default=7, help="committee members per organisation (default 7)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same data (default 1)")
    rollup_cmd = sub.add_parser("rollup", help="the roll-up's stored per-round figures").add_subparsers(
        dest="action", required=True)
    _cmd(rollup_cmd, "check", "demo:rollup_check", org=False,
         help="compare every published round's stored figures with a fresh computation")
    _cmd(rollup_cmd, "refresh", "demo:rollup_refresh", org=False, help="recompute every published round's stored figures")
    verify = _cmd(sub.add_parser("audit", help="the audit log").add_subparsers(dest="action", required=True), "verify",
                  "audit:verify", help="check that no audit row was changed, removed or inserted since it was written")
    verify.add_argument("--head", help="a chain head printed in a published report: check that the record contains it")
    rep = _cmd(sub, "report", "report:report", help="the round's meeting pack: a Thai PDF or an Excel workbook")
    rep.add_argument("--round", required=True)
    rep.add_argument("-o", "--output", required=True, help="report.pdf or report.xlsx")
    rep.add_argument("--public", action="store_true", help="the public version: no member names or member scores")
    rep.add_argument("--report-date", help="the report's date in the Buddhist Era, e.g. 27/11/2569 (default: today)")
    rep.add_argument("--meeting-date", help="the date of the meeting it is presented to, e.g. 4/12/2569")
    return parser


def _orgs(org) -> None:
    add = _cmd(org, "add", "orgs:add", org=False, help="add an organisation, e.g. org add sao-nong-khao-hom --name-th …")
    add.add_argument("slug", help="a short code of a–z, 0–9 and hyphens: the ?org= of its pages")
    setter = _cmd(org, "set", "orgs:set_fields", org=False, help="change an organisation's details")
    setter.add_argument("slug")
    for cmd, required in ((add, True), (setter, False)):
        cmd.add_argument("--name-th", required=required)
        cmd.add_argument("--type", choices=ORG_TYPES, required=required, dest="org_type")
        cmd.add_argument("--province", required=required, help="จังหวัด")
        cmd.add_argument("--district", help="อำเภอ")
        cmd.add_argument("--name-en")
        cmd.add_argument("--executive-name", help="the executive who signs, e.g. นายกเทศมนตรี's name")
        cmd.add_argument("--executive-title", help="the executive's title")
    _cmd(org, "list", "orgs:list_all", org=False, help="list the organisations")


def _plans(plan) -> None:
    tpl = _cmd(plan, "template", "plans:template", session=False, help="write an empty plan workbook to fill in")
    tpl.add_argument("-o", "--output", required=True)
    tpl.add_argument("--first-fy", type=int, help="the plan's first fiscal year (BE); default: the coming one")
    tpl.add_argument("--years", type=int, default=5, help="how many fiscal years it spans (default 5)")
    imp = _cmd(plan, "import", "plans:import_file", help="load a plan workbook (.xlsx) or data file (.yaml)")
    imp.add_argument("path")
    imp.add_argument("--replace", action="store_true",
                     help="replace the organisation's plan (only while it has no rounds)")
    exp = _cmd(plan, "export", "plans:export", help="write the stored plan as a workbook (.xlsx) or data file (.yaml)")
    exp.add_argument("-o", "--output", required=True)
    exp.add_argument("--as-of", type=int, metavar="N",
                     help="the plan as it stood after amendment N (0: as first approved)")
    amd = _cmd(plan, "amend", "plans:amend",
               help="apply an amended plan (.xlsx or .yaml, the whole plan) as a numbered amendment")
    amd.add_argument("path")
    amd.add_argument("--number", help="the amendment's number (ครั้งที่); default: the next")
    amd.add_argument("--date", required=True, help="the date it was approved, Buddhist Era, e.g. 15/11/2568")
    amd.add_argument("--effective-fy", help="the fiscal year it takes effect (default: that of --date)")
    amd.add_argument("--reason", required=True)
    amd.add_argument("--reference", default="", help="the council resolution or order that approved it")
    amd.add_argument("--dry-run", action="store_true", help="list the changes and save nothing")
    _cmd(plan, "history", "plans:history", help="list the plan's amendments and what each changed")


def _users(user) -> None:
    add = _cmd(user, "add", "users:add", help="create an account (password read from standard input)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLE_CHOICES)
    add.add_argument("--name", required=True, help="display name, e.g. in Thai")
    add.add_argument("--password-stdin", action="store_true", required=True)
    add.add_argument("--province", default="",
                     help="oversight accounts: the province whose organisations it reads (default: all)")
    add.add_argument("--unit", action="append", default=[], metavar="NAME",
                     help="unit accounts: a responsible unit it reports for, as the plan names it (repeat for several)")
    _place_options(add)
    add.add_argument("--email", default="", help="where the account's reminders go")
    email = _cmd(user, "set-email", "users:set_email", help="where an account's reminders go (empty: none)")
    email.add_argument("username")
    email.add_argument("email")
    units = _cmd(user, "set-units", "users:set_units", help="the responsible units a unit account reports for")
    units.add_argument("username")
    units.add_argument("--unit", action="append", required=True, metavar="NAME", help="repeat for several")
    _cmd(user, "list", "users:list_accounts", help="list accounts")
    place = _cmd(user, "set-place", "users:set_place",
                 help="position and committee duty, as the meeting pack lists the committee")
    place.add_argument("username")
    _place_options(place)
    role = _cmd(user, "set-role", "users:set_role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLE_CHOICES)
    _cmd(user, "disable", "users:disable").add_argument("username")
    _cmd(user, "enable", "users:enable", help="let a disabled account sign in again").add_argument("username")
    reset = _cmd(user, "reset-password", "users:reset")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", required=True)


def _place_options(cmd) -> None:
    cmd.add_argument("--position", default="", help="ตำแหน่ง, e.g. ผู้แทนสมาชิกสภา")
    cmd.add_argument("--duty", choices=DUTY_CHOICES, help="duty on the committee (chair, member, secretary, …)")


def _rounds(rnd) -> None:
    create = _cmd(rnd, "create", "rounds:create", help="create a draft round, e.g. round create 2567 1")
    create.add_argument("fiscal_year", type=int)
    create.add_argument("round_no", type=int)
    create.add_argument("--no-prefill", action="store_true", help="do not carry status and progress forward")
    create.add_argument("--no-bring-forward", action="store_true",
                        help="do not copy the previous round's open findings into the new round")
    _cmd(rnd, "open", "rounds:open").add_argument("code", help="e.g. 2567-1")
    due = _cmd(rnd, "deadlines", "rounds:deadlines", help="the days units report by and members score by")
    due.add_argument("code", help="e.g. 2567-1")
    due.add_argument("--units", default="", help="units report by, Buddhist Era, e.g. 15/04/2568 (empty: none)")
    due.add_argument("--members", default="", help="members score by, Buddhist Era (empty: none)")
    for action in ("close", "publish"):
        cmd = _cmd(rnd, action, f"rounds:{action}")
        cmd.add_argument("code", help="e.g. 2567-1")
        cmd.add_argument("--early", action="store_true", help="before the round's period has ended (needs --reason)")
        cmd.add_argument("--reason", help="why, kept in the audit log (needed with --early)")
    reopen = _cmd(rnd, "reopen", "rounds:reopen")
    reopen.add_argument("code")
    reopen.add_argument("--reason", required=True)
    _cmd(rnd, "list", "rounds:list_all")
    conclusion = _cmd(rnd, "conclusion", "rounds:conclusion",
                      help="the committee's conclusion printed in the round's meeting pack (text from standard input)")
    conclusion.add_argument("code")
    conclusion.add_argument("--text-stdin", action="store_true", required=True)


def _scores(scores) -> None:
    tpl = _cmd(scores, "template", "scores:template")
    imp = _cmd(scores, "import", "scores:import_sheet")
    imp.add_argument("path")
    for p in (tpl, imp):
        p.add_argument("--round", required=True)
        p.add_argument("--member", required=True)
    tpl.add_argument("-o", "--output", required=True)
    exp = _cmd(scores, "export", "scores:export")
    exp.add_argument("--round", required=True)
    exp.add_argument("-o", "--output", required=True)


def _unit_reports(unit) -> None:
    tpl = _cmd(unit, "template", "unitreport:template", help="the unit's report workbook for a round")
    imp = _cmd(unit, "import", "unitreport:import_sheet", help="import a unit's filled workbook (all or nothing)")
    imp.add_argument("path")
    imp.add_argument("--submit", action="store_true", help="submit the imported reports too (default: drafts)")
    for p in (tpl, imp):
        p.add_argument("--round", required=True)
        p.add_argument("--unit", required=True, help="the unit, as the plan names it")
    tpl.add_argument("-o", "--output", required=True)


def _store(sub) -> None:
    snap = _cmd(sub, "publish-snapshot", "store:snapshot", session=False,
                help="write a scrubbed copy of the SQLite store for the public site")
    snap.add_argument("path")
    snap.add_argument("--evidence-dir", help="also copy the public evidence files there (the public site's "
                                             "ACPLAN_EVIDENCE_DIR)")
    _cmd(sub, "backup", "store:backup", session=False, help="write a backup of the whole store") \
        .add_argument("-o", "--output", required=True)
    res = _cmd(sub, "restore", "store:restore", session=False, help="restore a backup into an empty database")
    res.add_argument("path")
    res.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    grant = _cmd(sub, "grant-roles", "store:grant_roles", session=False,
         help="PostgreSQL, run as the owner after init: the app's role (audit log append-only) and the public site's "
              "role (published views only)")
    grant.add_argument("--app-role", required=True)
    grant.add_argument("--public-role", help="the public site's role: SELECT on schema `published` only")


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 done, 1 refused (the reasons printed), 2 unusable input or settings."""
    args = build_parser().parse_args(argv)
    from acplan.cli.common import dispatch

    module, name = args.func.split(":")
    return dispatch(getattr(importlib.import_module(f"acplan.cli.{module}"), name), args)


def run() -> None:
    """Console-script entry point (`acplan`)."""
    sys.exit(main())
