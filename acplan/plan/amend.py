"""An amendment of a plan as data: what it may change, how a dropped item is kept, and its changes field by field.

A council amends a plan during its five years (แผนฯ เพิ่มเติม/เปลี่ยนแปลง ครั้งที่ N): it adds an item from a fiscal
year, moves budget, rewords an indicator, links a risk measure to another item, changes a yearly target, or drops
an item. The amended plan is written as a whole plan (a workbook, a data file or the editor's tables) and compared
with the plan as it stands; everything here works on plan data (export_plan's shape) and touches no store.

An item the amended plan leaves out is not deleted: it stays in the plan until the year before the amendment takes
effect, with no budget from then on, so the rounds it was scored in keep its scores. An item the amended plan adds
is in the plan from that year unless its row says otherwise.
"""

import copy
from dataclasses import asdict, dataclass
from typing import Any

from acplan.errors import Issue
from acplan.format import number as grouped
from acplan.i18n import t

# What an amendment may change: the items (all their fields), their budgets and indicators, which items carry out
# each risk measure, and the yearly targets. The rest is the approved document's text and structure.
ITEM_FIELDS = ("kind", "name_th", "name_summary_th", "dimension", "mission", "sub_items", "responsible_unit",
               "note_th", "rationale_th", "objectives_th", "target_group", "method_th", "duration_th",
               "budget_text_th", "from_fy_be", "until_fy_be")
TARGET_FIELDS = ("ita_score_target", "case_reduction_pct_target", "case_baseline_fy_be")
FIXED_SECTIONS = ("plan", "dimensions", "committees", "source", "units")


@dataclass(frozen=True)
class Change:
    """One changed field: `subject` item / target / risk, its `key` (item number, fiscal year, "area.measure"),
    `field` (an item field, `budget_2568`, `indicator_2`, `added`, `removed`) and the value before and after
    (None: there was none)."""

    subject: str
    key: str
    field: str
    before: Any
    after: Any

    def as_dict(self) -> dict:
        return asdict(self)


def out_of_scope(current: dict, proposed: dict) -> list[Issue]:
    """What the proposed plan changes that an amendment may not (a plan field, a dimension, mission or sub-mission,
    a committee, a risk's wording, an item's source notes): one issue per part, refused rather than ignored."""
    issues = [Issue(f"amend_fixed_{section}") for section in FIXED_SECTIONS
              if _fixed(current.get(section)) != _fixed(proposed.get(section))]
    if _risk_text(current) != _risk_text(proposed):
        issues.append(Issue("amend_fixed_risks"))
    notes = {p["number"]: p.get("source_notes", []) for p in current["projects"]}
    issues += [Issue("amend_fixed_notes", {"number": p["number"]}) for p in proposed["projects"]
               if p.get("source_notes", []) != notes.get(p["number"], [])]
    return issues


def _fixed(value):
    return value or None  # an absent optional section is an empty one


def _risk_text(data: dict) -> list:
    """The risk register without its links to items (which an amendment may change)."""
    return [{**a, "measures": [{k: v for k, v in ms.items() if k != "implemented_by"} for ms in a["measures"]]}
            for a in data["risks"]]


def settle(current: dict, proposed: dict, effective_fy: int) -> dict:
    """The plan as the amendment leaves it: `proposed`, with every item of `current` it leaves out kept until the
    year before `effective_fy` (and its budget from that year removed), and every item it adds in the plan from
    `effective_fy` unless its row gives its years."""
    out = copy.deepcopy(proposed)
    first = out["plan"]["start_fy_be"]
    numbers = {p["number"] for p in out["projects"]}
    before = {p["number"] for p in current["projects"]}
    for p in out["projects"]:
        if p["number"] not in before and "from_fy_be" not in p and effective_fy > first:
            p["from_fy_be"] = effective_fy
    for p in current["projects"]:
        if p["number"] in numbers:
            continue
        kept = copy.deepcopy(p)
        last = p.get("until_fy_be")
        kept["until_fy_be"] = effective_fy - 1 if last is None else min(last, effective_fy - 1)
        kept["budget_thb"] = {y: (0 if int(y) >= effective_fy else a) for y, a in p["budget_thb"].items()}
        out["projects"].append(kept)
    out["projects"].sort(key=lambda p: p["number"])
    return out


