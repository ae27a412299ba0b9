"""Charts of the forecast pages: pure functions from rows to Plotly figure dicts, in the
dashboard's style (dashboard.charts). Rates are exact Decimals until they are plotted."""

from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from core.money import format_billions, format_rate
from dashboard.charts import BLUE, MUTED, RED, _axis, _figure, _layout, month_labels

LIGHT_BLUE = "#98b9dd"


def forecast_rates(rows: Sequence[dict]) -> dict:
    """Per unit, two horizontal bars: disbursed so far ÷ budget and expected at 31/12 ÷ budget,
    lowest expected rate first (those to watch). `rows`: {label, budget, disbursed, expected,
    disbursed_rate, expected_rate, url}; units without a budget are left out."""
    measured = [row for row in rows if row["expected_rate"] is not None]
    measured.sort(key=lambda row: (row["expected_rate"], row["label"]))
    labels = [row["label"] for row in measured]
    urls = [row["url"] for row in measured]

    def hover(row: dict) -> str:
        return (
            f"<b>{row['label']}</b><br>"
            + _("Đã giải ngân: %(amount)s (%(rate)s)")
            % {
                "amount": format_billions(row["disbursed"]),
                "rate": format_rate(row["disbursed_rate"]),
            }
            + "<br>"
            + _("Dự kiến đến 31/12: %(amount)s (%(rate)s)")
            % {
                "amount": format_billions(row["expected"]),
                "rate": format_rate(row["expected_rate"]),
            }
            + "<br>"
            + _("Kinh phí được duyệt: %(amount)s") % {"amount": format_billions(row["budget"])}
        )

    hovers = [hover(row) for row in measured]
    common = {
        "y": labels,
        "orientation": "h",
        "customdata": urls,
        "hovertext": hovers,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "textposition": "outside",
        "cliponaxis": False,
    }
    now = go.Bar(
        x=[float(row["disbursed_rate"] or 0) for row in measured],
        name=_("Đã giải ngân"),
        marker={"color": LIGHT_BLUE},
        text=[format_rate(row["disbursed_rate"]) for row in measured],
        **common,
    )
    expected = go.Bar(
        x=[float(row["expected_rate"]) for row in measured],
        name=_("Dự kiến đến 31/12"),
        marker={"color": RED},
        text=[format_rate(row["expected_rate"]) for row in measured],
        **common,
    )
    top = max([100.0, *(float(row["expected_rate"]) for row in measured)])
    layout = _layout(
        barmode="group",
        showlegend=True,
        legend={"orientation": "h", "y": -0.08, "yanchor": "top", "x": 0},
        xaxis=_axis(range=[0, top * 1.12], ticksuffix="%", dtick=20),
        yaxis={**_axis(showgrid=False, type="category"), "autorange": "reversed"},
        margin={"l": 16, "r": 24, "t": 8, "b": 48},
        height=max(200, 52 * len(labels) + 96),
        bargap=0.3,
        bargroupgap=0.05,
    )
    return _figure([now, expected], layout)


def history_curve(shares: Sequence[Decimal], *, month: int, from_history: bool) -> dict:
    """c(m): the share of a year's disbursement reached by the end of each month (per cent, m =
    0…12), with the month the forecast stands on marked."""
    labels = ["", *month_labels()]
    values = [float(share) for share in shares]
    line = go.Scatter(
        x=list(range(13)),
        y=values,
        mode="lines+markers",
        line={"color": BLUE if from_history else MUTED, "width": 2},
        marker={"size": 6},
        hovertext=[f"{labels[m] or _('Đầu năm')}: {format_rate(shares[m])}" for m in range(13)],
        hovertemplate="%{hovertext}<extra></extra>",
        name=_("Lũy kế các năm trước"),
    )
    marker = go.Scatter(
        x=[month],
        y=[values[month]],
        mode="markers+text",
        marker={"color": RED, "size": 12},
        text=[format_rate(shares[month])],
        textposition="top left",
        hoverinfo="skip",
        name=_("Tháng đang xét"),
    )
    layout = _layout(
        xaxis=_axis(tickmode="array", tickvals=list(range(1, 13)), ticktext=labels[1:]),
        yaxis=_axis(range=[0, 105], ticksuffix="%", dtick=25),
        height=280,
        margin={"l": 48, "r": 16, "t": 16, "b": 36},
    )
    return _figure([line, marker], layout)
