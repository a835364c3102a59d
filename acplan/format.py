"""Thai-first formatting of numbers, money, dates and fiscal years (Buddhist Era)."""

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
