"""The report as an Excel workbook: a summary sheet with the headline figures and two native
charts (money disbursed to the end of each month; rate by region), then the tables by content
area, by province and of the registers. Amounts are whole đồng shown with thousands separators,
and in tỷ đồng beside them.

The bytes depend only on the figures and the day taken: the document properties carry that day
and every part of the zip the same time stamp, so that issuing the same report twice gives the
same file."""

import datetime
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from reports import content
from reports.selectors import MoneyRow, ReportData

MONEY = '#,##0" đồng"'
COUNT = "#,##0"
BILLIONS = "#,##0.00"
RATE = '0.00"%"'
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


def _heading(sheet, data: ReportData, row: int = 1) -> int:
    sheet.cell(row=row, column=1, value=content.MINISTRY).font = BOLD
    sheet.cell(row=row + 1, column=1, value=content.AGENCY).font = BOLD
    sheet.cell(row=row + 3, column=1, value=content.title(data)).font = Font(bold=True, size=14)
    sheet.cell(row=row + 4, column=1, value=content.subtitle(data)).font = Font(italic=True)
    return row + 6


def _header_row(sheet, row: int, headers: list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[row].height = 45


def _write(sheet, row: int, values: list, formats: list[str | None], bold=False) -> None:
    for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.border = BOX
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = BOLD


MONEY_FORMATS = [None, None, COUNT, COUNT, MONEY, MONEY, MONEY, BILLIONS, BILLIONS, RATE]


def _money_values(index, row: MoneyRow) -> list:
    return [
        index,
        row.label,
        row.schemes,
        row.schemes_contracted,
        row.budget,
        row.contracted,
        row.disbursed,
        content.billions(row.budget),
        content.billions(row.disbursed),
        row.disbursed_rate,
    ]


def _money_table(sheet, row: int, group: str, rows: list[MoneyRow], total: MoneyRow) -> int:
    """The table from `row`; returns the row after it."""
    _header_row(sheet, row, content.money_headers(group))
    first = row + 1
    for index, line in enumerate(rows, start=1):
        _write(sheet, first + index - 1, _money_values(index, line), MONEY_FORMATS)
    last = first + len(rows)
    _write(sheet, last, _money_values("", total), MONEY_FORMATS, bold=True)
    return last + 2


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


MONEY_WIDTHS = [6, 34, 10, 10, 24, 24, 24, 14, 14, 12]


def _summary_sheet(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.active
    sheet.title = _("Tổng hợp")
    _widths(sheet, [46, 30, 24, 14, 14])
    row = _heading(sheet, data)
    for label, value in content.parameters(data):
        sheet.cell(row=row, column=1, value=label).font = BOLD
        sheet.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    _header_row(sheet, row, [_("Chỉ tiêu"), _("Số liệu"), _("Giá trị"), _("Đơn vị")])
    for line in content.headlines(data):
        row += 1
        number_format = {"%": RATE, _("đồng"): MONEY}.get(line.unit, COUNT)
        _write(
            sheet,
            row,
            [line.label, line.text, line.value, line.unit],
            [None, None, number_format, None],
        )
    row += 2

    # Money disbursed to the end of each month, with its line chart.
    sheet.cell(row=row, column=1, value=_("Lũy kế giải ngân theo tháng")).font = BOLD
    row += 1
    _header_row(sheet, row, [_("Tháng"), _("Lũy kế giải ngân (đồng)"), _("Tỷ đồng")])
    month_header = row
    for point in data.monthly:
        row += 1
        _write(
            sheet,
            row,
            [
                _("Tháng %(month)s") % {"month": point.month},
                point.cumulative,
                content.billions(point.cumulative),
            ],
            [None, MONEY, BILLIONS],
        )
    if data.monthly:
        chart = LineChart()
        chart.title = _("Lũy kế giải ngân năm %(year)s (tỷ đồng)") % {"year": data.issue.year}
        chart.y_axis.title = _("tỷ đồng")
        chart.y_axis.numFmt = BILLIONS
        chart.legend = None
        chart.add_data(
            Reference(sheet, min_col=3, min_row=month_header, max_row=row), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=month_header + 1, max_row=row))
        chart.height, chart.width = 7.5, 16
        sheet.add_chart(chart, f"F{month_header}")
    row += 2

    # Rate by region, with its bar chart.
    sheet.cell(row=row, column=1, value=_("Tỷ lệ giải ngân theo vùng")).font = BOLD
    row += 1
    _header_row(
        sheet,
        row,
        [
            _("Vùng"),
            _("Kinh phí phê duyệt (đồng)"),
            _("Đã giải ngân (đồng)"),
            _("Tỷ lệ giải ngân (%)"),
            _("Số đề án"),
        ],
    )
    region_header = row
    for region in data.regions:
        row += 1
        _write(
            sheet,
            row,
            [region.label, region.budget, region.disbursed, region.disbursed_rate, region.schemes],
            [None, MONEY, MONEY, RATE, COUNT],
        )
    if data.regions:
        bars = BarChart()
        bars.type = "bar"
        bars.title = _("Tỷ lệ giải ngân theo vùng (%)")
        bars.legend = None
        bars.y_axis.numFmt = "0.00"
        bars.add_data(
            Reference(sheet, min_col=4, min_row=region_header, max_row=row), titles_from_data=True
        )
        bars.set_categories(Reference(sheet, min_col=1, min_row=region_header + 1, max_row=row))
        bars.height, bars.width = 7.5, 16
        # Below the line chart (about 16 rows high) when there is one.
        anchor = max(region_header, month_header + 17) if data.monthly else region_header
        sheet.add_chart(bars, f"F{anchor}")
    row += 2
    for note in content.notes(data):
        sheet.cell(row=row, column=1, value=note).font = Font(italic=True)
        row += 1


def _table_sheet(workbook, data, title: str, group: str, rows: list[MoneyRow]) -> None:
    sheet = workbook.create_sheet(title)
    _widths(sheet, MONEY_WIDTHS)
    row = _heading(sheet, data)
    sheet.cell(row=row, column=1, value=data.map_label if group == _("Tỉnh, thành phố") else "")
    _money_table(sheet, row + 1, group, rows, content.total_row(data))
    sheet.freeze_panes = sheet.cell(row=row + 2, column=3)


def _registers_sheet(workbook: Workbook, data: ReportData) -> None:
    sheet = workbook.create_sheet(_("Sổ theo dõi"))
    headers = content.register_headers(data)
    _widths(sheet, [6, 30, *[14] * (len(headers) - 2)])
    row = _heading(sheet, data)
    sheet.cell(row=row, column=1, value=data.map_label)
    row += 1
    _header_row(sheet, row, headers)
    formats = [None, None, *[COUNT] * (len(headers) - 2)]
    for index, line in enumerate(data.registers, start=1):
        row += 1
        _write(sheet, row, [index, line.label, *content.register_values(data, line)], formats)
    row += 1
    totals = data.register_totals
    _write(sheet, row, ["", totals.label, *content.register_values(data, totals)], formats, True)
    row += 2
    sheet.cell(
        row=row,
        column=1,
        value=_("Số tỉnh có hồ sơ quy hoạch CCN được thẩm định: %(count)s")
        % {"count": data.dossier_provinces},
    )


def _fixed_time(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a file's stamp


def _normalised(raw: bytes, stamp: datetime.datetime) -> bytes:
    """The same zip with every member dated `stamp`, in the same order and compression."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, source.read(member.filename))
    return buffer.getvalue()


def report_xlsx(data: ReportData) -> bytes:
    workbook = Workbook()
    stamp = _fixed_time(data.issue.as_of)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = content.AGENCY
    workbook.properties.lastModifiedBy = content.AGENCY
    workbook.properties.title = f"{content.title(data)} — {content.subtitle(data)}"
    _summary_sheet(workbook, data)
    _table_sheet(workbook, data, _("Theo nội dung"), _("Nội dung khuyến công"), data.content_areas)
    _table_sheet(workbook, data, _("Theo tỉnh"), _("Tỉnh, thành phố"), data.provinces)
    _registers_sheet(workbook, data)
    # ExcelWriter rather than Workbook.save(), which sets the modified date to now.
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _normalised(buffer.getvalue(), stamp)
