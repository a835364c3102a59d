"""Chart builders, tested through chart.to_dict(): fields, types, translated titles, font sizes."""

import pandas as pd
import pytest
from sqlmodel import Session

from acplan.db import make_engine
from acplan.plan import figures
from acplan.plan.queries import get_plan, list_budget_lines, list_projects
from acplan.reporting import charts
from tests.conftest import loaded_store


@pytest.fixture(scope="module")
def frames(tmp_path_factory, template_root):
    engine = make_engine(loaded_store(tmp_path_factory.mktemp("charts") / 'c.db', template_root))
    with Session(engine) as session:
        plan = get_plan(session=session)
        return list_projects(session=session, plan_id=plan.id), list_budget_lines(session=session, plan_id=plan.id)


def relative_luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", charts.DIMENSION_COLOURS)
def test_dimension_palette_has_3_to_1_contrast_on_white(colour):
    assert (1.05) / (relative_luminance(colour) + 0.05) >= 3.0


def test_budget_by_dimension_year_thai(frames):
    projects, budget = frames
    spec = charts.budget_by_dimension_year(figures.budget_by_dimension_year(projects, budget), lang="th").to_dict()
    assert spec["mark"]["type"] == "bar"
    enc = spec["encoding"]
    assert (enc["x"]["field"], enc["x"]["type"]) == ("year_label", "nominal")
    assert (enc["y"]["field"], enc["y"]["type"]) == ("amount_thb", "quantitative")
    assert enc["xOffset"]["field"] == "dimension_label"
    assert enc["color"]["scale"]["domain"] == ["มิติที่ 1", "มิติที่ 2", "มิติที่ 3", "มิติที่ 4"]
    assert enc["color"]["scale"]["range"] == list(charts.DIMENSION_COLOURS)
    assert spec["title"] == "งบประมาณตามมิติและปีงบประมาณ"
    assert enc["y"]["title"] == "บาท" and enc["y"]["axis"]["format"] == ",d"
    assert spec["config"]["axis"]["labelFontSize"] >= 16
    assert spec["config"]["title"]["fontSize"] >= 20
    rows = spec["datasets"][spec["data"]["name"]]
    assert {(r["dimension"], r["year_label"], r["amount_thb"]) for r in rows if r["year_label"] == "ปีงบ 2566"} == {
        (1, "ปีงบ 2566", 190000), (2, "ปีงบ 2566", 0), (3, "ปีงบ 2566", 30000), (4, "ปีงบ 2566", 0)}


def test_budget_by_dimension_year_english_and_presentation_sizes(frames):
    projects, budget = frames
    spec = charts.budget_by_dimension_year(figures.budget_by_dimension_year(projects, budget), lang="en",
                                           present=True).to_dict()
    assert spec["title"] == "Budget by dimension and fiscal year"
    assert spec["encoding"]["color"]["scale"]["domain"][0] == "Dimension 1"
    assert spec["config"]["axis"]["labelFontSize"] > 16
    assert spec["config"]["title"]["fontSize"] > 20


def test_budget_by_unit(frames):
    projects, budget = frames
    df = figures.budget_by_unit(projects, budget)
    assert df.iloc[0].tolist() == ["สำนักปลัด", 1_100_000, 12]
    spec = charts.budget_by_unit(df, lang="th").to_dict()
    assert spec["encoding"]["y"]["field"] == "unit" and spec["encoding"]["y"]["sort"] == "-x"
    assert spec["encoding"]["x"]["type"] == "quantitative"
    assert spec["title"] == "งบประมาณ 5 ปีตามผู้รับผิดชอบ"


def test_funded_vs_unfunded(frames):
    projects, budget = frames
    df = figures.funded_by_dimension(projects, budget)
    assert set(map(tuple, df.values.tolist())) == {(1, False, 1), (1, True, 2), (2, False, 15), (3, False, 4),
                                                    (3, True, 1), (4, False, 7)}
    spec = charts.funded_vs_unfunded(df, lang="en").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Funded", "No budget needed"]
    assert spec["encoding"]["y"]["field"] == "items"


