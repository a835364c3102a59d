"""The SQL a piece of code runs, and PostgreSQL's plans for it (#16): which statements scan a whole table.

Used by tests/test_scale_pg.py and bench/rollup_scale.py: capture every SELECT the app sends while pages run, then
EXPLAIN each with its own parameters in the same store.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Statement:
    sql: str
    params: object


@contextmanager
def captured() -> Iterator[list[Statement]]:
    """Every SELECT any Engine of this process sends while the block runs (with its parameters)."""
    seen: list[Statement] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and not executemany:
            seen.append(Statement(statement, parameters))
    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def plan_of(engine: Engine, statement: Statement) -> dict:
    """PostgreSQL's plan (EXPLAIN, JSON) of one captured statement."""
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement.sql, statement.params or ()).scalar()
    return raw[0]["Plan"]


def seq_scans(plan: dict) -> set[str]:
    """The tables a plan reads whole (Seq Scan nodes)."""
    found = {plan["Relation Name"]} if plan.get("Node Type") == "Seq Scan" and "Relation Name" in plan else set()
    for child in plan.get("Plans", []):
        found |= seq_scans(child)
    return found


def scanning(engine: Engine, statements: list[Statement], tables: set[str]) -> list[tuple[str, set[str]]]:
    """(statement, tables) for each distinct statement whose plan reads any of `tables` whole."""
    out, done = [], set()
    for st in statements:
        key = (st.sql, repr(st.params))
        if key in done:
            continue
        done.add(key)
        hit = seq_scans(plan_of(engine, st)) & tables
        if hit:
            out.append((st.sql, hit))
    return out
