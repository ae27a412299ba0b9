"""Fairs and conferences from a spreadsheet, matched on kind, name and start date: the agency's
yearly list of national, regional and foreign fairs and regional conferences, or a province's
own. A province user brings in only the events its province hosts; the scheme that funds an
event is found by its code and plan year among the schemes the user may see."""

from collections.abc import Callable

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext as _

from accounts.models import User
from core.sheets import (
    CellError,
    Column,
    Planned,
    Problem,
    Result,
    choice_parser,
    parse_date,
    parse_int,
    text,
)
from core.text import fold
from organisations.models import Organisation
from projects.permissions import schemes_visible_to
from provinces.models import Region
from provinces.names import ProvinceIndex
from registers.imports.common import RegisterImport, action, keep_unset, owns, parse_rows
from registers.models import PromotionEvent
from registers.services import events as event_services
from registers.services.common import day

Kind = PromotionEvent.Kind
# What a row sets besides its key (kind, name, start date).
FIELDS = (
    "ends_on",
    "place",
    "country",
    "host_province",
    "region",
    "organiser",
    "scheme",
    "booths",
    "description",
)
# The bodies that organise fairs and conferences, as in the event form.
ORGANISER_KINDS = (
    Organisation.Kind.AGENCY,
    Organisation.Kind.REGIONAL_CENTRE,
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.PROVINCIAL_CENTRE,
)


def event_columns() -> list[Column]:
    return [
        Column(
            "kind",
            _("Loại"),
            True,
            "; ".join(str(label) for _v, label in Kind.choices),
            str(Kind.REGIONAL_FAIR.label),
        ),
        Column(
            "name",
            _("Hội chợ, hội nghị"),
            True,
            _("Tên đầy đủ, như trong quyết định tổ chức"),
            "Hội chợ công nghiệp nông thôn tiêu biểu khu vực phía Bắc năm 2020",
        ),
        Column("starts_on", _("Ngày bắt đầu"), True, _("dd/mm/yyyy"), "09/07/2020"),
        Column(
            "ends_on",
            _("Ngày kết thúc"),
            True,
            _("dd/mm/yyyy, không trước ngày bắt đầu"),
            "13/07/2020",
        ),
        Column("place", _("Địa điểm"), True, "", "Trung tâm Hội chợ triển lãm tỉnh Thái Nguyên"),
        Column("country", _("Quốc gia"), False, _("Bắt buộc với hội chợ ở nước ngoài"), ""),
        Column(
            "host_province",
            _("Tỉnh đăng cai"),
            False,
            _("Tên tỉnh cũ hoặc mới; bắt buộc với hội chợ, hội nghị trong nước"),
            "Thái Nguyên",
        ),
        Column(
            "region",
            _("Khu vực"),
            False,
            _("Vùng khuyến công: Miền Bắc; Miền Trung và Tây Nguyên; Miền Nam"),
            "Miền Bắc",
        ),
        Column(
            "organiser",
            _("Đơn vị tổ chức"),
            False,
            _("Tên hoặc tên viết tắt của Cục, trung tâm vùng, Sở Công Thương, trung tâm tỉnh"),
            "IPC1",
        ),
        Column(
            "scheme_code",
            _("Mã đề án cấp kinh phí"),
            False,
            _("Mã đề án trong hệ thống, ví dụ KCQG-2020-001"),
            "",
        ),
        Column(
            "scheme_year",
            _("Năm kế hoạch của đề án"),
            False,
            _("Để trống: năm của ngày bắt đầu"),
            "",
        ),
        Column("booths", _("Số gian hàng"), False, _("Tổng số gian hàng của hội chợ"), 150),
        Column("description", _("Nội dung chính"), False, "", ""),
    ]


def _limited(field: str) -> Callable:
    """Plain text no longer than the model's field."""
    limit = PromotionEvent._meta.get_field(field).max_length

    def parse(value) -> str:
        value = text(value)
        if len(value) > limit:
            raise CellError(
                _("dài %(length)s ký tự, tối đa %(limit)s") % {"length": len(value), "limit": limit}
            )
        return value

    return parse


