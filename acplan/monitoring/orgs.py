"""Organisations (อปท.): the local governments one installation serves. Adding and changing one is audited.

An organisation is named by its slug (`tt-chiang-muan`), the `?org=` of its pages and the `--org` of the
command line. Adding or changing one is the operator's (whoever runs the server); anyone may list them.
"""

import re

from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session, select

from acplan.access import Actor, Permission
from acplan.errors import InvalidInput, Issue, NotFound, parse_input
from acplan.monitoring import audit
from acplan.monitoring.auth import authorize
from acplan.plan.models import Organisation, OrgType, Plan

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
ORG_FIELDS = ("name_th", "name_en", "org_type", "province_th", "district_th", "executive_name_th", "executive_title_th")


class OrgIn(BaseModel):
    """An organisation's details as typed; `None` in a change leaves the field as it is."""

    name_th: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    org_type: OrgType | None = None
    province_th: str | None = Field(default=None, min_length=1, max_length=100)
    district_th: str | None = Field(default=None, max_length=100)
    executive_name_th: str | None = Field(default=None, max_length=200)
    executive_title_th: str | None = Field(default=None, max_length=200)

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value


CODES = {"name_th": "org_name_invalid", "name_en": "org_text_too_long", "org_type": "org_type_invalid",
         "province_th": "org_province_invalid", "district_th": "org_text_too_long",
         "executive_name_th": "org_text_too_long", "executive_title_th": "org_text_too_long"}


def parse_org(values: dict) -> OrgIn:
    return parse_input(OrgIn, {k: v for k, v in values.items() if v is not None}, codes=CODES)


def get_org(*, session: Session, code: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if org is None:
        raise NotFound(Issue("org_not_found", {"org": code}))
    return org


def list_orgs(*, session: Session) -> list[Organisation]:
    """Every organisation, by province and then name (what the public list shows)."""
    return list(session.exec(select(Organisation).order_by(Organisation.province_th, Organisation.name_th)))


NAMED_IN_MESSAGE = 10  # a refusal that asks for an organisation names this many of them


def sole_org(*, session: Session, issue: str = "org_required") -> Organisation | None:
    """The store's only organisation (None while it has none); with several, InvalidInput(`issue`) naming some,
    so the caller asks which one is meant."""
    some = list(session.exec(select(Organisation).order_by(Organisation.code).limit(NAMED_IN_MESSAGE + 1)))
    if len(some) > 1:
        named = ", ".join(o.code for o in some[:NAMED_IN_MESSAGE]) + (", …" if len(some) > NAMED_IN_MESSAGE else "")
        raise InvalidInput(Issue(issue, {"orgs": named}))
    return some[0] if some else None


def plan_of(*, session: Session, org: Organisation) -> Plan | None:
    """The organisation's plan (the newest loaded, should it hold more than one)."""
    return session.exec(select(Plan).where(Plan.organisation_id == org.id).order_by(Plan.id.desc())).first()


def add_org(*, session: Session, actor: Actor, code: str, org_in: OrgIn) -> Organisation:
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ORGS)
    issues = []
    if not SLUG.match(code or ""):
        issues.append(Issue("org_slug_invalid", {"org": code}))
    elif session.exec(select(Organisation).where(Organisation.code == code)).first() is not None:
        issues.append(Issue("org_exists", {"org": code}))
    for field, key in (("name_th", "org_name_invalid"), ("org_type", "org_type_invalid"),
                       ("province_th", "org_province_invalid")):
        if getattr(org_in, field) is None:
            issues.append(Issue(key, {"value": ""}))
    if issues:
        raise InvalidInput(*issues)
    org = Organisation(code=code, **{k: (v.value if isinstance(v, OrgType) else v)
                                     for k, v in org_in.model_dump().items() if v is not None})
    session.add(org)
    session.flush()
    audit.record(session, actor=actor.username, action="org_add", entity="organisation", entity_id=org.code,
                 after=audit.snapshot(org))
    return org


def set_org(*, session: Session, actor: Actor, code: str, org_in: OrgIn) -> Organisation:
    authorize(session=session, actor=actor, permission=Permission.MANAGE_ORGS)
    org = get_org(session=session, code=code)
    before = audit.snapshot(org)
    for field, value in org_in.model_dump().items():
        if value is not None:
            setattr(org, field, value.value if isinstance(value, OrgType) else value)
    session.add(org)
    session.flush()
    if audit.snapshot(org) != before:
        audit.record(session, actor=actor.username, action="org_set", entity="organisation", entity_id=org.code,
                     before=before, after=audit.snapshot(org))
    return org
