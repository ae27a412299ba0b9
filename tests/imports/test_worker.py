"""One test with a real Celery worker: an uploaded file longer than the background threshold is
checked by a worker process, which reports its progress through the cache and records the
result on the batch in the same PostgreSQL database."""

import datetime
import time
from decimal import Decimal

import pytest

from accounts.models import Role
from budgets.models import PlanBatch
from imports.models import ImportBatch
from projects.models import Scheme
from tests.factories import AnnualPlanFactory, UserFactory
from tests.imports import files


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_a_long_file(reference_data, celery_worker, client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    plan = AnnualPlanFactory(year=2019)
    PlanBatch.objects.create(
        plan=plan,
        number=1,
        decision_number="123/QĐ-BCT",
        decision_date=datetime.date(2018, 12, 30),
        amount=Decimal(10_000_000_000),
    )
    user = UserFactory(role=Role.MINISTRY, username="bo-worker")
    client.force_login(user)
    rows = [
        files.scheme_row(**{"Mã đề án": f"KC-{n:03d}", "Kinh phí hỗ trợ": "1.000.000"})
        for n in range(40)
    ]
    rows.append(files.scheme_row(**{"Mã đề án": "KC-SAI", "Kinh phí hỗ trợ": "1,5 tỷ"}))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/nhap-du-lieu/",
        {"kind": "schemes", "file": SimpleUploadedFile("dai.xlsx", files.xlsx("schemes", rows))},
    )
    batch = ImportBatch.objects.get()
    assert response.url == batch.get_absolute_url()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        progress = client.get(f"/nhap-du-lieu/{batch.pk}/tien-do/").json()
        if progress["status"] != "pending":
            break
        assert celery_worker.poll() is None, "the worker stopped"
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not check the file within 60 s")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.rows_read == 41
    assert [p["text"] for p in batch.problems] == [
        "Dòng 42, cột 'Kinh phí hỗ trợ': '1,5 tỷ' không phải số tiền hợp lệ"
    ]
    assert not Scheme.objects.exists()
