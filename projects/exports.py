"""The scheme list as a file: exactly the filtered rows of the list (every page), in the list's
order, from the same prepared queryset, written by core.exports (CSV streamed, XLSX in
write-only mode, formulas neutralised). `scheme_source` starts from `schemes_visible_to(user)`
every time it is called, so a file built later in the background is scoped as the list is."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.exports import Column, ExportSource
from core.money import rate
from projects.filters import active_filters
from projects.listing import read_listing
from projects.models import Scheme
from projects.permissions import schemes_visible_to
from projects.selectors import province_on_map
from projects.tables import ordered_rows
from provinces.models import ProvinceMap


def _rate(scheme: Scheme):
    """Disbursed ÷ approved, in per cent with two decimals; empty when nothing is approved."""
    value = rate(scheme.disbursed, scheme.approved)
    return None if value is None else float(value)


def columns() -> list[Column]:
    return [
        Column(_("Mã đề án"), "text", 16, lambda s: s.code),
        Column(_("Tên đề án"), "text", 60, lambda s: s.title),
        Column(_("Năm"), "int", 7, lambda s: s.plan_year),
        Column(_("Nguồn"), "text", 24, lambda s: s.get_fund_display()),
        Column(_("Loại đề án"), "text", 24, lambda s: s.get_kind_display()),
        Column(_("Trạng thái"), "text", 22, lambda s: s.get_status_display()),
        Column(_("Tỉnh, thành phố"), "text", 20, lambda s: s.province.name),
        Column(_("Mã tỉnh (GSO)"), "text", 8, lambda s: s.province.code),
        Column(
            _("Đơn vị mới (34 tỉnh)"),
            "text",
            20,
            lambda s: province_on_map(s.province, ProvinceMap.NEW_34).name,
        ),
        Column(_("Vùng khuyến công"), "text", 22, lambda s: s.province.region.name),
        Column(
            _("Nội dung khuyến công"),
            "text",
            36,
            lambda s: "; ".join(f"{area.number}. {area.name}" for area in s.content_areas.all()),
        ),
        Column(_("Ngành nghề"), "text", 28, lambda s: s.sector.short_name),
        Column(_("Đơn vị thực hiện"), "text", 36, lambda s: s.implementing_unit.name),
        Column(_("Ngày bắt đầu"), "date", 12, lambda s: s.start_date),
        Column(_("Ngày kết thúc"), "date", 12, lambda s: s.end_date),
        Column(_("Kinh phí được duyệt (đồng)"), "money", 18, lambda s: int(s.approved)),
        Column(_("Đã ký hợp đồng (đồng)"), "money", 18, lambda s: int(s.contracted)),
        Column(_("Đã giải ngân (đồng)"), "money", 18, lambda s: int(s.disbursed)),
        Column(_("Tỷ lệ giải ngân (%)"), "rate", 10, _rate),
        Column(_("Giải ngân dự kiến theo tiến độ (đồng)"), "money", 18, lambda s: int(s.expected)),
        Column(_("Chậm so với tiến độ (đồng)"), "money", 18, lambda s: int(s.lag)),
        Column(_("Chậm tiến độ"), "text", 10, lambda s: _("Có") if s.behind else _("Không")),
    ]


def scheme_source(user, params: QueryDict) -> ExportSource:
    """The list's rows for `user` and the list's query string `params`, or the reasons the
    parameters are refused (`errors`)."""
    listing = read_listing(params, schemes_visible_to(user))
    if listing.errors:
        return ExportSource(
            heading="",
            filters=[],
            map_label="",
            records=[],
            columns=[],
            filename="",
            errors=listing.errors,
        )
    programme = listing.programme
    filters = [
        f"{chip.label}: {chip.value}"
        for chip in active_filters(listing.form, listing.filterset)
        if chip.params != ("as_of",)
    ]
    filters.append(
        _("Số liệu tính đến ngày: %(day)s") % {"day": programme.cutoff.strftime("%d/%m/%Y")}
    )
    return ExportSource(
        heading=_("Danh sách đề án khuyến công"),
        filters=filters,
        map_label=ProvinceMap(programme.display_map).label,
        records=ordered_rows(listing.filterset.qs, params.get("sort"), programme.display_map),
        columns=columns(),
        filename=f"de-an-khuyen-cong-{programme.year}",
        sheet=_("Đề án"),
        freeze_columns=2,
    )
