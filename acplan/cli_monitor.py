"""Operator commands for the monitoring workflow: `user …`, `round …`, `scores …`, `result set`."""

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlmodel import Session

from acplan import db, format as fmt, rounds, scoresheet, users
from acplan.errors import AcplanError, Issue, InvalidInput
from acplan.i18n import describe, t
from acplan.queries import get_plan
from acplan.results import set_yearly_result

ACTOR = "cli"


def register(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="manage accounts").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help="create an account (password read from standard input)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("admin", "secretary", "committee", "council"))
    add.add_argument("--name", required=True, help="display name, e.g. in Thai")
    add.add_argument("--password-stdin", action="store_true", required=True)
    user.add_parser("list", help="list accounts")
    role = user.add_parser("set-role")
    role.add_argument("username")
    role.add_argument("role", choices=("admin", "secretary", "committee", "council"))
    user.add_parser("disable").add_argument("username")
    reset = user.add_parser("reset-password")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", required=True)

    rnd = sub.add_parser("round", help="evaluation rounds").add_subparsers(dest="action", required=True)
    create = rnd.add_parser("create", help="create a draft round, e.g. round create 2567 1")
    create.add_argument("fiscal_year", type=int)
    create.add_argument("round_no", type=int)
    create.add_argument("--no-prefill", action="store_true", help="do not carry status and progress forward")
    for action in ("open", "close", "publish"):
        rnd.add_parser(action).add_argument("code", help="e.g. 2567-1")
    reopen = rnd.add_parser("reopen")
    reopen.add_argument("code")
    reopen.add_argument("--reason", required=True)
    rnd.add_parser("list")

    scores = sub.add_parser("scores", help="score sheets").add_subparsers(dest="action", required=True)
    tpl = scores.add_parser("template")
    imp = scores.add_parser("import")
    imp.add_argument("path", type=Path)
    for p in (tpl, imp):
        p.add_argument("--round", required=True)
        p.add_argument("--member", required=True)
    tpl.add_argument("-o", "--output", required=True, type=Path)
    exp = scores.add_parser("export")
    exp.add_argument("--round", required=True)
    exp.add_argument("-o", "--output", required=True, type=Path)

    snap = sub.add_parser("publish-snapshot", help="write a scrubbed copy of the SQLite store for the public site")
    snap.add_argument("path", type=Path)
    bak = sub.add_parser("backup", help="write a backup of the whole store")
    bak.add_argument("-o", "--output", required=True, type=Path)
    res = sub.add_parser("restore", help="restore a backup into an empty database")
    res.add_argument("path", type=Path)
    res.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rep = sub.add_parser("report", help="the round's meeting pack: a Thai PDF or an Excel workbook")
    rep.add_argument("--round", required=True)
    rep.add_argument("-o", "--output", required=True, type=Path, help="report.pdf or report.xlsx")
    rep.add_argument("--public", action="store_true", help="the public version: no member names or member scores")
    for p in (snap, bak, res, rep):
        p.set_defaults(action=None)

    result = sub.add_parser("result", help="yearly results").add_subparsers(dest="action", required=True)
    rset = result.add_parser("set", help="record a fiscal year's ITA score and corruption cases")
    rset.add_argument("fiscal_year", type=int)
    rset.add_argument("--ita", type=float)
    rset.add_argument("--cases", type=int)
    rset.add_argument("--note", default="")


def run(args: argparse.Namespace) -> int:
    """Run one monitoring command in one transaction; a refused input prints what to fix and writes nothing."""
    if args.command in ("publish-snapshot", "backup", "restore"):
        return store_command(args)
    if args.command == "report":
        return report_command(args)
    engine = db.make_engine()
    db.migrate(engine)
    try:
        with Session(engine) as session:
            out = HANDLERS[(args.command, args.action)](session, args)
            session.commit()
    except AcplanError as exc:
        for issue in exc.issues:
            sys.stderr.write(describe(issue, args.lang) + "\n")
        return 1
    if out:
        sys.stdout.write(out + "\n")
    return 0


def _password() -> str:
    return sys.stdin.readline().rstrip("\n")


def _plan_id(session: Session) -> int:
    plan = get_plan(session=session)
    if plan is None:
        raise InvalidInput(Issue("no_plan_loaded"))
    return plan.id


def _user_add(session, args):
    user = users.add_user(session=session, actor=ACTOR, username=args.username, display_name=args.name,
                          role=args.role, password=_password())
    return t("cli_user_added", args.lang, username=user.username, role=t(f"role_{user.role}", args.lang))


def _user_list(session, args):
    return "\n".join(f"{u.username}\t{u.role}\t{'active' if u.is_active else 'disabled'}\t{u.display_name}"
                     for u in users.list_users(session=session))


def _user_set_role(session, args):
    users.set_role(session=session, actor=ACTOR, username=args.username, role=args.role)
    return t("cli_done", args.lang)


def _user_disable(session, args):
    users.disable_user(session=session, actor=ACTOR, username=args.username)
    return t("cli_done", args.lang)


def _user_reset(session, args):
    users.reset_password(session=session, actor=ACTOR, username=args.username, password=_password())
    return t("cli_done", args.lang)


