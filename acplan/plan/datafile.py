"""Reading and checking a plan data file (YAML, schema in data/README.md)."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from acplan.errors import Issue, UnusableInput
from acplan.plan.models import Comparison, IndicatorKind, ItemKind, RiskLevel, in_year

REQUIRED_TOP = ("schema_version", "organisation", "plan", "dimensions", "projects", "risks", "targets", "committees")
SECTION_SHAPES = {"organisation": dict, "plan": dict, "dimensions": list, "projects": list, "risks": list,
                  "targets": list, "committees": list, "units": list}  # a list's entries are mappings; units optional
REQUIRED_PROJECT = ("number", "kind", "name_th", "dimension", "mission", "sub_items", "budget_thb",
                    "responsible_unit", "indicators", "source_notes")


class PlanDataError(UnusableInput):
    """The file cannot be read as plan data at all: missing, not UTF-8, not YAML, not a mapping, or a section of
    the wrong shape (a list where a mapping belongs, text where a number belongs)."""


@dataclass
class Report:
    problems: list[Issue]
    items: int = 0
    items_by_dimension: dict[int, int] = field(default_factory=dict)
    budget_by_dimension: dict[int, dict[int, int]] = field(default_factory=dict)
    budget_by_year: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_text(text: str) -> dict:
    """Parse plan data from YAML text; raise PlanDataError if it is not YAML or not a mapping."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PlanDataError(Issue("plan_not_yaml", {"line": mark.line + 1 if mark else "?",
                                                    "column": mark.column + 1 if mark else "?"})) from None
    except RecursionError:
        raise PlanDataError(Issue("plan_too_deep")) from None
    if not isinstance(data, dict):
        raise PlanDataError(Issue("plan_not_mapping"))
    return data


def read_file(path: Path) -> tuple[dict, str]:
    """The parsed data and the SHA-256 of the file's bytes."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        raise PlanDataError(Issue("file_missing", {"path": str(path)})) from None
    return read_bytes(raw), hashlib.sha256(raw).hexdigest()


def read_bytes(raw: bytes) -> dict:
    """Parse plan data from a file's bytes: UTF-8 YAML."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanDataError(Issue("plan_not_utf8")) from None
    return read_text(text)


def validate(data: dict, *, amended: bool = False) -> Report:
    """Check a plan against its own summary table and internal references.

    `amended`: the plan as an amendment leaves it. Its summary figures are still the approved document's, so
    they are not checked against the items, and items may be numbered past the count the document states.

    A section of the wrong shape (a list where a mapping belongs, text where a number belongs) raises
    PlanDataError with one message rather than a traceback.
    """
    try:
        return _validate(data, amended)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError):
        raise PlanDataError(Issue("plan_shape_invalid")) from None


def _validate(data: dict, amended: bool) -> Report:
    missing = [k for k in REQUIRED_TOP if k not in data]
    if missing:
        return Report([Issue("missing_section", {"section": k}) for k in missing])
    for section, shape in SECTION_SHAPES.items():
        value = data[section] if section in data else shape()
        if not isinstance(value, shape) or (shape is list and not all(isinstance(v, dict) for v in value)):
            raise PlanDataError(Issue("plan_section_shape", {"section": section}))
    problems: list[Issue] = []
    projects = [p for p in data["projects"] if isinstance(p, dict)]
    problems += _check_project_fields(projects)
    if problems:
        return Report(problems)
    problems += _check_numbers(data, projects, amended)
    problems += _check_structure(data, projects)
    report = _totals(data, projects)
    if not amended:
        problems += _check_totals(data, report)
    problems += _check_risk_links(data, projects)
    problems += _check_units(data.get("units") or [])
    report.problems = problems
    return report


def _check_project_fields(projects: list[dict]) -> list[Issue]:
    out = []
    for i, p in enumerate(projects, 1):
        for key in REQUIRED_PROJECT:
            if key not in p:
                out.append(Issue("project_field_missing", {"position": i, "field": key}))
    return out


def _check_numbers(data: dict, projects: list[dict], amended: bool) -> list[Issue]:
    out = []
    stated = int(data["plan"].get("total_items_stated", 0))
    counts = Counter(p["number"] for p in projects)
    out += [Issue("item_duplicated", {"number": n, "times": c}) for n, c in sorted(counts.items()) if c > 1]
    out += [Issue("item_missing", {"number": n, "stated": stated}) for n in range(1, stated + 1) if n not in counts]
    out += [Issue("item_out_of_range", {"number": n, "stated": stated}) for n in counts
            if not 1 <= n <= (max(counts) if amended else stated)]
    return out


def _check_structure(data: dict, projects: list[dict]) -> list[Issue]:
    out = []
    missions = {m["code"]: (d["number"], {s["code"] for s in m["sub_items"]})
                for d in data["dimensions"] for m in d["missions"]}
    kinds = {k.value for k in ItemKind}
    years = set(range(data["plan"]["start_fy_be"], data["plan"]["end_fy_be"] + 1))
    for p in projects:
        n = p["number"]
        if p["mission"] not in missions:
            out.append(Issue("unknown_mission", {"number": n, "mission": p["mission"]}))
        elif missions[p["mission"]][0] != p["dimension"]:
            out.append(Issue("mission_not_in_dimension", {"number": n, "mission": p["mission"], "dimension": p["dimension"]}))
        else:
            out += [Issue("unknown_sub_item", {"number": n, "sub_item": s})
                    for s in p["sub_items"] if s not in missions[p["mission"]][1]]
        if p["kind"] is not None and p["kind"] not in kinds:
            out.append(Issue("unknown_kind", {"number": n, "kind": p["kind"]}))
        out += _check_budget(n, p["budget_thb"], years)
        out += _check_years(p, years)
        out += _check_indicators(n, p["indicators"])
    return out


