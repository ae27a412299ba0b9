"""The dashboard's charts: pure functions from rows (plain dicts and lists, amounts as Decimal)
to Plotly figure dicts. No ORM here: views call the selectors and pass their rows in.

Amounts become floats in tỷ đồng only here, at the display boundary; the texts shown on hover
are written from the exact Decimals with core.money, so they read exactly as the KPI cards do.
Every clickable point carries the address it opens in `customdata`; static/js/charts.js
navigates there on click. Titles live in the page's cards, not in the plots."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.money import BILLION, format_billions, format_number, format_rate, rate

RED = "#b3261e"  # the ministry red: the main series
BLUE = "#0b5cad"
RATE_SCALE = [[0, "#c6dbef"], [0.5, "#5b9bd1"], [1, "#08468a"]]
BUDGET_SCALE = [[0, "#f6cdc8"], [0.5, "#d9645a"], [1, "#8c1d17"]]
GREYS = ("#5e7fa3", "#98aec6", "#c4d0de")  # earlier years, nearest first
INK = "#1d2430"
MUTED = "#5b6575"
GRID = "#e6e9ef"
EMPTY_TILE = "#eceef2"
FONT = '"Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif'


def billions(value: Decimal | int | None) -> float:
    """Đồng → tỷ đồng as a float, for plotting only."""
    return float(Decimal(value or 0) / BILLION)


def month_labels() -> list[str]:
    return [_("Th%(month)d") % {"month": month} for month in range(1, 13)]


def _layout(**overrides) -> dict:
    layout = {
        "template": "none",
        "separators": ",.",
        "font": {"family": FONT, "size": 12, "color": INK},
        "margin": {"l": 56, "r": 16, "t": 16, "b": 44},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"bgcolor": "#fff", "bordercolor": GRID, "font": {"family": FONT}},
        "hovermode": "closest",
        "dragmode": False,
        "showlegend": False,
    }
    layout.update(overrides)
    return layout


def _axis(**overrides) -> dict:
    axis = {
        "gridcolor": GRID,
        "zeroline": False,
        "linecolor": GRID,
        "tickfont": {"color": MUTED},
        "fixedrange": True,
        "automargin": True,
    }
    axis.update(overrides)
    return axis


def _figure(data: Iterable, layout: dict) -> dict:
    """Validate through plotly's figure classes, then return plain JSON-ready dicts."""
    figure = go.Figure(data=list(data), layout=layout).to_plotly_json()
    return {"data": figure["data"], "layout": figure["layout"]}


def _wrap(text: str, width: int = 26, max_lines: int = 2) -> str:
    """Break a long category label into at most `max_lines` lines of about `width` characters
    (<br>), ending with "…" if it is longer still (hover texts carry the full label)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(",;:") + "…"
    return "<br>".join(lines)


def _money_line(disbursed: Decimal, budget: Decimal) -> str:
    return _("Giải ngân %(disbursed)s / %(budget)s (%(rate)s)") % {
        "disbursed": format_number(Decimal(disbursed) / BILLION, 2),
        "budget": format_billions(budget),
        "rate": format_rate(rate(disbursed, budget)),
    }


def _schemes(count: int) -> str:
    return _("%(count)s đề án") % {"count": format_number(count)}


# (a) Cumulative disbursement by month ----------------------------------------------------------


def cumulative_by_month(
    rows: Sequence[dict],
    *,
    year: int,
    budget: Decimal,
    until_month: int = 12,
    url_template: str = "",
) -> dict:
    """Money disbursed to the end of each month of `year`, the same curve for the earlier years
    in `rows` (by month of the year), and a linear plan from 0 to `budget` on 31 December.

    `rows`: {year, month, cumulative} (a month without payments may be missing: the curve stays
    flat). `url_template` is formatted with year and month for each point's link."""
    labels = month_labels()
    by_year: dict[int, dict[int, Decimal]] = {}
    for row in rows:
        by_year.setdefault(row["year"], {})[row["month"]] = row["cumulative"]
    traces = []
    earlier = sorted((y for y in by_year if y < year), reverse=True)
    for index, other in enumerate(earlier):
        traces.append(_month_curve(by_year[other], other, 12, labels, url_template, index))
    plan = [billions(Decimal(budget) * month / 12) for month in range(13)]
    traces.append(
        go.Scatter(
            x=list(range(13)),
            y=plan,
            name=_("Kế hoạch (tuyến tính)"),
            mode="lines",
            line={"color": MUTED, "dash": "dash", "width": 1.5},
            hoverinfo="skip",
        )
    )
    traces.append(
        _month_curve(by_year.get(year, {}), year, until_month, labels, url_template, None, budget)
    )
    layout = _layout(
        showlegend=True,
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "reversed",
        },
        margin={"l": 56, "r": 16, "t": 36, "b": 40},
        xaxis=_axis(
            tickmode="array",
            tickvals=list(range(1, 13)),
            ticktext=labels,
            range=[-0.2, 12.3],
            showgrid=False,
        ),
        yaxis=_axis(title={"text": _("tỷ đồng"), "font": {"color": MUTED}}, rangemode="tozero"),
        height=340,
    )
    return _figure(traces, layout)


