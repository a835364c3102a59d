"""Meta-tests that keep the project honest: layering, catalogs, settings, names."""

import ast
import re
import tomllib
from pathlib import Path

import pytest

from acplan import settings
from acplan.access import Permission, Role
from acplan.i18n import catalog
from acplan.monitoring import board, chain, rollup, rounds, unitreports, unitsheet
from acplan.monitoring import models as mon
from acplan.monitoring.scoresheet import workbook
from acplan.monitoring.scoresheet.workbook import MAX_UPLOAD_MB
from acplan.plan import amend
from acplan.plan import models as plan_models
from acplan.plan import workbook as plan_workbook
from acplan.site import build as site_build
from acplan.site import pages as site_pages

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "acplan"
TH, EN = catalog("th"), catalog("en")

# One direction: a layer imports only from itself and the layers before it; `base` is the package's own top level.
LAYERS = ["base", "db", "plan", "monitoring", "reporting", "site", "cli", "ui"]
PEERS = {"cli": {"ui"}, "ui": {"cli"}}  # neither front end imports the other


def layer_of(module: str) -> str:
    if module == "acplan.__main__":  # `python -m acplan` is the command line's entry point
        return "cli"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "base"


def acplan_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("acplan")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("acplan"):
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names
                                      if (PACKAGE / Path(*node.module.split(".")[1:]) / a.name).exists()
                                      or (PACKAGE / Path(*node.module.split(".")[1:]) / f"{a.name}.py").exists()}
    return names


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    return ".".join(p for p in rel.parts if p != "__init__")


SOURCES = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path):
    """plan ← monitoring ← reporting ← cli / ui, with db and the base modules beneath them all."""
    own = layer_of(module_name(path))
    allowed = set(LAYERS[: LAYERS.index(own) + 1]) - PEERS.get(own, set())
    wrong = sorted(m for m in acplan_imports(path) if layer_of(m) not in allowed | {"base"} or
                   (layer_of(m) in PEERS.get(own, set())))
    assert wrong == [], f"{module_name(path)} ({own}) imports {wrong}"


def test_nothing_but_app_and_pages_imports_the_ui():
    outside = [p for p in SOURCES if layer_of(module_name(p)) != "ui"]
    assert [str(p) for p in outside if any(layer_of(m) == "ui" for m in acplan_imports(p))] == []


