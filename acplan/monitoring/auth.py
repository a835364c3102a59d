"""Argon2 password hashing, and the permission check every monitoring service makes against the stored account."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from acplan.access import Actor, Permission, Role, require
from acplan.errors import InvalidInput, Issue, NotAllowed
from acplan.monitoring.models import AppUser

_hasher = PasswordHasher()
MIN_PASSWORD_CHARS = 10


def authorize(*, session: Session, actor: Actor, permission: Permission) -> Role | None:
    """The actor's current role if it holds `permission`; NotAllowed otherwise.

    An account's role and state are read from the store, not from the Actor: a disabled account or a
    changed role takes effect on the account's next action, whatever its page was built with.
    """
    role = actor.role
    if actor.user_id is not None:
        user = session.get(AppUser, actor.user_id)
        if user is None or not user.is_active:
            raise NotAllowed(Issue("user_disabled", {"username": actor.username}))
        role = user.role
    require(role, permission)
    return role


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(Issue("password_too_short", {"min": MIN_PASSWORD_CHARS}))
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
