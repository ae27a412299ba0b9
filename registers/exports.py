"""The register lists as files (CSV and XLSX): exactly the filtered rows, in the list's order,
written by core.exports with formulas neutralised. Each `*_source` starts from what the user may
see every time it is called, so a file built later in the background is scoped as the list is."""

from collections.abc import Callable

from django.http import QueryDict
from django.utils.translation import gettext as _

from core.exports import XLSX_TYPE, Column, ExportSource
from core.money import rate
from provinces.models import ProvinceMap
from registers import listing
from registers.models import IndustrialCluster
from registers.tables import CatalogueTable, ClusterTable, DossierTable, EventTable, ProductTable

XLSX = XLSX_TYPE


def _province(province) -> str:
    return province.name if province else ""


def _new_unit(province) -> str:
    if province is None:
        return ""
    return (province.successor or province).name


def product_columns() -> list[Column]:
    return [
        Column(_("Sản phẩm, bộ sản phẩm"), "text", 40, lambda p: p.name),
        Column(_("Bộ sản phẩm"), "text", 8, lambda p: _("Có") if p.is_set else _("Không")),
        Column(_("Nhóm"), "text", 30, lambda p: p.get_group_display()),
        Column(_("Cơ sở sản xuất"), "text", 40, lambda p: p.producer.name),
        Column(_("Tỉnh, thành phố"), "text", 20, lambda p: _province(p.producer.province)),
        Column(_("Đơn vị mới (34 tỉnh)"), "text", 20, lambda p: _new_unit(p.producer.province)),
        Column(_("Cấp"), "text", 14, lambda p: p.round.get_level_display()),
        Column(_("Năm"), "int", 7, lambda p: p.round.year),
        Column(_("Đợt bình chọn"), "text", 36, lambda p: p.round.title),
        Column(
            _("Điểm bình quân"), "rate", 9, lambda p: None if p.score is None else float(p.score)
        ),
        Column(_("Số quyết định"), "text", 18, lambda p: p.decision_number),
        Column(_("Ngày quyết định"), "date", 12, lambda p: p.decision_date),
        Column(_("Số giấy chứng nhận"), "text", 18, lambda p: p.certificate_number),
        Column(_("Ngày cấp"), "date", 12, lambda p: p.certificate_date),
        Column(_("Hiệu lực đến"), "date", 12, lambda p: p.valid_until),
        Column(_("Trạng thái"), "text", 16, lambda p: p.get_status_display()),
        Column(_("Tiền thưởng đã chi (đồng)"), "money", 16, lambda p: int(p.award_paid)),
    ]


def catalogue_columns() -> list[Column]:
    """The public catalogue's file: no score, no award, a producer only if published."""
    hidden = {_("Điểm bình quân"), _("Tiền thưởng đã chi (đồng)"), _("Cơ sở sản xuất")}
    cols = [col for col in product_columns() if col.header not in hidden]
    producer = Column(
        _("Cơ sở sản xuất"),
        "text",
        40,
        lambda p: p.producer.name if p.producer.is_public else _("(không công bố)"),
    )
    return [*cols[:3], producer, *cols[3:]]


def cluster_columns() -> list[Column]:
    def occupancy(cluster: IndustrialCluster):
        value = rate(cluster.leased_area, cluster.leasable_area)
        return None if value is None else float(value)

    return [
        Column(_("Cụm công nghiệp"), "text", 36, lambda c: c.name),
        Column(_("Tỉnh, thành phố"), "text", 20, lambda c: _province(c.province)),
        Column(_("Đơn vị mới (34 tỉnh)"), "text", 20, lambda c: _new_unit(c.province)),
        Column(_("Xã, phường"), "text", 18, lambda c: c.commune),
        Column(_("Số quyết định thành lập"), "text", 18, lambda c: c.decision_number),
        Column(_("Ngày quyết định"), "date", 12, lambda c: c.decision_date),
        Column(_("Diện tích quy hoạch (ha)"), "area", 12, lambda c: c.planned_area),
        Column(_("Đất công nghiệp cho thuê (ha)"), "area", 12, lambda c: c.leasable_area),
        Column(_("Đã cho thuê (ha)"), "area", 12, lambda c: c.leased_area),
        Column(_("Tỷ lệ lấp đầy (%)"), "rate", 10, occupancy),
        Column(_("Chủ đầu tư hạ tầng"), "text", 30, lambda c: c.developer),
        Column(_("Vốn đầu tư hạ tầng (đồng)"), "money", 18, lambda c: int(c.investment)),
        Column(_("Số doanh nghiệp"), "int", 10, lambda c: c.firms),
        Column(_("Số lao động"), "int", 10, lambda c: c.workers),
        Column(_("Xử lý nước thải"), "text", 22, lambda c: c.get_wastewater_display()),
        Column(_("Số đề án khuyến công hỗ trợ"), "int", 10, lambda c: c.scheme_count),
    ]