def diff(current: dict, amended: dict) -> list[Change]:
    """Every field the amendment changes, items first (by number), then risk links, then yearly targets."""
    changes: list[Change] = []
    old = {p["number"]: p for p in current["projects"]}
    for p in amended["projects"]:
        n = str(p["number"])
        was = old.get(p["number"])
        if was is None:
            changes.append(Change("item", n, "added", None, p["name_th"]))
            was = {"budget_thb": {}, "indicators": []}
            fields = [f for f in ITEM_FIELDS if f in ("from_fy_be",) and p.get(f) is not None]
        else:
            dropped = was.get("until_fy_be") != p.get("until_fy_be") and p.get("until_fy_be") is not None
            if dropped:
                changes.append(Change("item", n, "removed", None, p["until_fy_be"]))
            fields = [f for f in ITEM_FIELDS if not (dropped and f == "until_fy_be")]
        changes += [Change("item", n, f, _shown(was.get(f)), _shown(p.get(f)))
                    for f in fields if _shown(was.get(f)) != _shown(p.get(f))]
        years = sorted({*was["budget_thb"], *p["budget_thb"]}, key=int)
        changes += [Change("item", n, f"budget_{y}", was["budget_thb"].get(y), p["budget_thb"].get(y)) for y in years
                    if (was["budget_thb"].get(y) or 0) != (p["budget_thb"].get(y) or 0)]
        before_ind, after_ind = [indicator_text(i) for i in was["indicators"]], [indicator_text(i) for i in p["indicators"]]
        for i in range(max(len(before_ind), len(after_ind))):
            b = before_ind[i] if i < len(before_ind) else None
            a = after_ind[i] if i < len(after_ind) else None
            if b != a:
                changes.append(Change("item", n, f"indicator_{i + 1}", b, a))
    changes += _risk_changes(current, amended)
    changes += _target_changes(current, amended)
    return changes


def _shown(value):
    """A field's value as a change shows it: lists as lines, the target group as its text and head count."""
    if isinstance(value, dict):  # target_group
        text = value.get("text_th") or ""
        return f"{text} ({value['head_count']})" if value.get("head_count") is not None else (text or None)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value) or None
    return None if value == "" else value


def indicator_text(ind: dict) -> str:
    """An indicator in one line: its kind, text and targets ("output: … [≥ 80 percent]")."""
    targets = "; ".join(f"{_SYMBOL.get(t['comparison'], t['comparison'])} {t.get('value')} {t.get('unit') or ''}".strip()
                        for t in ind.get("targets", []))
    return f"{ind['kind']}: {ind['text_th']}" + (f" [{targets}]" if targets else "")


_SYMBOL = {"gte": "≥", "lte": "≤", "eq": "=", "decrease": "↓", "reduce_by": "↓"}


def _links(measure: dict) -> str | None:
    links = measure.get("implemented_by", [])
    return ", ".join(f"{lk['project']}" + ("*" if lk["match"] == "partial" else "") for lk in links) or None


def _risk_changes(current: dict, amended: dict) -> list[Change]:
    old = {(a["number"], ms["number"]): _links(ms) for a in current["risks"] for ms in a["measures"]}
    return [Change("risk", f"{a['number']}.{ms['number']}", "items", old.get((a["number"], ms["number"])), _links(ms))
            for a in amended["risks"] for ms in a["measures"] if old.get((a["number"], ms["number"])) != _links(ms)]


def _target_changes(current: dict, amended: dict) -> list[Change]:
    old = {t["fiscal_year_be"]: t for t in current["targets"]}
    new = {t["fiscal_year_be"]: t for t in amended["targets"]}
    out = []
    for y in sorted({*old, *new}):
        if y not in old:
            out.append(Change("target", str(y), "added", None, y))
        elif y not in new:
            out.append(Change("target", str(y), "removed", y, None))
        out += [Change("target", str(y), f, old.get(y, {}).get(f), new.get(y, {}).get(f)) for f in TARGET_FIELDS
                if old.get(y, {}).get(f) != new.get(y, {}).get(f)]
    return out


# ------------------------------------------------------------------------------------------------ showing


def change_row(change: dict, lang: str = "th") -> dict:
    """A change as a table row and a line read it: what (รายการ 12), which field, before, after."""
    subject = t(f"amend_subject_{change['subject']}", lang, code=change["key"])
    name = change["field"]
    if name.startswith("budget_"):
        label = t("amend_field_budget", lang, year=name.removeprefix("budget_"))
    elif name.startswith("indicator_"):
        label = t("amend_field_indicator", lang, position=name.removeprefix("indicator_"))
    else:
        label = t(f"amend_field_{name}", lang)
    return {"subject": subject, "field": label, "before": _value(name, change["before"], lang),
            "after": _value(name, change["after"], lang)}


def change_line(change: dict, lang: str = "th") -> str:
    row = change_row(change, lang)
    if change["field"] == "added" and change["subject"] == "item":
        return t("amend_line_added", lang, subject=row["subject"], name=row["after"])
    if change["field"] == "removed" and change["subject"] == "item":
        return t("amend_line_removed", lang, subject=row["subject"], year=change["after"] + 1)
    return t("amend_line", lang, **row)


def _value(field: str, value, lang: str) -> str:
    if value is None:
        return "—"
    if field == "kind":
        return t(f"kind_{value}", lang)
    if field.startswith("budget_") and isinstance(value, int):
        return grouped(value)
    return str(value)
