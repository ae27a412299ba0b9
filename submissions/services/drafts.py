"""Drafts: a new scheme for the user's own province, its changes while it is a draft or
returned, and its estimate line by line (the scheme's money is the sum of its lines)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.models import MoneyField
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Fund, Scheme
from projects.permissions import schemes_visible_to
from projects.services import TransitionError
from provinces.models import Province
from submissions.models import CostLine
from submissions.permissions import can_edit_dossier, owns, uses_portal
from submissions.selectors import (
    content_list_for_year,
    default_implementing_unit,
    draft_provinces,
    first_day,
    sectors_valid_on,
)

S = Scheme.Status
# The facts of a scheme a draft sets from its form.
SCHEME_FIELDS = (
    "title",
    "plan_year",
    "fund",
    "kind",
    "sector",
    "implementing_unit",
    "start_date",
    "end_date",
    "description",
)
ESTABLISHMENT_FIELDS = ("name", "legal_form", "registration_code", "commune", "sector", "size")


@dataclass(frozen=True)
class CostLineInput:
    """One line of the estimate as the form gives it; `id` names an existing line to change."""

    item: str
    support_amount: Decimal
    counterpart_amount: Decimal = Decimal(0)
    id: int | None = None


# Drafts.


def _require_portal_user(by: User) -> None:
    if not uses_portal(by):
        raise PermissionDenied(_("Chỉ cán bộ tỉnh và trung tâm khuyến công vùng lập đề án."))


def _draft_province(by: User, asked: Province | None) -> Province:
    """The province user's own unit (on the 34-unit map: every new draft is made after
    01/07/2025); for a regional centre, one of the units it covers."""
    allowed = draft_provinces(by)
    if by.role == Role.PROVINCE:
        own = allowed.first()
        if own is None:
            raise PermissionDenied(_("Tài khoản chưa gắn với tỉnh, thành phố nào."))
        if asked is not None and asked.pk != own.pk:
            raise PermissionDenied(
                _("Bạn chỉ được lập đề án của %(province)s.") % {"province": own.name}
            )
        return own
    if asked is None:
        raise ValidationError({"province": _("Hãy chọn tỉnh, thành phố của đề án.")})
    if not allowed.filter(pk=asked.pk).exists():
        raise PermissionDenied(
            _("Trung tâm của bạn không phụ trách %(province)s.") % {"province": asked.name}
        )
    return asked


def _next_code(province: Province, year: int) -> str:
    """DX-<province code>-<year>-<number>: the next free number of the province's drafts of
    that year. The caller holds the lock on the province's row, so that two drafts made at
    the same moment never take the same number."""
    prefix = f"DX-{province.code}-{year}-"
    taken = Scheme.objects.filter(plan_year=year, code__startswith=prefix).values_list(
        "code", flat=True
    )
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _lock_province(province: Province) -> Province:
    return Province.objects.select_for_update().get(pk=province.pk)


def _check_choices(by: User, scheme: Scheme, data: dict[str, Any]) -> None:
    """The choices that depend on the plan year, the province and the user, checked again here
    whatever the form offered."""
    errors: dict[str, list[str]] = {}
    year = scheme.plan_year
    if scheme.fund not in Fund.values:
        errors.setdefault("fund", []).append(_("Nguồn kinh phí không hợp lệ."))
    elif by.role == Role.REGIONAL and scheme.fund != Fund.NATIONAL:
        errors.setdefault("fund", []).append(
            _("Đề án của trung tâm khuyến công vùng dùng kinh phí khuyến công quốc gia.")
        )
    content_list = content_list_for_year(year)
    areas = list(data.get("content_areas") or [])
    if not areas:
        errors.setdefault("content_areas", []).append(_("Chọn ít nhất một nội dung khuyến công."))
    elif content_list is None or any(area.content_list_id != content_list.pk for area in areas):
        wrong = ", ".join(
            str(area)
            for area in areas
            if content_list is None or area.content_list_id != content_list.pk
        )
        errors.setdefault("content_areas", []).append(
            _("Nội dung %(areas)s không thuộc danh mục áp dụng cho năm %(year)s (%(list)s).")
            % {"areas": wrong, "year": year, "list": content_list or "—"}
        )
    if scheme.kind == Scheme.Kind.PILOT and len(areas) < 2:
        errors.setdefault("content_areas", []).append(
            _("Đề án điểm phải có ít nhất hai nội dung khuyến công.")
        )
    if (
        scheme.sector_id
        and not sectors_valid_on(first_day(year)).filter(pk=scheme.sector_id).exists()
    ):
        errors.setdefault("sector", []).append(
            _("Ngành nghề “%(sector)s” chưa (hoặc không còn) được hỗ trợ vào ngày 01/01/%(year)s.")
            % {"sector": scheme.sector, "year": year}
        )
    unit = scheme.implementing_unit
    if unit is not None and not _unit_allowed(by, scheme.province, unit):
        errors.setdefault("implementing_unit", []).append(
            _("“%(unit)s” không phải đơn vị thực hiện được chọn cho đề án này.") % {"unit": unit}
        )
    for beneficiary in data.get("beneficiaries") or []:
        if beneficiary.province.successor_id != scheme.province.successor_id:
            errors.setdefault("beneficiaries", []).append(
                _("Cơ sở “%(name)s” không thuộc %(province)s.")
                % {"name": beneficiary.name, "province": scheme.province.name}
            )
    if errors:
        raise ValidationError(errors)


def _unit_allowed(by: User, province: Province, unit: Organisation) -> bool:
    if by.role == Role.REGIONAL:
        return unit.pk == by.organisation_id
    return (
        unit.is_active
        and unit.province_id is not None
        and (Province.objects.filter(pk=unit.province_id, successor=province.successor_id).exists())
    )


def save_as(obj, by: User, **kwargs) -> None:
    obj.full_clean()
    obj._history_user = by
    obj.save(**kwargs)


def _new_establishments(
    scheme: Scheme, rows: Iterable[dict[str, Any]], by: User
) -> list[Establishment]:
    made = []
    for number, row in enumerate(rows, start=1):
        establishment = Establishment(
            province=scheme.province, **{key: row.get(key) or "" for key in ESTABLISHMENT_FIELDS}
        )
        establishment.sector = row.get("sector")
        try:
            save_as(establishment, by)
        except ValidationError as error:
            messages = [
                f"{_('Cơ sở mới %(number)s') % {'number': number}}: {message}"
                for message in error.messages
            ]
            raise ValidationError({"new_beneficiaries": messages}) from error
        made.append(establishment)
    return made


def _set_relations(
    scheme: Scheme, data: dict[str, Any], new_beneficiaries: Iterable[dict[str, Any]], by: User
) -> None:
    scheme.content_areas.set(data.get("content_areas") or [])
    scheme.coordinating_units.set(data.get("coordinating_units") or [])
    beneficiaries = list(data.get("beneficiaries") or [])
    beneficiaries += _new_establishments(scheme, new_beneficiaries, by)
    scheme.beneficiaries.set(beneficiaries)


def _line_error(number: int, message: str) -> ValidationError:
    return ValidationError(
        {
            "cost_lines": [
                _("Dòng kinh phí %(number)s: %(message)s") % {"number": number, "message": message}
            ]
        }
    )


def _write_cost_lines(scheme: Scheme, lines: Sequence[CostLineInput], by: User) -> None:
    """Make the scheme's estimate exactly `lines`, in that order (lines left out are
    removed), then set support_requested and counterpart_funding to their sums."""
    existing = {line.pk: line for line in scheme.cost_lines.all()}
    kept: set[int] = set()
    for number, given in enumerate(lines, start=1):
        line = existing.get(given.id) if given.id else CostLine(scheme=scheme)
        if line is None:
            raise _line_error(number, _("dòng này không thuộc đề án (trang đã cũ, hãy tải lại)."))
        support = Decimal(given.support_amount or 0)
        counterpart = Decimal(given.counterpart_amount or 0)
        if support < 0 or counterpart < 0:
            raise _line_error(number, _("số tiền không được âm."))
        if support != support.to_integral_value() or counterpart != counterpart.to_integral_value():
            raise _line_error(number, _("số tiền tính bằng đồng, không có phần lẻ."))
        if support == 0 and counterpart == 0:
            raise _line_error(number, _("cần ghi kinh phí hỗ trợ hoặc vốn đối ứng."))
        item = (given.item or "").strip()
        if not item:
            raise _line_error(number, _("cần ghi nội dung chi."))
        values = {
            "order": number,
            "item": item,
            "support_amount": support,
            "counterpart_amount": counterpart,
        }
        changed = line.pk is None or any(getattr(line, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(line, key, value)
        if changed:
            try:
                save_as(line, by)
            except ValidationError as error:
                raise _line_error(number, " ".join(error.messages)) from error
        kept.add(line.pk)
    for pk, line in existing.items():
        if pk not in kept:
            line._history_user = by
            line.delete()
    money = MoneyField()
    totals = scheme.cost_lines.aggregate(
        support=Coalesce(Sum("support_amount"), Value(Decimal(0)), output_field=money),
        counterpart=Coalesce(Sum("counterpart_amount"), Value(Decimal(0)), output_field=money),
    )
    scheme.support_requested = totals["support"]
    scheme.counterpart_funding = totals["counterpart"]
    scheme._history_user = by
    scheme.save(update_fields=["support_requested", "counterpart_funding", "updated_at"])


@transaction.atomic
def draft_create(
    *,
    by: User,
    data: dict[str, Any],
    cost_lines: Sequence[CostLineInput],
    new_beneficiaries: Iterable[dict[str, Any]] = (),
) -> Scheme:
    """A new scheme in draft, for the user's own province, with its estimate. `data` holds
    the form's cleaned values (SCHEME_FIELDS, content_areas, coordinating_units,
    beneficiaries; `province` for a regional centre); `new_beneficiaries` the establishments
    to register with it."""
    _require_portal_user(by)
    province = _lock_province(_draft_province(by, data.get("province")))
    values = {key: data[key] for key in SCHEME_FIELDS if data.get(key) is not None}
    values.setdefault("description", "")
    scheme = Scheme(
        province=province,
        status=S.DRAFT,
        support_requested=Decimal(0),
        counterpart_funding=Decimal(0),
        **values,
    )
    if scheme.implementing_unit_id is None:
        scheme.implementing_unit = default_implementing_unit(by, province)
    if scheme.plan_year:
        scheme.code = _next_code(province, scheme.plan_year)
    _check_choices(by, scheme, data)
    save_as(scheme, by)
    _set_relations(scheme, data, new_beneficiaries, by)
    _write_cost_lines(scheme, cost_lines, by)
    return scheme


def _lock_scheme(scheme: Scheme, by: User) -> Scheme:
    locked = (
        schemes_visible_to(by)
        .select_for_update(of=("self",))
        .select_related("province")
        .filter(pk=scheme.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("Bạn không có quyền với đề án này."))
    return locked


def _stale(scheme: Scheme) -> TransitionError:
    return TransitionError(
        _(
            "Đề án %(code)s vừa được người khác xử lý: trạng thái hiện nay là “%(status)s”. "
            "Hãy tải lại trang."
        )
        % {"code": scheme.code, "status": Scheme.Status(scheme.status).label}
    )


def lock_for_editing(scheme: Scheme, by: User, expected_status: str | None = None) -> Scheme:
    locked = _lock_scheme(scheme, by)
    if not owns(by, locked):
        raise PermissionDenied(_("Chỉ đơn vị lập đề án mới được sửa hồ sơ."))
    if expected_status is not None and locked.status != expected_status:
        raise _stale(locked)
    decision = can_edit_dossier(by, locked)
    if not decision:
        raise ValidationError(decision.reason)
    return locked


@transaction.atomic
def draft_update(
    *,
    scheme: Scheme,
    by: User,
    data: dict[str, Any],
    cost_lines: Sequence[CostLineInput],
    new_beneficiaries: Iterable[dict[str, Any]] = (),
    expected_status: str | None = None,
) -> Scheme:
    """Change a draft, or a scheme returned for changes, and its estimate. Only the unit that
    prepares it may; the province stays. The plan year may change only while it is a draft
    (its code is then renumbered for the new year)."""
    locked = lock_for_editing(scheme, by, expected_status)
    year = data.get("plan_year") or locked.plan_year
    if year != locked.plan_year:
        if locked.status != S.DRAFT:
            raise ValidationError(
                {
                    "plan_year": _(
                        "Đề án đã gửi đi thì không đổi năm kế hoạch: hãy giữ năm %(year)s."
                    )
                    % {"year": locked.plan_year}
                }
            )
        if locked.code.startswith("DX-"):
            _lock_province(locked.province)
            locked.code = _next_code(locked.province, year)
    for key in SCHEME_FIELDS:
        if key in data and data[key] is not None:
            setattr(locked, key, data[key])
    if by.role == Role.REGIONAL:
        locked.implementing_unit_id = by.organisation_id
    _check_choices(by, locked, data)
    save_as(locked, by)
    _set_relations(locked, data, new_beneficiaries, by)
    _write_cost_lines(locked, cost_lines, by)
    return locked
