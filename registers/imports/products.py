"""Candidates of a selection round of typical products, matched on round, producer and name."""

from django.utils.translation import gettext as _

from accounts.models import User
from core.sheets import Column, Planned, Problem, Result, choice_parser, parse_int, parse_yes_no
from core.text import fold
from establishments.models import Establishment
from registers.imports.common import RegisterImport, owns, parse_rows
from registers.models import ProductGroup, SelectionRound, TypicalProduct
from registers.services import products as product_services


def product_columns() -> list[Column]:
    return [
        Column("name", _("Sản phẩm, bộ sản phẩm"), True, "", "Chè Tân Cương"),
        Column("is_set", _("Bộ sản phẩm"), False, _("Có / Không"), "Không"),
        Column(
            "group",
            _("Nhóm"),
            True,
            "; ".join(str(label) for _v, label in ProductGroup.choices),
            str(ProductGroup.FOOD.label),
        ),
        Column(
            "producer",
            _("Mã số cơ sở sản xuất"),
            True,
            _("Mã số doanh nghiệp hoặc số đăng ký hộ kinh doanh"),
            "17A8000001",
        ),
        Column("round_year", _("Năm"), True, "", 2019),
        Column("round", _("Đợt bình chọn"), True, _("Tên đợt như trong hệ thống"), "Bình chọn"),
        Column("description", _("Mô tả sản phẩm"), False, "", ""),
    ]


class ProductImport(RegisterImport):
    name = "products"

    def title(self) -> str:
        return _("Sản phẩm tiêu biểu")

    def columns(self) -> list[Column]:
        return product_columns()

    def parsers(self) -> dict:
        return {
            "round_year": parse_int,
            "is_set": parse_yes_no,
            "group": choice_parser(ProductGroup.choices),
        }

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        header = {col.key: col.header for col in self.columns()}
        parsed = parse_rows(self, title, rows, result, {})
        codes = {values["producer"] for _n, values in parsed}
        producers = {
            e.registration_code: e
            for e in Establishment.objects.filter(registration_code__in=codes).select_related(
                "province__successor", "province__region"
            )
        }
        years = {values["round_year"] for _n, values in parsed}
        rounds = {}
        for round_ in SelectionRound.objects.filter(year__in=years).select_related(
            "province", "region"
        ):
            rounds.setdefault((round_.year, fold(round_.title)), round_)
        existing = {
            (p.round_id, p.producer_id, fold(p.name)): p
            for p in TypicalProduct.objects.filter(
                round__in=list(rounds.values()), producer__in=list(producers.values())
            )
        }
        seen = {}
        for number, values in parsed:

            def refuse(column: str, message: str, number=number) -> None:
                result.problems.append(Problem(title, number, header[column], message))

            producer = producers.get(values["producer"])
            round_ = rounds.get((values["round_year"], fold(values["round"])))
            if producer is None:
                refuse(
                    "producer",
                    _("không có cơ sở nào mã số '%(value)s'") % {"value": values["producer"]},
                )
                continue
            if round_ is None:
                refuse(
                    "round",
                    _("không có đợt bình chọn '%(title)s' năm %(year)s")
                    % {"title": values["round"], "year": values["round_year"]},
                )
                continue
            if not owns(user, producer.province):
                refuse(
                    "producer",
                    _("cơ sở “%(producer)s” ở %(province)s, không thuộc tỉnh của bạn")
                    % {"producer": producer.name, "province": producer.province.name},
                )
                continue
            key = (round_.pk, producer.pk, fold(values["name"]))
            if key in seen:
                refuse(
                    "name",
                    _("trùng với dòng %(row)s (cùng sản phẩm, cơ sở, đợt)") % {"row": seen[key]},
                )
                continue
            seen[key] = number
            product = existing.get(key)
            values.setdefault("is_set", product.is_set if product else False)
            values.setdefault("description", product.description if product else "")
            values.update(producer_obj=producer, round_obj=round_)
            if product is None:
                action = "create"
            elif (product.group, product.is_set, product.description) == (
                values["group"],
                values["is_set"],
                values["description"],
            ):
                action = "same"
            elif product.status != TypicalProduct.Status.REGISTERED:
                refuse("name", _("sản phẩm đã có kết quả bình chọn, không sửa đăng ký được"))
                continue
            else:
                action = "update"
            label = f"{values['name']} ({producer.name}, {round_.title})"
            result.rows.append(Planned(number, label, action, values, product))

    def write(self, user: User, planned: Planned) -> TypicalProduct:
        values = planned.values
        if planned.existing is not None:
            return product_services.product_update(
                product=planned.existing,
                by=user,
                name=planned.existing.name,
                group=values["group"],
                is_set=values["is_set"],
                description=values["description"],
            )
        return product_services.product_register(
            by=user,
            selection_round=values["round_obj"],
            producer=values["producer_obj"],
            name=values["name"],
            group=values["group"],
            is_set=values["is_set"],
            description=values["description"],
        )
