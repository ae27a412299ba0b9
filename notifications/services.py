"""Who is told what: the submitter of every decision, the next actors of every step, and the
periodic reminders (TT 36/2013 deadlines). Each writes inbox rows at most once (unique keys)
and e-mails each row at most once (emailed_at), so a task that runs twice sends nothing twice."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from notifications.models import Notification
from projects import workflow
from projects.models import Scheme, SchemeStatusChange

S = Scheme.Status
SEES_EVERYTHING = (Role.MINISTRY, Role.APPROVER, Role.ADMIN)


def users_who_see(scheme: Scheme) -> QuerySet[User]:
    """Active users to whom projects.permissions shows this scheme (the same rule, per scheme)."""
    successor = scheme.province.successor_id
    return User.objects.filter(is_active=True).filter(
        Q(role__in=SEES_EVERYTHING)
        | Q(role=Role.PROVINCE, province_id=successor)
        | Q(role=Role.REGIONAL, organisation__covered_provinces=scheme.province_id)
        | Q(role=Role.REGIONAL, organisation=scheme.implementing_unit_id)
    )


def next_actors(scheme: Scheme) -> QuerySet[User]:
    roles = workflow.roles_waited_for(scheme.status)
    return users_who_see(scheme).filter(role__in=roles).distinct()


def _scheme_url(scheme: Scheme) -> str:
    return reverse("projects:scheme-detail", args=[scheme.pk])


def _create(**fields) -> Notification | None:
    try:
        with transaction.atomic():
            return Notification.objects.create(**fields)
    except IntegrityError:  # already there: this work was done by an earlier run
        return None


def status_change_notify(*, change_id: int) -> int:
    """Inbox rows (and e-mails) for one committed status change; returns how many were new."""
    change = SchemeStatusChange.objects.select_related("scheme__province", "by").get(pk=change_id)
    scheme = change.scheme
    status = Scheme.Status(change.to_status).label
    submitter_ids = set(
        SchemeStatusChange.objects.filter(scheme=scheme, to_status=S.SUBMITTED).values_list(
            "by", flat=True
        )
    )
    decision = _("Đề án %(code)s: %(status)s") % {"code": scheme.code, "status": status}
    body = _("%(title)s\n%(who)s chuyển sang “%(status)s”%(reason)s.\nXem: %(url)s") % {
        "title": scheme.title,
        "who": change.by,
        "status": status,
        "reason": f" – {change.reason}" if change.reason else "",
        "url": _scheme_url(scheme),
    }
    recipients = set(next_actors(scheme).values_list("pk", flat=True)) | submitter_ids
    recipients.discard(change.by_id)
    created = 0
    for recipient_id in sorted(recipients):
        if _create(
            recipient_id=recipient_id,
            scheme=scheme,
            status_change=change,
            subject=decision,
            body=body,
        ):
            created += 1
    email_pending()
    return created


def notify(
    *, recipient_ids: list[int], key: str, subject: str, body: str, scheme: Scheme | None = None
) -> int:
    """Inbox rows (and e-mails) for an event that is not a status change (an adjustment
    request, its decision): at most one row per recipient and `key`, so running it twice sends
    nothing twice. Returns how many rows were new."""
    created = 0
    for recipient_id in recipient_ids:
        if _create(
            recipient_id=recipient_id, scheme=scheme, reminder_key=key, subject=subject, body=body
        ):
            created += 1
    email_pending()
    return created


def email_pending() -> int:
    """E-mail every inbox row not e-mailed yet to a recipient who has an address."""
    sent = 0
    pending = Notification.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")
    for notification in pending.select_related("recipient").order_by("pk"):
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _remind(users: QuerySet[User], key: str, subject: str, schemes: list[Scheme]) -> int:
    lines = "\n".join(f"- {s.code}: {s.title}" for s in schemes)
    created = 0
    for user in users:
        if _create(recipient=user, reminder_key=key, subject=subject, body=lines):
            created += 1
    return created


def reminders_send(*, today: datetime.date) -> int:
    """The reminders due today (once per recipient and period): submissions by 20 May,
    registrations by 15 June, contracts not signed 30 days after approval, progress reports
    by the 25th of the month."""
    created = 0
    province_users = User.objects.filter(is_active=True, role=Role.PROVINCE)
    due = []
    if datetime.date(today.year, 5, 1) <= today <= datetime.date(today.year, 5, 20):
        due.append(
            (
                f"submission-due:{today.year}",
                _("Hạn gửi đề án năm %(year)s đến Sở Công Thương: 20/05")
                % {"year": today.year + 1},
                Q(plan_year=today.year + 1, status__in=(S.DRAFT, S.RETURNED)),
            )
        )
    if datetime.date(today.year, 6, 1) <= today <= datetime.date(today.year, 6, 15):
        due.append(
            (
                f"registration-due:{today.year}",
                _("Hạn đăng ký đề án với Cục: 15/06"),
                Q(plan_year=today.year + 1, status=S.BASE_APPRAISED),
            )
        )
    if 18 <= today.day <= 25:
        due.append(
            (
                f"progress-report:{today:%Y-%m}",
                _("Báo cáo tiến độ tháng %(month)s: hạn ngày 25") % {"month": f"{today:%m/%Y}"},
                Q(status__in=(S.CONTRACTED, S.IN_PROGRESS)),
            )
        )
    for key, subject, condition in due:
        schemes = Scheme.objects.filter(condition).select_related("province")
        by_unit: dict[int, list[Scheme]] = {}
        for scheme in schemes:
            by_unit.setdefault(scheme.province.successor_id, []).append(scheme)
        for unit, unit_schemes in by_unit.items():
            created += _remind(province_users.filter(province_id=unit), key, subject, unit_schemes)

    approved_before = timezone.now() - datetime.timedelta(days=30)
    late = (
        Scheme.objects.filter(status=S.APPROVED)
        .filter(
            Exists(
                SchemeStatusChange.objects.filter(
                    scheme=OuterRef("pk"), to_status=S.APPROVED, at__lte=approved_before
                )
            )
        )
        .exclude(allocations__contracts__isnull=False)
        .order_by("code")
    )
    if late.exists():
        created += _remind(
            User.objects.filter(is_active=True, role=Role.MINISTRY),
            f"contract-overdue:{today.isoformat()}",
            _("Đề án đã phê duyệt quá 30 ngày chưa ký hợp đồng"),
            list(late[:200]),
        )
    email_pending()
    return created


def waiting_for(user: User) -> QuerySet[Scheme]:
    """Schemes visible to the user that wait for a step the user's role may take."""
    from projects.permissions import schemes_visible_to

    role = Role.APPROVER if user.is_superuser else user.role
    statuses = [
        status
        for status, targets in workflow.TRANSITIONS.items()
        if any(role in t.roles for t in targets.values())
        and status not in (S.DRAFT, S.CONTRACTED, S.IN_PROGRESS, S.ACCEPTED, S.LIQUIDATED)
    ]
    return schemes_visible_to(user).filter(status__in=statuses)
