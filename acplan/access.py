"""Who acts and what a role may do: the permission matrix of README "Roles and permissions".

Every service that writes or reads non-public data takes `actor=` and checks the permission first
(`require`); pages and the command line only decide what to offer. The command line acts as the
operator, a role no account can hold: whoever runs it already holds the database.
"""

from dataclasses import dataclass
from enum import StrEnum

from acplan.errors import Issue, NotAllowed


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARY = "secretary"
    COMMITTEE = "committee"
    COUNCIL = "council"
    UNIT = "unit"  # staff of one or more responsible units: report on their items in an open round
    OVERSIGHT = "oversight"  # a province or national office: reads the results of the organisations in its scope
    OPERATOR = "operator"


ORG_ROLES = (Role.ADMIN, Role.SECRETARY, Role.COMMITTEE, Role.COUNCIL, Role.UNIT)  # an organisation's own accounts
ACCOUNT_ROLES = (*ORG_ROLES, Role.OVERSIGHT)
ANONYMOUS = "anonymous"


class Permission(StrEnum):
    READ_PUBLISHED = "read_published"
    READ_UNPUBLISHED = "read_unpublished"
    READ_MEMBER_SCORES = "read_member_scores"
    READ_OPEN_ROUND_SCORES = "read_open_round_scores"
    SCORE = "score"
    IMPORT_MEMBER_SHEET = "import_member_sheet"
    MANAGE_ROUNDS = "manage_rounds"
    REOPEN_ROUND = "reopen_round"
    PUBLISH_ROUND = "publish_round"
    RECORD_YEARLY_RESULTS = "record_yearly_results"
    MANAGE_FINDINGS = "manage_findings"
    MANAGE_USERS = "manage_users"
    EDIT_PLAN = "edit_plan"
    MANAGE_ORGS = "manage_orgs"
    READ_AUDIT_LOG = "read_audit_log"
    REPORT_UNIT = "report_unit"
    RETURN_UNIT_REPORT = "return_unit_report"
    IMPORT_UNIT_SHEET = "import_unit_sheet"
    PURGE_EVIDENCE = "purge_evidence"


_STAFF = {Role.ADMIN, Role.SECRETARY, Role.OPERATOR}
_INTERNAL = {Role.ADMIN, Role.SECRETARY, Role.COMMITTEE, Role.COUNCIL, Role.OPERATOR}
PERMISSIONS: dict[Permission, frozenset[str]] = {
    Permission.READ_PUBLISHED: frozenset({ANONYMOUS, *_INTERNAL, Role.OVERSIGHT, Role.UNIT}),
    Permission.READ_UNPUBLISHED: frozenset({*_INTERNAL, Role.OVERSIGHT}),
    Permission.READ_MEMBER_SCORES: frozenset(_INTERNAL),
    # Members score independently: while a round is draft or open nobody reads others' scores (only the
    # server's operator, for support); the results show how many have submitted, not what they gave.
    Permission.READ_OPEN_ROUND_SCORES: frozenset({Role.OPERATOR}),
    Permission.SCORE: frozenset({Role.COMMITTEE}),
    Permission.IMPORT_MEMBER_SHEET: frozenset({Role.OPERATOR}),
    Permission.MANAGE_ROUNDS: frozenset(_STAFF),
    Permission.REOPEN_ROUND: frozenset(_STAFF),
    Permission.PUBLISH_ROUND: frozenset(_STAFF),
    Permission.RECORD_YEARLY_RESULTS: frozenset(_STAFF),
    Permission.MANAGE_FINDINGS: frozenset({*_STAFF, Role.COMMITTEE}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN, Role.OPERATOR}),
    Permission.EDIT_PLAN: frozenset({Role.ADMIN, Role.OPERATOR}),
    Permission.MANAGE_ORGS: frozenset({Role.OPERATOR}),  # who runs the server adds the organisations it serves
    Permission.READ_AUDIT_LOG: frozenset({Role.ADMIN, Role.SECRETARY, Role.COUNCIL, Role.OPERATOR}),
    # A unit reports on its own items in an open round (drafts, then submitted); the secretary may return one.
    Permission.REPORT_UNIT: frozenset({Role.UNIT}),
    Permission.RETURN_UNIT_REPORT: frozenset(_STAFF),
    Permission.IMPORT_UNIT_SHEET: frozenset({Role.OPERATOR}),
    Permission.PURGE_EVIDENCE: frozenset({Role.ADMIN, Role.OPERATOR}),
}


@dataclass(frozen=True)
class Actor:
    """Who performs an action: a signed-in account (`user_id`), an anonymous visitor, or the operator.

    For an account the services re-read its role and state from the store, so a role changed or an
    account disabled since sign-in takes effect at once; `role` here is what the page was built for.
    """

    username: str
    role: Role | None = None
    user_id: int | None = None
    organisation_id: int | None = None

    @classmethod
    def anonymous(cls) -> "Actor":
        return cls(ANONYMOUS)

    @classmethod
    def operator(cls, name: str = "cli") -> "Actor":
        """The command line (or the app's own start-up), acting for whoever runs it on the server."""
        return cls(name, Role.OPERATOR)

    def can(self, permission: Permission | str) -> bool:
        return can(self.role, permission)


def can(role: Role | str | None, permission: Permission | str) -> bool:
    """Whether `role` (None: anonymous) holds `permission`."""
    return (role or ANONYMOUS) in PERMISSIONS[Permission(permission)]


def require(role: Role | str | None, permission: Permission | str) -> None:
    """Raise NotAllowed unless `role` holds `permission`."""
    if not can(role, permission):
        raise NotAllowed(Issue("not_allowed", {"action": str(permission)}))
