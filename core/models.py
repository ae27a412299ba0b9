from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import fold


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class MoneyField(models.DecimalField):
    """An amount in Vietnamese đồng: whole đồng (VND has no minor unit), never negative, never a
    float. 18 digits hold a million times the national budget."""

    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("validators", [MinValueValidator(0)])
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        # Keep migrations pointing at the plain field so they never import app code.
        return name, "django.db.models.DecimalField", args, kwargs


class FoldedSearchModel(models.Model):
    """Keeps `search_text`, the lower-case, diacritic-free form of the fields named in
    SEARCH_FIELDS, so that "thai nguyen" finds "Thái Nguyên" on SQLite and PostgreSQL alike,
    with no database extension. Bulk writes must call `refresh_search_text()` themselves."""

    SEARCH_FIELDS: tuple[str, ...] = ()

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        parts = (getattr(self, field, "") or "" for field in self.SEARCH_FIELDS)
        self.search_text = fold(" ".join(str(part) for part in parts))
