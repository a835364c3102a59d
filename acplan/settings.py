"""Typed settings: the environment, then `.streamlit/secrets.toml`, then defaults; read once per process.

Every field is one `ACPLAN_…` variable (its alias) with a default and a help text; README's settings
table is checked against these fields. A value that does not fit its type (`ACPLAN_MODE=publc`, a
negative number, a date that is not ISO) refuses to start with a message naming the variable,
rather than falling back to a default that may be unsafe.
"""

import functools
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, FilePath, PositiveInt, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'acplan.db'}"
DEFAULT_PLAN_FILE = DATA_DIR / "plan-tt-chiang-muan-2566-2570.yaml"


def _var(name: str, *fallbacks: str):
    return AliasChoices(name, *fallbacks)


class Settings(BaseSettings):
    """acplan's settings; the alias of each field is the variable that sets it."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=True, populate_by_name=False)

    database_url: Annotated[str, Field(
        DEFAULT_DATABASE_URL, min_length=1, validation_alias=_var("ACPLAN_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL of the store; `DATABASE_URL` is read when this is unset. "
                    "PostgreSQL: `postgresql+psycopg://user@host/db`.")]
    plan_file: Annotated[Path, Field(
        DEFAULT_PLAN_FILE, validation_alias=_var("ACPLAN_PLAN_FILE"),
        description="Plan data file that `init` loads when the database does not hold it yet.")]
    auto_init: Annotated[bool, Field(
        True, validation_alias=_var("ACPLAN_AUTO_INIT"),
        description="`1`: the app migrates the database and loads the plan on first start; "
                    "`0`: run `python -m acplan init` yourself.")]
    session_idle_min: Annotated[PositiveInt, Field(
        30, validation_alias=_var("ACPLAN_SESSION_IDLE_MIN"),
        description="Minutes of inactivity after which a signed-in session ends (drafts already saved are kept).")]
    mode: Annotated[Literal["internal", "public"], Field(
        "internal", validation_alias=_var("ACPLAN_MODE"),
        description="`internal`: the full app with sign-in; `public`: the read-only citizens' site (no sign-in, "
                    "published rounds and public findings only, the database opened read-only).")]
    client_ip_header: Annotated[str | None, Field(
        None, validation_alias=_var("ACPLAN_CLIENT_IP_HEADER"), pattern=r"^[A-Za-z0-9-]+$",
        description="Behind a reverse proxy: the request header in which the proxy passes the client's address "
                    "(e.g. `X-Real-IP`), so that sign-in throttling counts each client apart; empty means the "
                    "address Streamlit sees.")]
    log_level: Annotated[Literal["debug", "info", "warning", "error"], Field(
        "warning", validation_alias=_var("ACPLAN_LOG_LEVEL"),
        description="How much acplan writes to the server log (standard error): `info` adds each cached read "
                    "computed anew; no level ever writes passwords, hashes or bound values.")]
    show_errors: Annotated[bool, Field(
        False, validation_alias=_var("ACPLAN_SHOW_ERRORS"),
        description="`1`: a fault in a page is shown in full, with its traceback (development and tests); `0`: the "
                    "reader sees a short message in their language and the fault goes to the server log.")]
    logo_file: Annotated[FilePath | None, Field(
        None, validation_alias=_var("ACPLAN_LOGO_FILE"),
        description="The organisation's emblem (PNG, JPEG or SVG) on the meeting pack's cover; empty means "
                    "`data/logo.png` (or `.jpg`, `.svg`) when there is one, else no emblem.")]
    evidence_dir: Annotated[Path, Field(
        DATA_DIR / "evidence", validation_alias=_var("ACPLAN_EVIDENCE_DIR"),
        description="Folder that keeps the evidence files (content-addressed by SHA-256) when no S3 bucket is set.")]
    evidence_s3_bucket: Annotated[str | None, Field(
        None, validation_alias=_var("ACPLAN_EVIDENCE_S3_BUCKET"), pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="S3-compatible bucket for the evidence files instead of the folder; credentials from "
                    "`AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.")]
    evidence_s3_endpoint: Annotated[str | None, Field(
        None, validation_alias=_var("ACPLAN_EVIDENCE_S3_ENDPOINT"), pattern=r"^https?://",
        description="Endpoint of an S3-compatible service other than AWS (MinIO, a province's object store).")]
    evidence_s3_region: Annotated[str, Field(
        "us-east-1", validation_alias=_var("ACPLAN_EVIDENCE_S3_REGION"), pattern=r"^[a-z0-9-]+$",
        description="Region of the evidence bucket.")]
    evidence_max_mb: Annotated[PositiveInt, Field(
        10, validation_alias=_var("ACPLAN_EVIDENCE_MAX_MB"), le=200,
        description="Largest evidence file accepted, in MB.")]
    evidence_max_files: Annotated[PositiveInt, Field(
        20, validation_alias=_var("ACPLAN_EVIDENCE_MAX_FILES"),
        description="Most evidence files on one record (a unit's report, a member's entry or a finding) in a round.")]
    evidence_max_round_mb: Annotated[PositiveInt, Field(
        500, validation_alias=_var("ACPLAN_EVIDENCE_MAX_ROUND_MB"),
        description="Most evidence, in MB, one organisation keeps for one round.")]
    smtp_host: Annotated[str | None, Field(
        None, validation_alias=_var("ACPLAN_SMTP_HOST"), pattern=r"^[A-Za-z0-9.-]+$",
        description="Mail server for reminders; empty means no reminder is ever sent.")]
    smtp_port: Annotated[PositiveInt, Field(
        587, validation_alias=_var("ACPLAN_SMTP_PORT"), le=65535, description="Port of the mail server.")]
    smtp_tls: Annotated[Literal["starttls", "ssl", "none"], Field(
        "starttls", validation_alias=_var("ACPLAN_SMTP_TLS"),
        description="`starttls`, `ssl` (implicit TLS, usually port 465) or `none` (a server on the same machine).")]
    smtp_user: Annotated[str | None, Field(
        None, validation_alias=_var("ACPLAN_SMTP_USER"), description="User name at the mail server; empty: none.")]
    smtp_password: Annotated[SecretStr | None, Field(
        None, validation_alias=_var("ACPLAN_SMTP_PASSWORD"), description="Its password (never printed or logged).")]
    smtp_sender: Annotated[str, Field(
        "acplan@localhost", validation_alias=_var("ACPLAN_SMTP_SENDER"), min_length=3,
        description="The From address of reminders.")]
    app_url: Annotated[str | None, Field(
        None, validation_alias=_var("ACPLAN_APP_URL"), pattern=r"^https?://",
        description="The app's address, for the link in reminders; empty: no link.")]
    today: Annotated[date | None, Field(
        None, validation_alias=_var("ACPLAN_TODAY"),
        description="Pretend today is this ISO date (e.g. `2024-05-01`) for the current fiscal year and round "
                    "periods; empty means the real date.")]

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource):
        """The environment wins over `.streamlit/secrets.toml` (git-ignored), which wins over the defaults."""
        return init_settings, _EmptyIsUnset(env_settings), TomlConfigSettingsSource(settings_cls, toml_file=SECRETS_FILE)

    @property
    def logo(self) -> Path | None:
        """The emblem the meeting pack prints: the setting, else data/logo.{png,jpg,svg} when present."""
        if self.logo_file:
            return self.logo_file
        return next((p for p in (ROOT / "data" / f"logo.{ext}" for ext in ("png", "jpg", "svg")) if p.is_file()), None)

    @property
    def public(self) -> bool:
        return self.mode == "public"


class _EmptyIsUnset(PydanticBaseSettingsSource):
    """The environment, where a variable set to the empty string counts as unset (`ACPLAN_TODAY=`)."""

    def __init__(self, inner: PydanticBaseSettingsSource):
        super().__init__(inner.settings_cls)
        self.inner = inner

    def get_field_value(self, field, field_name):  # pragma: no cover - __call__ below does the work
        return self.inner.get_field_value(field, field_name)

    def __call__(self) -> dict:
        return {k: v for k, v in self.inner().items() if v != ""}


class SettingsError(RuntimeError):
    """A setting has a value acplan cannot use; the message names the variable and what it accepts."""


def variable(field: str) -> str:
    """The environment variable that sets `field` (its first alias)."""
    return Settings.model_fields[field].validation_alias.choices[0]


@functools.cache
def get() -> Settings:
    """The process's settings, read once; a malformed value raises SettingsError naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            name = variable(field) if field in Settings.model_fields else field
            shown = "" if field == "database_url" else f"={err.get('input')!r}"  # a URL may hold a password
            problems.append(f"{name}{shown}: {err['msg']}")
        raise SettingsError("invalid setting: " + "; ".join(problems)) from None


def reload() -> Settings:
    """Read the settings again (tests and tools that change the environment)."""
    get.cache_clear()
    return get()


# Words that mark a value as a placeholder: a secret containing one (after lower-casing) is refused.
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "password", "passwd", "secret", "example", "placeholder",
                     "replace", "xxx", "todo", "your-", "your_")
PLACEHOLDER_ONLY = re.compile(r"^[\s.…*<>_-]*$")  # "", "…", "...", "<…>", "****"


class InsecureConfiguration(RuntimeError):
    """A secret still has a placeholder value; the app refuses to start rather than run with it."""


def is_placeholder(secret: str) -> bool:
    """True for an empty or placeholder secret: `Changeme1`, `password123`, README's `…`, `<password>`."""
    lowered = secret.lower()
    return bool(PLACEHOLDER_ONLY.match(secret)) or any(word in lowered for word in PLACEHOLDER_WORDS)


def check_secrets(url: str) -> None:
    """Refuse a database URL whose password is a placeholder (never prints the secret itself)."""
    from sqlalchemy.engine import make_url

    password = make_url(url).password
    if password is not None and is_placeholder(password):
        raise InsecureConfiguration(f"{variable('database_url')} carries a placeholder password; set a real one")