"""`org add | set | list`: the organisations (อปท.) this installation serves."""

from acplan.i18n import t
from acplan.monitoring import orgs


def _values(args) -> dict:
    return {"name_th": args.name_th, "org_type": args.org_type, "province_th": args.province,
            "district_th": args.district, "name_en": args.name_en, "executive_name_th": args.executive_name,
            "executive_title_th": args.executive_title}


def add(args, session, actor) -> str:
    org = orgs.add_org(session=session, actor=actor, code=args.slug, org_in=orgs.parse_org(_values(args)))
    return t("cli_org_added", args.lang, org=org.code)


def set_fields(args, session, actor) -> str:
    orgs.set_org(session=session, actor=actor, code=args.slug, org_in=orgs.parse_org(_values(args)))
    return t("cli_done", args.lang)


def list_all(args, session, actor) -> str:
    rows = []
    for org in orgs.list_orgs(session=session):
        plan = orgs.plan_of(session=session, org=org)
        rows.append("\t".join([org.code, org.name_th, t(f"org_type_{org.org_type}", args.lang), org.province_th,
                               org.district_th, plan.code if plan else "—"]))
    return "\n".join(rows)
