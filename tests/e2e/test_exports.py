"""A large export in the browser: the scheme list's CSV button leads to the page that starts a
background job; the job page polls its progress with the static script (no inline script under
the CSP), shows the download link when the worker is done, and the file downloads."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Role
from exports.models import ExportJob
from exports.services import export_job_run
from tests.e2e.conftest import DEMO_PASSWORD, log_in, screenshot
from tests.factories import UserFactory
from tests.reference import load_reference


@pytest.fixture
def listed(transactional_db, settings, tmp_path):
    from tests.projects.test_exports import make

    load_reference()
    settings.KC_EXPORT_SYNC_LIMIT = 2
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(role=Role.MINISTRY, username="bo-xuat", first_name="Cán bộ Cục")
    user.set_password(DEMO_PASSWORD)
    user.save()
    for index, province in enumerate(("19", "06", "01", "79")):
        make(f"KCQG-{index}", province=province, amount=500 + index, paid=100)
    return user


def test_a_large_export_from_button_to_file(listed, open_page):
    page = open_page()
    log_in(page, "bo-xuat")
    page.goto("/de-an/?year=2019")
    page.get_by_role("link", name="Xuất CSV").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main").inner_text()
    assert "Xuất bảng lớn" in main and "Bản đồ tỉnh: 63 tỉnh, thành" in main
    screenshot(page, "exports-start")

    # The job waits for a worker: the page shows it queued, then follows it by itself.
    job = ExportJob.objects.create(
        user=listed,
        table="schemes",
        file_format="csv",
        query="year=2019",
        summary="Năm: 2019; Bản đồ tỉnh: 63 tỉnh, thành (trước 01/07/2025)",
        row_count=4,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    page.goto(job.get_absolute_url())
    assert page.locator("[data-field=label]").inner_text() == "Đang chờ"
    assert not page.locator("[data-field=download]").is_visible()
    screenshot(page, "exports-queued")
    export_job_run(job_id=job.pk)
    page.locator("[data-field=download]").wait_for(state="visible", timeout=15000)
    assert page.locator("[data-field=label]").inner_text() == "Đã xong"
    assert page.locator("[data-field=progress]").inner_text() == "4 / 4 dòng"
    screenshot(page, "exports-done")
    with page.expect_download() as info:
        page.locator("[data-field=download]").click()
    download = info.value
    assert download.suggested_filename == "de-an-khuyen-cong-2019.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert sorted(row[0] for row in rows[2:]) == ["KCQG-0", "KCQG-1", "KCQG-2", "KCQG-3"]
    assert page.errors == []
