"""Import of the registers provinces and the agency keep in spreadsheets (industrial clusters,
candidates of a selection round, fairs and conferences) from an XLSX file. Every row is read and
checked first, with the lookups done once for the whole file, so that a preview costs the same few
queries however long the file is; rows are written only when none is wrong, through the registers
services, in one transaction. Importing the same file again changes nothing: rows are matched on
their natural keys.

Each kind is a module of this package declaring a RegisterImport (columns, checks, writing); this
module is the table of kinds and the two doors every caller uses, check_file and import_file."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import sheets
from core.sheets import Column, ImportRefused, Problem, Result
from registers.imports.clusters import ClusterImport, cluster_columns
from registers.imports.common import RegisterImport
from registers.imports.events import EventImport, event_columns
from registers.imports.products import ProductImport, product_columns

MAX_BYTES = sheets.MAX_BYTES
MAX_ROWS = sheets.MAX_ROWS
CLUSTERS, PRODUCTS, EVENTS = ClusterImport.name, ProductImport.name, EventImport.name
REGISTRY: dict[str, RegisterImport] = {
    kind.name: kind for kind in (ClusterImport(), ProductImport(), EventImport())
}
KINDS = tuple(REGISTRY)

__all__ = [
    "CLUSTERS",
    "EVENTS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "PRODUCTS",
    "REGISTRY",
    "check_file",
    "cluster_columns",
    "columns_for",
    "event_columns",
    "import_file",
    "kind_for",
    "product_columns",
    "sheet_title",
    "template_workbook",
]


def kind_for(kind: str) -> RegisterImport:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise ValueError(f"No register import named {kind!r}; the kinds are {KINDS}.") from None


def columns_for(kind: str) -> list[Column]:
    return kind_for(kind).columns()


def sheet_title(kind: str) -> str:
    return kind_for(kind).title()


def template_workbook(kind: str) -> bytes:
    declared = kind_for(kind)
    return sheets.template_workbook(declared.title(), declared.columns(), declared.notes())


def check_file(*, kind: str, content: bytes, user: User) -> Result:
    """Read and check every row; writes nothing."""
    declared = kind_for(kind)
    declared.may_import(user)
    result = Result(kind=kind)
    try:
        book = sheets.open_workbook(content, MAX_BYTES)
    except ImportRefused as refused:
        result.problems = refused.problems
        return result
    title, rows, problems = sheets.read_rows(book, declared.columns(), MAX_ROWS)
    result.problems += problems
    if not rows and not problems:
        result.problems.append(sheets.file_problem(_("Tệp không có dòng dữ liệu nào.")))
    if result.problems and not rows:
        return result
    declared.check(user, title, rows, result)
    result.problems.sort(key=lambda p: p.row or 0)
    return result


@transaction.atomic
def import_file(*, kind: str, content: bytes, user: User, dry_run: bool = False) -> Result:
    """Check the file and, when every row is right, write them all in this one transaction. A
    refusal by a service (a rule the checks do not repeat) undoes every row."""
    result = check_file(kind=kind, content=content, user=user)
    if not result.ok or dry_run:
        return result
    declared = kind_for(kind)
    title = declared.title()
    for planned in result.rows:
        if planned.action == "same":
            continue
        try:
            declared.write(user, planned)
        except ValidationError as error:
            result.problems.append(Problem(title, planned.row, "", " ".join(error.messages)))
    if result.problems:
        transaction.set_rollback(True)
    return result
