"""Every user-visible text, Thai first and English second, from `th.toml` and `en.toml` beside this file.

Both catalogs hold the same keys. A key whose English depends on a count is a table (`one`, `other`)
and the form is chosen by Babel's plural rules for the count in `n` (or `count`); Thai has one form.
"""

import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale

LANGS = ("th", "en")
CATALOG_DIR = Path(__file__).resolve().parent


@cache
def catalog(lang: str) -> dict[str, str | dict[str, str]]:
    with (CATALOG_DIR / f"{lang}.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def _plural_form(lang: str, n: int) -> str:
    return Locale.parse(lang).plural_form(n)


def t(key: str, lang: str = "th", **params: object) -> str:
    """The text `key` in `lang` (Thai when unknown), with `params` filled in (a date as a Buddhist Era date)."""
    lang = lang if lang in LANGS else "th"
    if any(isinstance(v, date) for v in params.values()):
        from acplan.format import date_long

        params = {k: date_long(v, lang) if isinstance(v, date) else v for k, v in params.items()}
    text = catalog(lang)[key]
    if isinstance(text, dict):
        count = params.get("n", params.get("count", 0))
        text = text.get(_plural_form(lang, abs(int(count))), text["other"])
    return text.format(**params) if params else text


def describe(issue, lang: str = "th") -> str:
    """A service Issue as one sentence, prefixed with its row and column when it has them.

    A spreadsheet row's column is named as the sheet's header names it, Thai and then its key — คะแนน (score) —
    so that it can be found in the file; a form's field by its label only (no code words on a Thai screen)."""
    message = t(issue.code, lang, **issue.params) if issue.params else t(issue.code, lang)
    if issue.sheet is not None:  # a workbook's cell: the sheet and the column as the file names them
        book, _, key = issue.sheet.rpartition(":")  # "us:reports": a unit report workbook's sheet; else the plan's
        sheet = f"{t((book or 'pw') + '_sheet_' + key, lang)} ({key})"
        if issue.row is None:
            return t("issue_in_sheet", lang, sheet=sheet, message=message)
        return t("issue_in_sheet_at", lang, sheet=sheet, row=issue.row, column=issue.column, message=message)
    if issue.column is None:
        return message
    label = t("colname_" + issue.column, lang)
    if issue.row is None:
        return t("issue_column", lang, column=label, message=message)
    return t("issue_at", lang, row=issue.row, column=f"{label} ({issue.column})", message=message)
