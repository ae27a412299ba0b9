"""The chart functions are pure: plain lists in, Plotly figure dicts out (no database)."""

import json
from decimal import Decimal

import pytest

from dashboard import charts
from dashboard.tilegrid import tiles

TY = Decimal(1_000_000_000)


def _json(figure):
    return json.loads(json.dumps(figure))  # what json_script will carry


def test_cumulative_by_month_carries_totals_and_draws_the_plan():
    rows = [
        {"year": 2018, "month": 5, "cumulative": TY * Decimal("0.4")},
        {"year": 2019, "month": 3, "cumulative": TY * Decimal("0.3")},
        {"year": 2019, "month": 6, "cumulative": TY * Decimal("2.8")},
        {"year": 2019, "month": 12, "cumulative": TY * Decimal("2.6")},
    ]
    figure = _json(
        charts.cumulative_by_month(
            rows, year=2019, budget=5 * TY, url_template="/de-an/?year={year}&m={month:02d}"
        )
    )
    earlier, plan, current = figure["data"]
    assert earlier["name"] == "2018"
    assert earlier["y"][4:6] == [0, 0.4]
    assert plan["y"][0] == 0 and plan["y"][-1] == 5.0
    assert plan["y"][6] == 2.5
    assert current["name"] == "2019"
    assert current["x"] == list(range(13))
    assert current["y"] == [0, 0, 0, 0.3, 0.3, 0.3, 2.8, 2.8, 2.8, 2.8, 2.8, 2.8, 2.6]
    assert current["customdata"][3] == "/de-an/?year=2019&m=03"
    assert current["customdata"][0] == ""  # 1 January: nothing to open
    assert "0,30 tỷ đồng" in current["hovertext"][3]
    assert "52,00%" in current["hovertext"][12]
    assert figure["layout"]["separators"] == ",."
    assert figure["layout"]["xaxis"]["ticktext"][0] == "Th1"


def test_cumulative_by_month_of_a_running_year_stops_at_its_month():
    figure = charts.cumulative_by_month([], year=2026, budget=TY, until_month=11)
    current = figure["data"][-1]
    assert list(current["x"]) == list(range(12))
    assert set(current["y"]) == {0.0}


def test_disbursement_rate_sorted_highest_first_without_budget_last():
    rows = [
        {"label": "Hà Nội", "budget": TY, "disbursed": TY / 2, "schemes": 1, "url": "/a"},
        {"label": "Huế", "budget": Decimal(0), "disbursed": Decimal(0), "schemes": 0, "url": "/b"},
        {"label": "Cà Mau", "budget": 4 * TY, "disbursed": 3 * TY, "schemes": 2, "url": "/c"},
    ]
    figure = _json(charts.disbursement_rate(rows, overall=Decimal("70")))
    bar = figure["data"][0]
    assert bar["x"] == ["Cà Mau", "Hà Nội", "Huế"]
    assert bar["y"] == [75.0, 50.0, None]
    assert bar["customdata"] == ["/c", "/a", "/b"]
    assert "3,00 / 4,00 tỷ đồng (75,00%)" in bar["hovertext"][0]
    assert "Chưa có kinh phí được duyệt" in bar["hovertext"][2]
    assert figure["layout"]["shapes"][0]["y0"] == 70.0
    horizontal = charts.disbursement_rate(rows, horizontal=True)["data"][0]
    assert horizontal["orientation"] == "h"
    assert list(horizontal["y"]) == ["Cà Mau", "Hà Nội", "Huế"]


def test_budget_bars_largest_first():
    rows = [
        {"label": "Đào tạo nghề", "budget": TY, "disbursed": TY, "schemes": 3, "url": "/1"},
        {"label": "Mô hình", "budget": 3 * TY, "disbursed": 0, "schemes": 2, "url": "/3"},
    ]
    bar = _json(charts.budget_bars(rows))["data"][0]
    assert bar["x"] == [3.0, 1.0]
    assert bar["customdata"] == ["/3", "/1"]
    assert bar["text"] == ["3,00", "1,00"]
    assert "Kinh phí được duyệt: 3,00 tỷ đồng" in bar["hovertext"][0]


