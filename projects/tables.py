"""The scheme list's table: how each column of the one prepared queryset is written and sorted.
Money is written in millions of đồng (the unit of the schemes' own estimates), the exact amount
in đồng on hover; totals of all filtered rows come from `selectors.scheme_totals`."""

import datetime
import html
from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.money import format_number, format_rate, format_vnd, rate
from dashboard.cache import cached
from projects.models import Scheme
from projects.selectors import ListTotals, province_on_map
from provinces.models import ProvinceMap

MILLION = Decimal(1_000_000)

KIND_SHORT = {
    Scheme.Kind.PILOT: _("Điểm"),
    Scheme.Kind.GROUP: _("Nhóm"),
    Scheme.Kind.TARGETED: _("Đối tượng cụ thể"),
}

# The labels of the choices, looked up once: Model.get_FOO_display() rebuilds a dict of every
# choice on each call, 100 times a page.
KIND_LABEL = dict(Scheme.Kind.choices)
STATUS_LABEL = dict(Scheme.Status.choices)

# The colour of a status badge: where the scheme stands in its life.
STATUS_TONE = {
    Scheme.Status.DRAFT: "grey",
    Scheme.Status.SUBMITTED: "grey",
    Scheme.Status.BASE_APPRAISED: "grey",
    Scheme.Status.REGISTERED: "grey",
    Scheme.Status.APPRAISED: "grey",
    Scheme.Status.RETURNED: "amber",
    Scheme.Status.REJECTED: "red",
    Scheme.Status.STOPPED: "red",
    Scheme.Status.APPROVED: "blue",
    Scheme.Status.CONTRACTED: "blue",
    Scheme.Status.IN_PROGRESS: "teal",
    Scheme.Status.ACCEPTED: "green",
    Scheme.Status.LIQUIDATED: "green",
    Scheme.Status.SETTLED: "dark",
}


def _escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper (called about 2,000
    times a page): safe text as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _html(template: str, *args) -> SafeString:
    """format_html(template, *args), the same text, without the per-call overhead."""
    return SafeString(template.format(*map(_escape, args)))


def millions(value) -> str:
    """1_250_000_000 -> "1.250" (triệu đồng)."""
    return format_number(Decimal(value) / MILLION)


def money_cell(value) -> str:
    return _html('<span title="{}">{}</span>', format_vnd(value), millions(value))


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(value)}%"


