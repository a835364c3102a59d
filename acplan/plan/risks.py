"""The fraud-risk register seen from the council's side: which measures have an item behind them (pure)."""

import pandas as pd

LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}


def area_coverage(areas: pd.DataFrame, issues: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Per process area: highest issue level, measures, measures with an implementing item, gaps, attention flag.

    A high-level area is flagged when at most half of its control measures have an item in the plan.
    """
    per_measure = measures.groupby(["area", "measure"])["project"].apply(lambda s: s.notna().any()).reset_index(name="linked")
    counts = per_measure.groupby("area").agg(measures=("measure", "size"), linked=("linked", "sum")).reset_index()
    top = issues.assign(rank=issues["level"].map(LEVEL_ORDER)).groupby("area")["rank"].min()
    out = areas.merge(counts, on="area", how="left").fillna({"measures": 0, "linked": 0})
    out["top_level"] = out["area"].map(top).map({v: k for k, v in LEVEL_ORDER.items()})
    out["gaps"] = (out["measures"] - out["linked"]).astype(int)
    out["attention"] = (out["top_level"] == "high") & (out["linked"] * 2 <= out["measures"])
    return out.astype({"measures": int, "linked": int})


def register_view(areas: pd.DataFrame, issues: pd.DataFrame, measures: pd.DataFrame, names: dict[int, str],
                  notes: dict[int, list[dict]]) -> list[dict]:
    """The register as plain data for display: per area its coverage, issues, measures (with items) and notes."""
    coverage = area_coverage(areas, issues, measures)
    out = []
    for area in coverage.to_dict("records"):
        n = area["area"]
        area_measures: dict[int, dict] = {}
        for row in measures[measures["area"] == n].to_dict("records"):
            entry = area_measures.setdefault(row["measure"], {"number": row["measure"], "text_th": row["text_th"], "items": []})
            if pd.notna(row["project"]):
                number = int(row["project"])
                entry["items"].append({"number": number, "name_th": names[number], "match": row["match"]})
        out.append(area | {
            "issue_list": issues[issues["area"] == n][["issue", "text_th", "level"]].to_dict("records"),
            "measure_list": list(area_measures.values()),
            "notes": notes.get(n, []),
        })
    return out
