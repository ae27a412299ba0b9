"""The register lists as django-tables2 tables, each over one prepared queryset (`for_table()`)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.money import format_number, format_rate
from provinces.models import ProvinceMap
from registers.models import ClusterPlanDossier, IndustrialCluster, TypicalProduct

TEMPLATE = "registers/table.html"
NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
EMPTY = "—"

PRODUCT_TONE = {
    TypicalProduct.Status.REGISTERED: "grey",
    TypicalProduct.Status.NOT_CERTIFIED: "amber",
    TypicalProduct.Status.CERTIFIED: "green",
    TypicalProduct.Status.EXPIRED: "dark",
    TypicalProduct.Status.WITHDRAWN: "red",
}
DOSSIER_TONE = {
    ClusterPlanDossier.Status.SUBMITTED: "grey",
    ClusterPlanDossier.Status.RECEIVED: "blue",
    ClusterPlanDossier.Status.APPRAISED: "teal",
    ClusterPlanDossier.Status.AGREED: "green",
    ClusterPlanDossier.Status.RETURNED: "amber",
}


def badge(tone: str, text) -> str:
    return format_html('<span class="badge {}">{}</span>', tone, text)


def date_text(value) -> str:
    return value.strftime("%d/%m/%Y") if value else EMPTY


def hectares(value) -> str:
    return format_number(value, 2)


class ProvinceColumn(tables.Column):
    """A province written on the table's map: an old unit, then "→ new unit" on the 34 map."""

    def render(self, value, table):
        if value is None:
            return EMPTY
        successor = value.successor if value.successor_id else None
        if (
            table.province_map == ProvinceMap.NEW_34
            and successor is not None
            and successor.short_name != value.short_name
        ):
            return format_html(
                '{}<small class="successor"> → {}</small>',
                value.short_name,
                successor.short_name,
            )
        return value.short_name


class MapTable(tables.Table):
    def __init__(self, *args, province_map: str = ProvinceMap.NEW_34, **kwargs):
        self.province_map = province_map
        super().__init__(*args, **kwargs)


class ProductTable(MapTable):
    name = tables.Column(verbose_name=_("Sản phẩm"), order_by=("name", "pk"))
    group = tables.Column(verbose_name=_("Nhóm"), order_by=("group", "name"))
    producer = tables.Column(verbose_name=_("Cơ sở sản xuất"), order_by=("producer__name", "pk"))
    province = ProvinceColumn(
        verbose_name=_("Tỉnh, thành"),
        accessor="producer__province",
        order_by=("producer__province__code", "name"),
    )
    level = tables.Column(
        verbose_name=_("Cấp"), accessor="round__level", order_by=("round__level", "name")
    )
    year = tables.Column(
        verbose_name=_("Năm"), accessor="round__year", order_by=("round__year", "name")
    )
    score = tables.Column(verbose_name=_("Điểm"), attrs=NUM, order_by=("score", "name"))
    certificate_number = tables.Column(verbose_name=_("Số giấy chứng nhận"))
    valid_until = tables.Column(verbose_name=_("Hiệu lực đến"), order_by=("valid_until", "name"))
    status = tables.Column(verbose_name=_("Trạng thái"), order_by=("status", "name"))

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data registers"}
        order_by = ("-year", "name")
        empty_text = _("Không có sản phẩm nào khớp với bộ lọc.")

    def render_name(self, record):
        url = reverse("registers:product-detail", args=[record.pk])
        marker = format_html(' <small class="muted">{}</small>', _("(bộ)")) if record.is_set else ""
        return format_html('<a href="{}">{}</a>{}', url, record.name, marker)

    def render_group(self, record):
        return record.get_group_display()

    def render_producer(self, record):
        return record.producer.name

    def render_level(self, record):
        return record.round.get_level_display()

    def render_year(self, value):
        return str(value)

    def render_score(self, value):
        return format_number(value, 2)

    def render_valid_until(self, value):
        return date_text(value)

    def render_status(self, record):
        return badge(PRODUCT_TONE[record.status], record.get_status_display())


class CatalogueTable(ProductTable):
    """The public catalogue: no score, a producer named only if it agreed to be published."""

    class Meta(ProductTable.Meta):
        exclude = ("score",)
        empty_text = _("Không có sản phẩm được công nhận nào khớp với bộ lọc.")

    def render_name(self, record):
        marker = format_html(' <small class="muted">{}</small>', _("(bộ)")) if record.is_set else ""
        return format_html("<strong>{}</strong>{}", record.name, marker)

    def render_producer(self, record):
        if record.producer.is_public:
            return record.producer.name
        return format_html('<span class="muted">{}</span>', _("(không công bố)"))


