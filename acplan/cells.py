"""Text a person typed, made safe to open in a spreadsheet (imported by pages too, so it needs no openpyxl)."""

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection); the full-width forms too.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def csv_cell(value: object) -> object:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value
