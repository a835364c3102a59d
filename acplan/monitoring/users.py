"""User accounts: add, list, change role, disable, reset password, sign in. Every change is audited."""

import re
from datetime import UTC, datetime

from sqlmodel import Session, select

from acplan.access import ACCOUNT_ROLES, ORG_ROLES, Actor, Permission, Role
from acplan.errors import Conflict, InvalidInput, Issue, NotAllowed, NotFound
from acplan.monitoring import audit, orgs
from acplan.monitoring.auth import authorize, hash_password, password_issue
from acplan.monitoring.models import AppUser, CommitteeDuty

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MAX_POSITION_CHARS = 200
MAX_PROVINCE_CHARS = 100


def _now() -> datetime:
    return datetime.now(UTC)


def _role_issue(role: str | None, roles: tuple = ACCOUNT_ROLES) -> Issue | None:
    if role in roles:
        return None
    if not role:
        return Issue("role_required", column="role")
    return Issue("role_invalid", {"role": role, "roles": ", ".join(roles)})


def get_user(*, session: Session, actor: Actor, username: str) -> AppUser:
    """The account named `username`, for staff who act on it (scores of a member, account changes)."""
    authorize(session=session, actor=actor, permission=Permission.READ_MEMBER_SCORES)
    return _of_actors_org(session, actor, _get(session, username))


def _actor_org(session: Session, actor: Actor) -> int | None:
    """The organisation an account acts in (None: the operator, who acts in every one)."""
    return session.get(AppUser, actor.user_id).organisation_id if actor.user_id is not None else None


def _of_actors_org(session: Session, actor: Actor, user: AppUser) -> AppUser:
    """`user`, if the actor may act on it: an account acts on the accounts of its own organisation only (another
    organisation's account is reported as not found, so its name is not confirmed)."""
    own = _actor_org(session, actor)
    if actor.user_id is not None and own is not None and user.organisation_id != own:
        raise NotFound(Issue("user_not_found", {"username": user.username}))
    return user


def default_org(session: Session, organisation_id: int | None) -> int | None:
    """The organisation a new account belongs to: the one given, or the only one; refused when there are several."""
    if organisation_id is not None:
        return organisation_id
    sole = orgs.sole_org(session=session, issue="user_org_required")
    return sole.id if sole is not None else None


def _get(session: Session, username: str) -> AppUser:
    user = session.exec(select(AppUser).where(AppUser.username == username)).first()
    if user is None:
        raise NotFound(Issue("user_not_found", {"username": username}))
    return user


def _place_issues(position_th: str | None, committee_duty: str | None) -> list[Issue]:
    issues = []
    if len(position_th or "") > MAX_POSITION_CHARS:
        issues.append(Issue("position_too_long", {"max": MAX_POSITION_CHARS}))
    if committee_duty and committee_duty not in set(CommitteeDuty):
        issues.append(Issue("committee_duty_invalid", {"duty": committee_duty, "duties": ", ".join(CommitteeDuty)}))
    return issues


