"""Today's date, the one place the settings may override it (`ACPLAN_TODAY`) for demonstrations and tests."""

from datetime import date

from acplan import settings


def today() -> date:
    """`ACPLAN_TODAY` when set, else the machine's date."""
    return settings.get().today or date.today()
