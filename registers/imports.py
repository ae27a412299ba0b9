"""Import of the two registers provinces keep in spreadsheets (industrial clusters, candidates of a
selection round) from an XLSX file. Every row is read and checked first, with the lookups done
once for the whole file, so that a preview costs the same few queries however long the file is;
rows are written only when none is wrong, through the registers services, in one transaction.
Importing the same file again changes nothing: rows are matched on their natural keys."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import sheets
from core.sheets import (
    Column,
    ImportRefused,
    Planned,
    Problem,
    Result,
    choice_parser,
    file_problem,
    open_workbook,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money,
    parse_row,
    parse_yes_no,
    read_rows,
    text,
)
from core.text import fold
from establishments.models import Establishment
from provinces.models import Province
from provinces.names import ProvinceIndex
from registers.models import IndustrialCluster, ProductGroup, SelectionRound, TypicalProduct
from registers.permissions import is_agency, is_province_user
from registers.services import clusters as cluster_services
from registers.services import products as product_services

MAX_BYTES = sheets.MAX_BYTES
MAX_ROWS = sheets.MAX_ROWS
CLUSTERS, PRODUCTS = "clusters", "products"
KINDS = (CLUSTERS, PRODUCTS)


# --- Columns ----------------------------------------------------------------------------------


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


PARSERS: dict[str, Callable] = {
    "decision_date": parse_date,
    "planned_area": parse_decimal,
    "leasable_area": parse_decimal,
    "leased_area": parse_decimal,
    "investment": parse_money,
    "firms": parse_int,
    "workers": parse_int,
    "round_year": parse_int,
    "is_set": parse_yes_no,
}


def columns_for(kind: str) -> list[Column]:
    return cluster_columns() if kind == CLUSTERS else product_columns()


def sheet_title(kind: str) -> str:
    return _("Cụm công nghiệp") if kind == CLUSTERS else _("Sản phẩm tiêu biểu")


def template_workbook(kind: str) -> bytes:
    return sheets.template_workbook(sheet_title(kind), columns_for(kind))


def _may_import(user: User) -> None:
    if not (is_agency(user) or is_province_user(user)):
        raise PermissionDenied(_("Chỉ cán bộ tỉnh và Cục nhập dữ liệu vào sổ này."))


def _own(user: User, province: Province) -> bool:
    return is_agency(user) or province.successor_id == user.province_id


# --- Clusters ---------------------------------------------------------------------------------

CLUSTER_FIELDS = (
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


def _check_clusters(user, title, rows, result: Result) -> None:
    columns = cluster_columns()
    header = {col.key: col.header for col in columns}
    provinces = ProvinceIndex()
    extra = {
        "province": provinces.resolve,
        "wastewater": lambda v: (
            IndustrialCluster.Wastewater.NONE
            if text(v) == ""
            else choice_parser(IndustrialCluster.Wastewater.choices)(v)
        ),
    }
    read = []
    for number, raw in rows:
        values, problems = parse_row(title, number, raw, columns, PARSERS | extra)
        result.problems += problems
        if not problems:
            read.append((number, values))
    existing = {}
    province_ids = {values["province"].pk for _n, values in read}
    for cluster in IndustrialCluster.objects.filter(province_id__in=province_ids).select_related(
        "province"
    ):
        existing[(cluster.province_id, fold(cluster.name))] = cluster
    parsed, seen = [], {}
    for number, values in read:
        province = values["province"]
        cluster = existing.get((province.pk, fold(values["name"])))
        for name in CLUSTER_FIELDS:
            if name not in values:
                default = IndustrialCluster._meta.get_field(name).get_default()
                values[name] = getattr(cluster, name) if cluster else default
        if not _own(user, province):
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["province"],
                    _("%(province)s không phải tỉnh của bạn") % {"province": province.name},
                )
            )
            continue
        if not values["leasable_area"] <= values["planned_area"]:
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["leasable_area"],
                    _("lớn hơn diện tích quy hoạch"),
                )
            )
            continue
        if not values["leased_area"] <= values["leasable_area"]:
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["leased_area"],
                    _("lớn hơn diện tích đất công nghiệp cho thuê"),
                )
            )
            continue
        key = (province.pk, fold(values["name"]))
        if key in seen:
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["name"],
                    _("trùng với dòng %(row)s (cùng tên, cùng tỉnh)") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        parsed.append((number, values, cluster))
    for number, values, cluster in parsed:
        if cluster is None:
            action = "create"
        elif all(getattr(cluster, f) == values[f] for f in CLUSTER_FIELDS):
            action = "same"
        else:
            action = "update"
        label = f"{values['name']} ({values['province'].name})"
        result.rows.append(Planned(number, label, action, values, cluster))


def _write_cluster(user, planned: Planned) -> None:
    values = planned.values
    cluster = planned.existing or IndustrialCluster(
        name=values["name"], province=values["province"]
    )
    for name in CLUSTER_FIELDS:
        setattr(cluster, name, values[name])
    cluster_services.cluster_save(cluster=cluster, by=user)


# --- Products ---------------------------------------------------------------------------------


def _check_products(user, title, rows, result: Result) -> None:
    columns = product_columns()
    header = {col.key: col.header for col in columns}
    extra = {"group": choice_parser(ProductGroup.choices)}
    parsed = []
    for number, raw in rows:
        values, problems = parse_row(title, number, raw, columns, PARSERS | extra)
        result.problems += problems
        if not problems:
            parsed.append((number, values))
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
        producer = producers.get(values["producer"])
        if producer is None:
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["producer"],
                    _("không có cơ sở nào mã số '%(value)s'") % {"value": values["producer"]},
                )
            )
            continue
        round_ = rounds.get((values["round_year"], fold(values["round"])))
        if round_ is None:
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["round"],
                    _("không có đợt bình chọn '%(title)s' năm %(year)s")
                    % {"title": values["round"], "year": values["round_year"]},
                )
            )
            continue
        if not _own(user, producer.province):
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["producer"],
                    _("cơ sở “%(producer)s” ở %(province)s, không thuộc tỉnh của bạn")
                    % {"producer": producer.name, "province": producer.province.name},
                )
            )
            continue
        key = (round_.pk, producer.pk, fold(values["name"]))
        if key in seen:
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["name"],
                    _("trùng với dòng %(row)s (cùng sản phẩm, cơ sở, đợt)") % {"row": seen[key]},
                )
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
            result.problems.append(
                Problem(
                    title,
                    number,
                    header["name"],
                    _("sản phẩm đã có kết quả bình chọn, không sửa đăng ký được"),
                )
            )
            continue
        else:
            action = "update"
        label = f"{values['name']} ({producer.name}, {round_.title})"
        result.rows.append(Planned(number, label, action, values, product))


def _write_product(user, planned: Planned) -> None:
    values = planned.values
    if planned.existing is not None:
        product_services.product_update(
            product=planned.existing,
            by=user,
            name=planned.existing.name,
            group=values["group"],
            is_set=values["is_set"],
            description=values["description"],
        )
        return
    product_services.product_register(
        by=user,
        selection_round=values["round_obj"],
        producer=values["producer_obj"],
        name=values["name"],
        group=values["group"],
        is_set=values["is_set"],
        description=values["description"],
    )


# --- The service ------------------------------------------------------------------------------


def check_file(*, kind: str, content: bytes, user: User) -> Result:
    """Read and check every row; writes nothing."""
    _may_import(user)
    result = Result(kind=kind)
    try:
        book = open_workbook(content, MAX_BYTES)
    except ImportRefused as refused:
        result.problems = refused.problems
        return result
    title, rows, problems = read_rows(book, columns_for(kind), MAX_ROWS)
    result.problems += problems
    if not rows and not problems:
        result.problems.append(file_problem(_("Tệp không có dòng dữ liệu nào.")))
    if result.problems and not rows:
        return result
    (_check_clusters if kind == CLUSTERS else _check_products)(user, title, rows, result)
    result.problems.sort(key=lambda p: p.row or 0)
    return result


@transaction.atomic
def import_file(*, kind: str, content: bytes, user: User, dry_run: bool = False) -> Result:
    """Check the file and, when every row is right, write them all in this one transaction. A
    refusal by a service (a rule the checks above do not repeat) undoes every row."""
    result = check_file(kind=kind, content=content, user=user)
    if not result.ok or dry_run:
        return result
    write = _write_cluster if kind == CLUSTERS else _write_product
    title = sheet_title(kind)
    for planned in result.rows:
        if planned.action == "same":
            continue
        try:
            write(user, planned)
        except ValidationError as error:
            result.problems.append(Problem(title, planned.row, "", " ".join(error.messages)))
    if result.problems:
        transaction.set_rollback(True)
    return result
