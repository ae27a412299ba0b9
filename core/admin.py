"""Admin pieces shared by every app: search that ignores Vietnamese diacritics, money written
the Vietnamese way, read-only inlines, and the one way the admin writes money (the services of
budgets/services.py)."""

from collections.abc import Callable
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from core.money import format_vnd
from core.text import fold

FOLDED_COLUMN = "search_text"
EMPTY = "—"

_PREFIX_LOOKUPS = {"^": "istartswith", "=": "iexact", "@": "search"}


def search_terms(search_term: str) -> list[str]:
    """The words of a search as Django's admin splits them: a quoted phrase is one word."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit.strip():
            terms.append(bit)
    return terms


def _is_folded(search_field: str) -> bool:
    return search_field.split("__")[-1] == FOLDED_COLUMN


def _plain_lookup(search_field: str) -> str:
    lookup = _PREFIX_LOOKUPS.get(search_field[:1])
    if lookup:
        return f"{search_field[1:]}__{lookup}"
    return f"{search_field}__icontains"


class FoldedSearchAdminMixin:
    """Search that ignores Vietnamese diacritics and case.

    A search field naming a `search_text` column (the folded text kept by
    core.models.FoldedSearchModel), on the model itself ("search_text") or across a relation
    ("province__search_text"), is matched against the folded search term: "Thai Nguyen",
    "thái nguyên" and "THAI NGUYEN" all find "Tỉnh Thái Nguyên". The other search fields are
    matched as Django does (icontains, or the ^ = @ prefixes). Every word of the term must match
    at least one field; a quoted phrase counts as one word. An admin without any `search_text`
    field searches exactly as Django's does.

    The autocomplete widgets call get_search_results too, so they also ignore diacritics."""

    def get_search_results(self, request, queryset, search_term):
        search_fields = [str(field) for field in self.get_search_fields(request)]
        folded = [field for field in search_fields if _is_folded(field)]
        if not folded:
            return super().get_search_results(request, queryset, search_term)
        plain = [field for field in search_fields if not _is_folded(field)]
        terms = search_terms(search_term)
        for term in terms:
            word = fold(term)
            match = Q()
            for field in folded:
                match |= Q(**{f"{field}__icontains": word})
            for field in plain:
                match |= Q(**{_plain_lookup(field): term})
            queryset = queryset.filter(match)
        may_have_duplicates = bool(terms) and any(
            lookup_spawns_duplicates(self.opts, field.lstrip("^=@")) for field in search_fields
        )
        return queryset, may_have_duplicates

    @property
    def search_help_text(self):
        if any(_is_folded(str(field)) for field in self.search_fields):
            return _("Tìm không phân biệt dấu, hoa thường: “thai nguyen” tìm được “Thái Nguyên”.")
        return None


def money_column(attr: str, description, ordering: str | None = None) -> Callable:
    """An admin column (list or read-only field) writing the amount `attr` of the row in đồng
    the Vietnamese way: 135250000000 → "135.250.000.000 đồng". `attr` may be a field or an
    annotation made in get_queryset; the column sorts on it unless told otherwise."""

    @admin.display(description=description, ordering=ordering or attr)
    def column(self, obj) -> str:
        value: Decimal | None = getattr(obj, attr, None)
        return EMPTY if value is None else format_vnd(value)

    column.__name__ = f"{attr}_vnd"
    return column


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows to look at, never to add, change or delete here: derived tables and records that
    only their services write."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows related rows and links to them, but adds, changes and deletes
    nothing: each of those goes through the related model's own admin page (and its service)."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceRefused(Exception):
    """Carries a service's ValidationError out of the admin's transaction, so that the
    transaction is rolled back, to the view that shows it on the form."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


_REFUSAL_ATTR = "kc_service_refusal"


class _ShowsServiceRefusal:
    """Form mixin: reports the refusal of a service as errors of this form."""

    service_refusal: ValidationError

    def clean(self):
        cleaned_data = super().clean()
        refusal = self.service_refusal
        if hasattr(refusal, "error_dict"):
            for field, errors in refusal.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, refusal)
        return cleaned_data


