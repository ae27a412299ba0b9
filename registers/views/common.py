"""What every register view shares: a filtered, sorted, paginated table; the refusal of a
service shown on its form; the 403 for roles that never edit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from accounts.models import User
from core.exports import FORMATS, export_response, file_response
from provinces.models import ProvinceMap, Region
from registers.permissions import may_edit_registers

PER_PAGE = 50


def table_context(request, filterset, table_class, *, section: str, export: str) -> dict:
    """The filter form, the table of the filtered rows on the map chosen, and the query string
    the export repeats."""
    rows = filterset.qs
    map_version = filterset.map_version
    table = table_class(rows, province_map=map_version)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "table": table,
        "map_version": map_version,
        "map_label": ProvinceMap(map_version).label,
        "regions": Region.objects.all(),
        "query": query.urlencode(),
        "section": section,
        "export_xlsx": reverse(export, args=["xlsx"]),
        "export_csv": reverse(export, args=["csv"]),
    }


def export(request, file_format: str, source, *, table: str | None) -> HttpResponse:
    """A list's export: its rows for this user and query string, at once when small; larger
    ones are built in the background under `table` (None: always at once)."""
    if file_format not in FORMATS:
        raise Http404
    rows = source(request.user, request.GET)
    authenticated = request.user.is_authenticated
    rows.by = user_name(request.user) if authenticated else _("trang công khai")
    rows.generated = timezone.localtime()
    if table is None:
        return file_response(rows, file_format)
    return export_response(rows, file_format, table=table, params=request.GET)


def require_editor(user: User) -> None:
    if not may_edit_registers(user):
        raise PermissionDenied(_("Chỉ cán bộ tỉnh và Cục cập nhật sổ này."))


def apply_refusal(error: ValidationError, form) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def user_name(user: User) -> str:
    return user.get_full_name() or user.username
