"""Large exports built in the background: above KC_EXPORT_SYNC_LIMIT rows the export button
leads to a page that starts a job; the job (run in-process here, CELERY_TASK_ALWAYS_EAGER)
writes exactly the filtered rows, scoped to what its user may see when it runs; only that user
sees its page, its progress and its file; old files are deleted."""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports.models import ExportJob
from exports.services import export_job_create, export_job_run, export_jobs_expire
from provinces.models import Province
from tests.projects.test_exports import INJECTION, make

pytestmark = pytest.mark.django_db

CSV = reverse("projects:scheme-export", args=["csv"])
XLSX = reverse("projects:scheme-export", args=["xlsx"])


@pytest.fixture(autouse=True)
def small_limit(settings, tmp_path):
    """Anything above two rows goes to the background; files go to a scratch folder."""
    settings.KC_EXPORT_SYNC_LIMIT = 2
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def schemes(db):
    return [
        make("A-TN", amount=800, paid=800),
        make("B-BK", province="06", amount=600, paid=100),
        make("C-HN", province="01", amount=1000, title=INJECTION),
        make("D-HN", province="01", amount=300, paid=300, title="-1+2 @cộng"),
        make("E-2020", plan_year=2020),
    ]


def csv_rows(data: bytes) -> tuple[list[str], list[str], list[list[str]]]:
    assert data.startswith(b"\xef\xbb\xbf")
    title, header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return title, header, rows