class AddChangeFieldsAdminMixin:
    """A form with `add_fields` on the add page, and `change_fields` on the change page where
    only those in `change_editable` can be changed (the others, and any admin method named
    there, are shown read-only)."""

    add_fields: tuple[str, ...] = ()
    change_fields: tuple[str, ...] = ()
    change_editable: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        return list(self.change_fields if obj is not None else self.add_fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return tuple(field for field in self.change_fields if field not in self.change_editable)

    def get_inlines(self, request, obj):
        # Inlines list what was written under an existing row; a new row has none.
        return self.inlines if obj is not None else []


class ServiceWriteAdminMixin(AddChangeFieldsAdminMixin):
    """Admin for a model whose money may be written only by a service of budgets/services.py.

    Subclasses implement `write_through_service()`: it calls the service that matches the
    change (plan_batch_add, allocation_set, contract_sign, disbursement_record) and returns the
    object saved, or returns None when the change holds no money, and then only the fields
    named in `change_editable` that the user changed are saved (`update_fields`). Money fields
    are therefore read-only on the change page unless a service writes them.

    How a refusal of the service reaches the user. The service runs once, for real, in
    save_model(), inside the transaction that ModelAdmin.changeform_view opens around a POST;
    it locks its rows, checks the chain disbursed ≤ contracted ≤ approved ≤ envelope under
    the lock, and raises a ValidationError with a Vietnamese message if the write would break
    it. save_model turns that error into ServiceRefused, which leaves the transaction (rolling
    back everything written in this request) and is caught by changeform_view, which renders
    the same POST again with a form whose clean() reports the service's message: the user sees
    the form as filled in, with the message at its top, and nothing is saved. Rejected designs:
      * running the service in the form's clean() writes during validation, and what it wrote
        would be committed even when something validated later (an inline) fails;
      * a dry run of the service in clean() (in a savepoint rolled back) and the real run in
        save_model doubles the work, and another user's payment between the two runs makes
        the real run refuse anyway, with nowhere to show the message but a 500 page.

    Rows written through these admins are never deleted (a mistaken entry is corrected by a
    counter-entry, or for an allocation by setting its amount again), and reverting to an old
    version from the history page, which would write old amounts around the services, is
    refused."""

    def write_through_service(self, request, obj, form, change: bool) -> models.Model | None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        try:
            saved = self.write_through_service(request, obj, form, change)
        except ValidationError as error:
            raise ServiceRefused(error) from error
        if saved is not None:
            _adopt(obj, saved)
            return
        # Only the model's own fields: a form may also ask for what the service alone records
        # (an adjustment's decision number), which has no column here.
        columns = {field.name for field in obj._meta.concrete_fields}
        fields = [
            field
            for field in form.changed_data
            if field in self.change_editable and field in columns
        ]
        if not fields:
            return
        if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
            fields.append("updated_at")
        obj._history_user = request.user
        obj.save(update_fields=fields)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            setattr(request, _REFUSAL_ATTR, refused.error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, _REFUSAL_ATTR, None)
        if refusal is None:
            return form_class
        return type(
            form_class.__name__, (_ShowsServiceRefusal, form_class), {"service_refusal": refusal}
        )

    # What is never done here.

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(_("Không khôi phục phiên bản cũ của số liệu tiền."))
        return super().history_form_view(request, object_id, version_id, extra_context)


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved `obj` the row the service saved, so that the log entry and the
    redirect that follow point at it."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def year_column(attr: str, description) -> Callable:
    """An admin column for a year or a code held as a number, written without grouping:
    the thousand separator that makes 140.000.000.000 readable makes 2019 read "2.019"."""

    @admin.display(description=description, ordering=attr.replace(".", "__"))
    def column(self, obj) -> str:
        value = obj
        for part in attr.split("."):
            value = getattr(value, part)
        return EMPTY if value is None else str(value)

    column.__name__ = f"{attr.replace('.', '_')}_plain"
    return column
