"""A public snapshot of an SQLite store: published data only, no accounts, no audit trail, no free pages."""

import sqlite3
from pathlib import Path

from acplan.errors import InvalidInput, Issue

# Run on the copy, never on the live store. Order matters: children before parents.
SCRUB = [
    "DELETE FROM indicatorresult WHERE score_entry_id IN (SELECT e.id FROM scoreentry e JOIN evaluationround r "
    "ON r.id = e.round_id WHERE r.status != 'published' OR e.state != 'submitted')",
    "DELETE FROM scoreentry WHERE round_id IN (SELECT id FROM evaluationround WHERE status != 'published') "
    "OR state != 'submitted'",
    "UPDATE finding SET brought_forward_from_id = NULL",
    "DELETE FROM finding WHERE visibility != 'public' OR round_id IN "
    "(SELECT id FROM evaluationround WHERE status != 'published')",
    "UPDATE finding SET created_by_id = NULL",
    "UPDATE evaluationround SET prefilled_from_id = NULL",
    "DELETE FROM evaluationround WHERE status != 'published'",
    # Members become anonymous placeholders: entries keep their aggregates, nobody's name or password remains.
    "UPDATE appuser SET username = 'member-' || id, display_name = '', role = 'committee', password_hash = '', "
    "organisation_id = NULL",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
    "DELETE FROM audit_log",
    "DELETE FROM login_throttle",
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
        dst.execute("VACUUM")  # deleted rows must not survive in free pages of the published file
        counts = {t: dst.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608 (fixed table names)
                  for t in ("evaluationround", "scoreentry", "finding", "appuser", "audit_log")}
    finally:
        src.close()
        dst.close()
    return counts
