"""The register lists as XLSX (and CSV) files: exactly the filtered rows, written by openpyxl in
write-only mode (or streamed) like the scheme list's export, with text that a spreadsheet would
take for a formula neutralised."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.money import rate
from projects.exports import DATE_FORMAT, MONEY_FORMAT, RATE_FORMAT, neutralise
from registers.models import IndustrialCluster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREA_FORMAT = "#,##0.00"
FORMATS = {"money": MONEY_FORMAT, "rate": RATE_FORMAT, "date": DATE_FORMAT, "area": AREA_FORMAT}


@dataclass(frozen=True)
class Col:
    header: str
    kind: str  # text, int, money, rate, date, area
    width: int
    value: Callable


def _province(province) -> str:
    return province.name if province else ""


def _new_unit(province) -> str:
    if province is None:
        return ""
    return (province.successor or province).name


def product_columns() -> list[Col]:
    return [
        Col(_("Sản phẩm, bộ sản phẩm"), "text", 40, lambda p: p.name),
        Col(_("Bộ sản phẩm"), "text", 8, lambda p: _("Có") if p.is_set else _("Không")),
        Col(_("Nhóm"), "text", 30, lambda p: p.get_group_display()),
        Col(_("Cơ sở sản xuất"), "text", 40, lambda p: p.producer.name),
        Col(_("Tỉnh, thành phố"), "text", 20, lambda p: _province(p.producer.province)),
        Col(_("Đơn vị mới (34 tỉnh)"), "text", 20, lambda p: _new_unit(p.producer.province)),
        Col(_("Cấp"), "text", 14, lambda p: p.round.get_level_display()),
        Col(_("Năm"), "int", 7, lambda p: p.round.year),
        Col(_("Đợt bình chọn"), "text", 36, lambda p: p.round.title),
        Col(_("Điểm bình quân"), "rate", 9, lambda p: None if p.score is None else float(p.score)),
        Col(_("Số quyết định"), "text", 18, lambda p: p.decision_number),
        Col(_("Ngày quyết định"), "date", 12, lambda p: p.decision_date),
        Col(_("Số giấy chứng nhận"), "text", 18, lambda p: p.certificate_number),
        Col(_("Ngày cấp"), "date", 12, lambda p: p.certificate_date),
        Col(_("Hiệu lực đến"), "date", 12, lambda p: p.valid_until),
        Col(_("Trạng thái"), "text", 16, lambda p: p.get_status_display()),
        Col(_("Tiền thưởng đã chi (đồng)"), "money", 16, lambda p: int(p.award_paid)),
    ]


def catalogue_columns() -> list[Col]:
    """The public catalogue's file: no score, no award, a producer only if published."""
    hidden = {_("Điểm bình quân"), _("Tiền thưởng đã chi (đồng)"), _("Cơ sở sản xuất")}
    cols = [col for col in product_columns() if col.header not in hidden]
    producer = Col(
        _("Cơ sở sản xuất"),
        "text",
        40,
        lambda p: p.producer.name if p.producer.is_public else _("(không công bố)"),
    )
    return [*cols[:3], producer, *cols[3:]]


def cluster_columns() -> list[Col]:
    def occupancy(cluster: IndustrialCluster):
        value = rate(cluster.leased_area, cluster.leasable_area)
        return None if value is None else float(value)

    return [
        Col(_("Cụm công nghiệp"), "text", 36, lambda c: c.name),
        Col(_("Tỉnh, thành phố"), "text", 20, lambda c: _province(c.province)),
        Col(_("Đơn vị mới (34 tỉnh)"), "text", 20, lambda c: _new_unit(c.province)),
        Col(_("Xã, phường"), "text", 18, lambda c: c.commune),
        Col(_("Số quyết định thành lập"), "text", 18, lambda c: c.decision_number),
        Col(_("Ngày quyết định"), "date", 12, lambda c: c.decision_date),
        Col(_("Diện tích quy hoạch (ha)"), "area", 12, lambda c: c.planned_area),
        Col(_("Đất công nghiệp cho thuê (ha)"), "area", 12, lambda c: c.leasable_area),
        Col(_("Đã cho thuê (ha)"), "area", 12, lambda c: c.leased_area),
        Col(_("Tỷ lệ lấp đầy (%)"), "rate", 10, occupancy),
        Col(_("Chủ đầu tư hạ tầng"), "text", 30, lambda c: c.developer),
        Col(_("Vốn đầu tư hạ tầng (đồng)"), "money", 18, lambda c: int(c.investment)),
        Col(_("Số doanh nghiệp"), "int", 10, lambda c: c.firms),
        Col(_("Số lao động"), "int", 10, lambda c: c.workers),
        Col(_("Xử lý nước thải"), "text", 22, lambda c: c.get_wastewater_display()),
        Col(_("Số đề án khuyến công hỗ trợ"), "int", 10, lambda c: c.scheme_count),
    ]