def dossier_columns() -> list[Column]:
    return [
        Column(_("Tỉnh, thành phố"), "text", 20, lambda d: _province(d.province)),
        Column(_("Năm"), "int", 7, lambda d: d.year),
        Column(_("Hồ sơ"), "text", 50, lambda d: d.title),
        Column(_("Trạng thái"), "text", 18, lambda d: d.get_status_display()),
        Column(_("Ngày tỉnh gửi"), "date", 12, lambda d: d.submitted_on),
        Column(_("Ngày tiếp nhận"), "date", 12, lambda d: d.received_on),
        Column(_("Ngày thẩm định"), "date", 12, lambda d: d.appraised_on),
        Column(_("Ngày thống nhất / trả lại"), "date", 12, lambda d: d.decided_on),
        Column(_("Ý kiến của Cục"), "text", 50, lambda d: d.agency_opinion),
    ]


def event_columns() -> list[Column]:
    return [
        Column(_("Hội chợ, hội nghị"), "text", 44, lambda e: e.name),
        Column(_("Loại"), "text", 18, lambda e: e.get_kind_display()),
        Column(_("Ngày bắt đầu"), "date", 12, lambda e: e.starts_on),
        Column(_("Ngày kết thúc"), "date", 12, lambda e: e.ends_on),
        Column(_("Địa điểm"), "text", 30, lambda e: e.place),
        Column(_("Quốc gia"), "text", 14, lambda e: e.country),
        Column(_("Tỉnh đăng cai"), "text", 20, lambda e: _province(e.host_province)),
        Column(_("Khu vực"), "text", 20, lambda e: e.region.name if e.region else ""),
        Column(_("Đơn vị tổ chức"), "text", 30, lambda e: str(e.organiser or "")),
        Column(_("Đề án cấp kinh phí"), "text", 16, lambda e: e.scheme.code if e.scheme else ""),
        Column(_("Số cơ sở tham gia"), "int", 10, lambda e: e.participant_count),
        Column(_("Số gian hàng"), "int", 10, lambda e: e.booths),
    ]


def filter_lines(filterset) -> list[str]:
    """The filters in force, for an export's title line (the map is printed by core.exports)."""
    lines = []
    if not filterset.form.is_valid():
        return lines
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []) or name == "map":
            continue
        field = filterset.form.fields[name]
        choices = dict(getattr(field, "choices", None) or getattr(field.widget, "choices", []))
        text = choices.get(value, value)
        if hasattr(text, "name"):
            text = text.name
        lines.append(f"{field.label}: {text}")
    return lines


def _source(
    filterset, table_class, *, heading: str, columns: list[Column], filename: str, params
) -> ExportSource:
    """The rows of the list's table in the table's order (its `sort`, or its default). A
    filter the form refuses is left out, as the list page does."""
    map_version = filterset.map_version
    table = table_class(filterset.qs, province_map=map_version, order_by=params.get("sort") or None)
    return ExportSource(
        heading=heading,
        filters=filter_lines(filterset),
        map_label=ProvinceMap(map_version).label,
        records=table.data.data,
        columns=columns,
        filename=filename,
    )


def product_source(user, params: QueryDict) -> ExportSource:
    return _source(
        listing.product_filter(user, params),
        ProductTable,
        heading=_("Sản phẩm công nghiệp nông thôn tiêu biểu"),
        columns=product_columns(),
        filename="san-pham-cnnt-tieu-bieu",
        params=params,
    )


def catalogue_source(user, params: QueryDict) -> ExportSource:
    """Public: the same rows whoever asks (`user` may be anonymous)."""
    return _source(
        listing.catalogue_filter(params),
        CatalogueTable,
        heading=_("Danh mục sản phẩm công nghiệp nông thôn tiêu biểu"),
        columns=catalogue_columns(),
        filename="danh-muc-san-pham-cnnt-tieu-bieu",
        params=params,
    )


def cluster_source(user, params: QueryDict) -> ExportSource:
    return _source(
        listing.cluster_filter(user, params),
        ClusterTable,
        heading=_("Cụm công nghiệp"),
        columns=cluster_columns(),
        filename="cum-cong-nghiep",
        params=params,
    )


def dossier_source(user, params: QueryDict) -> ExportSource:
    return _source(
        listing.dossier_filter(user, params),
        DossierTable,
        heading=_("Hồ sơ quy hoạch cụm công nghiệp"),
        columns=dossier_columns(),
        filename="ho-so-quy-hoach-cum-cong-nghiep",
        params=params,
    )


def event_source(user, params: QueryDict) -> ExportSource:
    filterset = listing.event_filter(user, params)
    year = ""
    if filterset.form.is_valid() and filterset.form.cleaned_data.get("year") is not None:
        year = str(int(filterset.form.cleaned_data["year"]))
    return _source(
        filterset,
        EventTable,
        heading=_("Hội chợ, hội nghị khuyến công"),
        columns=event_columns(),
        filename=f"hoi-cho-hoi-nghi-{year or 'tat-ca'}",
        params=params,
    )


# The exports the exports app may build in the background, by the name it stores.
SOURCES: dict[str, Callable[..., ExportSource]] = {
    "products": product_source,
    "clusters": cluster_source,
    "dossiers": dossier_source,
    "events": event_source,
}
