"""Import of the two registers provinces keep in spreadsheets (industrial clusters, candidates of a
selection round) from an XLSX file. Every row is read and checked first, with the lookups done
once for the whole file, so that a preview costs the same few queries however long the file is;
rows are written only when none is wrong, through the registers services, in one transaction.
Importing the same file again changes nothing: rows are matched on their natural keys."""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from accounts.models import User
from core.forms import VNDateField, VNDField
from core.text import fold, fold_province_name
from establishments.models import Establishment
from provinces.models import Province, ProvinceMap
from registers.models import IndustrialCluster, ProductGroup, SelectionRound, TypicalProduct
from registers.permissions import is_agency, is_province_user
from registers.services import clusters as cluster_services
from registers.services import products as product_services

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
CLUSTERS, PRODUCTS = "clusters", "products"
KINDS = (CLUSTERS, PRODUCTS)


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Dòng %(row)s, cột '%(column)s': %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Planned:
    """One valid row: what will be written and whether it creates, changes or leaves a row."""

    row: int
    label: str
    action: str  # create, update, same
    values: dict
    existing: object = None


@dataclass
class Result:
    kind: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[Planned] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# --- Reading cells ----------------------------------------------------------------------------


class CellError(Exception):
    pass


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_money(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": value})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("'%(value)s' không phải số tiền hợp lệ") % {"value": value})
        value = int(value)
    if isinstance(value, int) and value < 0:
        raise CellError(_("'%(value)s' là số âm") % {"value": value})
    try:
        amount = VNDField(required=False).clean(value if isinstance(value, int) else text(value))
    except forms.ValidationError as error:
        raise CellError(error.messages[0]) from error
    return amount if amount is not None else Decimal(0)


def parse_decimal(value, places: int = 2) -> Decimal:
    """Hectares as officials type them: "12,5", "12.5", "1.250,75", "1 250,75"."""
    if value is None or text(value) == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": value})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raw = text(value)
        cleaned = raw.replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d+(,\d+)?", cleaned):
            cleaned = cleaned.replace(",", ".")
        elif not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": raw})
        try:
            number = Decimal(cleaned)
        except InvalidOperation as error:
            raise CellError(_("'%(value)s' không phải số hợp lệ") % {"value": raw}) from error
    if number < 0:
        raise CellError(_("'%(value)s' là số âm") % {"value": text(value)})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CellError(
            _("'%(value)s' có quá %(places)s chữ số thập phân")
            % {"value": text(value), "places": places}
        )
    return number.quantize(Decimal(1).scaleb(-places))


def parse_int(value) -> int:
    number = parse_decimal(value, places=0) if not isinstance(value, str) else None
    if number is None:
        raw = text(value).replace(".", "").replace(" ", "")
        if raw == "":
            return 0
        if raw.startswith("-") and raw[1:].isdigit():
            raise CellError(_("'%(value)s' là số âm") % {"value": text(value)})
        if not raw.isdigit():
            raise CellError(_("'%(value)s' không phải số nguyên hợp lệ") % {"value": text(value)})
        return int(raw)
    return int(number)


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float):
        raise CellError(
            _("'%(value)s' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2019")
            % {"value": text(value)}
        )
    try:
        return VNDateField(required=False).clean(text(value))
    except forms.ValidationError as error:
        raise CellError(error.messages[0]) from error


def parse_yes_no(value) -> bool:
    folded = fold(text(value))
    if folded in ("", "khong", "0"):
        return False
    if folded in ("co", "1", "x"):
        return True
    raise CellError(_("'%(value)s': ghi “Có” hoặc “Không”") % {"value": text(value)})


def choice_parser(choices) -> Callable:
    by_label = {fold(str(label)): value for value, label in choices}

    def parse(value):
        raw = text(value)
        chosen = by_label.get(fold(raw))
        if chosen is None:
            raise CellError(
                _("'%(value)s' không có trong danh sách: %(choices)s")
                % {"value": raw, "choices": "; ".join(str(label) for _v, label in choices)}
            )
        return chosen

    return parse


class ProvinceIndex:
    """Every province, old map and new, by folded name: one query for the whole file. An old
    name finds its old unit; a name only on the new map finds the new unit."""

    def __init__(self):
        self.by_name: dict[str, Province] = {}
        rows = Province.objects.select_related("successor").order_by("map_version")
        for province in sorted(rows, key=lambda p: p.map_version != ProvinceMap.OLD_63):
            self.by_name.setdefault(fold_province_name(province.name), province)

    def resolve(self, value) -> Province:
        raw = text(value)
        province = self.by_name.get(fold_province_name(raw)) if raw else None
        if province is None:
            raise CellError(_("không có tỉnh, thành phố nào tên '%(value)s'") % {"value": raw})
        return province


# --- Columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    hint: str
    example: object


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


