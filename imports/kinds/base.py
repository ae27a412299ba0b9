"""What each kind of import declares; the reading, the all-or-nothing transaction, the record of
the import and its undo are the framework's (imports.services), the same for every kind."""

from collections.abc import Callable

from django.db import models

from accounts.models import User
from core.sheets import Column, Planned, Result


class ImportKind:
    """One kind of record a spreadsheet brings in. Subclasses set `name` and implement the
    methods; `check` must do its lookups once for the whole file (a fixed number of queries)."""

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
        """Raise PermissionDenied, with a Vietnamese reason, if `user` may not import this kind."""
        raise NotImplementedError

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        """Parse and check every row (raw values by column key, with its sheet row number), and
        add to `result` one Planned per valid row (action create / update / same) or the
        problems. Writes nothing."""
        raise NotImplementedError

    def write(self, user: User, planned: Planned) -> models.Model:
        """Write one planned row through the domain's services and return the record written.
        A ValidationError from a service is reported on the row and undoes the whole file."""
        raise NotImplementedError

    def undo(self, user: User, record: models.Model, action: str) -> None:
        """Undo what `write` did to `record` (action create or update) when the whole import is
        undone; raise ValidationError saying why if something now depends on it."""
        raise NotImplementedError