def _month_curve(
    points: dict[int, Decimal],
    year: int,
    until_month: int,
    labels: list[str],
    url_template: str,
    shade: int | None,
    budget: Decimal | None = None,
) -> go.Scatter:
    """One year's curve from 0 at 1 January to the end of `until_month`, months without payments
    carrying the previous month's total."""
    months = list(range(until_month + 1))
    values: list[Decimal] = []
    last = Decimal(0)
    for month in months:
        last = points.get(month, last)
        values.append(last)
    hover = [_("1 tháng 1/%(year)s: chưa giải ngân") % {"year": year}]
    for month, value in zip(months[1:], values[1:], strict=True):
        text = _("Hết %(month)s/%(year)s: %(amount)s") % {
            "month": labels[month - 1],
            "year": year,
            "amount": format_billions(value),
        }
        if budget:
            text += "<br>" + _("bằng %(rate)s kinh phí được duyệt") % {
                "rate": format_rate(rate(value, budget))
            }
        hover.append(text)
    urls = [""] + [url_template.format(year=year, month=month) for month in months[1:]]
    main = shade is None
    color = RED if main else GREYS[min(shade, len(GREYS) - 1)]
    return go.Scatter(
        x=months,
        y=[billions(value) for value in values],
        name=str(year),
        mode="lines+markers" if main else "lines",
        line={"color": color, "width": 3 if main else 1.8, "shape": "linear"},
        marker={"size": 7 if main else 4, "color": color},
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=urls,
    )


# (b) Disbursement rate by region and by province -----------------------------------------------


def disbursement_rate(
    rows: Sequence[dict], *, overall: Decimal | None = None, horizontal: bool = False
) -> dict:
    """Bars of money disbursed ÷ budget approved, highest first; units without a budget are
    listed last with no bar. `rows`: {label, budget, disbursed, schemes, url}. `overall` draws
    the programme's rate as a reference line."""
    measured = [(rate(row["disbursed"], row["budget"]), row) for row in rows]
    ordered = sorted(
        measured, key=lambda pair: (pair[0] is None, -(pair[0] or 0), pair[1]["label"])
    )
    labels = [row["label"] for _rate, row in ordered]
    values = [None if value is None else float(value) for value, _row in ordered]
    hover = [
        f"<b>{row['label']}</b><br>"
        + (
            _money_line(row["disbursed"], row["budget"])
            if value is not None
            else _("Chưa có kinh phí được duyệt")
        )
        + "<br>"
        + _schemes(row["schemes"])
        for value, row in ordered
    ]
    text = [format_rate(value) if value is not None else "" for value, _row in ordered]
    bar = {
        "marker": {"color": RED},
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [row["url"] for _value, row in ordered],
        "cliponaxis": False,
    }
    top = max([100.0, *(value for value in values if value is not None)])
    value_axis = _axis(range=[0, top * 1.08], ticksuffix="%", dtick=20)
    category_axis = _axis(showgrid=False, type="category")
    shapes = []
    if overall is not None:
        line = {"color": INK, "width": 1, "dash": "dot"}
        if horizontal:
            shapes.append(
                {
                    "type": "line",
                    "x0": float(overall),
                    "x1": float(overall),
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": line,
                }
            )
        else:
            shapes.append(
                {
                    "type": "line",
                    "y0": float(overall),
                    "y1": float(overall),
                    "x0": 0,
                    "x1": 1,
                    "xref": "paper",
                    "line": line,
                }
            )
    if horizontal:
        trace = go.Bar(
            y=labels, x=values, orientation="h", text=text, textposition="outside", **bar
        )
        layout = _layout(
            xaxis=value_axis,
            yaxis={**category_axis, "autorange": "reversed"},
            margin={"l": 16, "r": 24, "t": 8, "b": 32},
            height=max(160, 44 * len(labels) + 56),
            shapes=shapes,
            bargap=0.35,
        )
    else:
        trace = go.Bar(x=labels, y=values, **bar)
        # A few bars keep the width they would have among ten, rather than filling the plot.
        slots = max(len(labels), 10)
        layout = _layout(
            xaxis={
                **category_axis,
                "tickangle": -55,
                "tickfont": {"size": 11, "color": MUTED},
                "range": [-0.5, slots - 0.5],
            },
            yaxis=value_axis,
            margin={"l": 48, "r": 8, "t": 8, "b": 16},
            height=420,
            shapes=shapes,
            bargap=0.25,
        )
    return _figure([trace], layout)


