"""`user add | list | set-role | set-place | disable | enable | reset-password`: accounts (passwords read from standard input)."""

import sys

from acplan.cli.common import plan_id
from acplan.i18n import t
from acplan.monitoring import orgs, unitreports, users


def _password() -> str:
    return sys.stdin.readline().rstrip("\n")


def add(args, session, actor) -> str:
    org = orgs.get_org(session=session, code=args.org).id if args.org else None
    user = users.add_user(session=session, actor=actor, username=args.username, display_name=args.name,
                          role=args.role, password=_password(), position_th=args.position, committee_duty=args.duty,
                          organisation_id=org, oversight_province_th=args.province)
    if args.email:
        users.set_email(session=session, actor=actor, username=user.username, email=args.email)
    if args.unit or user.role == "unit":  # a unit account reports for the units named
        unitreports.set_units(session=session, actor=actor, username=user.username, unit_names=args.unit,
                              plan_id=plan_id(session, args.org))
    return t("cli_user_added", args.lang, username=user.username, role=t(f"role_{user.role}", args.lang))


def set_email(args, session, actor) -> str:
    users.set_email(session=session, actor=actor, username=args.username, email=args.email)
    return t("cli_done", args.lang)


def set_units(args, session, actor) -> str:
    names = unitreports.set_units(session=session, actor=actor, username=args.username, unit_names=args.unit,
                                  plan_id=plan_id(session, args.org))
    return t("cli_units_set", args.lang, username=args.username, units=", ".join(names))


def list_accounts(args, session, actor) -> str:
    return "\n".join(f"{u.username}\t{u.role}\t{t('account_active' if u.is_active else 'account_disabled', args.lang)}\t"
                     f"{u.display_name}" for u in users.list_users(session=session, actor=actor))


def set_role(args, session, actor) -> str:
    users.set_role(session=session, actor=actor, username=args.username, role=args.role)
    return t("cli_done", args.lang)


def set_place(args, session, actor) -> str:
    users.set_committee_place(session=session, actor=actor, username=args.username, position_th=args.position,
                              committee_duty=args.duty)
    return t("cli_done", args.lang)


def disable(args, session, actor) -> str:
    users.disable_user(session=session, actor=actor, username=args.username)
    return t("cli_done", args.lang)


def enable(args, session, actor) -> str:
    users.enable_user(session=session, actor=actor, username=args.username)
    return t("cli_done", args.lang)


def reset(args, session, actor) -> str:
    users.reset_password(session=session, actor=actor, username=args.username, password=_password())
    return t("cli_done", args.lang)
