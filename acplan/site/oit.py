"""The ITA assessment's OIT items that this plan answers, per assessment year, kept as data (`data/oit/ITA-YEAR.yaml`).

Each item: `code` (as NACC numbers it that year; empty when not confirmed from the published manual), `title_th`
(as published), and `answer`: `plan`, `risks`, `targets`, `findings`, or `round` with `round` naming the round
code, where `{year}` is the assessment year and `{prev}` the year before (the 6-month report of the year is
`{year}-1`, the annual report of the year before `{prev}-2`).
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from acplan.errors import InvalidInput, Issue

OIT_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "oit"
ANSWERS = {"plan": "plan.html", "risks": "risks.html", "targets": "targets.html", "findings": "findings.html",
           "budget": "budget.html"}


@dataclass(frozen=True)
class OitItem:
    code: str
    title_th: str
    answer: str
    path: str | None  # the page that answers it, relative to the site's root; None when not published yet

    @property
    def ready(self) -> bool:
        return self.path is not None


def years() -> list[int]:
    return sorted(int(p.stem.removeprefix("ITA-")) for p in OIT_DIR.glob("ITA-*.yaml"))


def load(year: int) -> dict:
    path = OIT_DIR / f"ITA-{year}.yaml"
    if not path.is_file():
        raise InvalidInput(Issue("oit_year_unknown", {"year": year, "years": ", ".join(map(str, years())) or "—"}))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def resolve(year: int, published_rounds: set[str]) -> list[OitItem]:
    """The year's items, each with the site page that answers it (None while its round is not published)."""
    out = []
    for item in load(year)["items"]:
        answer = item["answer"]
        if answer == "round":
            code = item["round"].format(year=year, prev=year - 1)
            path = f"rounds/{code}.html" if code in published_rounds else None
            answer = f"round {code}"
        else:
            path = ANSWERS[answer]
        out.append(OitItem(str(item.get("code") or ""), item["title_th"], answer, path))
    return out


def absolute(base_url: str | None, path: str | None) -> str:
    if path is None:
        return ""
    return (base_url.rstrip("/") + "/" + path) if base_url else path