def _check_budget(number: int, budget: dict, years: set[int]) -> list[Issue]:
    out = []
    got = {int(y) for y in budget}
    out += [Issue("budget_year_missing", {"number": number, "year": y}) for y in sorted(years - got)]
    out += [Issue("budget_year_outside_plan", {"number": number, "year": y}) for y in sorted(got - years)]
    for y, amount in budget.items():
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            out.append(Issue("budget_not_whole_baht", {"number": number, "year": y, "value": amount}))
    return out


def _check_years(p: dict, years: set[int]) -> list[Issue]:
    """The fiscal years an item is in the plan (`from_fy_be`–`until_fy_be`, either open) lie inside the plan's, and
    it has no budget in a year it is not in. `until_fy_be` may be the year before `from_fy_be`: an item an
    amendment dropped before its first year came."""
    first, last = p.get("from_fy_be"), p.get("until_fy_be")
    n, out = p["number"], []
    for key, year in (("from_fy_be", first), ("until_fy_be", last)):
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)
                                 or not min(years) - 1 <= year <= max(years)):
            out.append(Issue(f"item_{key}_outside_plan", {"number": n, "year": year, "first": min(years) - 1,
                                                          "last": max(years)}))
    if out:
        return out
    if first is not None and last is not None and last < first - 1:
        return [Issue("item_years_order", {"number": n, "first": first, "last": last})]
    return [Issue("budget_outside_item_years", {"number": n, "year": int(y), "amount": amount,
                                               "first": first or min(years), "last": last if last is not None else max(years)})
            for y, amount in p["budget_thb"].items()
            if isinstance(amount, int) and amount > 0 and not in_year(first, last, int(y))]


def _check_indicators(number: int, indicators: list[dict]) -> list[Issue]:
    out = []
    comparisons = {c.value for c in Comparison}
    for i, ind in enumerate(indicators, 1):
        if ind.get("kind") not in {k.value for k in IndicatorKind}:
            out.append(Issue("unknown_indicator_kind", {"number": number, "position": i, "kind": ind.get("kind")}))
        for t in ind.get("targets", []):
            if t.get("comparison") not in comparisons:
                out.append(Issue("unknown_comparison", {"number": number, "position": i, "comparison": t.get("comparison")}))
    return out


def _totals(data: dict, projects: list[dict]) -> Report:
    by_dim: dict[int, dict[int, int]] = {d["number"]: {} for d in data["dimensions"]}
    by_year: dict[int, int] = {}
    for p in projects:
        for y, amount in p["budget_thb"].items():
            y = int(y)
            if isinstance(amount, int):
                by_dim.setdefault(p["dimension"], {})
                by_dim[p["dimension"]][y] = by_dim[p["dimension"]].get(y, 0) + amount
                by_year[y] = by_year.get(y, 0) + amount
    items = Counter(p["dimension"] for p in projects)
    return Report([], len(projects), dict(sorted(items.items())), by_dim, dict(sorted(by_year.items())))


def _check_totals(data: dict, report: Report) -> list[Issue]:
    out = []
    for d in data["dimensions"]:
        n = d["number"]
        if report.items_by_dimension.get(n, 0) != d["summary_item_count"]:
            out.append(Issue("dimension_count_mismatch",
                               {"dimension": n, "found": report.items_by_dimension.get(n, 0), "stated": d["summary_item_count"]}))
        for y, stated in d["summary_budget_thb"].items():
            found = report.budget_by_dimension.get(n, {}).get(int(y), 0)
            if found != stated:
                out.append(Issue("dimension_budget_mismatch", {"dimension": n, "year": int(y), "found": found, "stated": stated}))
    for y, stated in data["plan"].get("summary_total_budget_thb", {}).items():
        found = report.budget_by_year.get(int(y), 0)
        if found != stated:
            out.append(Issue("year_budget_mismatch", {"year": int(y), "found": found, "stated": stated}))
    return out


def _check_risk_links(data: dict, projects: list[dict]) -> list[Issue]:
    numbers = {p["number"] for p in projects}
    levels = {lv.value for lv in RiskLevel}
    out = []
    for area in data["risks"]:
        for issue in area["issues"]:
            if issue["level"] not in levels:
                out.append(Issue("unknown_risk_level", {"area": area["number"], "issue": issue["number"], "level": issue["level"]}))
        for m in area["measures"]:
            out += [Issue("risk_link_unknown_item", {"area": area["number"], "measure": m["number"], "number": link["project"]})
                    for link in m["implemented_by"] if link["project"] not in numbers]
    for c in data["committees"]:
        if c.get("project") is not None and c["project"] not in numbers:
            out.append(Issue("committee_link_unknown_item", {"committee": c["code"], "number": c["project"]}))
    return out


def _check_units(units: list[dict]) -> list[Issue]:
    """Each wording belongs to one unit: an alias listed twice, or naming another unit, is ambiguous."""
    names = [u["name_th"] for u in units]
    seen: dict[str, str] = {}
    issues = []
    for u in units:
        for alias in u.get("aliases", []):
            if alias in names or alias in seen:
                issues.append(Issue("unit_alias_conflict", {"alias": alias, "unit": u["name_th"],
                                                            "other": seen.get(alias, alias)}))
            seen[alias] = u["name_th"]
    return issues
