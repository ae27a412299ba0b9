"""The weekly warning through Redis to a real Celery worker writing to the same PostgreSQL
database (the worker fixture in tests/conftest.py)."""

import pytest

from accounts.models import Role
from monitoring.tasks import at_risk_warning_send_task
from notifications.models import Notification
from tests.conftest import province
from tests.factories import UserFactory
from tests.monitoring.conftest import TY, approve


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_weekly_warning(reference_data, celery_worker):
    UserFactory(role=Role.MINISTRY, username="cuc-worker", email="cuc@example.vn")
    UserFactory(
        role=Role.PROVINCE, province=province("19"), username="tn-worker", email="tn@example.vn"
    )
    approve(year=2021, budget=1 * TY, code="TN-UNSIGNED", province="06")
    approve(year=2021, budget=2 * TY, code="HCM-UNSIGNED", province="79")

    result = at_risk_warning_send_task.delay(today="2021-10-04")
    assert result.get(timeout=60) == 2
    notes = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert set(notes) == {"cuc-worker", "tn-worker"}
    assert all(note.emailed_at for note in notes.values())
    assert "HCM-UNSIGNED" not in notes["tn-worker"].body
    # A second run in the same week, through the worker again, sends nothing.
    assert at_risk_warning_send_task.delay(today="2021-10-06").get(timeout=60) == 0
    assert celery_worker.poll() is None, "the worker stopped"