def test_planned_vs_actual_is_side_by_side_not_stacked(frames):
    _, budget = frames
    actual = pd.DataFrame({"fiscal_year_be": [2566], "amount_thb": [150000]})
    df = figures.planned_vs_actual(budget, actual)
    assert df[df["fiscal_year_be"] == 2566].set_index("series")["amount_thb"].to_dict() == {"planned": 220000,
                                                                                            "actual": 150000}
    spec = charts.planned_vs_actual(df, lang="th").to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "series_label"
    assert spec["encoding"]["y"]["stack"] is None
    assert spec["title"] == "งบประมาณตามแผนเทียบกับการใช้จ่ายจริง"


def test_ita_chart_layers_target_and_actual():
    df = pd.DataFrame({"fiscal_year_be": [2566, 2567], "ita_target": [65, 70], "ita_actual": [61.5, None]})
    spec = charts.ita_target_vs_actual(df, lang="th").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point"]
    assert spec["layer"][0]["encoding"]["y"]["field"] == "ita_target"
    assert spec["layer"][1]["encoding"]["y"]["field"] == "ita_actual"
    assert spec["title"] == "คะแนน ITA: เป้าหมายและผลจริง"


def test_the_reports_dimension_charts_write_their_values_on_the_bars():
    """Greyscale print: every bar carries its figure, so no colour is needed to read it."""
    import pandas as pd

    from acplan.reporting import charts
    table = pd.DataFrame({"dimension": [1, 2, 0], "result": [3.14, None, None], "budget_thb": [190000, 0, 190000],
                          "spent_thb": [6000, 165000, 171000]})
    scores = charts.dimension_scores(table, lang="th").to_dict()
    assert [layer["mark"]["type"] for layer in scores["layer"]] == ["bar", "text"]
    assert [r["result_text"] for r in scores["datasets"][scores["data"]["name"]]] == ["3.14"]  # unscored dims left out
    money = charts.planned_vs_spent_by_dimension(table, lang="th").to_dict()
    rows = money["datasets"][money["data"]["name"]]
    assert [(r["dimension_label"], r["amount_text"]) for r in rows] == [
        ("มิติที่ 1", "190,000"), ("มิติที่ 1", "6,000"), ("มิติที่ 2", "0"), ("มิติที่ 2", "165,000")]
    assert money["layer"][1]["mark"]["type"] == "text"


def test_the_status_chart_writes_each_count_on_its_bar():
    import pandas as pd

    from acplan.reporting import charts
    spec = charts.status_distribution(pd.DataFrame({"status": ["completed", "in_progress"], "items": [20, 10]}),
                                      lang="th").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]
    assert spec["layer"][1]["encoding"]["text"]["field"] == "items"



@pytest.mark.parametrize("orgs", [40, 8000])
def test_the_roll_up_spread_shows_every_organisation_up_to_a_size_then_how_many_share_a_value(orgs):
    """#16: a nation's 8,000 organisations × 4 dimensions made the chart refuse its data (Altair's 5,000-row limit) and
    the page fail; each dot is an organisation up to ROLLUP_DOTS_MAX, then a count of those sharing a tenth."""
    import numpy as np

    rng = np.random.default_rng(7)
    df = pd.DataFrame({"dimension": np.repeat([1, 2, 3, 4], orgs), "result": np.round(rng.uniform(1.2, 4.9, 4 * orgs), 2),
                       "org": [f"อบต.ตัวอย่าง {i}" for i in range(4 * orgs)]})
    spec = charts.rollup_dimensions(df, lang="th").to_dict()
    rows = {name: len(values) for name, values in spec["datasets"].items()}
    assert max(rows.values()) <= charts.ROLLUP_DOTS_MAX
    box = next(v for v in spec["datasets"].values() if v and "q1" in v[0])
    assert [b["median"] for b in box] == pytest.approx([df[df["dimension"] == d]["result"].median() for d in (1, 2, 3, 4)])
    dots = [v for v in spec["datasets"].values() if v and ("org" in v[0] or "orgs" in v[0])][0]
    if orgs * 4 <= charts.ROLLUP_DOTS_MAX:
        assert len(dots) == 4 * orgs and dots[0]["org"].startswith("อบต.ตัวอย่าง")
    else:
        assert sum(d["orgs"] for d in dots) == 4 * orgs and len(dots) <= 4 * 41
