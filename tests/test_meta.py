"""Meta-tests that keep the project honest: layering, catalogs, settings, names."""

import ast
import re
from pathlib import Path

import pytest

from acplan import config
from acplan.i18n import EN, TH

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "acplan"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_code_does_not_import_streamlit(path):
    assert "streamlit" not in imports_of(path)


def test_catalogs_have_identical_keys():
    assert set(TH) == set(EN)


def test_catalog_placeholders_match():
    fields = re.compile(r"{(\w+)")
    mismatched = [k for k in TH if set(fields.findall(TH[k])) != set(fields.findall(EN[k]))]
    assert mismatched == []


def test_every_setting_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.name for s in config.SETTINGS if f"`{s.name}`" not in readme] == []


def test_readme_opens_with_two_setup_commands_and_ci_runs_the_second():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1: lines.index("```")]
    commands = [c for c in block if c and not c.startswith("#")]
    assert len(commands) == 2
    assert "streamlit run app.py" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_no_user_visible_text_names_the_wrong_municipality():
    wrong = "เชียง" + "ใหม่"
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *PACKAGE.rglob("*.py"), *ROOT.glob("data/*.yaml")]
    assert [str(p) for p in sources if wrong in p.read_text(encoding="utf-8")] == []


def test_pages_are_registered_once():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    registered = re.findall(r'page\("(pages/\w+\.py)"', app)
    assert sorted(registered) == sorted(f"pages/{p.name}" for p in ROOT.glob("pages/*.py"))
    assert len(registered) == len(set(registered))


DYNAMIC_PREFIXES = ("status_", "reason_", "round_status_", "role_", "severity_", "finding_status_", "visibility_",
                    "colname_", "kind_", "level_", "match_", "indicator_", "unit_", "cmp_", "period_", "series_",
                    "entry_state_", "action_", "report_", "nav_", "user_", "col_", "issue_")


def test_every_catalog_key_is_used():
    sources = [*PACKAGE.rglob("*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py", *PACKAGE.rglob("*.html")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources if p.name != "i18n.py")
    codes = set(re.findall(r'(?:Issue|Problem)\("(\w+)"', text))
    unused = [k for k in TH if f'"{k}"' not in text and f"'{k}'" not in text and k not in codes
              and not k.startswith(DYNAMIC_PREFIXES)]
    assert unused == []