def add_user(*, session: Session, actor: Actor, username: str, display_name: str, role: str, password: str,
             organisation_id: int | None = None, position_th: str = "", committee_duty: str | None = None,
             oversight_province_th: str = "") -> AppUser:
    """Create an account; the password is stored only as an Argon2 hash.

    `position_th` (ตำแหน่ง) and `committee_duty` are how the meeting pack lists the person on the committee.
    An oversight account (a province or national office) belongs to no organisation and reads those of
    `oversight_province_th` ("": all); only the operator creates one."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS)
    if role == Role.OVERSIGHT:
        if actor.user_id is not None:
            raise NotAllowed(Issue("oversight_by_operator"))
        organisation_id = None
    else:
        if actor.user_id is not None:  # an administrator adds accounts to their own organisation
            organisation_id = _actor_org(session, actor)
        organisation_id = default_org(session, organisation_id)
        oversight_province_th = ""
    issues = _place_issues(position_th, committee_duty)
    if len(oversight_province_th or "") > MAX_PROVINCE_CHARS:
        issues.append(Issue("org_province_invalid"))
    if not USERNAME.match(username or ""):
        issues.append(Issue("username_invalid", {"username": username}))
    if _role_issue(role):
        issues.append(_role_issue(role))
    if not (display_name or "").strip():
        issues.append(Issue("display_name_required"))
    if weak := password_issue(password or "", username=username or "", display_name=display_name or "", role=role):
        issues.append(weak)
    if issues:
        raise InvalidInput(*issues)
    if session.exec(select(AppUser).where(AppUser.username == username)).first():
        raise Conflict(Issue("username_taken", {"username": username}))
    now = _now()
    user = AppUser(username=username, display_name=display_name.strip(), role=Role(role),
                   position_th=(position_th or "").strip(), committee_duty=committee_duty or None,
                   password_hash=hash_password(password, username=username, display_name=display_name, role=role),
                   organisation_id=organisation_id, oversight_province_th=(oversight_province_th or "").strip(),
                   created_at=now, updated_at=now)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor.username, action="user.add", entity="user", entity_id=username, after=audit.snapshot(user))
    return user


def list_users(*, session: Session, actor: Actor) -> list[AppUser]:
    authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS, writes=False)
    stmt = select(AppUser).order_by(AppUser.username)
    if actor.user_id is not None and (own := _actor_org(session, actor)) is not None:
        stmt = stmt.where(AppUser.organisation_id == own)
    return list(session.exec(stmt))


def _change(session: Session, actor: Actor, username: str, action: str, reason: str | None = None, **values) -> AppUser:
    authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS)
    user = _of_actors_org(session, actor, _get(session, username))
    before = audit.snapshot(user)
    for key, value in values.items():
        setattr(user, key, value)
    user.updated_at = _now()
    user.version += 1
    session.add(user)
    session.flush()
    audit.record(session, actor=actor.username, action=action, entity="user", entity_id=username, before=before,
                 after=audit.snapshot(user), reason=reason)
    return user


def set_role(*, session: Session, actor: Actor, username: str, role: str) -> AppUser:
    """Another of an organisation's roles (an oversight account stays one: it belongs to no organisation)."""
    authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS)
    if issue := _role_issue(role, ORG_ROLES):
        raise InvalidInput(issue)
    if _of_actors_org(session, actor, _get(session, username)).role == Role.OVERSIGHT:
        raise InvalidInput(Issue("role_oversight_fixed", {"username": username}))
    return _change(session, actor, username, "user.set_role", role=Role(role))


def set_committee_place(*, session: Session, actor: Actor, username: str, position_th: str,
                        committee_duty: str | None) -> AppUser:
    """The account's position (ตำแหน่ง) and duty on the committee (chair, member, secretary, …; None: not listed
    by duty), as the meeting pack's committee list and signature block print them."""
    if issues := _place_issues(position_th, committee_duty):
        authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS)
        raise InvalidInput(*issues)
    return _change(session, actor, username, "user.set_committee_place", position_th=(position_th or "").strip(),
                   committee_duty=committee_duty or None)


EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")


def set_email(*, session: Session, actor: Actor, username: str, email: str) -> AppUser:
    """Where the account's reminders go ("" for none); a malformed address is refused as typed."""
    email = (email or "").strip()
    if email and (len(email) > 254 or not EMAIL.fullmatch(email)):
        authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS)
        raise InvalidInput(Issue("email_invalid", {"value": email}, column="email"))
    return _change(session, actor, username, "user.set_email", email=email)


def disable_user(*, session: Session, actor: Actor, username: str) -> AppUser:
    return _change(session, actor, username, "user.disable", is_active=False)


def enable_user(*, session: Session, actor: Actor, username: str) -> AppUser:
    """Let a disabled account sign in again (its password and role are as they were)."""
    return _change(session, actor, username, "user.enable", is_active=True)


def reset_password(*, session: Session, actor: Actor, username: str, password: str) -> AppUser:
    authorize(session=session, actor=actor, permission=Permission.MANAGE_USERS)
    account = _of_actors_org(session, actor, _get(session, username))
    return _change(session, actor, username, "user.reset_password", password_hash=hash_password(
        password, username=account.username, display_name=account.display_name, role=account.role))
