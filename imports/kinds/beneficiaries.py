"""Beneficiary establishments (cơ sở công nghiệp nông thôn), keyed by tax code or registration
number, each optionally linked to the scheme it benefits from (scheme code + plan year). One
row per establishment in a file; an establishment of several schemes comes in one file per
scheme, or is linked on the scheme's page."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.sheets import (
    CellError,
    Column,
    Planned,
    Problem,
    Result,
    choice_parser,
    parse_int,
    parse_row,
    parse_yes_no,
    text,
)
from establishments.models import Establishment
from establishments.validators import validate_registration_number, validate_tax_code
from imports.kinds import register
from imports.kinds.base import ImportKind
from imports.kinds.lookups import SectorIndex
from imports.permissions import import_scope, may_import
from projects.models import Scheme
from provinces.names import ProvinceIndex

FIELDS = (
    "name",
    "legal_form",
    "province",
    "commune",
    "sector",
    "size",
    "workers",
    "owned_by_woman",
    "owned_by_ethnic_minority",
)
OPTIONAL_DEFAULTS = {
    "commune": "",
    "workers": 0,
    "owned_by_woman": False,
    "owned_by_ethnic_minority": False,
}


def _code(value) -> str:
    code = text(value).upper().replace(" ", "")
    try:
        validate_registration_number(code)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return code


class BeneficiariesKind(ImportKind):
    name = "beneficiaries"

    def title(self) -> str:
        return _("Cơ sở thụ hưởng")

    def columns(self) -> list[Column]:
        return [
            Column(
                "registration_code",
                _("Mã số thuế / số đăng ký"),
                True,
                _("Mã số thuế (doanh nghiệp, hợp tác xã) hoặc số đăng ký hộ kinh doanh"),
                "4600100155",
            ),
            Column("name", _("Tên cơ sở"), True, "", "HTX chè Tân Cương"),
            Column(
                "legal_form",
                _("Loại hình"),
                True,
                "; ".join(str(label) for _v, label in Establishment.LegalForm.choices),
                str(Establishment.LegalForm.COOPERATIVE.label),
            ),
            Column(
                "province",
                _("Tỉnh, thành phố"),
                True,
                _("Tỉnh tại ngày bắt đầu của đề án (không có đề án: tỉnh hiện nay)"),
                "Thái Nguyên",
            ),
            Column("commune", _("Xã, phường"), False, "", "Xã Tân Cương"),
            Column("sector", _("Ngành nghề"), True, _("Mã hoặc tên ngành nghề"), "a"),
            Column(
                "size",
                _("Quy mô"),
                True,
                "; ".join(str(label) for _v, label in Establishment.Size.choices),
                str(Establishment.Size.SMALL.label),
            ),
            Column("workers", _("Số lao động"), False, "", 25),
            Column("owned_by_woman", _("Do phụ nữ làm chủ"), False, _("Có / Không"), "Không"),
            Column(
                "owned_by_ethnic_minority",
                _("Do người dân tộc thiểu số làm chủ"),
                False,
                _("Có / Không"),
                "Không",
            ),
            Column(
                "scheme_code", _("Mã đề án"), False, _("Đề án cơ sở được thụ hưởng"), "KCQG-TN-01"
            ),
            Column("scheme_year", _("Năm kế hoạch"), False, _("Năm của đề án"), 2019),
        ]

    def notes(self) -> tuple[str, ...]:
        return (_("Mỗi cơ sở một dòng; cơ sở đã có (cùng mã số) được cập nhật và gắn thêm đề án."),)

    def parsers(self) -> dict:
        return {
            "registration_code": _code,
            "legal_form": choice_parser(Establishment.LegalForm.choices),
            "size": choice_parser(Establishment.Size.choices),
            "workers": parse_int,
            "owned_by_woman": parse_yes_no,
            "owned_by_ethnic_minority": parse_yes_no,
            "scheme_year": parse_int,
        }

    def may_import(self, user: User) -> None:
        may_import(user)

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        columns = self.columns()
        header = {col.key: col.header for col in columns}
        scope = import_scope(user)
        provinces, sectors = ProvinceIndex(), SectorIndex()
        parsed, parsers = [], self.parsers()
        for index, (number, raw) in enumerate(rows):
            if index % 500 == 0:
                result.advance(index, len(rows))
            values, problems = parse_row(title, number, raw, columns, parsers)
            has_code, has_year = bool(values.get("scheme_code")), bool(values.get("scheme_year"))
            if has_code != has_year:
                missing = "scheme_year" if has_code else "scheme_code"
                problems.append(
                    Problem(title, number, header[missing], _("ghi cả mã đề án và năm kế hoạch"))
                )
            if problems:
                result.problems += problems
            else:
                parsed.append((number, raw, values))

        keys = {
            (v["scheme_code"], v["scheme_year"]) for _n, _r, v in parsed if v.get("scheme_code")
        }
        schemes = {
            (s.code, s.plan_year): s
            for s in Scheme.objects.filter(
                code__in={k[0] for k in keys}, plan_year__in={k[1] for k in keys}
            ).select_related("province")
        }
        codes = {v["registration_code"] for _n, _r, v in parsed}
        existing = {
            e.registration_code: e
            for e in Establishment.objects.filter(registration_code__in=codes)
            .select_related("province")
            .prefetch_related("schemes")
        }
        seen = {}
        today = timezone.localdate()
        for number, raw, values in parsed:
            problems = []

            def problem(key, message, number=number, problems=problems) -> None:
                problems.append(Problem(title, number, header[key], message))

            code = values["registration_code"]
            if code in seen:
                problem(
                    "registration_code",
                    _("trùng với dòng %(row)s (cùng mã số)") % {"row": seen[code]},
                )
                result.problems += problems
                continue
            seen[code] = number
            if values["legal_form"] in Establishment.TAX_CODE_FORMS:
                try:
                    validate_tax_code(code)
                except ValidationError as error:
                    problem("registration_code", error.messages[0])
            scheme = None
            if values.get("scheme_code"):
                scheme = schemes.get((values["scheme_code"], values["scheme_year"]))
                if scheme is None:
                    problem(
                        "scheme_code",
                        _("không có đề án mã '%(code)s' năm %(year)s")
                        % {"code": values["scheme_code"], "year": values["scheme_year"]},
                    )
                elif not scope.allows(scheme.province):
                    problem(
                        "scheme_code",
                        _("đề án %(code)s thuộc %(province)s, không thuộc tỉnh của bạn")
                        % {"code": scheme.code, "province": scheme.province.name},
                    )
            on = scheme.start_date if scheme is not None else today
            for key, resolve in (
                ("province", lambda v, on=on: provinces.resolve(v, on=on)),
                ("sector", lambda v, on=on: sectors.resolve(v, on=on)),
            ):
                try:
                    values[key] = resolve(raw.get(key))
                except CellError as error:
                    problem(key, str(error))
            if problems:
                result.problems += problems
                continue
            if not scope.allows(values["province"]):
                problem(
                    "province",
                    _("%(province)s không thuộc tỉnh của bạn")
                    % {"province": values["province"].name},
                )
            establishment = existing.get(code)
            if establishment is not None and not scope.allows(establishment.province):
                problem(
                    "registration_code",
                    _("cơ sở mã số %(code)s đã có ở %(province)s, không thuộc tỉnh của bạn")
                    % {"code": code, "province": establishment.province.name},
                )
            if problems:
                result.problems += problems
                continue
            for key, default in OPTIONAL_DEFAULTS.items():
                if key not in values:
                    values[key] = getattr(establishment, key) if establishment else default
            values["scheme"] = scheme
            if establishment is None:
                action = "create"
            else:
                linked = scheme is None or scheme.pk in {s.pk for s in establishment.schemes.all()}
                same = all(
                    getattr(establishment, f"{f}_id" if f in ("province", "sector") else f)
                    == (values[f].pk if f in ("province", "sector") else values[f])
                    for f in FIELDS
                )
                action = "same" if same and linked else "update"
            label = f"{code} – {values['name']}" + (
                f" ({scheme.code}/{scheme.plan_year})" if scheme else ""
            )
            result.rows.append(Planned(number, label, action, values, establishment))

    def write(self, user: User, planned: Planned) -> Establishment:
        values = planned.values
        establishment = planned.existing or Establishment(
            registration_code=values["registration_code"]
        )
        if planned.existing is not None:
            establishment = Establishment.objects.select_for_update().get(pk=planned.existing.pk)
        for field in FIELDS:
            setattr(establishment, field, values[field])
        establishment.full_clean()
        establishment._history_user = user
        establishment.save()
        if values["scheme"] is not None:
            values["scheme"].beneficiaries.add(establishment)
        return establishment

    def snapshot(self, record: Establishment) -> dict:
        previous = {
            f: getattr(record, f"{f}_id" if f in ("province", "sector") else f) for f in FIELDS
        }
        previous["scheme_ids"] = sorted(s.pk for s in record.schemes.all())
        return previous

    def restore(self, user: User, record: Establishment, previous: dict, note: str) -> None:
        establishment = Establishment.objects.select_for_update().get(pk=record.pk)
        for field in FIELDS:
            name = f"{field}_id" if field in ("province", "sector") else field
            setattr(establishment, name, previous[field])
        establishment._history_user = user
        establishment._change_reason = note
        establishment.save()
        added = establishment.schemes.exclude(pk__in=previous["scheme_ids"])
        for scheme in added:
            scheme.beneficiaries.remove(establishment)

    def undo(self, user: User, record: Establishment, action: str) -> None:
        establishment = Establishment.objects.select_for_update().get(pk=record.pk)
        schemes = list(establishment.schemes.all())
        if len(schemes) > 1:
            raise ValidationError(
                _("Cơ sở %(code)s đã được gắn với đề án khác sau khi nhập: không hoàn tác được.")
                % {"code": establishment.registration_code}
            )
        try:
            with transaction.atomic():
                for scheme in schemes:
                    scheme.beneficiaries.remove(establishment)
                establishment._history_user = user
                establishment.delete()
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            raise ValidationError(
                _("Cơ sở %(code)s đã có dữ liệu liên quan (%(what)s): không hoàn tác được.")
                % {
                    "code": establishment.registration_code,
                    "what": ", ".join(sorted({str(o._meta.verbose_name) for o in blocking})),
                }
            ) from error


register(BeneficiariesKind())
