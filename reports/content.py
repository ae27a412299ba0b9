"""The words and rows of the report, shared by its Excel and PDF files so that both say the
same thing: the heading, the headline figures and the columns of each table."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import BILLION, format_billions, format_number, format_rate, format_vnd
from reports.selectors import MoneyRow, ReportData

MINISTRY = "BỘ CÔNG THƯƠNG"
AGENCY = "CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"


def billions(value: Decimal) -> Decimal:
    """An amount in tỷ đồng, exact (rounded only when written)."""
    return Decimal(value) / BILLION


def title(data: ReportData) -> str:
    return _("BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH KHUYẾN CÔNG")


def subtitle(data: ReportData) -> str:
    issue = data.issue
    return _("%(title)s — số liệu tính đến ngày %(day)s") % {
        "title": issue.title,
        "day": issue.as_of.strftime("%d/%m/%Y"),
    }


def parameters(data: ReportData) -> list[tuple[str, str]]:
    issue = data.issue
    return [
        (_("Năm kế hoạch"), str(issue.year)),
        (
            _("Kỳ báo cáo"),
            _("%(period)s (từ %(start)s đến %(end)s)")
            % {
                "period": issue.get_period_display(),
                "start": issue.start.strftime("%d/%m/%Y"),
                "end": issue.end.strftime("%d/%m/%Y"),
            },
        ),
        (_("Nguồn kinh phí"), data.fund_label),
        (_("Phạm vi"), data.scope_label),
        (_("Bản đồ tỉnh"), data.map_label),
        (_("Số liệu tính đến ngày"), issue.as_of.strftime("%d/%m/%Y")),
    ]


@dataclass(frozen=True)
class Headline:
    label: str
    text: str  # as officials write it
    value: Decimal | int | None  # the exact figure, for the spreadsheet
    unit: str


def headlines(data: ReportData) -> list[Headline]:
    summary = data.summary
    return [
        Headline(
            _("Kinh phí được phê duyệt"),
            f"{format_vnd(summary.budget)} ({format_billions(summary.budget)})",
            summary.budget,
            _("đồng"),
        ),
        Headline(
            _("Số đề án được phê duyệt"),
            format_number(summary.schemes_approved),
            summary.schemes_approved,
            _("đề án"),
        ),
        Headline(
            _("Đề án đã ký hợp đồng, giao nhiệm vụ"),
            f"{summary.schemes_contracted}/{summary.schemes_approved} "
            f"({format_rate(summary.contracted_rate)})",
            summary.schemes_contracted,
            _("đề án"),
        ),
        Headline(
            _("Giá trị hợp đồng, nhiệm vụ đã ký"),
            f"{format_vnd(summary.contracted)} ({format_billions(summary.contracted)})",
            summary.contracted,
            _("đồng"),
        ),
        Headline(
            _("Kinh phí đã giải ngân (lũy kế)"),
            f"{format_number(billions(summary.disbursed), 2)} / "
            f"{format_billions(summary.budget)} ({format_rate(summary.disbursed_rate)})",
            summary.disbursed,
            _("đồng"),
        ),
        Headline(
            _("Tỷ lệ giải ngân trên kinh phí được phê duyệt"),
            format_rate(summary.disbursed_rate),
            summary.disbursed_rate,
            "%",
        ),
        Headline(
            _("Kinh phí giải ngân trong kỳ"),
            f"{format_vnd(data.disbursed_in_period)} ({format_billions(data.disbursed_in_period)})",
            data.disbursed_in_period,
            _("đồng"),
        ),
        Headline(
            _("Số đề án có giải ngân"),
            format_number(summary.schemes_disbursed),
            summary.schemes_disbursed,
            _("đề án"),
        ),
    ]


def money_headers(group: str) -> list[str]:
    return [
        _("STT"),
        group,
        _("Số đề án"),
        _("Đề án đã ký HĐ"),
        _("Kinh phí phê duyệt (đồng)"),
        _("Giá trị hợp đồng (đồng)"),
        _("Đã giải ngân (đồng)"),
        _("Kinh phí phê duyệt (tỷ đồng)"),
        _("Đã giải ngân (tỷ đồng)"),
        _("Tỷ lệ giải ngân (%)"),
    ]


def total_row(data: ReportData) -> MoneyRow:
    """The programme's total as the headline counts it (a scheme once, whatever its rows)."""
    summary = data.summary
    return MoneyRow(
        code="",
        label=_("Tổng cộng"),
        schemes=summary.schemes_approved,
        schemes_contracted=summary.schemes_contracted,
        budget=summary.budget,
        contracted=summary.contracted,
        disbursed=summary.disbursed,
    )


def rate_text(row: MoneyRow) -> str:
    return format_rate(row.disbursed_rate)


def register_headers(data: ReportData) -> list[str]:
    return [
        _("STT"),
        _("Tỉnh, thành phố"),
        *[_("SP tiêu biểu %(level)s") % {"level": label.lower()} for _level, label in data.levels],
        _("Tổng SP tiêu biểu"),
        _("Hồ sơ quy hoạch CCN được thẩm định"),
        _("Hội chợ tổ chức"),
        _("Hội nghị tổ chức"),
    ]


def register_values(data: ReportData, row) -> list[int]:
    return [
        *[row.products.get(level, 0) for level, _label in data.levels],
        row.products_total,
        row.dossiers_appraised,
        row.fairs,
        row.conferences,
    ]


def notes(data: ReportData) -> list[str]:
    lines = [
        _(
            "Tỷ lệ giải ngân = kinh phí đã giải ngân (tạm ứng + thanh toán − thu hồi) ÷ kinh phí "
            "được phê duyệt; tỷ lệ ký hợp đồng = số đề án đã ký ÷ số đề án được phê duyệt."
        ),
        _(
            "Một đề án có nhiều nội dung được tính ở mỗi nội dung: cộng các dòng theo nội dung "
            "có thể lớn hơn tổng cộng."
        ),
    ]
    if data.merged_new_units:
        lines.append(
            _(
                "Đề án lập theo bản đồ 34 tỉnh không tách được về tỉnh cũ: được ghi ở đơn vị mới "
                "(đánh dấu “đơn vị mới”)."
            )
        )
    return lines