def dossier_columns() -> list[Col]:
    return [
        Col(_("Tỉnh, thành phố"), "text", 20, lambda d: _province(d.province)),
        Col(_("Năm"), "int", 7, lambda d: d.year),
        Col(_("Hồ sơ"), "text", 50, lambda d: d.title),
        Col(_("Trạng thái"), "text", 18, lambda d: d.get_status_display()),
        Col(_("Ngày tỉnh gửi"), "date", 12, lambda d: d.submitted_on),
        Col(_("Ngày tiếp nhận"), "date", 12, lambda d: d.received_on),
        Col(_("Ngày thẩm định"), "date", 12, lambda d: d.appraised_on),
        Col(_("Ngày thống nhất / trả lại"), "date", 12, lambda d: d.decided_on),
        Col(_("Ý kiến của Cục"), "text", 50, lambda d: d.agency_opinion),
    ]


def event_columns() -> list[Col]:
    return [
        Col(_("Hội chợ, hội nghị"), "text", 44, lambda e: e.name),
        Col(_("Loại"), "text", 18, lambda e: e.get_kind_display()),
        Col(_("Ngày bắt đầu"), "date", 12, lambda e: e.starts_on),
        Col(_("Ngày kết thúc"), "date", 12, lambda e: e.ends_on),
        Col(_("Địa điểm"), "text", 30, lambda e: e.place),
        Col(_("Quốc gia"), "text", 14, lambda e: e.country),
        Col(_("Tỉnh đăng cai"), "text", 20, lambda e: _province(e.host_province)),
        Col(_("Khu vực"), "text", 20, lambda e: e.region.name if e.region else ""),
        Col(_("Đơn vị tổ chức"), "text", 30, lambda e: str(e.organiser or "")),
        Col(_("Đề án cấp kinh phí"), "text", 16, lambda e: e.scheme.code if e.scheme else ""),
        Col(_("Số cơ sở tham gia"), "int", 10, lambda e: e.participant_count),
        Col(_("Số gian hàng"), "int", 10, lambda e: e.booths),
    ]


def xlsx_bytes(rows: Iterable, cols: list[Col], title: list[str], sheet: str) -> bytes:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    for index, col in enumerate(cols, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = col.width
    worksheet.freeze_panes = f"B{len(title) + 2}"

    def cell(value, **style):
        new = WriteOnlyCell(worksheet, value=neutralise(value))
        for name, setting in style.items():
            setattr(new, name, setting)
        return new

    for index, line in enumerate(title):
        font = Font(bold=True, size=13) if index == 0 else Font(italic=True)
        worksheet.append([cell(line, font=font)])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    worksheet.append([cell(col.header, font=bold, alignment=wrap) for col in cols])
    for row in rows:
        worksheet.append(
            [
                cell(col.value(row), number_format=FORMATS[col.kind])
                if col.kind in FORMATS
                else cell(col.value(row))
                for col in cols
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title(heading: str, filters: list[str], by: str) -> list[str]:
    """The heading, then the filters in force and who exported when."""
    exported = _("xuất lúc %(when)s bởi %(user)s") % {
        "when": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        "user": by,
    }
    return [heading, "; ".join([*filters, exported])]


def xlsx_response(
    rows: Iterable,
    cols: list[Col],
    *,
    heading: str,
    filters: list[str],
    by: str,
    filename: str,
) -> HttpResponse:
    title = _title(heading, filters, by)
    response = HttpResponse(xlsx_bytes(rows, cols, title, heading), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _csv_text(value, kind: str) -> str:
    """A cell as text a spreadsheet and a script both read: dates dd/mm/yyyy, amounts in whole
    đồng, decimals with a point."""
    if value is None:
        return ""
    if kind == "date":
        return value.strftime("%d/%m/%Y")
    if kind == "rate":
        return f"{Decimal(str(value)):.2f}"
    return str(neutralise(value))


def csv_lines(rows: Iterable, cols: list[Col], title: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, for Excel to read the diacritics
    yield writer.writerow([neutralise(" – ".join(title))])
    yield writer.writerow([col.header for col in cols])
    for row in rows:
        yield writer.writerow([_csv_text(col.value(row), col.kind) for col in cols])


def csv_response(
    rows: Iterable,
    cols: list[Col],
    *,
    heading: str,
    filters: list[str],
    by: str,
    filename: str,
) -> StreamingHttpResponse:
    """The same rows and columns as the XLSX file, streamed as UTF-8 CSV."""
    response = StreamingHttpResponse(
        csv_lines(rows, cols, _title(heading, filters, by)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