# (c) Budget by content area and by sector ------------------------------------------------------


def budget_bars(rows: Sequence[dict], *, color: str = RED) -> dict:
    """Horizontal bars of the budget approved (tỷ đồng), largest first. `rows`: {label,
    budget, disbursed, schemes, url}."""
    ordered = sorted(rows, key=lambda row: (-row["budget"], row["label"]))
    hover = [
        f"<b>{row['label']}</b><br>"
        + _("Kinh phí được duyệt: %(budget)s") % {"budget": format_billions(row["budget"])}
        + "<br>"
        + _money_line(row["disbursed"], row["budget"])
        + "<br>"
        + _schemes(row["schemes"])
        for row in ordered
    ]
    trace = go.Bar(
        y=[_wrap(row["label"]) for row in ordered],
        x=[billions(row["budget"]) for row in ordered],
        orientation="h",
        marker={"color": color},
        text=[format_number(Decimal(row["budget"]) / BILLION, 2) for row in ordered],
        textposition="outside",
        cliponaxis=False,
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=[row["url"] for row in ordered],
    )
    layout = _layout(
        xaxis=_axis(title={"text": _("tỷ đồng"), "font": {"color": MUTED}}, rangemode="tozero"),
        yaxis=_axis(showgrid=False, type="category", autorange="reversed"),
        margin={"l": 16, "r": 48, "t": 8, "b": 40},
        height=max(180, 40 * len(ordered) + 64),
        bargap=0.3,
    )
    return _figure([trace], layout)


# (d) Status funnel ----------------------------------------------------------------------------


def status_funnel(stages: Sequence[dict]) -> dict:
    """Schemes at each stage, approved → settled. `stages`: {label, count, url}."""
    first = stages[0]["count"] if stages else 0
    hover = [
        f"<b>{stage['label']}</b><br>"
        + (
            _("%(count)s đề án (%(rate)s số đề án được duyệt)")
            % {
                "count": format_number(stage["count"]),
                "rate": format_rate(rate(stage["count"], first)),
            }
            if index and first
            else _schemes(stage["count"])
        )
        for index, stage in enumerate(stages)
    ]
    colors = [RED, "#c4524b", "#d47d77", "#8fa6bf", "#5e7fa3"][: len(stages)]
    text = [
        format_number(stage["count"])
        + (f" ({format_rate(rate(stage['count'], first))})" if index and first else "")
        for index, stage in enumerate(stages)
    ]
    trace = go.Funnel(
        y=[stage["label"] for stage in stages],
        x=[stage["count"] for stage in stages],
        marker={"color": colors},
        connector={"fillcolor": "#f1f3f6", "line": {"width": 0}},
        text=text,
        textinfo="text",
        textposition="inside",
        textfont={"color": "#fff", "size": 13},
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=[stage["url"] for stage in stages],
    )
    layout = _layout(
        yaxis=_axis(showgrid=False),
        margin={"l": 16, "r": 16, "t": 8, "b": 8},
        height=300,
    )
    return _figure([trace], layout)


# (e) Budget and disbursement rate over the years -----------------------------------------------


def budget_trend(rows: Sequence[dict], *, year: int | None = None) -> dict:
    """Budget approved per year (bars, tỷ đồng) and the rate disbursed by each year's 31
    December (line, %, second axis). `rows`: {year, budget, disbursed, url}, any order."""
    ordered = sorted(rows, key=lambda row: row["year"])
    years = [str(row["year"]) for row in ordered]
    urls = [row["url"] for row in ordered]
    rates = [rate(row["disbursed"], row["budget"]) for row in ordered]
    hover = [
        f"<b>{row['year']}</b><br>"
        + _("Kinh phí được duyệt: %(budget)s") % {"budget": format_billions(row["budget"])}
        + "<br>"
        + _money_line(row["disbursed"], row["budget"])
        + "<br>"
        + _("(giải ngân đến 31/12/%(year)s)") % {"year": row["year"]}
        for row in ordered
    ]
    bars = go.Bar(
        x=years,
        y=[billions(row["budget"]) for row in ordered],
        name=_("Kinh phí được duyệt (tỷ đồng)"),
        marker={"color": [RED if row["year"] == year else "#9bb0c8" for row in ordered]},
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=urls,
    )
    line = go.Scatter(
        x=years,
        y=[None if value is None else float(value) for value in rates],
        name=_("Tỷ lệ giải ngân (%)"),
        yaxis="y2",
        mode="lines+markers",
        line={"color": INK, "width": 2},
        marker={"size": 7, "color": INK},
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=urls,
    )
    layout = _layout(
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        margin={"l": 56, "r": 48, "t": 36, "b": 32},
        xaxis=_axis(type="category", showgrid=False),
        yaxis=_axis(title={"text": _("tỷ đồng"), "font": {"color": MUTED}}, rangemode="tozero"),
        yaxis2=_axis(
            overlaying="y",
            side="right",
            range=[0, 110],
            tickmode="linear",
            tick0=0,
            dtick=25,
            ticksuffix="%",
            showgrid=False,
        ),
        height=320,
        bargap=0.35,
    )
    return _figure([bars, line], layout)


