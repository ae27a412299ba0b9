"""The weekly warning: who gets which schemes, from which month, once per ISO week."""

from django.core import mail
from django.test import override_settings

from accounts.models import Role
from monitoring.services import at_risk_warning_send, warning_key
from monitoring.tasks import at_risk_warning_send_task
from notifications.models import Notification
from projects.models import Fund
from tests.conftest import province
from tests.factories import UserFactory
from tests.monitoring.conftest import TY, D, approve, pay, sign

MONDAY = D(2021, 10, 4)


def _people():
    return {
        "ministry": UserFactory(role=Role.MINISTRY, username="cuc-w", email="cuc@example.vn"),
        "tn": UserFactory(
            role=Role.PROVINCE, province=province("19"), username="tn-w", email="tn@example.vn"
        ),
        "tn2": UserFactory(role=Role.PROVINCE, province=province("19"), username="tn-w2"),
        "hn": UserFactory(
            role=Role.PROVINCE, province=province("01"), username="hn-w", email="hn@example.vn"
        ),
        "hcm": UserFactory(
            role=Role.PROVINCE, province=province("79"), username="hcm-w", email="hcm@ex.vn"
        ),
    }


def _year(db=None):
    approve(year=2021, budget=1 * TY, code="TN-UNSIGNED", province="06")
    fine = approve(year=2021, budget=1 * TY, code="HN-PAID", province="01")
    pay(sign(fine, 1 * TY, D(2021, 2, 1)), 1 * TY, D(2021, 3, 1))
    approve(year=2021, budget=2 * TY, code="HCM-UNSIGNED", province="79")


def test_each_recipient_gets_its_own_list_once_a_week(db):
    people = _people()
    _year()
    created = at_risk_warning_send(today=MONDAY)
    assert created == 4  # the ministry, both Thái Nguyên users, Hồ Chí Minh; Hà Nội has none
    by_user = {n.recipient.username: n for n in Notification.objects.all()}
    assert set(by_user) == {"cuc-w", "tn-w", "tn-w2", "hcm-w"}
    assert "HCM-UNSIGNED" in by_user["cuc-w"].body and "TN-UNSIGNED" in by_user["cuc-w"].body
    assert "TN-UNSIGNED" in by_user["tn-w"].body and "HCM" not in by_user["tn-w"].body
    assert "HCM-UNSIGNED" in by_user["hcm-w"].body and "TN-" not in by_user["hcm-w"].body
    assert "chưa ký hợp đồng 1,00 tỷ đồng" in by_user["tn-w"].body
    assert by_user["tn-w"].reminder_key == warning_key(MONDAY) == "at-risk:2021-W40"
    sent = len(mail.outbox)
    assert sent == 3  # those with an address
    assert all(n.emailed_at for n in Notification.objects.exclude(recipient=people["tn2"]))
    # Run again in the same week (Wednesday): nothing new, nothing sent twice.
    assert at_risk_warning_send(today=D(2021, 10, 6)) == 0
    assert len(mail.outbox) == sent
    # The next week brings a new warning.
    assert at_risk_warning_send(today=D(2021, 10, 11)) == 4


def test_nothing_before_the_start_month(db):
    _people()
    _year()
    assert at_risk_warning_send(today=D(2021, 9, 27)) == 0
    with override_settings(KC_WARNING_FROM_MONTH=9):
        assert at_risk_warning_send(today=D(2021, 9, 27)) == 4
    assert Notification.objects.count() == 4


def test_the_ministry_list_is_the_national_fund(db):
    UserFactory(role=Role.MINISTRY, username="cuc-only")
    approve(year=2021, budget=1 * TY, code="LOCAL", province="06", fund=Fund.LOCAL)
    assert at_risk_warning_send(today=MONDAY) == 0


def test_the_task_runs_in_process(db):
    _people()
    _year()
    assert at_risk_warning_send_task.delay(today=MONDAY.isoformat()).get() == 4
    assert at_risk_warning_send_task.delay(today=MONDAY.isoformat()).get() == 0


def test_the_beat_entry_runs_on_monday_mornings(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["at-risk-weekly"]
    assert entry["task"] == at_risk_warning_send_task.name
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1}
    assert schedule.hour == {7}
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
    assert settings.KC_WARNING_FROM_MONTH == 10


def test_small_amounts_in_reasons_are_written_in_dong():
    from decimal import Decimal

    from monitoring.services import reason_text

    assert reason_text("behind", Decimal(2_500_000)) == "chậm 2.500.000 đồng so với tiến độ"
    assert reason_text("unsigned", Decimal(1_250_000_000)) == "chưa ký hợp đồng 1,25 tỷ đồng"
