"""Human-readable labels built from stored keys (targets, kinds, levels), in Thai or English."""

from acplan import format as fmt
from acplan.i18n import t


def kind_label(kind: str | None, lang: str) -> str:
    """Thai/English label of a kind key; a missing kind (None or NaN from a frame) reads "kind not stated"."""
    return t(f"kind_{kind if isinstance(kind, str) else 'none'}", lang)


def target_text(target: dict, lang: str) -> str:
    """'ไม่น้อยกว่า 80 % ต่อปี' from a stored target (value, unit, comparison, period)."""
    unit = t(f"unit_{target.get('unit') or 'none'}", lang)
    value = "" if target.get("value") is None else fmt.number(target["value"])
    text = t(f"cmp_{target['comparison']}", lang, value=value, unit=unit)
    if target.get("period"):
        text += " " + t(f"period_{target['period']}", lang)
    return " ".join(text.replace(" %", "%").split())


def targets_text(targets: list[dict], lang: str) -> str:
    return "; ".join(target_text(tg, lang) for tg in targets) if targets else t("no_numeric_target", lang)


def parse_item_number(raw: str | None, total: int) -> tuple[int | None, str | None, dict]:
    """Item number from ?no=, or the catalog key and parameters of the message explaining what is wrong."""
    if raw is None or raw.strip() == "":
        return None, "project_missing_no", {"total": total}
    try:
        number = int(raw.strip())
    except ValueError:
        return None, "project_bad_no", {"value": raw[:20], "total": total}
    return number, None, {}

