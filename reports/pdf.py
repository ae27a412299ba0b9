"""The report as a PDF (A4 landscape), drawn with fpdf2 in DejaVu Sans (vendored in
reports/fonts with its licence: it has every Vietnamese glyph). The charts are drawn with
fpdf2's own lines and rectangles. The document's dates are the day taken, so that issuing the
same report twice gives the same bytes."""

import datetime
import logging
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from core.money import format_number, format_rate
from reports import content
from reports.selectors import MoneyRow, ReportData

# fontTools reports every table it subsets at INFO: noise in a worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
BLUE = (31, 119, 180)
GREY = (120, 120, 120)
LIGHT = (220, 230, 241)


class ReportPDF(FPDF):
    def __init__(self, data: ReportData):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.data = data
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=14)
        self.set_lang("vi")

    def footer(self):
        self.set_y(-10)
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*GREY)
        self.cell(
            0,
            5,
            f"{content.subtitle(self.data)} · "
            + _("Trang %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
            align="R",
        )
        self.set_text_color(0, 0, 0)

    # -- text ------------------------------------------------------------------------------

    def heading(self, text: str, size: float = 11) -> None:
        # A section heading never ends a page: it goes with the first rows below it.
        if self.get_y() > self.h - self.b_margin - 35:
            self.add_page()
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def line_text(self, text: str, size: float = 9, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def grid(self, rows: list[list[str]], widths: list[float], align: list[str], bold_last=False):
        """A table whose first row is its header, repeated on every page it spans."""
        self.set_font(FAMILY, "", 7.5)
        style = FontFace(emphasis="BOLD", fill_color=LIGHT)
        with self.table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            text_align=tuple(align),
            headings_style=style,
            line_height=4,
            padding=(0.8, 1),
            cell_fill_color=(246, 248, 251),
            cell_fill_mode="ROWS",
        ) as table:
            for index, values in enumerate(rows):
                last = bold_last and index == len(rows) - 1
                row = table.row(style=FontFace(emphasis="BOLD") if last else None)
                for value in values:
                    row.cell(value)
        self.ln(3)

    # -- charts ----------------------------------------------------------------------------

    def monthly_chart(self, x: float, y: float, w: float, h: float) -> None:
        """Money disbursed to the end of each month (tỷ đồng), a line over a grid, with the
        budget approved as a dashed line."""
        with self.local_context():  # colours and widths back as they were afterwards
            self._monthly_chart(x, y, w, h)

    def _monthly_chart(self, x: float, y: float, w: float, h: float) -> None:
        data = self.data
        points = [content.billions(point.cumulative) for point in data.monthly]
        budget = content.billions(data.summary.budget)
        top = max([budget, *points, Decimal(1)])
        self._frame(x, y, w, h, _("Lũy kế giải ngân theo tháng (tỷ đồng)"))
        left, bottom, width, height = x + 16, y + h - 8, w - 20, h - 16
        self.set_font(FAMILY, "", 6.5)
        for step in range(5):
            value = top * step / 4
            level = bottom - height * step / 4
            self.set_draw_color(225, 225, 225)
            self.line(left, level, left + width, level)
            self.set_xy(x, level - 2)
            self.cell(15, 4, format_number(value, 1), align="R")
        slot = width / 12
        for month in range(1, 13):
            self.set_xy(left + slot * (month - 1), bottom + 1)
            self.cell(slot, 4, f"T{month}", align="C")
        if budget:
            level = float(bottom - height * float(budget / top))
            self.set_draw_color(*GREY)
            self.set_dash_pattern(dash=1.5, gap=1)
            self.line(left, level, left + width, level)
            self.set_dash_pattern()
            self.set_xy(left + width - 40, level - 4.5)
            self.cell(40, 4, _("Kinh phí duyệt %(v)s") % {"v": format_number(budget, 2)}, align="R")
        coordinates = [
            (left + slot * (index + 0.5), float(bottom - height * float(value / top)))
            for index, value in enumerate(points)
        ]
        self.set_draw_color(*BLUE)
        self.set_fill_color(*BLUE)
        self.set_line_width(0.6)
        if len(coordinates) > 1:
            self.polyline(coordinates)
        for cx, cy in coordinates:
            self.ellipse(cx - 0.9, cy - 0.9, 1.8, 1.8, style="F")
        self.set_line_width(0.2)
        self.set_draw_color(0, 0, 0)

    def region_chart(self, x: float, y: float, w: float, h: float) -> None:
        """Rate disbursed ÷ approved by region, horizontal bars on a 0–100% scale."""
        with self.local_context():
            self._region_chart(x, y, w, h)

    def _region_chart(self, x: float, y: float, w: float, h: float) -> None:
        regions = self.data.regions
        self._frame(x, y, w, h, _("Tỷ lệ giải ngân theo vùng (%)"))
        label_width, left = 42, x + 44
        width = w - 60
        bar_area = h - 16
        slot = min(bar_area / max(len(regions), 1), 20)
        self.set_font(FAMILY, "", 7)
        for index, region in enumerate(regions):
            top = y + 9 + slot * index
            rate = region.disbursed_rate
            self.set_xy(x + 1, top + slot / 2 - 2)
            self.cell(label_width, 4, region.label, align="R")
            self.set_fill_color(*LIGHT)
            self.rect(left, top + slot * 0.2, width, slot * 0.6, style="F")
            if rate:
                self.set_fill_color(*BLUE)
                share = min(float(rate), 100.0) / 100
                self.rect(left, top + slot * 0.2, width * share, slot * 0.6, style="F")
            self.set_xy(left + width + 1, top + slot / 2 - 2)
            self.cell(14, 4, format_rate(rate), align="L")
        self.set_xy(left, y + h - 7)
        self.cell(10, 4, "0%")
        self.set_xy(left + width - 10, y + h - 7)
        self.cell(10, 4, "100%", align="R")

    def _frame(self, x, y, w, h, title):
        self.set_draw_color(200, 200, 200)
        self.rect(x, y, w, h)
        self.set_font(FAMILY, "B", 8)
        self.set_xy(x + 2, y + 1.5)
        self.cell(w - 4, 5, title)
        self.set_draw_color(0, 0, 0)


MONEY_WIDTHS = [9, 66, 16, 18, 34, 34, 34, 20, 20, 22]
MONEY_ALIGN = ["C", "L", "R", "R", "R", "R", "R", "R", "R", "R"]


def _money_cells(index, row: MoneyRow) -> list[str]:
    return [
        str(index),
        row.label,
        format_number(row.schemes),
        format_number(row.schemes_contracted),
        format_number(row.budget),
        format_number(row.contracted),
        format_number(row.disbursed),
        format_number(content.billions(row.budget), 2),
        format_number(content.billions(row.disbursed), 2),
        format_rate(row.disbursed_rate),
    ]


def _money_grid(pdf: ReportPDF, group: str, rows: list[MoneyRow]) -> None:
    table = [content.money_headers(group)]
    table += [_money_cells(index, row) for index, row in enumerate(rows, start=1)]
    table.append(_money_cells("", content.total_row(pdf.data)))
    pdf.grid(table, MONEY_WIDTHS, MONEY_ALIGN, bold_last=True)


def report_pdf(data: ReportData) -> bytes:
    issue = data.issue
    pdf = ReportPDF(data)
    stamp = datetime.datetime(
        issue.as_of.year, issue.as_of.month, issue.as_of.day, tzinfo=datetime.UTC
    )
    pdf.set_creation_date(stamp)
    pdf.set_title(f"{content.title(data)} — {content.subtitle(data)}")
    pdf.set_author(content.AGENCY)
    pdf.set_creator(content.MINISTRY)
    pdf.add_page()

    pdf.line_text(content.MINISTRY, 9, bold=True)
    pdf.line_text(content.AGENCY, 9, bold=True)
    pdf.ln(3)
    pdf.heading(content.title(data), 14)
    pdf.line_text(content.subtitle(data), 10)
    pdf.ln(2)
    for label, value in content.parameters(data):
        pdf.line_text(f"{label}: {value}", 8.5)
    pdf.ln(3)

    pdf.heading(_("I. Các chỉ tiêu chính"), 11)
    pdf.grid(
        [[_("Chỉ tiêu"), _("Số liệu")]]
        + [[line.label, line.text] for line in content.headlines(data)],
        [90, 150],
        ["L", "L"],
    )

    pdf.add_page()
    pdf.heading(_("II. Tiến độ giải ngân"), 11)
    top = pdf.get_y()
    pdf.monthly_chart(12, top, 150, 80)
    pdf.region_chart(166, top, 119, 80)
    pdf.set_y(top + 84)
    pdf.grid(
        [
            [
                _("Vùng"),
                _("Số đề án"),
                _("Kinh phí phê duyệt (đồng)"),
                _("Đã giải ngân (đồng)"),
                _("Tỷ lệ giải ngân"),
            ]
        ]
        + [
            [
                row.label,
                format_number(row.schemes),
                format_number(row.budget),
                format_number(row.disbursed),
                format_rate(row.disbursed_rate),
            ]
            for row in data.regions
        ],
        [70, 20, 45, 45, 30],
        ["L", "R", "R", "R", "R"],
    )

    pdf.heading(_("III. Kết quả theo nội dung khuyến công"), 11)
    _money_grid(pdf, _("Nội dung khuyến công"), data.content_areas)

    pdf.heading(_("IV. Kết quả theo tỉnh, thành phố (%(map)s)") % {"map": data.map_label}, 11)
    _money_grid(pdf, _("Tỉnh, thành phố"), data.provinces)

    pdf.heading(
        _("V. Sản phẩm tiêu biểu, quy hoạch cụm công nghiệp, hội chợ, hội nghị (%(map)s)")
        % {"map": data.map_label},
        11,
    )
    headers = content.register_headers(data)
    registers = [headers]
    registers += [
        [str(index), row.label, *map(format_number, content.register_values(data, row))]
        for index, row in enumerate(data.registers, start=1)
    ]
    totals = data.register_totals
    registers.append(["", totals.label, *map(format_number, content.register_values(data, totals))])
    numbers = len(headers) - 2
    pdf.grid(
        registers, [9, 66, *[(273 - 75) / numbers] * numbers], ["C", "L", *["R"] * numbers], True
    )
    pdf.line_text(
        _("Số tỉnh có hồ sơ quy hoạch CCN được thẩm định: %(count)s")
        % {"count": data.dossier_provinces},
        8.5,
    )
    pdf.ln(3)
    for note in content.notes(data):
        pdf.line_text(f"• {note}", 7.5)
    return bytes(pdf.output())
