"""page / page_size of the API's lists: numbered pages, count, and links to the next and the
previous page."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _positive(value: str | None, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 1 else None


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, request) -> "Page":
        errors = {}
        number = _positive(request.GET.get("page"), 1)
        if number is None:
            errors["page"] = [_("Số trang là số nguyên từ 1 trở lên.")]
        size = _positive(request.GET.get("page_size"), DEFAULT_PAGE_SIZE)
        if size is None or size > MAX_PAGE_SIZE:
            errors["page_size"] = [
                _("Số dòng mỗi trang là số nguyên từ 1 đến %(max)s.") % {"max": MAX_PAGE_SIZE}
            ]
        return cls(number or 1, min(size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), errors)

    def exists(self, count: int) -> bool:
        """Page 1 always exists (an empty list is an answer); later pages only if they have rows."""
        return self.number == 1 or (self.number - 1) * self.size < count

    def slice(self, rows):
        start = (self.number - 1) * self.size
        return rows[start : start + self.size]

    def _url(self, request, number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    def links(self, request, count: int) -> dict:
        last = max(1, -(-count // self.size))
        return {
            "count": count,
            "page": self.number,
            "page_size": self.size,
            "pages": last,
            "next": self._url(request, self.number + 1) if self.number < last else None,
            "previous": self._url(request, self.number - 1) if self.number > 1 else None,
        }
