"""Monthly progress reports: when they are due, the service's refusals, the portal's form (the
owner only; 404 for another province), what the dossier, the ministry's scheme page and the admin
show, and query counts that do not grow with the reports. Dates are taken relative to today:
the scheme started four months ago and signed its contract on the 10th of that month."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from organisations.models import Organisation
from projects.models import Scheme
from submissions import services
from submissions.models import ProgressReport
from submissions.reporting import Period, due_periods, last_due_index, month_index
from submissions.selectors import progress_schedule
from tests import factories

S = Scheme.Status
D = datetime.date


def months_ago(n: int) -> Period:
    return Period.from_index(month_index(timezone.localdate()) - n)


# The rule, as pure arithmetic.


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2026, 3, 24), ["2026-01", "2026-02"]),
        (D(2026, 3, 25), ["2026-01", "2026-02"]),  # the deadline day itself: still time
        (D(2026, 3, 26), ["2026-01", "2026-02", "2026-03"]),
        (D(2027, 2, 1), [f"2026-{m:02d}" for m in range(1, 12)]),  # up to the end (November)
    ],
)
def test_months_due_from_the_month_after_signing(settings, on, expected):
    settings.KC_PROGRESS_REPORT_DAY = 25
    due = due_periods(D(2025, 12, 10), D(2026, 11, 30), on)
    assert [period.key for period in due] == expected
    assert due_periods(None, D(2026, 11, 30), on) == []


def test_periods_count_across_years(settings):
    settings.KC_PROGRESS_REPORT_DAY = 20
    assert Period.from_index(month_index(D(2025, 12, 31)) + 1) == Period(2026, 1)
    assert last_due_index(D(2026, 1, 20)) == month_index(D(2025, 12, 1))
    assert last_due_index(D(2026, 1, 21)) == month_index(D(2026, 1, 1))
    assert Period(2026, 2).due_on == D(2026, 2, 20)
    assert Period.parse("2026-02") == Period(2026, 2)
    with pytest.raises(ValueError):
        Period.parse("2026-13")


# A scheme under way.


@pytest.fixture
def under_way(db):
    start = months_ago(4)
    scheme = factories.SchemeFactory(
        plan_year=start.year,
        status=S.IN_PROGRESS,
        start_date=start.first_day,
        end_date=start.first_day + datetime.timedelta(days=360),
    )
    factories.ContractFactory(
        allocation__scheme=scheme, signed_on=start.first_day + datetime.timedelta(days=9)
    )
    return scheme


def submit(scheme, user, period, submitted_on=None, **overrides):
    data = {
        "work_done": "Đã lắp đặt 2 máy sấy chè, đào tạo 20 lao động.",
        "percent_complete": 45,
        "amount_spent": Decimal(320_000_000),
        **overrides,
    }
    return services.progress_report_submit(
        scheme=scheme,
        by=user,
        period=period,
        submitted_on=submitted_on or period.due_on,
        **data,
    )


def test_the_owner_files_a_report_with_its_deadline(under_way, thai_nguyen_user):
    period = months_ago(2)
    report = submit(under_way, thai_nguyen_user, period, period.due_on)
    assert (report.period_year, report.period_month) == (period.year, period.month)
    assert report.due_on == period.due_on
    assert report.on_time
    assert report.amount_spent == Decimal(320_000_000)
    assert report.reported_by == thai_nguyen_user
    assert report.history.get().history_user == thai_nguyen_user


def test_a_late_report_is_kept_and_shown_late(under_way, thai_nguyen_user):
    period = months_ago(3)
    report = submit(under_way, thai_nguyen_user, period, period.due_on + datetime.timedelta(1))
    assert not report.on_time


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"period": "next"}, "period", "chưa đến"),
        ({"period": "before"}, "period", "trước khi đề án bắt đầu"),
        ({"submitted_on": "tomorrow"}, "submitted_on", "ở tương lai"),
        ({"submitted_on": "before period"}, "submitted_on", "trước tháng báo cáo"),
    ],
)
def test_refusals_name_the_field(under_way, thai_nguyen_user, change, field, message):
    today = timezone.localdate()
    period = {"next": months_ago(-1), "before": months_ago(5)}.get(change.get("period"))
    period = period or months_ago(1)
    submitted_on = {
        "tomorrow": today + datetime.timedelta(days=1),
        "before period": period.first_day - datetime.timedelta(days=1),
    }.get(change.get("submitted_on"), today)
    with pytest.raises(ValidationError) as refused:
        submit(under_way, thai_nguyen_user, period, submitted_on)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ProgressReport.objects.exists()


def test_one_report_per_month(under_way, thai_nguyen_user):
    period = months_ago(1)
    submit(under_way, thai_nguyen_user, period)
    with pytest.raises(ValidationError) as refused:
        submit(under_way, thai_nguyen_user, period, percent_complete=60)
    assert "đã có báo cáo tiến độ tháng" in refused.value.message_dict["period"][0]
    assert ProgressReport.objects.get().percent_complete == 45


def test_spending_beyond_the_schemes_money_is_refused(under_way, thai_nguyen_user):
    """1 tỷ approved and 200 triệu of counterpart funding: 1,2 tỷ may be spent, not a đồng more."""
    Scheme.objects.filter(pk=under_way.pk).update(counterpart_funding=200_000_000)
    with pytest.raises(ValidationError) as refused:
        submit(under_way, thai_nguyen_user, months_ago(1), amount_spent=Decimal(1_200_000_001))
    assert (
        "vượt tổng kinh phí của đề án 1.200.000.000 đồng"
        in (refused.value.message_dict["amount_spent"][0])
    )
    report = submit(under_way, thai_nguyen_user, months_ago(1), amount_spent=Decimal(1_200_000_000))
    assert report.amount_spent == Decimal(1_200_000_000)


def test_only_a_scheme_under_way_reports(under_way, thai_nguyen_user):
    Scheme.objects.filter(pk=under_way.pk).update(status=S.ACCEPTED)
    with pytest.raises(ValidationError, match="chỉ báo cáo tiến độ khi"):
        submit(under_way, thai_nguyen_user, months_ago(1))


def test_bad_figures_are_refused_by_the_model(under_way, thai_nguyen_user):
    with pytest.raises(ValidationError) as refused:
        submit(under_way, thai_nguyen_user, months_ago(1), percent_complete=101, work_done=" ")
    assert set(refused.value.message_dict) >= {"percent_complete", "work_done"}
    assert not ProgressReport.objects.exists()


def test_only_the_unit_preparing_the_scheme_reports(under_way, ha_noi_user, ministry_user):
    for user in (ha_noi_user, ministry_user):
        with pytest.raises(PermissionDenied):
            submit(under_way, user, months_ago(1))
    ipc1 = factories.UserFactory(
        role=Role.REGIONAL, organisation=Organisation.objects.get(short_name="IPC1")
    )
    with pytest.raises(PermissionDenied):
        submit(under_way, ipc1, months_ago(1))


def test_the_schedule_lists_due_months_missing_late_and_on_time(under_way, thai_nguyen_user):
    submit(under_way, thai_nguyen_user, months_ago(3))
    submit(under_way, thai_nguyen_user, months_ago(2), months_ago(2).due_on + datetime.timedelta(3))
    scheme = Scheme.objects.with_money().get(pk=under_way.pk)
    today = timezone.localdate()
    schedule = progress_schedule(scheme, today)
    due = due_periods(months_ago(4).first_day + datetime.timedelta(9), scheme.end_date, today)
    assert [p.key for p in due][:2] == [months_ago(3).key, months_ago(2).key]
    assert schedule.due == len(due)
    assert schedule.on_time == 1
    states = {row.period: row.state for row in schedule.rows}
    assert states[months_ago(3)] == "on_time"
    assert states[months_ago(2)] == "late"
    assert states[months_ago(1)] == "missing"
    assert schedule.missing == len(due) - 2


# The form in the portal.


def form_url(scheme) -> str:
    return reverse("submissions:progress-report-add", args=[scheme.pk])


def post_data(period: Period, **overrides) -> dict:
    return {
        "period": period.key,
        "submitted_on": period.due_on.strftime("%d/%m/%Y"),
        "work_done": "Hoàn thành lắp đặt thiết bị, chạy thử.",
        "percent_complete": "60",
        "amount_spent": "450.000.000",
        **overrides,
    }


def test_the_form_files_a_report_and_shows_it(client, under_way, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    page = client.get(form_url(under_way))
    assert page.status_code == 200
    keys = [key for key, _label in page.context["form"].fields["period"].choices]
    assert keys[0] == months_ago(0).key and keys[-1] == months_ago(4).key
    response = client.post(form_url(under_way), post_data(months_ago(1)), follow=True)
    assert response.redirect_chain[-1][0] == form_url(under_way)
    report = ProgressReport.objects.get()
    assert report.amount_spent == Decimal(450_000_000)
    assert report.percent_complete == 60
    text = response.content.decode()
    assert "450.000.000" in text and months_ago(1).label in text
    assert months_ago(1).key not in [
        k for k, _l in response.context["form"].fields["period"].choices
    ]
    # The dossier and the ministry's scheme page show it.
    dossier = client.get(reverse("submissions:scheme-detail", args=[under_way.pk])).content.decode()
    assert "Hoàn thành lắp đặt thiết bị" in dossier
    assert form_url(under_way) in dossier
    bo = factories.UserFactory(role=Role.MINISTRY)
    client.force_login(bo)
    page = client.get(reverse("projects:scheme-detail", args=[under_way.pk]))
    text = page.content.decode()
    assert "Báo cáo tiến độ hằng tháng" in text
    assert "Hoàn thành lắp đặt thiết bị" in text and "450.000.000 đồng" in text
    assert page.context["progress"].due >= 3


def test_a_wrong_form_saves_nothing_and_says_where(client, under_way, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    data = post_data(months_ago(1), percent_complete="120", amount_spent="1,5 tỷ")
    response = client.post(form_url(under_way), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"percent_complete", "amount_spent"}
    assert "Chưa lưu được báo cáo" in response.content.decode()
    assert not ProgressReport.objects.exists()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(form_url(under_way), post_data(months_ago(0), submitted_on=tomorrow))
    assert "ở tương lai" in " ".join(response.context["form"].errors["submitted_on"])
    assert not ProgressReport.objects.exists()


def test_who_may_open_the_form(client, under_way, ha_noi_user, ministry_user):
    client.force_login(ha_noi_user)
    assert client.get(form_url(under_way)).status_code == 404
    assert client.post(form_url(under_way), post_data(months_ago(1))).status_code == 404
    client.force_login(ministry_user)
    assert client.get(form_url(under_way)).status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_scheme_not_under_way_sends_back_to_its_dossier(client, under_way, thai_nguyen_user):
    Scheme.objects.filter(pk=under_way.pk).update(status=S.APPROVED)
    client.force_login(thai_nguyen_user)
    response = client.get(form_url(under_way))
    assert response.status_code == 302
    assert response.url == reverse("submissions:scheme-detail", args=[under_way.pk])


def _measure(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_reports(client, under_way, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    pages = [
        form_url(under_way),
        reverse("submissions:scheme-detail", args=[under_way.pk]),
        reverse("projects:scheme-detail", args=[under_way.pk]),
    ]
    submit(under_way, thai_nguyen_user, months_ago(4))
    for page in pages:
        client.get(page)  # warm-up
    few = [_measure(client, page) for page in pages]
    for n in (3, 2, 1):
        submit(under_way, thai_nguyen_user, months_ago(n))
    assert [_measure(client, page) for page in pages] == few
    assert few[0] <= 12, few


def test_the_admin_lists_reports(client, under_way, thai_nguyen_user, admin_user):
    submit(under_way, thai_nguyen_user, months_ago(2))
    submit(under_way, thai_nguyen_user, months_ago(1), months_ago(1).due_on + datetime.timedelta(2))
    client.force_login(admin_user)
    listing = client.get(reverse("admin:submissions_progressreport_changelist"))
    assert listing.status_code == 200
    assert months_ago(2).label in listing.content.decode()
    late = client.get(reverse("admin:submissions_progressreport_changelist") + "?on_time=no")
    assert late.context["cl"].result_count == 1
    report = ProgressReport.objects.first()
    change = client.get(reverse("admin:submissions_progressreport_change", args=[report.pk]))
    assert change.status_code == 200
    assert "Đã lắp đặt 2 máy sấy chè" in change.content.decode()
