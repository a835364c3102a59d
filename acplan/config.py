"""Settings read from the environment: one declarative table, each with a default and a help text."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ACPLAN_DATABASE_URL", f"sqlite:///{DATA_DIR / 'acplan.db'}",
            "SQLAlchemy URL of the store; `DATABASE_URL` is read when this is unset. "
            "PostgreSQL: `postgresql+psycopg://user@host/db`."),
    Setting("ACPLAN_PLAN_FILE", str(DATA_DIR / "plan-tt-chiang-muan-2566-2570.yaml"),
            "Plan data file that `init` loads when the database does not hold it yet."),
    Setting("ACPLAN_AUTO_INIT", "1",
            "`1`: the app creates/migrates the database and loads the plan on first start; `0`: it expects `python -m acplan init`."),
    Setting("ACPLAN_SESSION_IDLE_MIN", "30",
            "Minutes of inactivity after which a signed-in session ends and asks to sign in again."),
    Setting("ACPLAN_MODE", "internal",
            "`internal`: the full app with sign-in; `public`: the read-only citizens' site (no sign-in, published data only, "
            "the database opened read-only)."),
    Setting("ACPLAN_TODAY", "",
            "Pretend today is this ISO date (e.g. `2024-05-01`) for the current fiscal year; empty means the real date."),
)


SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


def _secrets() -> dict:
    """Settings from `.streamlit/secrets.toml` (git-ignored), so a password need not sit in the environment."""
    if not SECRETS_FILE.exists():
        return {}
    with SECRETS_FILE.open("rb") as fh:
        return {k: str(v) for k, v in tomllib.load(fh).items() if isinstance(v, (str, int))}


def get(name: str) -> str:
    """Value of a setting: the environment, else `.streamlit/secrets.toml`, else its default."""
    setting = next(s for s in SETTINGS if s.name == name)
    secrets = _secrets()
    if name == "ACPLAN_DATABASE_URL":
        return (os.environ.get(name) or os.environ.get("DATABASE_URL") or secrets.get(name) or setting.default)
    return os.environ.get(name) or secrets.get(name) or setting.default


def database_url() -> str:
    return get("ACPLAN_DATABASE_URL")


def plan_file() -> Path:
    return Path(get("ACPLAN_PLAN_FILE"))


PLACEHOLDER_SECRETS = ("changeme", "change-me", "password", "secret", "example", "placeholder", "xxx", "todo")


class InsecureConfiguration(RuntimeError):
    """A secret still has a placeholder value; the app refuses to start rather than run with it."""


def public_mode() -> bool:
    return get("ACPLAN_MODE") == "public"


def check_secrets(url: str) -> None:
    """Refuse a database URL whose password is a placeholder (never prints the secret itself)."""
    from sqlalchemy.engine import make_url

    password = make_url(url).password
    if password is not None and (password.lower() in PLACEHOLDER_SECRETS or password.lower().startswith("replace")):
        raise InsecureConfiguration("ACPLAN_DATABASE_URL carries a placeholder password; set a real one")