def test_label_wrapping():
    assert charts._wrap("Hóa chất nông nghiệp, vật liệu xây dựng", 20, 3) == (
        "Hóa chất nông<br>nghiệp, vật liệu xây<br>dựng"
    )
    assert charts._wrap("Hóa chất nông nghiệp, vật liệu xây dựng", 20) == (
        "Hóa chất nông<br>nghiệp, vật liệu xây…"
    )


def test_status_funnel():
    stages = [
        {"label": "Được duyệt", "count": 179, "url": "/de-an/?stage=approved"},
        {"label": "Đã ký hợp đồng", "count": 178, "url": "/de-an/?stage=contracted"},
    ]
    funnel = _json(charts.status_funnel(stages))["data"][0]
    assert funnel["type"] == "funnel"
    assert funnel["x"] == [179, 178]
    assert funnel["customdata"][1] == "/de-an/?stage=contracted"
    assert "99,44%" in funnel["hovertext"][1]
    assert funnel["text"] == ["179", "178 (99,44%)"]


def test_budget_trend_years_are_categories_and_rates_on_a_second_axis():
    rows = [
        {"year": 2019, "budget": 140 * TY, "disbursed": Decimal(135_250_000_000), "url": "/?y=19"},
        {"year": 2018, "budget": 100 * TY, "disbursed": 0, "url": "/?y=18"},
        {"year": 2020, "budget": 0, "disbursed": 0, "url": "/?y=20"},
    ]
    bars, line = _json(charts.budget_trend(rows, year=2019))["data"]
    assert bars["x"] == ["2018", "2019", "2020"]  # never "2.019"
    assert bars["y"] == [100.0, 140.0, 0.0]
    assert bars["marker"]["color"][1] == charts.RED
    assert line["yaxis"] == "y2"
    assert line["y"] == [0.0, 96.61, None]  # no budget, no rate
    assert bars["customdata"] == ["/?y=18", "/?y=19", "/?y=20"]


@pytest.mark.parametrize("metric", ["rate", "budget"])
def test_tile_map(metric):
    grid = [
        {"code": "19", "col": 3, "row": 1, "label": "Thái Nguyên", "url": "/tinh/34/19/"},
        {"code": "01", "col": 3, "row": 2, "label": "Hà Nội", "url": "/tinh/34/01/"},
    ]
    values = {"19": {"budget": 4 * TY, "disbursed": 3 * TY, "schemes": 2}}
    figure = _json(charts.tile_map(grid, values, metric=metric))
    background, coloured = figure["data"]
    assert len(coloured["z"]) == 3 and len(coloured["z"][0]) == 4  # rows 0..2, columns 0..3
    assert coloured["z"][1][3] == (75.0 if metric == "rate" else 4.0)
    assert coloured["z"][2][3] is None  # Hà Nội has no budget: a grey tile
    assert background["z"][2][3] == 0
    assert background["z"][0][0] is None  # no province there
    assert coloured["customdata"][2][3] == "/tinh/34/01/"
    assert coloured["text"][1][3] == "Thái Nguyên"
    assert "Chưa có kinh phí được duyệt" in background["hovertext"][2][3]
    assert figure["layout"]["yaxis"]["range"][0] > figure["layout"]["yaxis"]["range"][1]
    # One province does not stretch the scale: rates from its ten to 100%, budgets from 0.
    assert (coloured["zmin"], coloured["zmax"]) == ((70.0, 100.0) if metric == "rate" else (0, 4.0))


def test_every_province_has_one_tile_of_its_own():
    import csv
    from pathlib import Path

    from provinces.reference import CSV_PATH

    with Path(CSV_PATH).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for map_version, codes in (
        ("63", {row["old_code"] for row in rows}),
        ("34", {row["new_code"] for row in rows}),
    ):
        grid = tiles(map_version)
        assert {tile.code for tile in grid} == codes
        assert len(grid) == len(codes)
        assert len({(tile.col, tile.row) for tile in grid}) == len(grid)  # no overlaps
        assert max(tile.col for tile in grid) <= 6
        assert max(tile.row for tile in grid) <= 24
    # Roughly by geography: Hà Nội north of Huế, Huế north of Hồ Chí Minh City, Cà Mau last.
    rows_34 = {tile.code: tile.row for tile in tiles("34")}
    assert rows_34["01"] < rows_34["46"] < rows_34["79"] < rows_34["96"]
