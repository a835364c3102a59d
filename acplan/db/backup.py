"""Backup and restore of a whole store as one gzipped JSON file (SQLite or PostgreSQL, either way round).

Both take the store's `metadata` (every table, from the models the caller imports), so this layer
stays below the contexts that define the tables.
"""

import base64
import gzip
import json
from datetime import date, datetime

from sqlalchemy import Engine, MetaData, func, inspect, select, text

from acplan import db
from acplan.errors import InvalidInput, Issue

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


def backup(engine: Engine, *, metadata: MetaData) -> tuple[bytes, int]:
    """Every row of every table, in dependency order, with the schema revision; and the number of rows."""
    tables = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    payload = {"format": FORMAT, "version": VERSION, "revision": db.current_revision(engine), "tables": tables}
    rows = sum(len(r) for r in tables.values())
    return gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8")), rows


def restore(engine: Engine, data: bytes, *, metadata: MetaData) -> dict[str, int]:
    """Restore a backup into an empty database (created through the migrations); all tables or nothing."""
    try:
        payload = json.loads(gzip.decompress(data))
    except (OSError, ValueError):
        raise InvalidInput(Issue("backup_unreadable")) from None
    if payload.get("format") != FORMAT:
        raise InvalidInput(Issue("backup_unreadable"))
    db.migrate(engine, payload["revision"])
    with engine.begin() as conn:
        if any(conn.execute(select(func.count()).select_from(t)).scalar() for t in metadata.sorted_tables):
            raise InvalidInput(Issue("restore_target_not_empty"))
        for table in metadata.sorted_tables:
            rows = [{k: _decode(v) for k, v in row.items()} for row in payload["tables"].get(table.name, [])]
            if rows:
                conn.execute(table.insert(), rows)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn, metadata)
    db.migrate(engine)
    return {name: len(rows) for name, rows in payload["tables"].items()}


def _reset_sequences(conn, metadata: MetaData) -> None:
    """After inserting explicit ids, move each id sequence past them (table names come from our own metadata)."""
    for table in metadata.sorted_tables:
        if "id" in table.c and inspect(conn).has_table(table.name):
            quoted = '"' + table.name + '"'
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{quoted}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {quoted}), 0) + 1, false)"))
