"""Thai-first formatting of numbers, money, dates and fiscal years (Buddhist Era)."""

import re
from datetime import date

BE_OFFSET = 543
MONTHS_TH = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
             "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_TH_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def number(n: int | float) -> str:
    """Digits grouped by thousands: 1100000 -> '1,100,000'."""
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}"


def baht(amount_thb: int, lang: str = "th") -> str:
    """Whole baht with its unit: '1,100,000 บาท' (Thai) or 'THB 1,100,000' (English)."""
    return f"{number(amount_thb)} บาท" if lang == "th" else f"THB {number(amount_thb)}"


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def date_long(d: date, lang: str = "th") -> str:
    """'5 สิงหาคม 2565' in Thai (BE), '5 August 2022 (BE 2565)' in English."""
    if lang == "th":
        return f"{d.day} {MONTHS_TH[d.month - 1]} {be_year(d.year)}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year} (BE {be_year(d.year)})"


def date_short(d: date) -> str:
    """'1 ต.ค. 2569': the abbreviated Thai date of official documents (Buddhist Era)."""
    return f"{d.day} {MONTHS_TH_SHORT[d.month - 1]} {be_year(d.year)}"


def fiscal_year_of(d: date) -> int:
    """Thai fiscal year (BE) containing `d`: FY 2570 runs 1 Oct 2026 – 30 Sep 2027."""
    return be_year(d.year + 1 if d.month >= 10 else d.year)


def fiscal_year_label(fy_be: int, lang: str = "th") -> str:
    """'ปีงบประมาณ 2567 (ต.ค. 2566 – ก.ย. 2567)' — which months the fiscal year covers."""
    if lang == "th":
        return f"ปีงบประมาณ {fy_be} (ต.ค. {fy_be - 1} – ก.ย. {fy_be})"
    return f"FY {fy_be} (Oct {fy_be - BE_OFFSET - 1} – Sep {fy_be - BE_OFFSET})"


def fiscal_year_short(fy_be: int, lang: str = "th") -> str:
    return f"ปีงบ {fy_be}" if lang == "th" else f"FY {fy_be}"


def datetime_short(moment, lang: str = "th") -> str:
    """'27 พ.ย. 2569 20:15' in Thai time (UTC+7), Buddhist Era year."""
    from datetime import timedelta, timezone

    local = moment.astimezone(timezone(timedelta(hours=7))) if moment.tzinfo else moment
    month = MONTHS_TH_SHORT[local.month - 1] if lang == "th" else MONTHS_EN[local.month - 1][:3]
    return f"{local.day} {month} {be_year(local.year)} {local:%H:%M}"


MIN_BE_YEAR = 2400  # a year below this was typed in the Christian era (or is not a year): asked again, never guessed
_NUMERIC_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_NUMERIC_YMD = re.compile(r"^\s*(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*$")
_WORDS = re.compile(r"^\s*(\d{1,2})\s+(\S+)\s+(\d{4})\s*$")


class DateNotRead(ValueError):
    """What was typed is not a Buddhist Era date; `reason` is a catalog key that says what to type."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_be_date(text: str) -> date | None:
    """A date typed in the Buddhist Era: '31/03/2570', '31-3-2570', '2570-03-31', '31 มี.ค. 2570',
    '31 มีนาคม 2570' (Thai or full-width digits too); None for an empty field. Raises DateNotRead."""
    cleaned = "".join(str(int(ch)) if ch.isdigit() else ch for ch in (text or "")).strip()
    if not cleaned:
        return None
    if m := _NUMERIC_DMY.match(cleaned):
        day, month, year = (int(g) for g in m.groups())
    elif m := _NUMERIC_YMD.match(cleaned):
        year, month, day = (int(g) for g in m.groups())
    elif m := _WORDS.match(cleaned):
        day, name, year = int(m.group(1)), m.group(2).rstrip("."), int(m.group(3))
        names = {n.rstrip("."): i for i, n in enumerate(MONTHS_TH_SHORT, 1)} | \
            {n: i for i, n in enumerate(MONTHS_TH, 1)} | {n.lower(): i for i, n in enumerate(MONTHS_EN, 1)} | \
            {n[:3].lower(): i for i, n in enumerate(MONTHS_EN, 1)}
        if (month := names.get(name) or names.get(name.lower())) is None:
            raise DateNotRead("date_month_unknown")
    else:
        raise DateNotRead("date_format")
    if year < MIN_BE_YEAR:
        raise DateNotRead("date_not_be")
    try:
        return date(year - BE_OFFSET, month, day)
    except ValueError:
        raise DateNotRead("date_no_such_day") from None


def date_numeric(d: date | None) -> str:
    """'31/03/2570': the form `parse_be_date` reads back."""
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{be_year(d.year)}"
