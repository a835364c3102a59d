"""PostgreSQL: the schema `published`, one view per table holding only what the public site may show.

The public site's role reads these views and nothing else (its `search_path` is `published`, so the app's
queries, which name tables without a schema, read the views). Unpublished rounds, drafts, internal findings,
comments and notes, accounts (members become `member-N` placeholders), the audit log and sign-in counters
never reach it. The views belong to the owner and read the tables with the owner's rights.

A migration that changes a table calls `recreate_views` again at its end (a view keeps the columns it was
made with).
"""

from sqlalchemy import Connection, inspect, text

SCHEMA = "published"
PUBLISHED_ROUNDS = "(SELECT id FROM public.evaluationround WHERE status = 'published')"
SUBMITTED = f"(SELECT id FROM public.scoreentry WHERE state = 'submitted' AND round_id IN {PUBLISHED_ROUNDS})"
EPOCH = "TIMESTAMP '2000-01-01 00:00:00'"
PUBLIC_REPORTS = ("(SELECT id FROM public.unit_report WHERE state = 'submitted' AND round_id IN "
                  f"{PUBLISHED_ROUNDS})")

# table -> the SELECT its view makes; every other table is shown whole (the plan, the targets, yearly figures)
RULES = {
    "evaluationround": "SELECT * FROM public.evaluationround WHERE status = 'published'",
    "scoreentry": "SELECT id, round_id, project_id, member_id, status, not_possible_reason, progress_pct, score, "
                  f"spent_thb, ''::varchar AS comment, state, carried_forward, {EPOCH} AS created_at, "
                  f"{EPOCH} AS updated_at, 1 AS version FROM public.scoreentry WHERE id IN {SUBMITTED}",
    "indicatorresult": "SELECT id, score_entry_id, indicator_id, actual_value, achieved, ''::varchar AS note "
                       f"FROM public.indicatorresult WHERE score_entry_id IN {SUBMITTED}",
    "finding": "SELECT * FROM public.finding WHERE visibility = 'public' AND round_id IN " + PUBLISHED_ROUNDS,
    "appuser": "SELECT id, NULL::integer AS organisation_id, 'member-' || row_number() OVER (ORDER BY id) AS username, "
               "''::varchar AS display_name, 'committee'::varchar AS role, ''::varchar AS password_hash, "
               "''::varchar AS position_th, NULL::varchar AS committee_duty, ''::varchar AS oversight_province_th, "
               "''::varchar AS email, "
               f"true AS is_active, {EPOCH} AS created_at, {EPOCH} AS updated_at, 1 AS version FROM public.appuser "
               f"WHERE id IN (SELECT member_id FROM public.scoreentry WHERE id IN {SUBMITTED})",
    "unit_report": "SELECT id, round_id, project_id, unit_id, state, status, progress_pct, spent_thb, done_th, "
                   "problems_th, suggestions_th, ''::varchar AS returned_reason_th, NULL::integer AS updated_by_id, "
                   f"{EPOCH} AS created_at, {EPOCH} AS updated_at, {EPOCH} AS submitted_at, 1 AS version "
                   f"FROM public.unit_report WHERE id IN {PUBLIC_REPORTS}",
    "unit_report_activity": f"SELECT * FROM public.unit_report_activity WHERE report_id IN {PUBLIC_REPORTS}",
    "unit_report_indicator": f"SELECT * FROM public.unit_report_indicator WHERE report_id IN {PUBLIC_REPORTS}",
    "account_unit": "SELECT * FROM public.account_unit WHERE false",
    "evidence": "SELECT id, round_id, subject, subject_id, sha256, size, content_type, original_name, thumbnail_sha256, "
                f"public, NULL::integer AS uploaded_by_id, {EPOCH} AS uploaded_at, NULL::timestamp AS withdrawn_at, "
                "NULL::integer AS withdrawn_by_id, ''::varchar AS withdrawn_reason, NULL::timestamp AS purged_at "
                f"FROM public.evidence WHERE public AND withdrawn_at IS NULL AND round_id IN {PUBLISHED_ROUNDS} AND ("
                f"(subject = 'unit_report' AND subject_id IN {PUBLIC_REPORTS}) OR (subject = 'finding' AND subject_id IN "
                "(SELECT id FROM public.finding WHERE visibility = 'public')) OR "
                f"(subject = 'entry' AND subject_id IN {SUBMITTED}))",
    "round_summary": f"SELECT * FROM public.round_summary WHERE round_id IN {PUBLISHED_ROUNDS}",
    "audit_log": "SELECT * FROM public.audit_log WHERE false",
    "login_throttle": "SELECT * FROM public.login_throttle WHERE false",
    "reminder_log": "SELECT * FROM public.reminder_log WHERE false",
    "web_session": "SELECT * FROM public.web_session WHERE false",
    "signin_ticket": "SELECT * FROM public.signin_ticket WHERE false",
}


def recreate_views(conn: Connection) -> None:
    """(Re)create schema `published` with a view for every table of schema public."""
    conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    for table in inspect(conn).get_table_names(schema="public"):
        select = RULES.get(table, f'SELECT * FROM public."{table}"')
        conn.execute(text(f'CREATE VIEW {SCHEMA}."{table}" AS {select}'))  # names from the catalog, rules fixed here


# Functions every role may call by default that a read-only site has no use for: storing data outside the
# tables (large objects), holding locks, and messaging other sessions.
UNNEEDED_FUNCTIONS = (
    "lo_from_bytea(oid, bytea)", "lo_create(oid)", "lo_creat(integer)", "lo_import(text)", "lo_import(text, oid)",
    "lo_put(oid, bigint, bytea)", "lo_unlink(oid)", "lowrite(integer, bytea)", "lo_open(oid, integer)",
    "pg_advisory_lock(bigint)", "pg_advisory_lock(integer, integer)", "pg_advisory_lock_shared(bigint)",
    "pg_try_advisory_lock(bigint)", "pg_try_advisory_lock(integer, integer)", "pg_advisory_xact_lock(bigint)",
    "pg_try_advisory_xact_lock(bigint)", "pg_notify(text, text)",
)


def grant_public_role(conn: Connection, role: str, database: str) -> None:
    """Give `role` SELECT on the published views only, read-only sessions, no temporary tables or large objects."""
    quote = conn.dialect.identifier_preparer.quote
    r, db = quote(role), quote(database)
    for statement in (
        f"REVOKE TEMPORARY ON DATABASE {db} FROM PUBLIC",
        f"REVOKE ALL ON SCHEMA public FROM PUBLIC, {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {r}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO {r}",
        f"ALTER ROLE {r} SET search_path = {SCHEMA}",
        f"ALTER ROLE {r} SET default_transaction_read_only = on",
        *[f"REVOKE EXECUTE ON FUNCTION pg_catalog.{fn} FROM PUBLIC" for fn in UNNEEDED_FUNCTIONS],
    ):
        conn.execute(text(statement))
