"""The forecast and consistency pages' tables as files: the schemes at risk, the forecast by
province and by content area, and the rows failing one consistency check. Each is built from the
very rows the page renders (the same memoized forecast or failing rows, for the same query
string, as-of day and visible schemes), so a file never differs from its page."""

import datetime

from django.utils.translation import gettext as _

from core.exports import Column, ExportSource
from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from provinces.models import ProvinceMap


def programme_filters(programme: ProgrammeFilter, on: datetime.date) -> list[str]:
    """The page's filters as the file's title line says them."""
    lines = [_("Năm kế hoạch: %(year)s") % {"year": programme.year}]
    fund = Fund(programme.fund).label if programme.fund else _("Cả hai nguồn")
    lines.append(_("Nguồn: %(fund)s") % {"fund": fund})
    for label, value in (
        (_("Vùng"), programme.region),
        (_("Tỉnh, thành phố"), programme.province),
        (_("Nội dung"), programme.content_area),
        (_("Ngành"), programme.sector),
    ):
        if value is not None:
            lines.append(f"{label}: {value}")
    lines.append(_("Số liệu tính đến ngày: %(day)s") % {"day": on.strftime("%d/%m/%Y")})
    return lines


def _map_label(programme: ProgrammeFilter) -> str:
    return str(ProvinceMap(programme.display_map).label)


def _money(value) -> int:
    return int(value)


def risk_source(rows: list[dict], programme: ProgrammeFilter, on) -> ExportSource:
    """The page's table of schemes at risk (`rows`: monitoring_views._risk_rows)."""
    columns = [
        Column(_("Mã đề án"), "text", 16, lambda r: r["scheme"].code),
        Column(_("Tên đề án"), "text", 50, lambda r: r["scheme"].title),
        Column(_("Tỉnh, thành phố"), "text", 20, lambda r: r["scheme"].province),
        Column(_("Được duyệt (đồng)"), "money", 18, lambda r: _money(r["scheme"].budget)),
        Column(_("Đã giải ngân (đồng)"), "money", 18, lambda r: _money(r["scheme"].disbursed)),
        Column(
            _("Dự kiến đến 31/12 (đồng)"),
            "money",
            18,
            lambda r: _money(r["scheme"].expected_amount),
        ),
        Column(_("Dự kiến còn lại (đồng)"), "money", 18, lambda r: _money(r["scheme"].left)),
        Column(_("Lý do"), "text", 50, lambda r: "; ".join(str(t) for t in r["reasons"])),
    ]
    return ExportSource(
        heading=_("Đề án có nguy cơ không giải ngân hết"),
        filters=programme_filters(programme, on),
        map_label=_map_label(programme),
        records=rows,
        columns=columns,
        filename=f"du-bao-de-an-nguy-co-{programme.year}",
        sheet=_("Đề án có nguy cơ"),
        freeze_columns=2,
    )


def group_source(
    rows: list[dict], programme: ProgrammeFilter, on, *, by_province: bool
) -> ExportSource:
    """The page's forecast table by province or by content area (`rows`: _group_row dicts)."""
    first = _("Tỉnh, thành phố") if by_province else _("Nội dung khuyến công")
    columns = [
        Column(first, "text", 36, lambda r: r["label"]),
        Column(_("Số đề án"), "int", 10, lambda r: r["schemes"]),
        Column(_("Được duyệt (đồng)"), "money", 18, lambda r: _money(r["budget"])),
        Column(_("Đã giải ngân (đồng)"), "money", 18, lambda r: _money(r["disbursed"])),
        Column(_("Tỷ lệ đã giải ngân (%)"), "rate", 12, lambda r: r["disbursed_rate"]),
        Column(_("Dự kiến đến 31/12 (đồng)"), "money", 18, lambda r: _money(r["expected"])),
        Column(_("Tỷ lệ dự kiến (%)"), "rate", 12, lambda r: r["expected_rate"]),
        Column(_("Dự kiến còn lại (đồng)"), "money", 18, lambda r: _money(r["left"])),
    ]
    if by_province:
        heading = _("Dự báo giải ngân đến 31/12 theo tỉnh")
        filename, sheet = f"du-bao-theo-tinh-{programme.year}", _("Theo tỉnh")
    else:
        heading = _("Dự báo giải ngân đến 31/12 theo nội dung khuyến công")
        filename, sheet = f"du-bao-theo-noi-dung-{programme.year}", _("Theo nội dung")
    return ExportSource(
        heading=heading,
        filters=programme_filters(programme, on),
        map_label=_map_label(programme),
        records=rows,
        columns=columns,
        filename=filename,
        sheet=sheet,
    )


def failing_source(rows: list[dict], check, rule: str, programme, on) -> ExportSource:
    """The rows failing one check, as the page lists them (`rows`: the page's rows, whose facts
    are already (label, text) pairs in the page's formats)."""

    def facts(row) -> str:
        return "; ".join(f"{label}: {value}" for label, value in row["facts"])

    columns = [
        Column(_("Mã đề án"), "text", 16, lambda r: r["code"]),
        Column(_("Tên đề án"), "text", 50, lambda r: r["title"]),
        Column(_("Tỉnh, thành phố"), "text", 20, lambda r: r["province"]),
        Column(_("Chi tiết"), "text", 60, facts),
    ]
    return ExportSource(
        heading=_("Kiểm tra nhất quán: %(check)s") % {"check": check.label},
        filters=[rule, *programme_filters(programme, on)],
        map_label=_map_label(programme),
        records=rows,
        columns=columns,
        filename=f"nhat-quan-{check.code.replace('_', '-')}-{programme.year}",
        sheet=_("Dòng không đạt"),
        freeze_columns=2,
    )
