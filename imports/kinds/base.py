"""What each kind of import declares; the reading, the all-or-nothing transaction, the record of
the import and its undo are the framework's (imports.services), the same for every kind."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from accounts.models import User
from core.sheets import Column, Planned, Result


@contextmanager
def history_by(user: User) -> Iterator[None]:
    """Name `user` in the history rows that bulk deletes write (QuerySet.delete() sends each
    row's signal with a fresh instance, which carries no `_history_user`)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


class RowRefused(Exception):
    """A service refused to write a planned row: the whole import is refused, on that row."""

    def __init__(self, row: int, error: ValidationError, column: str = ""):
        super().__init__(" ".join(error.messages))
        self.row, self.column, self.messages = row, column, error.messages


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
        undone; raise ValidationError saying why if something now depends on it. For an update,
        `restore` is called instead when the kind keeps a `snapshot`."""
        raise NotImplementedError

    # --- Optional: the framework's defaults below fit most kinds. ---------------------------

    def write_all(self, user: User, planned: list[Planned], note: str) -> list[models.Model]:
        """Write every planned row that changes something (create or update; never "same"),
        in the file's order, and return the records written, one per row. `note` names the
        import ("Nhập từ tệp … (lần nhập số …)") for the histories that take a reason. The
        default writes row by row; a kind may write in bulk."""
        records = []
        for row in planned:
            try:
                records.append(self.write(user, row))
            except ValidationError as error:
                raise RowRefused(row.row, error) from error
        return records

    def snapshot(self, record: models.Model) -> dict:
        """The values an update may change, JSON-ready, taken before the update and kept to
        undo it (`restore`). Empty: the kind's `undo` handles updates itself."""
        return {}

    def restore(self, user: User, record: models.Model, previous: dict, note: str) -> None:
        """Put back the values of `snapshot` (called instead of `undo` for an update with a
        snapshot); raise ValidationError saying why if it cannot."""
        raise NotImplementedError

    def undo_all(
        self, user: User, records: list[tuple[models.Model, str, dict]], note: str
    ) -> None:
        """Undo a whole import: (record, action, snapshot) in the order written. The default
        undoes the last written first, through `restore` or `undo`."""
        for record, action, previous in reversed(records):
            if action == "update" and previous:
                self.restore(user, record, previous, note)
            else:
                self.undo(user, record, action)
