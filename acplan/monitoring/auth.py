"""Argon2 password hashing, and the permission check every monitoring service makes against the stored account."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, func, select

from acplan.access import Actor, Permission, Role, require
from acplan.errors import InvalidInput, Issue, NotAllowed
from acplan.monitoring import chain
from acplan.monitoring.models import AppUser, EvaluationRound
from acplan.plan.models import Organisation, Plan

_hasher = PasswordHasher()
MIN_PASSWORD_CHARS = 10
MIN_STAFF_PASSWORD_CHARS = 12  # admin and secretary: the accounts that can change who may do what
STAFF_ROLES = frozenset({Role.ADMIN, Role.SECRETARY})
MIN_STRENGTH = 3  # zxcvbn's score (0–4): 3 = "safely unguessable", well beyond common lists and simple patterns
MAX_PASSWORD_CHARS = 256


@cache
def _dummy_hash() -> str:
    """Verified when the account is unknown or disabled, so every sign-in does the same work whatever the name.
    Made on first use, not at import: an Argon2 hash takes 64 MB and ~0.1 s that a report or a command without
    a sign-in does not need."""
    return _hasher.hash("acplan: no such account")


def authorize(*, session: Session, actor: Actor, permission: Permission, writes: bool | None = None,
              plan_id: int | None = None, round_id: int | None = None, org_id: int | None = None) -> Role | None:
    """The actor's current role if it holds `permission`; NotAllowed otherwise.

    An account's role and state are read from the store, not from the Actor: a disabled account or a
    changed role takes effect on the account's next action, whatever its page was built with. A write
    permission also locks the audit chain's head first, so the write transaction holds its lock from the start
    (`writes=False` for a read that only needs a staff permission, e.g. a round's progress counts).

    An account acts inside its own organisation only: given the plan, round or organisation acted on, one of
    another organisation is refused (published data excepted: anyone may read it). The operator acts everywhere.
    """
    if writes if writes is not None else not permission.startswith("read_"):
        chain.lock(session)  # a write transaction takes its lock before it reads anything (chain.py)
    role = actor.role
    if actor.user_id is not None:
        user = session.get(AppUser, actor.user_id)
        if user is None or not user.is_active:
            raise NotAllowed(Issue("user_disabled", {"username": actor.username}))
        role = user.role
        require(role, permission)
        if permission != Permission.READ_PUBLISHED and (plan_id, round_id, org_id) != (None, None, None):
            _same_organisation(session, user, plan_id=plan_id, round_id=round_id, org_id=org_id)
        return role
    require(role, permission)
    return role


def acts_in(session: Session, actor: Actor, *, round_id: int | None = None, plan_id: int | None = None) -> bool:
    """Whether `actor` acts in the organisation of that round or plan (the operator and anonymous visitors: yes;
    for a visitor the rounds' visibility decides what is read)."""
    if actor.user_id is None:
        return True
    user = session.get(AppUser, actor.user_id)
    try:
        _same_organisation(session, user, plan_id=plan_id, round_id=round_id, org_id=None)
    except NotAllowed:
        return False
    return True


def org_of(session: Session, *, plan_id: int | None = None, round_id: int | None = None) -> int | None:
    """The organisation a plan, or a round's plan, belongs to (None if there is no such plan or round)."""
    if plan_id is None and round_id is not None:
        rnd = session.get(EvaluationRound, round_id)
        plan_id = rnd.plan_id if rnd is not None else None
    plan = session.get(Plan, plan_id) if plan_id is not None else None
    return plan.organisation_id if plan is not None else None


def in_scope(oversight_province: str, province: str) -> bool:
    """Whether an oversight account scoped to `oversight_province` ("" = every province) reads `province`."""
    return not oversight_province or oversight_province == province


def _same_organisation(session: Session, user: AppUser, *, plan_id: int | None, round_id: int | None,
                       org_id: int | None) -> None:
    if org_id is None:
        org_id = org_of(session, plan_id=plan_id, round_id=round_id)
    if user.role == Role.OVERSIGHT:  # no organisation of its own: those of its province, or all
        org = session.get(Organisation, org_id) if org_id is not None else None
        if org is not None and not in_scope(user.oversight_province_th, org.province_th):
            raise NotAllowed(Issue("not_in_scope", {"username": user.username, "province": user.oversight_province_th}))
        return
    if user.organisation_id is None:  # an account made while the store served one organisation
        if session.exec(select(func.count()).select_from(Organisation)).one() > 1:
            raise NotAllowed(Issue("account_without_org", {"username": user.username}))
        return
    if org_id is not None and org_id != user.organisation_id:
        raise NotAllowed(Issue("not_your_org", {"username": user.username}))


def password_issue(password: str, *, username: str, display_name: str, role: str) -> Issue | None:
    """Why `password` may not be used, or None: too short, the account's own name, or easy to guess.

    "Easy to guess" is zxcvbn's estimate, which knows lists of common passwords, words, names, keyboard
    patterns, repeats and dates, and is given the username and name so that variations of them count as weak.
    """
    from zxcvbn import zxcvbn

    minimum = MIN_STAFF_PASSWORD_CHARS if role in STAFF_ROLES else MIN_PASSWORD_CHARS
    if len(password) < minimum:
        return Issue("password_too_short", {"min": minimum})
    if len(password) > MAX_PASSWORD_CHARS:
        return Issue("password_too_long", {"max": MAX_PASSWORD_CHARS})
    folded = password.casefold().strip()
    if folded in {username.casefold(), display_name.casefold().strip()}:
        return Issue("password_is_name")
    if zxcvbn(password, user_inputs=[username, *display_name.split()])["score"] < MIN_STRENGTH:
        return Issue("password_too_weak")
    return None


def hash_password(password: str, *, username: str, display_name: str, role: str) -> str:
    """The Argon2id hash of a new password, once the password passes `password_issue`."""
    if issue := password_issue(password, username=username, display_name=display_name, role=role):
        raise InvalidInput(issue)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash (unknown or disabled account) a dummy is verified, same work."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password[:MAX_PASSWORD_CHARS]) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def rehash(password: str) -> str:
    """A fresh hash of a password already accepted once (when Argon2's parameters have changed)."""
    return _hasher.hash(password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