def _optional(parse: Callable) -> Callable:
    """None for an empty cell, else `parse`."""
    return lambda value: parse(value) if text(value) else None


class _ByName:
    """Records found by their folded name (or short name, or code) among a list loaded once; a
    name two of them share must be written in full."""

    def __init__(self, records, keys: Callable, unknown: str, ambiguous: str):
        self.found: dict[str, list] = {}
        for record in records:
            for key in {fold(k) for k in keys(record) if k}:
                self.found.setdefault(key, []).append(record)
        self.unknown, self.ambiguous = unknown, ambiguous

    def resolve(self, value):
        raw = text(value)
        matches = self.found.get(fold(raw), [])
        if not matches:
            raise CellError(self.unknown % {"value": raw})
        if len(matches) > 1:
            raise CellError(self.ambiguous % {"value": raw})
        return matches[0]


class EventImport(RegisterImport):
    name = "events"

    def title(self) -> str:
        return _("Hội chợ, hội nghị")

    def columns(self) -> list[Column]:
        return event_columns()

    def notes(self) -> tuple[str, ...]:
        return (
            _(
                "Một hội chợ, hội nghị được nhận ra theo loại, tên và ngày bắt đầu: nhập lại thì "
                "cập nhật các cột khác; đổi một trong ba cột đó thì thành bản ghi mới."
            ),
            _("Hội chợ, hội nghị trong nước ghi tỉnh đăng cai; hội chợ ở nước ngoài ghi quốc gia."),
            _("Cán bộ tỉnh chỉ nhập hội chợ, hội nghị do tỉnh mình đăng cai."),
            _(
                "Đề án cấp kinh phí: ghi mã đề án mà bạn xem được trong hệ thống; kinh phí lấy "
                "theo đề án. Các cơ sở tham gia thêm ở trang của từng hội chợ."
            ),
        )

    def parsers(self) -> dict[str, Callable]:
        return {
            "kind": choice_parser(Kind.choices),
            "name": _limited("name"),
            "starts_on": parse_date,
            "ends_on": parse_date,
            "place": _limited("place"),
            "country": _limited("country"),
            "scheme_year": _optional(parse_int),
            "booths": parse_int,
        }

    def _lookups(self) -> dict[str, Callable]:
        """Parsers of the columns that name a record: each list loaded once for the file."""
        regions = list(Region.objects.all())
        region_names = "; ".join(region.name for region in regions)
        by_region = _ByName(
            regions,
            lambda r: (r.name, r.code),
            _("không có vùng nào tên '%(value)s'; các vùng: ") + region_names,
            _("'%(value)s' là tên của nhiều vùng"),
        )
        by_organiser = _ByName(
            Organisation.objects.filter(kind__in=ORGANISER_KINDS),
            lambda o: (o.name, o.short_name),
            _("không có đơn vị tổ chức nào tên '%(value)s'"),
            _("'%(value)s' là tên của nhiều đơn vị: ghi tên đầy đủ"),
        )
        return {
            "host_province": _optional(ProvinceIndex().resolve),
            "region": _optional(by_region.resolve),
            "organiser": _optional(by_organiser.resolve),
        }

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        header = {col.key: col.header for col in self.columns()}
        read = parse_rows(self, title, rows, result, self._lookups())
        existing = {
            (event.kind, fold(event.name), event.starts_on): event
            for event in PromotionEvent.objects.filter(
                starts_on__in={values["starts_on"] for _n, values in read}
            )
            .select_related("host_province", "region", "organiser", "scheme")
            .annotate(taken=Coalesce(Sum("participants__booths"), Value(0)))
        }
        schemes = self._schemes(user, read)
        seen: dict[tuple, int] = {}
        for number, values in read:
            problems: list[Problem] = []

            def refuse(column: str, message: str, problems=problems, number=number) -> None:
                problems.append(Problem(title, number, header[column], message))

            key = (values["kind"], fold(values["name"]), values["starts_on"])
            event = existing.get(key)
            if "scheme_code" in values:
                values["scheme"] = self._scheme(values, schemes, refuse)
            keep_unset(values, FIELDS, event, PromotionEvent)
            self._check_row(user, values, event, refuse)
            if key in seen:
                refuse(
                    "name",
                    _("trùng với dòng %(row)s (cùng loại, tên, ngày bắt đầu)") % {"row": seen[key]},
                )
            seen.setdefault(key, number)
            if problems:
                result.problems += problems
                continue
            label = f"{values['name']} ({Kind(values['kind']).label}, {day(values['starts_on'])})"
            result.rows.append(Planned(number, label, action(event, values, FIELDS), values, event))

    @staticmethod
    def _schemes(user: User, read: list[tuple[int, dict]]) -> dict:
        """The schemes the rows name, that the user may see, by (upper-case code, plan year)."""
        wanted = {
            (
                text(values["scheme_code"]).upper(),
                values.get("scheme_year") or values["starts_on"].year,
            )
            for _n, values in read
            if values.get("scheme_code")
        }
        if not wanted:
            return {}
        found = (
            schemes_visible_to(user)
            .annotate(upper_code=Upper("code"))
            .filter(
                upper_code__in={code for code, _y in wanted},
                plan_year__in={year for _c, year in wanted},
            )
        )
        return {(scheme.upper_code, scheme.plan_year): scheme for scheme in found}

    @staticmethod
    def _scheme(values: dict, schemes: dict, refuse: Callable):
        code = values["scheme_code"]
        year = values.get("scheme_year") or values["starts_on"].year
        if not code:
            if values.get("scheme_year") is not None:
                refuse("scheme_year", _("có năm kế hoạch nhưng chưa ghi mã đề án"))
            return None
        scheme = schemes.get((code.upper(), year))
        if scheme is None:
            refuse(
                "scheme_code",
                _("không có đề án mã '%(code)s' trong kế hoạch năm %(year)s mà bạn xem được")
                % {"code": code, "year": year},
            )
        return scheme

    @staticmethod
    def _check_row(user: User, values: dict, event, refuse: Callable) -> None:
        """The rules across a row's cells, the host province's scoping and the booths taken."""
        if values["ends_on"] < values["starts_on"]:
            refuse(
                "ends_on",
                _("%(end)s trước ngày bắt đầu %(start)s")
                % {"end": day(values["ends_on"]), "start": day(values["starts_on"])},
            )
        abroad = values["kind"] == Kind.FAIR_ABROAD
        if abroad and not values["country"]:
            refuse("country", _("hội chợ ở nước ngoài phải ghi quốc gia"))
        host = values["host_province"]
        if host is None and not abroad:
            refuse("host_province", _("hội chợ, hội nghị trong nước phải ghi tỉnh đăng cai"))
        elif host is None and not owns(user, None):
            refuse("host_province", _("chỉ Cục nhập hội chợ, hội nghị không có tỉnh đăng cai"))
        elif host is not None and not owns(user, host):
            refuse(
                "host_province", _("%(province)s không phải tỉnh của bạn") % {"province": host.name}
            )
        if event is not None and not owns(user, event.host_province):
            refuse(
                "name",
                _("đã có trong sổ, do %(province)s đăng cai: chỉ tỉnh đó hoặc Cục sửa được")
                % {"province": event.host_province.name}
                if event.host_province
                else _("đã có trong sổ, không có tỉnh đăng cai: chỉ Cục sửa được"),
            )
        if event is not None and values["booths"] and values["booths"] < event.taken:
            refuse(
                "booths",
                _("ít hơn %(taken)s gian hàng đã phân cho các cơ sở tham gia")
                % {"taken": event.taken},
            )

    def write(self, user: User, planned: Planned) -> PromotionEvent:
        values = planned.values
        event = planned.existing or PromotionEvent(
            kind=values["kind"], name=values["name"], starts_on=values["starts_on"]
        )
        for name in FIELDS:
            setattr(event, name, values[name])
        return event_services.event_save(event=event, by=user)
