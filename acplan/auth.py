"""Roles, the permission matrix (README "Roles and permissions"), and Argon2 password hashing."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from acplan.errors import Issue, NotAllowed
from acplan.models import Role

ANONYMOUS = "anonymous"
ADMIN, SECRETARY, COMMITTEE, COUNCIL = Role.ADMIN.value, Role.SECRETARY.value, Role.COMMITTEE.value, Role.COUNCIL.value

# action -> roles allowed; anonymous visitors may only read what is published.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read_published": frozenset({ANONYMOUS, ADMIN, SECRETARY, COMMITTEE, COUNCIL}),
    "read_unpublished": frozenset({ADMIN, SECRETARY, COMMITTEE, COUNCIL}),
    "read_member_scores": frozenset({ADMIN, SECRETARY, COMMITTEE, COUNCIL}),
    "score": frozenset({COMMITTEE}),
    "manage_rounds": frozenset({ADMIN, SECRETARY}),
    "reopen_round": frozenset({ADMIN, SECRETARY}),
    "publish_round": frozenset({ADMIN, SECRETARY}),
    "record_yearly_results": frozenset({ADMIN, SECRETARY}),
    "manage_findings": frozenset({ADMIN, SECRETARY, COMMITTEE}),
    "manage_users": frozenset({ADMIN}),
    "edit_plan": frozenset({ADMIN}),
    "read_audit_log": frozenset({ADMIN, SECRETARY, COUNCIL}),
}
ROLES = (ADMIN, SECRETARY, COMMITTEE, COUNCIL)

_hasher = PasswordHasher()
MIN_PASSWORD_CHARS = 10


def can(role: str | None, action: str) -> bool:
    return (role or ANONYMOUS) in PERMISSIONS[action]


def require(role: str | None, action: str) -> None:
    """Raise NotAllowed unless `role` may perform `action`; the server-side check behind every write."""
    if not can(role, action):
        raise NotAllowed(Issue("not_allowed", {"action": action}))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        from acplan.errors import InvalidInput
        raise InvalidInput(Issue("password_too_short", {"min": MIN_PASSWORD_CHARS}))
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
