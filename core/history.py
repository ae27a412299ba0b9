"""History rows (django-simple-history) written by the database when thousands of rows change
at once (an import, its undo): one INSERT … SELECT per chunk of rows copies their tracked
columns into the history table, where the library would build one history object per row in
Python (bulk_history_create) or save one per row from the delete signal (10.000 rows: minutes).
Every row still gets its own history row, with who, when and why."""

import contextvars
import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import connection, models, transaction
from django.db.models import Value
from django.utils import timezone
from simple_history import models as simple_history

from core.db import CHUNK, insert_select

if TYPE_CHECKING:  # core comes before accounts
    from accounts.models import User

# Per model, the primary keys of the rows whose deletion `delete_with_history` has recorded.
_RECORDED: contextvars.ContextVar[dict[type, frozenset] | None] = contextvars.ContextVar(
    "history_recorded", default=None
)


class HistoricalRecords(simple_history.HistoricalRecords):
    """The library's history, except that a row deleted by `delete_with_history` gets no
    second history row from the delete signal (its row was written before the delete)."""

    def post_delete(self, instance, using=None, **kwargs):
        recorded = _RECORDED.get()
        if recorded and instance.pk in recorded.get(instance._meta.concrete_model, ()):
            return
        super().post_delete(instance, using=using, **kwargs)


def history_insert(
    model: type[models.Model],
    ids: Sequence[int],
    *,
    history_type: str,
    user: "User | None",
    reason: str,
    date: datetime.datetime | None = None,
) -> None:
    """One history row per row of `model` in `ids` (history_type "+", "~" or "-"), with the
    row's current values, by `user`, for `reason` (cut to the history's column), at `date`
    (now). The rows must exist: call it after creating or changing them, before deleting."""
    history = model.history.model
    reason_field = history._meta.get_field("history_change_reason")
    reason = (reason or "")[: reason_field.max_length] or None
    names = [field.attname for field in history.tracked_fields]
    extra = {
        "history_date": Value(date or timezone.now(), models.DateTimeField()),
        "history_type": Value(history_type, models.CharField()),
        "history_user": Value(user.pk if user is not None else None, models.BigIntegerField()),
        "history_change_reason": Value(reason, models.CharField()),
    }
    columns = [field.name for field in history.tracked_fields] + list(extra)
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        select = (
            model._base_manager.filter(pk__in=ids[start : start + CHUNK])
            .order_by("pk")
            .annotate(**{f"h_{name}": value for name, value in extra.items()})
            .values_list(*names, *(f"h_{name}" for name in extra))
        )
        insert_select(history, columns, select)


@contextmanager
def _recorded(model: type[models.Model], ids: Sequence[int]) -> Iterator[None]:
    model = model._meta.concrete_model
    recorded = _RECORDED.get() or {}
    token = _RECORDED.set({**recorded, model: recorded.get(model, frozenset()) | set(ids)})
    try:
        yield
    finally:
        _RECORDED.reset(token)


def delete_with_history(queryset: models.QuerySet, *, user: "User | None", reason: str) -> None:
    """queryset.delete(), in a transaction, with the history rows of the deleted rows written
    first in bulk (`history_insert`) instead of one by one by the delete signal. Rows of other
    models the delete cascades to keep their own signals. Raises what delete() raises
    (ProtectedError, RestrictedError), having written nothing."""
    model = queryset.model
    with transaction.atomic():
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        history_insert(model, ids, history_type="-", user=user, reason=reason)
        # Deleted by primary key, so that a row added meanwhile is not deleted without its
        # history; in as few statements as the database's limit of parameters allows.
        size = connection.features.max_query_params or len(ids) or 1
        with _recorded(model, ids):
            for start in range(0, len(ids), size):
                model._base_manager.filter(pk__in=ids[start : start + size]).delete()
