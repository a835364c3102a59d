"""A public snapshot of an SQLite store: published data only, no accounts, no audit trail, no free pages.

What is kept per member, and why: the public results show each item's spread of scores (median, lowest,
highest, how many members scored, whether they differ by two levels or more), which is computed from
the members' submitted scores. So submitted entries of published rounds stay, but nothing that says who
gave them: each snapshot numbers the members and their entries afresh at random (a member is not the
same number in two snapshots, nor the same as in the store), and comments, notes, timestamps and
versions are dropped. Accounts are only those placeholders; the audit log and sign-in counters are empty.
"""

import secrets
import sqlite3
from pathlib import Path

from acplan.errors import InvalidInput, Issue

PUBLIC_REPORTS = ("(SELECT u.id FROM unit_report u JOIN evaluationround r ON r.id = u.round_id "
                  "WHERE r.status = 'published' AND u.state = 'submitted')")
# Run on the copy, never on the live store. Order matters: children before parents.
SCRUB = [
    "DELETE FROM reminder_log",  # who was reminded of what: never public
    "DELETE FROM round_summary WHERE round_id IN (SELECT id FROM evaluationround WHERE status != 'published')",
    "DELETE FROM indicatorresult WHERE score_entry_id IN (SELECT e.id FROM scoreentry e JOIN evaluationround r "
    "ON r.id = e.round_id WHERE r.status != 'published' OR e.state != 'submitted')",
    "DELETE FROM scoreentry WHERE round_id IN (SELECT id FROM evaluationround WHERE status != 'published') "
    "OR state != 'submitted'",
    "UPDATE finding SET brought_forward_from_id = NULL",
    "DELETE FROM finding WHERE visibility != 'public' OR round_id IN "
    "(SELECT id FROM evaluationround WHERE status != 'published')",
    "UPDATE finding SET created_by_id = NULL",
    "UPDATE evaluationround SET prefilled_from_id = NULL",
    # Units' reports: the submitted ones of published rounds are public (what each unit says it did); who typed them
    # and when is not, nor drafts or a report the secretary returned.
    f"DELETE FROM unit_report_activity WHERE report_id NOT IN {PUBLIC_REPORTS}",
    f"DELETE FROM unit_report_indicator WHERE report_id NOT IN {PUBLIC_REPORTS}",
    f"DELETE FROM unit_report WHERE id NOT IN {PUBLIC_REPORTS}",
    "UPDATE unit_report SET updated_by_id = NULL, returned_reason_th = '', version = 1, "
    "created_at = (SELECT published_at FROM evaluationround r WHERE r.id = round_id), "
    "updated_at = (SELECT published_at FROM evaluationround r WHERE r.id = round_id), "
    "submitted_at = (SELECT published_at FROM evaluationround r WHERE r.id = round_id)",
    "DELETE FROM account_unit",
    # Evidence: the files marked public of public records of published rounds; who uploaded them is not kept.
    "DELETE FROM evidence WHERE NOT public OR withdrawn_at IS NOT NULL OR round_id IN "
    "(SELECT id FROM evaluationround WHERE status != 'published') OR "
    f"(subject = 'unit_report' AND subject_id NOT IN {PUBLIC_REPORTS}) OR "
    "(subject = 'finding' AND subject_id NOT IN (SELECT id FROM finding WHERE visibility = 'public' AND round_id IN "
    "(SELECT id FROM evaluationround WHERE status = 'published'))) OR (subject = 'entry' AND subject_id NOT IN "
    "(SELECT e.id FROM scoreentry e JOIN evaluationround r ON r.id = e.round_id WHERE r.status = 'published' "
    "AND e.state = 'submitted'))",
    "UPDATE evidence SET uploaded_by_id = NULL, withdrawn_by_id = NULL, "
    "uploaded_at = (SELECT published_at FROM evaluationround r WHERE r.id = round_id)",
    "DELETE FROM evaluationround WHERE status != 'published'",
    # Members become anonymous placeholders: entries keep their aggregates, nobody's name or password remains.
    "DELETE FROM appuser WHERE id NOT IN (SELECT member_id FROM scoreentry)",
    "UPDATE scoreentry SET comment = '', carried_forward = 0, version = 1, "
    "created_at = (SELECT published_at FROM evaluationround r WHERE r.id = round_id), "
    "updated_at = (SELECT published_at FROM evaluationround r WHERE r.id = round_id)",
    "UPDATE indicatorresult SET note = ''",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
    "DELETE FROM audit_log",
    "DELETE FROM login_throttle",
    "DELETE FROM signin_ticket",
    "DELETE FROM web_session",
]


def publish_snapshot(source: Path, target: Path) -> dict[str, int]:
    """Copy `source` consistently (SQLite backup API, safe while the app runs) to `target` and scrub the copy."""
    if target.exists():
        raise InvalidInput(Issue("snapshot_exists", {"path": str(target)}))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        with dst:
            dst.execute("PRAGMA foreign_keys=ON")
            for statement in SCRUB:
                dst.execute(statement)
            dst.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
        _pseudonymise(dst)
        dst.execute("VACUUM")  # deleted rows must not survive in free pages of the published file
        counts = {t: dst.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608 (fixed table names)
                  for t in ("evaluationround", "scoreentry", "finding", "appuser", "audit_log")}
    finally:
        src.close()
        dst.close()
    return counts


# table -> the columns of other tables that hold its id
RENUMBERED = {"appuser": [("scoreentry", "member_id")], "scoreentry": [("indicatorresult", "score_entry_id")],
              "indicatorresult": []}


def _pseudonymise(conn: sqlite3.Connection) -> None:
    """Give members, entries and indicator results random new ids, and members names made from them."""
    rng = secrets.SystemRandom()
    conn.execute("PRAGMA foreign_keys=OFF")  # ids change in parent and children together, checked below
    with conn:
        for table, refs in RENUMBERED.items():
            old_ids = [r[0] for r in conn.execute(f"SELECT id FROM {table}")]  # noqa: S608 (fixed names)
            for old, new in zip(old_ids, rng.sample(range(1, 2**31), len(old_ids)), strict=True):
                conn.execute(f"UPDATE {table} SET id = ? WHERE id = ?", (-new, old))  # noqa: S608
                for child, column in refs:
                    conn.execute(f"UPDATE {child} SET {column} = ? WHERE {column} = ?", (-new, old))  # noqa: S608
            conn.execute(f"UPDATE {table} SET id = -id")  # noqa: S608
            for child, column in refs:
                conn.execute(f"UPDATE {child} SET {column} = -{column}")  # noqa: S608
        first_published = "(SELECT min(published_at) FROM evaluationround)"
        conn.execute("UPDATE appuser SET username = 'member-' || "
                     "(SELECT count(*) FROM appuser b WHERE b.id <= appuser.id), display_name = '', "
                     f"role = 'committee', password_hash = '', position_th = '', committee_duty = NULL, oversight_province_th = '', email = '', organisation_id = NULL, is_active = 1, version = 1, "
                     f"created_at = {first_published}, updated_at = {first_published}")  # noqa: S608
    conn.execute("PRAGMA foreign_keys=ON")
    if conn.execute("PRAGMA foreign_key_check").fetchall():
        raise RuntimeError("the public snapshot's foreign keys do not hold")  # a bug here, never user input