# --- The template -----------------------------------------------------------------------------


def template_workbook(kind: str) -> bytes:
    columns = columns_for(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(kind)
    sheet.append([col.header for col in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([col.example for col in columns])
    for index, col in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(14, len(col.header))
    guide = book.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for col in columns:
        guide.append([col.header, _("Có") if col.required else _("Không"), col.hint])
    guide.append([])
    for line in (
        _("Dòng 1 là tiêu đề cột, giữ nguyên. Mỗi dòng sau là một bản ghi; xóa dòng ví dụ."),
        _("Ghi giá trị, không dùng công thức (dán bằng “Paste Values”)."),
        _("Số tiền ghi số đồng: 1.250.000.000 hoặc 1 250 000 000. Diện tích: 12,5."),
        _("Ngày ghi ngày/tháng/năm: 31/12/2019, hoặc ô kiểu ngày của Excel."),
        _("Có một dòng sai thì không dòng nào được ghi; sửa hết rồi tải lên lại."),
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading the file -------------------------------------------------------------------------


def _file_problem(message: str) -> Problem:
    return Problem("", None, "", message)


def open_workbook(content: bytes):
    """The workbook, or a refusal that says why: too large, not an XLSX file, unreadable."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            [
                _file_problem(
                    _("Tệp quá lớn: tối đa %(limit)s MB.") % {"limit": MAX_BYTES // (1024 * 1024)}
                )
            ]
        )
    not_xlsx = _file_problem(_("Tệp không phải bảng tính Excel (.xlsx)."))
    if not content.startswith(b"PK\x03\x04"):
        raise ImportRefused([not_xlsx])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportRefused([not_xlsx])
        return load_workbook(io.BytesIO(content), data_only=False)
    except ImportRefused:
        raise
    except Exception as error:  # a broken archive or XML: openpyxl raises many kinds
        raise ImportRefused([not_xlsx]) from error


def read_rows(book, kind: str) -> tuple[str, list[tuple[int, dict]], list[Problem]]:
    """The data sheet's rows as {column key: raw value}, with its layout problems."""
    columns = columns_for(kind)
    guide = _("Hướng dẫn")
    sheets = [ws for ws in book.worksheets if ws.title != guide]
    if not sheets:
        return "", [], [_file_problem(_("Tệp không có trang dữ liệu."))]
    sheet = sheets[0]
    title = sheet.title
    header_cells = next(sheet.iter_rows(min_row=1, max_row=1), ())
    positions = {}
    for index, cell in enumerate(header_cells):
        header = fold(text(cell.value))
        for col in columns:
            if header == fold(col.header):
                positions[col.key] = index
    missing = [col.header for col in columns if col.required and col.key not in positions]
    if missing:
        return (
            title,
            [],
            [
                Problem(
                    title,
                    1,
                    "",
                    _("thiếu cột %(columns)s (tải mẫu để xem các cột)")
                    % {"columns": ", ".join(f"'{m}'" for m in missing)},
                )
            ],
        )
    rows, problems = [], []
    by_key = {col.key: col for col in columns}
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        raw = {}
        for key, index in positions.items():
            cell = cells[index] if index < len(cells) else None
            if cell is not None and cell.data_type == "f":
                problems.append(
                    Problem(
                        title,
                        number,
                        by_key[key].header,
                        _("ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)"),
                    )
                )
                raw[key] = None
                continue
            raw[key] = cell.value if cell is not None else None
        if all(text(v) == "" for v in raw.values()):
            continue
        rows.append((number, raw))
    if len(rows) > MAX_ROWS:
        problems.append(
            _file_problem(_("Tệp có quá %(limit)s dòng dữ liệu.") % {"limit": MAX_ROWS})
        )
    return title, rows, problems


def _parse_row(title: str, number: int, raw: dict, columns: list[Column], extra: dict):
    values, problems = {}, []
    for col in columns:
        if col.key not in raw and not col.required:
            # A column the file leaves out keeps what the register holds.
            continue
        value = raw.get(col.key)
        if col.required and text(value) == "":
            problems.append(Problem(title, number, col.header, _("không được để trống")))
            continue
        parser = extra.get(col.key) or PARSERS.get(col.key) or text
        try:
            values[col.key] = parser(value)
        except CellError as error:
            problems.append(Problem(title, number, col.header, str(error)))
    return values, problems


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
        values, problems = _parse_row(title, number, raw, columns, extra)
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
        values, problems = _parse_row(title, number, raw, columns, extra)
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
        book = open_workbook(content)
    except ImportRefused as refused:
        result.problems = refused.problems
        return result
    title, rows, problems = read_rows(book, kind)
    result.problems += problems
    if not rows and not problems:
        result.problems.append(_file_problem(_("Tệp không có dòng dữ liệu nào.")))
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
