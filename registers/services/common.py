import datetime

from django.db import models

from accounts.models import User


def save_as(obj: models.Model, by: User | None, update_fields: list[str] | None = None) -> None:
    """Validate the row (fields and constraints) and save it, recording who for its history."""
    obj.full_clean()
    obj._history_user = by
    if update_fields is not None and any(f.name == "updated_at" for f in obj._meta.fields):
        update_fields = [*update_fields, "updated_at"]
    obj.save(update_fields=update_fields)


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")
