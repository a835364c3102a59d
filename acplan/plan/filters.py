"""The projects list's filters: parsed from the URL query string, applied to tidy frames (pure)."""

import re
import unicodedata
from dataclasses import dataclass, fields

import pandas as pd

KINDS = ("project", "activity", "measure", "none")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ProjectFilter:
    """Filter state; every field maps to the query parameter of the same name."""

    dim: int | None = None
    mission: str | None = None
    kind: str | None = None
    unit: str | None = None
    fy: int | None = None
    q: str = ""

    def as_params(self) -> dict[str, str]:
        """The non-empty fields as query parameters, for building a shareable URL."""
        return {f.name: str(v) for f in fields(self) if (v := getattr(self, f.name)) not in (None, "")}


def normalise(text: str) -> str:
    """Text for matching: NFC, no zero-width characters, case-folded, no spaces (Thai has no word spaces)."""
    text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text or ""))
    return _SPACE.sub("", text.casefold())


def parse_filter(params: dict[str, str], *, dimensions: set[int], missions: set[str], units: set[str],
                 years: set[int]) -> ProjectFilter:
    """A filter from query parameters; values the plan does not know are dropped, never raised."""
    dim = _int(params.get("dim"))
    fy = _int(params.get("fy"))
    kind = params.get("kind")
    return ProjectFilter(
        dim=dim if dim in dimensions else None,
        mission=params.get("mission") if params.get("mission") in missions else None,
        kind=kind if kind in KINDS else None,
        unit=params.get("unit") if params.get("unit") in units else None,
        fy=fy if fy in years else None,
        q=(params.get("q") or "").strip()[:200],
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def search_index(search: pd.DataFrame) -> pd.DataFrame:
    """Add `search_key`, the normalised search text, computed once rather than on every query."""
    return search.assign(search_key=search["search_text"].map(normalise))


def apply_filter(projects: pd.DataFrame, budget: pd.DataFrame, search: pd.DataFrame, flt: ProjectFilter) -> pd.DataFrame:
    """Items matching every set filter, with `budget_thb`: that fiscal year's budget, or the five-year total.

    `search` comes from `search_index`.
    """
    df = projects
    if flt.dim is not None:
        df = df[df["dimension"] == flt.dim]
    if flt.mission:
        df = df[df["mission"] == flt.mission]
    if flt.kind:
        df = df[df["kind"].isna()] if flt.kind == "none" else df[df["kind"] == flt.kind]
    if flt.unit:
        df = df[df["unit"] == flt.unit]
    lines = budget if flt.fy is None else budget[budget["fiscal_year_be"] == flt.fy]
    df = df[df["number"].isin(lines["number"])]
    if flt.q:
        needle = normalise(flt.q)
        hits = search[search["search_key"].str.contains(needle, regex=False)]["number"]
        df = df[df["number"].isin(hits) | (df["number"].astype(str) == flt.q)]
    totals = lines.groupby("number")["amount_thb"].sum().rename("budget_thb")
    return df.merge(totals, left_on="number", right_index=True, how="left").reset_index(drop=True)
