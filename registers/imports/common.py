"""What every register import shares: the declaration each kind makes, who may import at all,
whose province a row belongs to, and the row reading that comes before a kind's own checks."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from accounts.models import User
from core.sheets import Column, Planned, Result, parse_row
from provinces.models import Province
from registers.permissions import is_agency, is_province_user


class RegisterImport:
    """One register a spreadsheet brings in. The same shape as the imports app's ImportKind
    (title, columns, notes, parsers, may_import, check, write), so that a register can be
    declared there too; `check` does its lookups once for the whole file."""

    name: str = ""

    def title(self) -> str:
        """The data sheet's title in the template (Vietnamese)."""
        raise NotImplementedError

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def notes(self) -> tuple[str, ...]:
        """Lines for the template's guide sheet, after the general ones."""
        return ()

    def parsers(self) -> dict[str, Callable]:
        """Cell parsers by column key (core.sheets.parse_*); plain text where none is given."""
        return {}

    def may_import(self, user: User) -> None:
        may_import(user)

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        """Add to `result` one Planned per valid row (create / update / same) or the problems.
        Writes nothing."""
        raise NotImplementedError

    def write(self, user: User, planned: Planned) -> models.Model:
        """Write one planned row through the registers services; a ValidationError they raise
        is reported on the row and undoes the whole file."""
        raise NotImplementedError


def may_import(user: User) -> None:
    if not (is_agency(user) or is_province_user(user)):
        raise PermissionDenied(_("Chỉ cán bộ tỉnh và Cục nhập dữ liệu vào sổ này."))


def owns(user: User, province: Province | None) -> bool:
    """Whether a row of `province` (old map or new) is the user's to import: the agency's
    always, a province user's when the province is, or merged into, its own unit (a row of no
    province is the agency's)."""
    if is_agency(user):
        return True
    return province is not None and province.successor_id == user.province_id


def parse_rows(
    kind: RegisterImport, title: str, rows: list[tuple[int, dict]], result: Result, extra: dict
) -> list[tuple[int, dict]]:
    """The rows whose every cell reads, parsed by the kind's parsers and `extra` (parsers that
    need the lookups of this file); the cells that do not read go to `result.problems`."""
    columns, parsers = kind.columns(), kind.parsers() | extra
    read = []
    for number, raw in rows:
        values, problems = parse_row(title, number, raw, columns, parsers)
        result.problems += problems
        if not problems:
            read.append((number, values))
    return read


def keep_unset(values: dict, fields: tuple[str, ...], record: models.Model | None, model) -> None:
    """A column the file leaves out keeps what the register holds (or the field's default for a
    new record)."""
    for name in fields:
        if name not in values:
            default = model._meta.get_field(name).get_default()
            values[name] = getattr(record, name) if record is not None else default


def action(record: models.Model | None, values: dict, fields: tuple[str, ...]) -> str:
    if record is None:
        return "create"
    if all(getattr(record, name) == values[name] for name in fields):
        return "same"
    return "update"
