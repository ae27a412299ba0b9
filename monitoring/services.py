"""The weekly early warning: from KC_WARNING_FROM_MONTH (October) on, every Monday, the ministry
staff get the national programme's schemes most at risk of leaving money undisbursed at 31/12,
and each province's users their own (as projects.permissions shows them). One inbox row per
recipient and ISO week (notifications' unique reminder key), e-mailed once: a run repeated in the
same week sends nothing twice."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.money import format_billions, format_rate, format_vnd
from monitoring.forecast import Forecast, SchemeForecast, year_end_forecast
from monitoring.scope import Scope
from notifications.models import Notification
from notifications.services import email_pending
from projects.models import Fund
from projects.permissions import schemes_visible_to

# Schemes listed in one e-mail.
LIST_LENGTH = 20


def warning_key(today: datetime.date) -> str:
    year, week, _day = today.isocalendar()
    return f"at-risk:{year}-W{week:02d}"


def reason_text(code: str, amount) -> str:
    texts = {
        "unsigned": _("chưa ký hợp đồng %(amount)s"),
        "behind": _("chậm %(amount)s so với tiến độ"),
        "after_year": _("%(amount)s theo kế hoạch chi sau 31/12"),
        "stopped": _("ngừng triển khai, còn %(amount)s"),
        "closed": _("%(amount)s không còn được ký hợp đồng"),
    }
    # Below 0,01 tỷ the billions would read "0,00 tỷ đồng": the amount in đồng says more.
    shown = format_billions(amount) if amount >= 10_000_000 else format_vnd(amount)
    return texts[code] % {"amount": shown}


def _line(scheme: SchemeForecast) -> str:
    reasons = "; ".join(reason_text(code, amount) for code, amount in scheme.reasons)
    return _("- %(code)s (%(province)s): dự kiến còn %(left)s chưa giải ngân – %(reasons)s") % {
        "code": scheme.code,
        "province": scheme.province,
        "left": format_billions(scheme.left),
        "reasons": reasons,
    }


def _body(forecast: Forecast, risky: list[SchemeForecast], page: str) -> str:
    head = _(
        "Dự báo giải ngân đến 31/12/%(year)s: %(expected)s / %(budget)s (%(rate)s); "
        "đã giải ngân đến %(day)s: %(rate_now)s."
    ) % {
        "year": forecast.year,
        "expected": format_billions(forecast.total.expected_amount),
        "budget": format_billions(forecast.total.budget),
        "rate": format_rate(forecast.total.expected_rate),
        "day": forecast.on.strftime("%d/%m/%Y"),
        "rate_now": format_rate(forecast.total.disbursed_rate),
    }
    lines = "\n".join(_line(scheme) for scheme in risky)
    return f"{head}\n\n{lines}\n\n{_('Xem chi tiết: %(url)s') % {'url': page}}"


def _send(users, key: str, subject: str, body: str) -> int:
    created = 0
    for user in users:
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, reminder_key=key, subject=subject, body=body
                )
        except IntegrityError:  # sent earlier this week
            continue
        created += 1
    return created


def at_risk_warning_send(*, today: datetime.date) -> int:
    """Write this week's warnings (once per recipient and ISO week) and e-mail them; returns how
    many inbox rows are new. Nothing before KC_WARNING_FROM_MONTH, nor for a recipient with no
    scheme at risk."""
    if today.month < settings.KC_WARNING_FROM_MONTH:
        return 0
    key = warning_key(today)
    subject = _("Cảnh báo giải ngân tuần %(week)s: đề án có nguy cơ không giải ngân hết") % {
        "week": key.split(":")[1]
    }
    page = f"{reverse('dashboard:forecast')}?year={today.year}"
    created = 0
    ministry = User.objects.filter(is_active=True, role=Role.MINISTRY)
    if ministry.exists():
        national = year_end_forecast(Scope(year=today.year, on=today, fund=Fund.NATIONAL))
        risky = national.at_risk(LIST_LENGTH)
        if risky:
            created += _send(ministry, key, subject, _body(national, risky, page))
    province_users = User.objects.filter(is_active=True, role=Role.PROVINCE).order_by("pk")
    by_unit: dict[int, list[User]] = {}
    for user in province_users:
        by_unit.setdefault(user.province_id, []).append(user)
    for users in by_unit.values():
        own = year_end_forecast(Scope(year=today.year, on=today), schemes_visible_to(users[0]))
        risky = own.at_risk(LIST_LENGTH)
        if risky:
            created += _send(users, key, subject, _body(own, risky, page))
    email_pending()
    return created
