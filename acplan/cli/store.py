"""`publish-snapshot`, `backup`, `restore`: whole-store operations outside a single transaction."""

import sys
from pathlib import Path

import obstore
from sqlalchemy import text
from sqlmodel import SQLModel

import acplan.monitoring.models  # noqa: F401  (registers every table for backup and restore)
from acplan import db, settings
from acplan.cli.common import err, out, read_file
from acplan.db import backup as bak
from acplan.db import snapshot as snap
from acplan.errors import InvalidInput, Issue
from acplan.i18n import t
from acplan.monitoring import files

SQLITE_PREFIX = "sqlite:///"


def snapshot(args) -> int:
    url = settings.get().database_url
    if not url.startswith(SQLITE_PREFIX):
        raise InvalidInput(Issue("snapshot_needs_sqlite"))
    counts = snap.publish_snapshot(Path(url.removeprefix(SQLITE_PREFIX)), Path(args.path))
    if args.evidence_dir:  # the public site's evidence: the files the snapshot still refers to, and nothing else
        import sqlite3

        from obstore.store import LocalStore
        conn = sqlite3.connect(args.path)
        try:
            digests = [d for row in conn.execute("SELECT sha256, thumbnail_sha256 FROM evidence") for d in row if d]
        finally:
            conn.close()
        target = LocalStore(prefix=args.evidence_dir, mkdir=True)
        for digest in sorted(set(digests)):
            obstore.put(target, files.key(digest), files.get(digest))
    out(t("cli_snapshot_done", args.lang, path=args.path, rounds=counts["evaluationround"], findings=counts["finding"]))
    return 0


def _evidence_digests(conn) -> list[str]:
    """The evidence files the store still holds (not purged): every photo, document and thumbnail."""
    rows = conn.execute(text("SELECT sha256, thumbnail_sha256 FROM evidence WHERE purged_at IS NULL")).all()
    return [d for row in rows for d in row if d]


def backup(args) -> int:
    data, rows = bak.backup(db.make_engine(), metadata=SQLModel.metadata, blobs=(_evidence_digests, files.get))
    Path(args.output).write_bytes(data)
    out(t("cli_backup_done", args.lang, path=args.output, rows=rows))
    return 0


def restore(args) -> int:
    if not args.yes:
        sys.stderr.write(t("cli_restore_confirm", args.lang, path=args.path))
        if sys.stdin.readline().strip() != "RESTORE":
            err(t("cli_restore_cancelled", args.lang))
            return 1
    counts = bak.restore(db.make_engine(), read_file(args.path), metadata=SQLModel.metadata, write_blob=files.put)
    out(t("cli_restore_done", args.lang, rows=sum(counts.values())))
    return 0


def grant_roles(args) -> int:
    from acplan.db.published import grant_public_role
    from acplan.db.roles import grant_app_role

    engine = db.make_engine()
    if engine.dialect.name != "postgresql":
        raise InvalidInput(Issue("grant_needs_postgresql"))
    db.require_current_schema(engine)
    with engine.begin() as conn:
        grant_app_role(conn, args.app_role)
        if args.public_role:
            grant_public_role(conn, args.public_role, engine.url.database)
    out(t("cli_grant_done", args.lang, role=args.app_role))
    if args.public_role:
        out(t("cli_grant_public_done", args.lang, role=args.public_role))
    return 0