@pytest.mark.parametrize("path", [p for p in SOURCES if layer_of(module_name(p)) != "ui"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_does_not_import_streamlit(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    roots |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert "streamlit" not in roots


def test_no_private_streamlit_api_in_the_app():
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *PACKAGE.rglob("*.py")]
    private = re.compile(r"streamlit\.runtime|PagesManager|_registered_pages|uses_pages_directory")
    assert [str(p) for p in sources if private.search(p.read_text(encoding="utf-8"))] == []


def test_catalogs_have_identical_keys_and_forms():
    assert set(TH) == set(EN)
    assert [k for k in TH if isinstance(TH[k], dict) and set(TH[k]) - {"one", "other"}] == []


def _texts(value) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def test_catalog_placeholders_match():
    fields = re.compile(r"{(\w+)")
    mismatched = [k for k in TH if {f for s in _texts(TH[k]) for f in fields.findall(s)}
                  != {f for s in _texts(EN[k]) for f in fields.findall(s)}]
    assert mismatched == []


# Keys built at run time from an enum's values: every value must have its text.
ENUM_KEYS = {"status_": mon.ImplementationStatus, "reason_": mon.NotPossibleReason, "round_status_": mon.RoundStatus,
             "role_": Role, "severity_": mon.Severity, "finding_status_": mon.FindingStatus,
             "visibility_": mon.Visibility, "entry_state_": mon.EntryState, "kind_": plan_models.ItemKind,
             "level_": plan_models.RiskLevel, "indicator_": plan_models.IndicatorKind, "cmp_": plan_models.Comparison,
             "duty_": mon.CommitteeDuty, "org_type_": plan_models.OrgType, "report_state_": mon.ReportState}
DERIVED = {f"{prefix}{v.value}" for prefix, enum in ENUM_KEYS.items() for v in enum} | \
    {f"action_{a}" for a in rounds.TRANSITIONS} | {f"round_effect_{a}" for a in rounds.TRANSITIONS} | {"kind_none"} | \
    {f"audit_broken_{w}" for w in chain.ROW_PROBLEMS} | {f"rubric_{n}" for n in range(1, 6)} | \
    {f"pack_round_months_{n}" for n in (1, 2)} | \
    {f"sheet_prompt_{p}{end}" for p in workbook.PROMPTS.values() for end in ("", "_title")} | \
    {f"sheet_col_{k}" for k in [*(k for k, _ in workbook.TEMPLATE_COLUMNS), *workbook.AGGREGATE_COLUMNS, "round", "member"]} | \
    {f"pw_sheet_{k}" for k in plan_workbook.SHEETS} | \
    {f"pw_col_{c.rstrip('_')}" for cols, _ in plan_workbook.SHEETS.values() for c in cols} | \
    {f"pw_col_{c.rstrip('_')}" for c in plan_workbook.PLAN_FIELDS} | \
    {f"amend_fixed_{s}" for s in (*amend.FIXED_SECTIONS, "risks")} | {f"amend_subject_{s}" for s in ("item", "risk", "target")} | \
    {f"amend_field_{f}" for f in (*amend.ITEM_FIELDS, *amend.TARGET_FIELDS, "added", "removed", "items")} | \
    {f"item_{k}_outside_plan" for k in ("from_fy_be", "until_fy_be")} | \
    {f"col_activity_{c}" for c in ("text_th", "start_on", "end_on", "place_th", "count")} | {"report_state_none"} | \
    {f"drill_{d}" for d in rollup.DRILLS} | {"reason_unstated"} | \
    {f"col_unit_progress_{c}" for c in unitreports.PROGRESS_COLUMNS} | \
    {f"col_board_{c}" for c in (*board.UNIT_COLUMNS, *board.MEMBER_COLUMNS, *board.ITEM_COLUMNS)} | \
    {f"us_sheet_{k}" for k in (*unitsheet.SHEETS, "about")} | \
    {f"us_col_{c}" for cols in unitsheet.SHEETS.values() for c, _w in cols} | {"us_col_round", "us_col_unit"} | \
    {f"reminder_{k}_{part}" for k in ("round_open", "units_due", "members_due", "finding_overdue")
     for part in ("subject", "body")} | \
    {f"site_nav_{k}" for k in site_pages.NAV} | {f"site_text_{k}" for k in (*site_build.TEXT_KEYS, "other_lang")}
# Keys built from data or column names rather than an enum (sheet columns, units and periods of plan targets, …).
DYNAMIC_PREFIXES = ("colname_", "unit_", "period_", "series_", "match_", "nav_", "report_", "issue_")


def test_every_enum_value_has_a_label():
    assert sorted(DERIVED - set(TH)) == []


def test_every_catalog_key_is_used():
    sources = [*PACKAGE.rglob("*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py", *PACKAGE.rglob("*.html")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    unused = [k for k in TH if f'"{k}"' not in text and f"'{k}'" not in text and k not in DERIVED
              and not k.startswith(DYNAMIC_PREFIXES)]
    assert unused == []


def _readme_settings() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(ACPLAN_\w+)` \| ([^|]*) \|", readme, flags=re.M)}


def test_readme_settings_table_matches_the_settings_model():
    documented = _readme_settings()
    fields = {settings.variable(name): field for name, field in settings.Settings.model_fields.items()}
    assert set(documented) == set(fields)
    for name, field in fields.items():
        default = field.default
        shown = {True: "`1`", False: "`0`", None: "(empty)"}.get(default) if isinstance(default, bool) or default is None \
            else f"`{str(default).replace(str(settings.ROOT) + '/', '')}`"
        assert documented[name].strip() == shown, name


def test_upload_limit_is_defined_once():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_readme_opens_with_two_setup_commands_and_ci_runs_the_second():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1: lines.index("```")]
    commands = [c for c in block if c and not c.startswith("#")]
    assert len(commands) == 2
    assert "streamlit run serve.py" in commands[0]
    assert 'st.App("app.py"' in (ROOT / "serve.py").read_text(encoding="utf-8")  # which runs the app itself
    assert "serve.py" in (ROOT / "tests" / "server.py").read_text(encoding="utf-8")  # as the browser tests do
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_no_user_visible_text_names_the_wrong_municipality():
    wrong = "เชียง" + "ใหม่"
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.toml"),
               *ROOT.glob("data/*.yaml")]
    assert [str(p) for p in sources if wrong in p.read_text(encoding="utf-8")] == []


def test_pages_are_registered_once():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    registered = re.findall(r'page\("(pages/\w+\.py)"', app)
    assert sorted(registered) == sorted(f"pages/{p.name}" for p in ROOT.glob("pages/*.py"))
    assert len(registered) == len(set(registered))


def test_every_permission_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [p.value for p in Permission if f"(`{p.value}`)" not in readme] == []


def test_every_input_field_has_a_column_name_for_its_messages():
    """A refused field is named in the message (describe → colname_<field>): a missing name would crash the page."""
    from acplan.monitoring.entries import EntryIn
    from acplan.monitoring.findings import FindingIn
    from acplan.monitoring.yearly import YearlyResultIn
    fields = {f for model in (EntryIn, FindingIn, YearlyResultIn) for f in model.model_fields}
    assert sorted(f for f in fields if f"colname_{f}" not in TH) == []
