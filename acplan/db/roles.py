"""PostgreSQL roles: the owner migrates; the app may not rewrite the audit log; the public site reads published data.

`grant_app_role` is run by the owner after every migration (`python -m acplan grant-roles`): the app's role
gets SELECT, INSERT, UPDATE and DELETE on the tables it works in, but only SELECT and INSERT on
`audit_log`; it owns nothing, so it cannot disable or drop the append-only triggers or replace their
function. (The public role is issue #10's item 15: views of published data only.)
"""

from sqlalchemy import Connection, text
from sqlalchemy.sql.elements import quoted_name

APPEND_ONLY = ("audit_log",)
READ_ONLY = ("alembic_version",)


def _ident(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(quoted_name(name, quote=True))


def grant_app_role(conn: Connection, role: str) -> None:
    """Give `role` what the internal app needs and nothing that would let it rewrite the record."""
    r = _ident(conn, role)
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        *[f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {r}" for t in READ_ONLY],
        *[f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {t} FROM {r}" for t in APPEND_ONLY],
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"REVOKE ALL ON FUNCTION audit_log_append_only() FROM PUBLIC, {r}",
    ):
        conn.execute(text(statement))
