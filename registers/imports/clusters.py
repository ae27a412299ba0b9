"""Industrial clusters from a province's spreadsheet, matched on province and name."""

from django.utils.translation import gettext as _

from accounts.models import User
from core.sheets import (
    Column,
    Planned,
    Problem,
    Result,
    choice_parser,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money,
    text,
)
from core.text import fold
from provinces.names import ProvinceIndex
from registers.imports.common import RegisterImport, action, keep_unset, owns, parse_rows
from registers.models import IndustrialCluster
from registers.services import clusters as cluster_services

FIELDS = (
    "commune",
    "decision_number",
    "decision_date",
    "planned_area",
    "leasable_area",
    "leased_area",
    "developer",
    "investment",
    "firms",
    "workers",
    "wastewater",
)


def cluster_columns() -> list[Column]:
    return [
        Column("name", _("Cụm công nghiệp"), True, _("Tên cụm công nghiệp"), "CCN Điềm Thụy"),
        Column("province", _("Tỉnh, thành phố"), True, _("Tên tỉnh cũ hoặc mới"), "Thái Nguyên"),
        Column("commune", _("Xã, phường"), False, "", "Xã Điềm Thụy"),
        Column("decision_number", _("Số quyết định thành lập"), False, "", "123/QĐ-UBND"),
        Column("decision_date", _("Ngày quyết định"), False, _("dd/mm/yyyy"), "31/12/2019"),
        Column("planned_area", _("Diện tích quy hoạch (ha)"), False, _("ví dụ 12,5"), "50,5"),
        Column("leasable_area", _("Đất công nghiệp cho thuê (ha)"), False, "", "35"),
        Column("leased_area", _("Đã cho thuê (ha)"), False, "", "21,25"),
        Column("developer", _("Chủ đầu tư hạ tầng"), False, "", "Công ty CP Hạ tầng"),
        Column(
            "investment",
            _("Vốn đầu tư hạ tầng (đồng)"),
            False,
            _("số đồng, ví dụ 1.250.000.000"),
            "1.250.000.000",
        ),
        Column("firms", _("Số doanh nghiệp"), False, "", 12),
        Column("workers", _("Số lao động"), False, "", 850),
        Column(
            "wastewater",
            _("Xử lý nước thải"),
            False,
            "; ".join(str(label) for _v, label in IndustrialCluster.Wastewater.choices),
            str(IndustrialCluster.Wastewater.OPERATING.label),
        ),
    ]


def _wastewater(value):
    if text(value) == "":
        return IndustrialCluster.Wastewater.NONE
    return choice_parser(IndustrialCluster.Wastewater.choices)(value)


class ClusterImport(RegisterImport):
    name = "clusters"

    def title(self) -> str:
        return _("Cụm công nghiệp")

    def columns(self) -> list[Column]:
        return cluster_columns()

    def parsers(self) -> dict:
        return {
            "decision_date": parse_date,
            "planned_area": parse_decimal,
            "leasable_area": parse_decimal,
            "leased_area": parse_decimal,
            "investment": parse_money,
            "firms": parse_int,
            "workers": parse_int,
            "wastewater": _wastewater,
        }

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        header = {col.key: col.header for col in self.columns()}
        read = parse_rows(self, title, rows, result, {"province": ProvinceIndex().resolve})
        existing = {}
        province_ids = {values["province"].pk for _n, values in read}
        for cluster in IndustrialCluster.objects.filter(
            province_id__in=province_ids
        ).select_related("province"):
            existing[(cluster.province_id, fold(cluster.name))] = cluster
        seen = {}
        for number, values in read:
            province = values["province"]
            key = (province.pk, fold(values["name"]))
            cluster = existing.get(key)
            keep_unset(values, FIELDS, cluster, IndustrialCluster)

            def refuse(column: str, message: str, number=number) -> None:
                result.problems.append(Problem(title, number, header[column], message))

            if not owns(user, province):
                refuse(
                    "province",
                    _("%(province)s không phải tỉnh của bạn") % {"province": province.name},
                )
            elif not values["leasable_area"] <= values["planned_area"]:
                refuse("leasable_area", _("lớn hơn diện tích quy hoạch"))
            elif not values["leased_area"] <= values["leasable_area"]:
                refuse("leased_area", _("lớn hơn diện tích đất công nghiệp cho thuê"))
            elif key in seen:
                refuse(
                    "name",
                    _("trùng với dòng %(row)s (cùng tên, cùng tỉnh)") % {"row": seen[key]},
                )
            else:
                seen[key] = number
                label = f"{values['name']} ({province.name})"
                result.rows.append(
                    Planned(number, label, action(cluster, values, FIELDS), values, cluster)
                )

    def write(self, user: User, planned: Planned) -> IndustrialCluster:
        values = planned.values
        cluster = planned.existing or IndustrialCluster(
            name=values["name"], province=values["province"]
        )
        for name in FIELDS:
            setattr(cluster, name, values[name])
        return cluster_services.cluster_save(cluster=cluster, by=user)
