"""Backup and restore of a whole store as one gzipped JSON file (SQLite or PostgreSQL, either way round).

Both take the store's `metadata` (every table, from the models the caller imports), so this layer
stays below the contexts that define the tables.
"""

import base64
import gzip
import hashlib
import json
import sqlite3
import tempfile
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, create_engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError, StatementError

from acplan import db
from acplan.errors import InvalidInput, Issue, UnusableInput

FORMAT = "acplan-backup"
VERSION = 1


def _encode(value):
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        key, raw = next(iter(value.items()))
        if key == "$dt":
            return datetime.fromisoformat(raw)
        if key == "$d":
            return date.fromisoformat(raw)
        if key == "$b":
            return base64.b64decode(raw)
    return value


# Tables whose rows the migrations themselves create: a restore replaces them with the backup's.
MIGRATION_ROWS = ("audit_head",)


Blobs = tuple[Callable[[Connection], list[str]], Callable[[str], bytes]]


def backup(engine: Engine, *, metadata: MetaData, blobs: Blobs | None = None) -> tuple[bytes, int]:
    """Every row of every table, read in one consistent snapshot, with the schema revision; and the number of rows.

    `blobs`: (the SHA-256 digests the rows refer to, read in the same snapshot; how to read the bytes of one) —
    the evidence files, carried in the file under their digests and checked against them.
    The file is verified before it is returned: restored into a scratch SQLite store, every table must hold
    the rows it holds in the file. A backup that would not restore is never reported as made.
    """
    with _snapshot(engine) as conn:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        tables = {table.name: [{k: _encode(v) for k, v in row.items()}
                               for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()]
                  for table in metadata.sorted_tables}
        digests = sorted(set(blobs[0](conn))) if blobs else []
    files = {d: base64.b64encode(blobs[1](d)).decode() for d in digests}
    payload = {"format": FORMAT, "version": VERSION, "revision": revision, "tables": tables, "blobs": files}
    data = gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    _verify(data, metadata)
    return data, sum(len(r) for r in tables.values())


@contextmanager
def _snapshot(engine: Engine):
    """A connection that sees the store as of one moment while others write.

    PostgreSQL: one REPEATABLE READ, read-only transaction. SQLite: a copy made with SQLite's online backup
    API (consistent even while the app writes), read from instead of the live file.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "snapshot.db"
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(copy)
            raw.driver_connection.backup(target)
            target.close()
        finally:
            raw.close()
        scratch = create_engine(f"sqlite:///{copy}")
        try:
            with scratch.connect() as conn:
                yield conn
        finally:
            scratch.dispose()


def _verify(data: bytes, metadata: MetaData) -> None:
    blobs_of(data)  # every carried file matches its digest
    with tempfile.TemporaryDirectory() as tmp:
        scratch = db.make_engine(f"sqlite:///{Path(tmp) / 'verify.db'}")
        try:
            counts = restore(scratch, data, metadata=metadata)
            with scratch.connect() as conn:
                held = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in metadata.sorted_tables}
        finally:
            scratch.dispose()
    if any(held.get(name, 0) != n for name, n in counts.items()):
        raise InvalidInput(Issue("backup_failed_verification"))


def blobs_of(data: bytes) -> dict[str, bytes]:
    """The files a backup carries, each checked against its SHA-256 (UnusableInput if one does not match)."""
    try:
        carried = json.loads(gzip.decompress(data)).get("blobs") or {}
        out = {digest: base64.b64decode(raw) for digest, raw in carried.items()}
    except (OSError, EOFError, ValueError, TypeError, AttributeError, zlib.error):
        raise UnusableInput(Issue("backup_unreadable")) from None
    if any(hashlib.sha256(raw).hexdigest() != digest for digest, raw in out.items()):
        raise UnusableInput(Issue("backup_blob_changed"))
    return out


def _parse(data: bytes, metadata: MetaData) -> tuple[str, dict[str, list[dict]]]:
    """The revision and decoded rows of a backup file, checked in full before anything is written."""
    try:
        payload = json.loads(gzip.decompress(data))
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise ValueError("not an acplan backup")
        revision, tables = payload["revision"], payload["tables"]
        if revision not in db.known_revisions() or not isinstance(tables, dict):
            raise ValueError("unknown revision")
        columns = {t.name: {c.name for c in t.columns} for t in metadata.sorted_tables}
        rows = {}
        for name, items in tables.items():
            if name not in columns or not isinstance(items, list):
                raise ValueError(name)
            rows[name] = [{k: _decode(v) for k, v in item.items()} for item in items]
            if any(set(r) - columns[name] for r in rows[name]):
                raise ValueError(name)
        return revision, rows
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError, RecursionError, zlib.error):
        raise UnusableInput(Issue("backup_unreadable")) from None


def restore(engine: Engine, data: bytes, *, metadata: MetaData,
            write_blob: Callable[[bytes], str] | None = None) -> dict[str, int]:
    """Restore a backup into an empty database; all tables or nothing, and the target untouched if it fails.
    `write_blob` keeps each file the backup carries (every one checked against its SHA-256 before anything is
    written)."""
    revision, tables = _parse(data, metadata)
    carried = blobs_of(data)
    if db.current_revision(engine) is not None:
        with engine.connect() as conn:
            if any(conn.execute(select(func.count()).select_from(t)).scalar()
                   for t in metadata.sorted_tables if t.name not in MIGRATION_ROWS and inspect(conn).has_table(t.name)):
                raise InvalidInput(Issue("restore_target_not_empty"))
    for raw in carried.values() if write_blob is not None else ():  # files first: content-addressed, so a failed
        write_blob(raw)                                              # restore leaves nothing that refers to them
    created = db.current_revision(engine) is None
    db.migrate(engine, revision)
    try:
        with engine.begin() as conn:
            for table in metadata.sorted_tables:
                if table.name in MIGRATION_ROWS and inspect(conn).has_table(table.name):
                    conn.execute(table.delete())
                if rows := tables.get(table.name):
                    conn.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql":
                _reset_sequences(conn, metadata)
        db.migrate(engine)
    except (DBAPIError, StatementError):
        if created:
            db.downgrade_to_nothing(engine)
        raise UnusableInput(Issue("backup_unreadable")) from None
    return {name: len(rows) for name, rows in tables.items()}


def _reset_sequences(conn, metadata: MetaData) -> None:
    """After inserting explicit ids, move each id sequence past them (table names come from our own metadata)."""
    for table in metadata.sorted_tables:
        if "id" in table.c and inspect(conn).has_table(table.name):
            quoted = '"' + table.name + '"'
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {quoted}), 0) + 1, false)"))