# Geographic view: the tile grid ----------------------------------------------------------------


def tile_map(tiles: Sequence[dict], values: dict[str, dict], *, metric: str = "rate") -> dict:
    """One tile per province placed on a grid by geography (dashboard/tilegrid.py), coloured by
    the disbursement rate (`metric` "rate", %) or the budget ("budget", tỷ đồng).

    `tiles`: {code, col, row, label, url}; `values`: code → {budget, disbursed, schemes} for the
    provinces that have a budget. A tile without one is grey."""
    cols = max((tile["col"] for tile in tiles), default=0) + 1
    rows = max((tile["row"] for tile in tiles), default=0) + 1

    def grid(fill=None) -> list[list]:
        return [[fill] * cols for _row in range(rows)]

    base, labels, hover, urls, shade = grid(), grid(""), grid(""), grid(""), grid()
    for tile in tiles:
        r, c = tile["row"], tile["col"]
        base[r][c] = 0
        labels[r][c] = _tile_label(tile["label"])
        urls[r][c] = tile["url"]
        figures = values.get(tile["code"])
        if figures is None or not figures["budget"]:
            hover[r][c] = f"<b>{tile['label']}</b><br>" + _("Chưa có kinh phí được duyệt")
            continue
        hover[r][c] = (
            f"<b>{tile['label']}</b><br>"
            + _("Kinh phí được duyệt: %(budget)s") % {"budget": format_billions(figures["budget"])}
            + "<br>"
            + _money_line(figures["disbursed"], figures["budget"])
            + "<br>"
            + _schemes(figures["schemes"])
        )
        if metric == "budget":
            shade[r][c] = billions(figures["budget"])
        else:
            shade[r][c] = float(rate(figures["disbursed"], figures["budget"]))
    common = {
        "x": list(range(cols)),
        "y": list(range(rows)),
        "text": labels,
        "texttemplate": "%{text}",
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": urls,
        "xgap": 3,
        "ygap": 3,
    }
    background = go.Heatmap(
        z=base,
        colorscale=[[0, EMPTY_TILE], [1, EMPTY_TILE]],
        showscale=False,
        textfont={"size": 10, "color": MUTED},
        **common,
    )
    shown = [value for row in shade for value in row if value is not None]
    if metric == "budget":
        scale = BUDGET_SCALE
        bar_title = _("Kinh phí (tỷ đồng)")
        suffix = ""
        low, high = 0.0, max([*shown, 0.01])
    else:
        scale = RATE_SCALE
        bar_title = _("Tỷ lệ giải ngân")
        suffix = "%"
        # From the lowest rate's ten down to 100%: differences near the top stay visible, and
        # a single province does not stretch a scale of its own.
        high = max([*shown, 100.0])
        low = min(10 * (min(shown, default=0.0) // 10), high - 10)
    coloured = go.Heatmap(
        z=shade,
        zmin=low,
        zmax=high,
        colorscale=scale,
        hoverongaps=False,
        textfont={"size": 10},
        colorbar={
            "orientation": "h",
            "thickness": 10,
            "len": 0.9,
            "x": 0.5,
            "xanchor": "center",
            "y": -0.02,
            "yanchor": "top",
            "ticksuffix": suffix,
            "title": {"text": bar_title, "side": "top", "font": {"size": 11, "color": MUTED}},
            "tickfont": {"size": 10, "color": MUTED},
            "outlinewidth": 0,
        },
        **common,
    )
    hidden = {"visible": False, "fixedrange": True}
    layout = _layout(
        xaxis={**hidden, "range": [-0.5, cols - 0.5]},
        yaxis={**hidden, "range": [rows - 0.5, -0.5]},
        margin={"l": 4, "r": 4, "t": 4, "b": 64},
        height=(28 if rows > 20 else 32) * rows + 84,
    )
    return _figure([background, coloured], layout)


def _tile_label(label: str) -> str:
    """A province's name on its tile, on two lines when very long."""
    if len(label) > 12 and " " in label:
        return label.replace(" ", "<br>", 1)
    return label
