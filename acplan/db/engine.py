"""Engine creation and schema migration (Alembic) for SQLite and PostgreSQL."""

import sqlite3
from pathlib import Path
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect
from sqlalchemy.pool import QueuePool
from sqlmodel import create_engine

from acplan import settings
from acplan.errors import Issue, NotAllowed

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# SQLite: how long a write waits for another writer before "database is locked" (the app says so in Thai).
BUSY_TIMEOUT_S = 30


def make_engine(url: str | None = None, *, read_only: bool = False) -> Engine:
    """An Engine for `url` (default: the configured store); SQLite gets foreign keys enforced.

    Bound parameters never appear in error messages or logs (`hide_parameters`): a failed write of an
    account would otherwise print its password hash.

    `read_only` opens SQLite through a `mode=ro` URI with an authorizer that denies every write and
    ATTACH, and PostgreSQL sessions read-only (the boundary there is a role granted SELECT only).
    """
    url = url or settings.get().database_url
    settings.check_secrets(url)
    if read_only:
        return _read_only_engine(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": BUSY_TIMEOUT_S} if sqlite else {})
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


READ_ACTIONS = frozenset({sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION,
                          getattr(sqlite3, "SQLITE_RECURSIVE", 33)})


READ_PRAGMAS = frozenset({"read_uncommitted", "table_info", "table_xinfo", "index_list", "index_info",
                          "foreign_key_list", "foreign_keys"})


def _deny_writes(action: int, arg1, arg2, *_rest) -> int:
    """SQLite authorizer of the public engine: reading only; no write, schema change, ATTACH or PRAGMA that sets."""
    if action in READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg2 is None and (arg1 or "").lower() in READ_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _read_only_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///")).resolve()

        def connect() -> sqlite3.Connection:
            conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False)
            conn.set_authorizer(_deny_writes)
            return conn
        # A pool of whole connections, each used by one thread at a time. Not SQLAlchemy's default for a "sqlite://"
        # URL (SingletonThreadPool, meant for :memory:), which closes connections other threads are still using once
        # more than five threads read at once: the public site crashed (SIGSEGV in libsqlite3) under ten viewers.
        return create_engine("sqlite://", creator=connect, poolclass=QueuePool, hide_parameters=True)
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "checkout", _pg_reset_read_only)
    return engine


def _pg_reset_read_only(dbapi_conn, _record, _proxy) -> None:
    """Each time the pool hands out a connection: forget whatever the last user set (settings, temporary
    tables, advisory locks, LISTEN), then make its transactions read-only again."""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True  # DISCARD ALL may not run inside a transaction
    try:
        with dbapi_conn.cursor() as cur:
            cur.execute("DISCARD ALL")
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    finally:
        dbapi_conn.autocommit = autocommit


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` through Alembic migrations."""
    command.upgrade(alembic_config(engine), revision)


def known_revisions() -> set[str]:
    """Every migration acplan ships."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}


def downgrade_to_nothing(engine: Engine) -> None:
    """Remove every table the migrations made (a restore that failed into a database that was empty)."""
    command.downgrade(alembic_config(engine), "base")
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def head_revision(engine: Engine) -> str:
    """The newest migration acplan ships."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def require_current_schema(engine: Engine) -> None:
    """Refuse to work on a store whose schema is older (or newer) than this acplan: `init` migrates it."""
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        raise NotAllowed(Issue("schema_outdated", {"current": current or "—", "head": head}))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