def downloaded(client, job: ExportJob) -> bytes:
    response = client.get(reverse("exports:job-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def start(client, address: str, params: dict, capture) -> ExportJob:
    """Follow the export button to the page that starts a job, and start it."""
    response = client.get(address, params)
    assert response.status_code == 302
    target = urlparse(response.url)
    assert target.path == reverse("exports:job-new")
    page = client.get(response.url)
    assert page.status_code == 200
    wanted = {name: values[0] for name, values in parse_qs(target.query).items()}
    with capture(execute=True):
        started = client.post(reverse("exports:job-new"), wanted)
    job = ExportJob.objects.get()
    assert started.status_code == 302 and started.url == job.get_absolute_url()
    job.refresh_from_db()
    return job


def test_small_exports_come_at_once_large_ones_from_a_job(
    client, ministry_user, schemes, django_capture_on_commit_callbacks, settings
):
    client.force_login(ministry_user)
    assert client.get(CSV, {"year": 2019, "province": "19", "map": "63"}).streaming
    page = client.get(CSV, {"year": 2019, "page": 2}, follow=True)
    text = page.content.decode()
    assert "4" in page.context["rows"] and "Năm: 2019" in text
    assert "Bản đồ tỉnh: 63 tỉnh, thành" in text
    assert ExportJob.objects.count() == 0  # nothing is started by a GET

    job = start(client, CSV, {"year": 2019, "sort": "code"}, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE
    assert (job.row_count, job.rows_written, job.percent) == (4, 4, 100)
    assert job.filename == "de-an-khuyen-cong-2019.csv"
    assert "Bản đồ tỉnh: 63 tỉnh, thành" in job.summary
    title, header, rows = csv_rows(downloaded(client, job))

    # The same rows, in the same order, as the file given at once when the limit allows it.
    settings.KC_EXPORT_SYNC_LIMIT = 5000
    response = client.get(CSV, {"year": 2019, "sort": "code"})
    _title, at_once_header, at_once = csv_rows(b"".join(response.streaming_content))
    assert header == at_once_header and rows == at_once
    assert [row[0] for row in rows] == ["A-TN", "B-BK", "C-HN", "D-HN"]
    titles = {row[0]: row[1] for row in rows}
    assert titles["C-HN"] == "'" + INJECTION and titles["D-HN"] == "'-1+2 @cộng"
    assert "Bản đồ tỉnh: 63 tỉnh, thành" in title[0]


def test_xlsx_job_reads_back_with_numbers_and_the_map(
    client, ministry_user, schemes, django_capture_on_commit_callbacks
):
    client.force_login(ministry_user)
    params = {"year": 2019, "map": "34", "sort": "code"}
    job = start(client, XLSX, params, django_capture_on_commit_callbacks)
    assert job.filename == "de-an-khuyen-cong-2019.xlsx"
    sheet = load_workbook(io.BytesIO(downloaded(client, job))).active
    assert sheet["A1"].value == "Danh sách đề án khuyến công"
    assert "Bản đồ tỉnh: 34 tỉnh, thành" in sheet["A2"].value
    header = [cell.value for cell in sheet[3]]
    rows = list(sheet.iter_rows(min_row=4))
    assert [row[0].value for row in rows] == ["A-TN", "B-BK", "C-HN", "D-HN"]
    approved = rows[0][header.index("Kinh phí được duyệt (đồng)")]
    assert approved.value == 800_000_000 and approved.data_type == "n"
    assert rows[2][1].value == "'" + INJECTION and rows[2][1].data_type == "s"


def test_register_lists_also_go_to_a_job(client, ministry_user, django_capture_on_commit_callbacks):
    from tests.factories import IndustrialClusterFactory

    for name in ("CCN Một", "CCN Hai", "=CCN Ba"):
        IndustrialClusterFactory(
            name=name, province=Province.objects.get(code="19", map_version="63")
        )
    client.force_login(ministry_user)
    address = reverse("registers:cluster-export", args=["csv"])
    job = start(client, address, {"map": "63"}, django_capture_on_commit_callbacks)
    title, header, rows = csv_rows(downloaded(client, job))
    assert header[0] == "Cụm công nghiệp"
    assert sorted(row[0] for row in rows) == ["'=CCN Ba", "CCN Hai", "CCN Một"]
    assert "Bản đồ tỉnh: 63 tỉnh, thành" in title[0]


def test_the_job_applies_the_users_scope_when_it_runs(
    schemes, thai_nguyen_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_job_create(
            user=thai_nguyen_user, table="schemes", file_format="csv", query="year=2019"
        )
    assert len(callbacks) == 1
    assert job.row_count == 2  # Thái Nguyên's own two schemes (A-TN and B-BK, old Bắc Kạn)
    # The stored query is tampered with, and the user moves to Hà Nội before the worker runs.
    ExportJob.objects.filter(pk=job.pk).update(query="year=2019&province=19&map=63")
    thai_nguyen_user.province = Province.objects.get(code="01", map_version="34")
    thai_nguyen_user.save()
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == 0  # Thái Nguyên is no longer theirs: nothing leaks


def test_a_job_runs_once_and_refuses_bad_parameters_with_a_reason(schemes, ministry_user):
    good = export_job_create(user=ministry_user, table="schemes", file_format="csv", query="")
    first = export_job_run(job_id=good.pk)
    again = export_job_run(job_id=good.pk)
    assert first.status == again.status == ExportJob.Status.DONE
    assert again.stored_path == first.stored_path
    bad = ExportJob.objects.create(
        user=ministry_user,
        table="schemes",
        file_format="xlsx",
        query="year=2019&province=19",  # a province with no map
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    bad = export_job_run(job_id=bad.pk)
    assert bad.status == ExportJob.Status.FAILED
    assert "bản đồ" in bad.error
    assert bad.stored_path == ""


def test_starting_page_refuses_unknown_tables_and_bad_parameters(client, ministry_user, schemes):
    client.force_login(ministry_user)
    new = reverse("exports:job-new")
    assert client.get(new, {"table": "users", "format": "csv"}).status_code == 404
    assert client.get(new, {"table": "schemes", "format": "pdf"}).status_code == 404
    refused = client.get(new, {"table": "schemes", "format": "csv", "query": "province=19"})
    assert refused.status_code == 400
    assert "bản đồ" in refused.content.decode()
    posted = client.post(new, {"table": "schemes", "format": "csv", "query": "province=19"})
    assert posted.status_code == 400
    too_long = {"table": "schemes", "format": "csv", "query": "year=2019&q=" + "x" * 2000}
    assert client.post(new, too_long).status_code == 400
    assert ExportJob.objects.count() == 0


def test_only_the_user_who_asked_sees_the_job(
    client, ministry_user, ha_noi_user, thai_nguyen_user, schemes
):
    job = export_job_run(
        job_id=export_job_create(
            user=thai_nguyen_user, table="schemes", file_format="csv", query="year=2019"
        ).pk
    )
    pages = [
        reverse(name, args=[job.pk])
        for name in ("exports:job-detail", "exports:job-status", "exports:job-download")
    ]
    for address in pages:
        assert client.get(address).status_code == 302  # to sign in
    for other in (ministry_user, ha_noi_user):
        client.force_login(other)
        assert [client.get(address).status_code for address in pages] == [404, 404, 404]
        assert job.get_table_display() not in client.get(reverse("exports:job-list")).text
    client.force_login(thai_nguyen_user)
    assert [client.get(address).status_code for address in pages] == [200, 200, 200]
    assert "Danh sách đề án" in client.get(reverse("exports:job-list")).text


def test_progress_page_and_json(client, thai_nguyen_user, schemes, django_assert_num_queries):
    job = export_job_create(
        user=thai_nguyen_user, table="schemes", file_format="xlsx", query="year=2019"
    )
    client.force_login(thai_nguyen_user)
    page = client.get(job.get_absolute_url())
    html = page.content.decode()
    assert 'src="/static/js/export-progress.js"' in html
    assert "<script>" not in html  # the strict CSP allows no inline script
    assert f'data-status-url="{reverse("exports:job-status", args=[job.pk])}"' in html
    assert "Đang chờ" in html and "hidden>" in html  # the download link waits
    status = reverse("exports:job-status", args=[job.pk])
    with django_assert_num_queries(3):  # session, user, job
        body = client.get(status).json()
    assert body == {
        "status": "queued",
        "label": "Đang chờ",
        "percent": 0,
        "rows_written": 0,
        "row_count": 2,
        "progress_text": "0 / 2 dòng",
        "download_url": None,
        "error": "",
    }
    export_job_run(job_id=job.pk)
    body = client.get(status).json()
    assert body["status"] == "done" and body["percent"] == 100
    assert body["download_url"] == reverse("exports:job-download", args=[job.pk])


def test_building_the_file_takes_the_same_queries_whatever_the_rows(schemes, ministry_user):
    def queries() -> int:
        job = export_job_create(user=ministry_user, table="schemes", file_format="csv", query="")
        with CaptureQueriesContext(connection) as captured:
            export_job_run(job_id=job.pk)
        return len(captured)

    before = queries()
    for index in range(8):
        make(f"G-{index}", paid=100)
    after = queries()
    assert after == before


def test_old_files_are_deleted_with_their_jobs(schemes, ministry_user, tmp_path):
    old = export_job_run(
        job_id=export_job_create(
            user=ministry_user, table="schemes", file_format="csv", query=""
        ).pk
    )
    new = export_job_run(
        job_id=export_job_create(
            user=ministry_user, table="schemes", file_format="xlsx", query=""
        ).pk
    )
    assert (tmp_path / old.stored_path).exists()
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    assert export_jobs_expire(now=timezone.now()) == 1
    assert not (tmp_path / old.stored_path).exists()
    assert list(ExportJob.objects.all()) == [new]
    assert (tmp_path / new.stored_path).exists()


def test_the_beat_schedule_deletes_old_files_daily(settings):
    from celery.schedules import crontab

    from exports.tasks import export_jobs_expire_task

    entry = settings.CELERY_BEAT_SCHEDULE["exports-expire-daily"]
    assert entry["task"] == export_jobs_expire_task.name == "exports.export_jobs_expire"
    assert entry["schedule"] == crontab(hour=1, minute=0)