NUM = {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


class MoneyColumn(tables.Column):
    def __init__(self, *args, total: str, **kwargs):
        self.total = total
        kwargs.setdefault("attrs", NUM)
        kwargs.setdefault("order_by", (kwargs.get("accessor") or total, "code"))
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money_cell(value)

    def render_footer(self, table):
        return money_cell(getattr(table.totals, self.total)) if table.totals else ""


class SchemeTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Mã đề án"),
        order_by=("code",),
        attrs={"td": {"class": "code"}},
        footer=lambda table: (
            format_html(
                "{} <small>{}</small>",
                _("Tổng cộng"),
                _("%(count)s đề án, mọi trang") % {"count": format_number(table.totals.count)},
            )
            if table.totals
            else ""
        ),
    )
    title = tables.Column(
        verbose_name=_("Tên đề án"),
        order_by=("title", "code"),
        attrs={"td": {"class": "title"}},
    )
    province = tables.Column(
        verbose_name=_("Tỉnh, thành"),
        order_by=("province__name", "code"),
        attrs={"td": {"class": "province"}},
    )
    content_areas = tables.Column(
        verbose_name=_("Nội dung"),
        accessor="pk",
        order_by=("first_area", "code"),
        attrs={"td": {"class": "areas"}},
    )
    kind = tables.Column(
        verbose_name=_("Loại"), order_by=("kind", "code"), attrs={"td": {"class": "kind"}}
    )
    status = tables.Column(
        verbose_name=_("Trạng thái"),
        order_by=("status_order", "code"),
        attrs={"td": {"class": "status"}},
    )
    approved = MoneyColumn(verbose_name=_("Duyệt"), total="approved")
    contracted = MoneyColumn(verbose_name=_("Đã ký HĐ"), total="contracted")
    disbursed = MoneyColumn(verbose_name=_("Giải ngân"), total="disbursed")
    rate = tables.Column(
        verbose_name=_("Tỷ lệ"),
        accessor="pk",
        order_by=("rate_order", "code"),
        attrs=NUM,
        footer=lambda table: format_rate(table.totals.disbursed_rate) if table.totals else "",
    )
    lag = tables.Column(
        verbose_name=_("Tiến độ"),
        order_by=("lag", "code"),
        attrs={"th": {"class": "num"}, "td": {"class": "num lag"}},
    )

    class Meta:
        template_name = "django_tables2/khuyencong.html"
        attrs = {"class": "data schemes"}
        order_by = ("code",)
        per_page = 50
        empty_text = _("Không có đề án nào khớp với bộ lọc.")

    # The footer's label spans the first columns, up to the money.
    FOOTER_SPANNED = ("title", "province", "content_areas", "kind", "status")

    def __init__(
        self,
        *args,
        province_map: str,
        as_of: datetime.date | None = None,
        totals: ListTotals | None = None,
        **kwargs,
    ):
        self.province_map = province_map
        self.as_of_text = as_of.strftime("%d/%m/%Y") if as_of else ""
        self.totals = totals
        super().__init__(*args, **kwargs)

    # Set by the list's paginator: what names the page's rows in the cache (dashboard.cache).
    rows_key: tuple | None = None

    @cached_property
    def body_rows(self) -> list[tuple[str, str]]:
        """The page's rows, written once per data version, page of keys, language, map and
        cut-off (a repeated request neither reads nor writes them)."""
        if self.rows_key is None:
            return self._write_rows()
        parts = (
            "scheme-list-rows",
            self.rows_key,
            get_language(),
            self.province_map,
            self.as_of_text,
            timezone.localdate(),
        )
        return cached(parts, self._write_rows)

    def _write_rows(self) -> list[tuple[str, str]]:
        """The page's rows as (row attributes, cells' HTML), written here in one pass rather than
        cell by cell through django-tables2 (accessor, choices display and signature inspection
        for each of 550 cells), which was most of the list's time. The cells are the same: the
        column's `td` attributes, its default for an empty value, the same `render_*`."""
        self._detail_url = reverse("projects:scheme-detail", args=[0])[:-2]
        by_record = {
            "title": self.render_title,
            # A page shows few provinces, kinds and statuses: each is written once.
            "province": _memo(self.render_province, lambda record: record.province_id),
            "content_areas": self.render_content_areas,
            "kind": _memo(self.render_kind, lambda record: record.kind),
            "status": _memo(self.render_status, lambda record: record.status),
            "rate": self.render_rate,
            "lag": self.render_lag,
        }
        plan = []
        for column in self.columns:
            accessor = None if column.accessor == "pk" else str(column.accessor)
            if column.name in by_record:
                render = by_record[column.name]
            else:
                bound_render = column.render

                def render(record, _render=bound_render, _accessor=accessor):
                    return _render(value=getattr(record, _accessor))

            opening = format_html("<td {}>", column.attrs["td"].as_html())
            plan.append((opening, accessor, render, column.default))
        rows = []
        for row in self.paginated_rows:
            record = row.record
            cells = []
            for opening, accessor, render, default in plan:
                if accessor is not None and getattr(record, accessor) in (None, ""):
                    cell = default
                else:
                    cell = render(record)
                cells.append((opening, cell))
            body = "".join(f"{opening}{_escape(cell)}</td>" for opening, cell in cells)
            rows.append((row.attrs.as_html(), SafeString(body)))
        return rows

    def render_code(self, value):
        return _html("<span>{}</span>", value)

    def render_title(self, record):
        url = (
            f"{self._detail_url}{record.pk}/"
            if hasattr(self, "_detail_url")
            else reverse("projects:scheme-detail", args=[record.pk])
        )
        return _html('<a href="{}">{}</a>', url, record.title)

    def render_province(self, record):
        province = record.province
        shown = province_on_map(province, self.province_map)
        if shown.short_name == province.short_name:
            return province.short_name
        return _html(
            '{}<small class="successor" title="{}">→ {}</small>',
            province.short_name,
            gettext("Đơn vị trên bản đồ %(map)s tỉnh, thành") % {"map": ProvinceMap.NEW_34.value},
            shown.short_name,
        )

    def render_content_areas(self, record):
        return SafeString(
            "".join(
                _html('<span class="area" title="{}">{}. {}</span>', a.name, a.number, a.short_name)
                for a in record.content_areas.all()
            )
        )

    def render_kind(self, record):
        return _html('<span title="{}">{}</span>', KIND_LABEL[record.kind], KIND_SHORT[record.kind])

    def render_status(self, record):
        return _html(
            '<span class="badge {}">{}</span>',
            STATUS_TONE.get(record.status, "grey"),
            STATUS_LABEL[record.status],
        )

    def render_rate(self, record):
        return format_rate(rate(record.disbursed, record.approved))

    def render_lag(self, record):
        if not record.contracted:
            return _html('<span class="muted">{}</span>', gettext("Chưa ký HĐ"))
        lag_rate = rate(record.lag, record.contracted)
        hint = gettext(
            "Chậm %(lag)s so với kế hoạch giải ngân (dự kiến %(expected)s đến %(day)s)"
        ) % {
            "lag": format_vnd(record.lag),
            "expected": format_vnd(record.expected),
            "day": self.as_of_text,
        }
        if record.behind:
            return _html(
                '<span class="badge red" title="{}">{}</span><small class="lag-amount">{}</small>',
                hint,
                gettext("Chậm %(rate)s") % {"rate": percent(lag_rate)},
                self._short_lag(record.lag),
            )
        if record.lag > 0:
            return _html(
                '<span class="muted" title="{}">{}</span>', hint, self._short_lag(record.lag)
            )
        return _html('<span class="ontrack">{}</span>', gettext("Đúng tiến độ"))

    @staticmethod
    def _short_lag(lag) -> str:
        # "−700 tr": the shortfall in millions of đồng.
        return gettext("−%(millions)s tr") % {"millions": millions(lag)}


def _memo(render, key):
    written = {}

    def cached(record):
        value = key(record)
        if value not in written:
            written[value] = render(record)
        return written[value]

    return cached


def ordered_rows(rows, sort: str | None, province_map: str):
    """The rows in the order the table shows them for `sort` (the exports follow the page)."""
    table = SchemeTable(rows, order_by=sort or None, province_map=province_map)
    return table.data.data