def _round_create(session, args):
    rnd = rounds.create_round(session=session, actor=ACTOR, plan_id=_plan_id(session), fiscal_year_be=args.fiscal_year,
                              round_no=args.round_no, today=date.today(), prefill=not args.no_prefill)
    return t("cli_round_created", args.lang, code=rounds.round_code(rnd))


def _round_transition(action):
    def handler(session, args):
        rnd = rounds.transition(session=session, actor=ACTOR, plan_id=_plan_id(session), code=args.code, action=action,
                                reason=getattr(args, "reason", None))
        return t("cli_round_status", args.lang, code=args.code, status=t(f"round_status_{rnd.status}", args.lang))
    return handler


def _round_list(session, args):
    return "\n".join(f"{rounds.round_code(r)}\t{t('round_status_' + r.status, args.lang)}\t"
                     f"{fmt.date_long(r.period_start, args.lang)} – {fmt.date_long(r.period_end, args.lang)}"
                     f"{chr(9) + t('after_the_fact', args.lang) if r.recorded_after_fact else ''}"
                     for r in rounds.list_rounds(session=session, plan_id=_plan_id(session)))


def _scores_template(session, args):
    rnd = rounds.get_round(session=session, plan_id=_plan_id(session), code=args.round)
    member = users.get_user(session=session, username=args.member)
    args.output.write_bytes(scoresheet.member_template(session=session, rnd=rnd, member=member))
    return t("cli_written", args.lang, path=args.output)


def _scores_import(session, args):
    rnd = rounds.get_round(session=session, plan_id=_plan_id(session), code=args.round)
    member = users.get_user(session=session, username=args.member)
    count = scoresheet.import_sheet(session=session, rnd=rnd, member=member, data=args.path.read_bytes())
    return t("cli_imported", args.lang, count=count, member=member.username, code=args.round)


def _scores_export(session, args):
    rnd = rounds.get_round(session=session, plan_id=_plan_id(session), code=args.round)
    fmt = "csv" if args.output.suffix.lower() == ".csv" else "xlsx"
    args.output.write_bytes(scoresheet.export_round(session=session, rnd=rnd, fmt=fmt))
    return t("cli_written", args.lang, path=args.output)


def _result_set(session, args):
    set_yearly_result(session=session, actor=ACTOR, plan_id=_plan_id(session), fiscal_year_be=args.fiscal_year,
                      ita_score=args.ita, corruption_cases=args.cases, note=args.note)
    return t("cli_done", args.lang)


HANDLERS = {
    ("user", "add"): _user_add, ("user", "list"): _user_list, ("user", "set-role"): _user_set_role,
    ("user", "disable"): _user_disable, ("user", "reset-password"): _user_reset,
    ("round", "create"): _round_create, ("round", "open"): _round_transition("open"),
    ("round", "close"): _round_transition("close"), ("round", "publish"): _round_transition("publish"),
    ("round", "reopen"): _round_transition("reopen"), ("round", "list"): _round_list,
    ("scores", "template"): _scores_template, ("scores", "import"): _scores_import,
    ("scores", "export"): _scores_export, ("result", "set"): _result_set,
}


def store_command(args: argparse.Namespace) -> int:
    """publish-snapshot, backup and restore: whole-store operations outside a single session."""
    from acplan import backup, config, snapshot

    try:
        if args.command == "publish-snapshot":
            url = config.database_url()
            if not url.startswith("sqlite:///"):
                raise InvalidInput(Issue("snapshot_needs_sqlite"))
            counts = snapshot.publish_snapshot(Path(url.removeprefix("sqlite:///")), args.path)
            out = t("cli_snapshot_done", args.lang, path=args.path, rounds=counts["evaluationround"],
                    findings=counts["finding"])
        elif args.command == "backup":
            data, rows = backup.backup(db.make_engine())
            args.output.write_bytes(data)
            out = t("cli_backup_done", args.lang, path=args.output, rows=rows)
        else:
            if not args.yes:
                sys.stderr.write(t("cli_restore_confirm", args.lang, path=args.path))
                if sys.stdin.readline().strip() != "RESTORE":
                    sys.stderr.write(t("cli_restore_cancelled", args.lang) + "\n")
                    return 1
            counts = backup.restore(db.make_engine(), args.path.read_bytes())
            out = t("cli_restore_done", args.lang, rows=sum(counts.values()))
    except AcplanError as exc:
        for issue in exc.issues:
            sys.stderr.write(describe(issue, args.lang) + "\n")
        return 1
    sys.stdout.write(out + "\n")
    return 0


def report_command(args: argparse.Namespace) -> int:
    """Write a round's report; the internal version lists the members who scored."""
    from acplan.reports import build_report

    suffix = args.output.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        sys.stderr.write(t("report_format", args.lang) + "\n")
        return 2
    try:
        with Session(db.make_engine()) as session:
            data = build_report(session=session, plan_id=_plan_id(session), code=args.round, internal=not args.public,
                                fmt=suffix[1:], today=date.today())
    except AcplanError as exc:
        for issue in exc.issues:
            sys.stderr.write(describe(issue, args.lang) + "\n")
        return 1
    args.output.write_bytes(data)
    sys.stdout.write(t("cli_written", args.lang, path=args.output) + "\n")
    return 0
