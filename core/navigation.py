"""The site's main menu: which sections a user sees, asked of each app's own permission rule
(so the menu never offers a page that would refuse the user), and which one the page is in."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    label: str
    url: str
    current: bool


def _ledger(user) -> bool:
    from budgets.permissions import ledger_scope

    return not ledger_scope(user).nothing


def _portal(user) -> bool:
    from submissions.permissions import uses_portal

    return uses_portal(user)


def _reports(user) -> bool:
    from reports.permissions import may_request_reports

    return may_request_reports(user)


def _imports(user) -> bool:
    from imports.permissions import import_scope

    return not import_scope(user).nothing


def _everyone(user) -> bool:
    return True


def _staff(user) -> bool:
    return user.is_staff


# (label, URL name, who sees it, the URL names and namespaces that count as inside it)
MENU = (
    (_("Tổng quan"), "dashboard:overview", _everyone, ("dashboard:overview", "dashboard:province")),
    (_("Đề án"), "projects:scheme-list", _everyone, ("projects",)),
    (_("Giám sát"), "dashboard:forecast", _everyone, ("dashboard:forecast", "dashboard:consis")),
    (_("Hồ sơ đề án"), "submissions:scheme-list", _portal, ("submissions",)),
    (_("Sổ giải ngân"), "budgets:contract-list", _ledger, ("budgets",)),
    (_("Sổ theo dõi"), "registers:product-list", _everyone, ("registers",)),
    (_("Báo cáo"), "reports:issue-list", _reports, ("reports",)),
    (_("Nhập dữ liệu"), "imports:home", _imports, ("imports",)),
    (_("Hộp thư"), "notifications:inbox", _everyone, ("notifications",)),
    (_("Quản trị"), "admin:index", _staff, ("admin",)),
)


def sections(request) -> list[Section]:
    user = request.user
    if not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    here = f"{match.namespace}:{match.url_name}" if match else ""
    return [
        Section(str(label), reverse(name), any(here.startswith(prefix) for prefix in inside))
        for label, name, sees, inside in MENU
        if sees(user)
    ]


def menu(request):
    """Context processor: `menu`, evaluated only by a template that shows it (no query)."""
    return {"menu": SimpleLazyObject(lambda: sections(request))}