class ClusterTable(MapTable):
    name = tables.Column(verbose_name=_("Cụm công nghiệp"), order_by=("name", "pk"))
    province = ProvinceColumn(verbose_name=_("Tỉnh, thành"), order_by=("province__code", "name"))
    commune = tables.Column(verbose_name=_("Xã, phường"))
    planned_area = tables.Column(verbose_name=_("Quy hoạch (ha)"), attrs=NUM)
    leasable_area = tables.Column(verbose_name=_("Đất cho thuê (ha)"), attrs=NUM)
    leased_area = tables.Column(verbose_name=_("Đã cho thuê (ha)"), attrs=NUM)
    occupancy = tables.Column(verbose_name=_("Lấp đầy"), accessor="pk", orderable=False, attrs=NUM)
    firms = tables.Column(verbose_name=_("Doanh nghiệp"), attrs=NUM)
    workers = tables.Column(verbose_name=_("Lao động"), attrs=NUM)
    wastewater = tables.Column(verbose_name=_("Xử lý nước thải"))
    scheme_count = tables.Column(verbose_name=_("Đề án hỗ trợ"), attrs=NUM)

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data registers"}
        order_by = ("province", "name")
        empty_text = _("Không có cụm công nghiệp nào khớp với bộ lọc.")

    def render_name(self, record):
        url = reverse("registers:cluster-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.name)

    def render_planned_area(self, value):
        return hectares(value)

    def render_leasable_area(self, value):
        return hectares(value)

    def render_leased_area(self, value):
        return hectares(value)

    def render_occupancy(self, record):
        return format_html(
            '<span title="{} / {} ha">{}</span>',
            hectares(record.leased_area),
            hectares(record.leasable_area),
            format_rate(record.occupancy),
        )

    def render_firms(self, value):
        return format_number(value)

    def render_workers(self, value):
        return format_number(value)

    def render_wastewater(self, record):
        tone = "green" if record.wastewater == IndustrialCluster.Wastewater.OPERATING else "grey"
        return badge(tone, record.get_wastewater_display())


class DossierTable(MapTable):
    title = tables.Column(verbose_name=_("Hồ sơ"), order_by=("title", "pk"))
    province = ProvinceColumn(verbose_name=_("Tỉnh, thành"), order_by=("province__code", "pk"))
    year = tables.Column(verbose_name=_("Năm"))
    status = tables.Column(verbose_name=_("Trạng thái"))
    submitted_on = tables.Column(verbose_name=_("Tỉnh gửi"))
    received_on = tables.Column(verbose_name=_("Tiếp nhận"))
    appraised_on = tables.Column(verbose_name=_("Thẩm định"))
    decided_on = tables.Column(verbose_name=_("Thống nhất / trả lại"))

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data registers"}
        order_by = ("-year", "province")
        empty_text = _("Không có hồ sơ quy hoạch nào khớp với bộ lọc.")

    def render_title(self, record):
        url = reverse("registers:dossier-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.title)

    def render_year(self, value):
        return str(value)

    def render_status(self, record):
        return badge(DOSSIER_TONE[record.status], record.get_status_display())

    def render_submitted_on(self, value):
        return date_text(value)

    def render_received_on(self, value):
        return date_text(value)

    def render_appraised_on(self, value):
        return date_text(value)

    def render_decided_on(self, value):
        return date_text(value)


class EventTable(MapTable):
    starts_on = tables.Column(verbose_name=_("Thời gian"), order_by=("starts_on", "pk"))
    name = tables.Column(verbose_name=_("Hội chợ, hội nghị"), order_by=("name", "pk"))
    kind = tables.Column(verbose_name=_("Loại"))
    place = tables.Column(verbose_name=_("Địa điểm"))
    host_province = ProvinceColumn(
        verbose_name=_("Tỉnh đăng cai"), order_by=("host_province__code", "starts_on")
    )
    organiser = tables.Column(verbose_name=_("Đơn vị tổ chức"))
    scheme = tables.Column(verbose_name=_("Đề án"), order_by=("scheme__code", "pk"))
    participant_count = tables.Column(verbose_name=_("Cơ sở tham gia"), attrs=NUM)
    booths = tables.Column(verbose_name=_("Gian hàng"), attrs=NUM)

    class Meta:
        template_name = TEMPLATE
        attrs = {"class": "data registers"}
        order_by = ("starts_on",)
        empty_text = _("Không có hội chợ, hội nghị nào trong năm khớp với bộ lọc.")

    def render_starts_on(self, record):
        if record.starts_on == record.ends_on:
            return date_text(record.starts_on)
        return f"{date_text(record.starts_on)} – {date_text(record.ends_on)}"

    def render_name(self, record):
        url = reverse("registers:event-detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record.name)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_place(self, record):
        return f"{record.place} ({record.country})" if record.country else record.place

    def render_scheme(self, record):
        return record.scheme.code

    def render_booths(self, value):
        return format_number(value)
