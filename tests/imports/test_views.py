"""The browser's path: template, upload, check (now or in the background), preview, confirm,
list, undo."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportBatch
from projects.models import Scheme
from tests.imports import files

pytestmark = pytest.mark.django_db

HOME = "/nhap-du-lieu/"


def upload(client, kind, content, name="ke-hoach.xlsx"):
    return client.post(HOME, {"kind": kind, "file": _file(content, name)})


def _file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_template_has_vietnamese_headers_and_a_guide(client, ministry):
    client.force_login(ministry)
    response = client.get(reverse("imports:template", args=["schemes"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Đề án", "Hướng dẫn"]
    assert [c.value for c in book["Đề án"][1]] == files.headers("schemes")
    guide = [row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Kinh phí hỗ trợ" in guide
    assert any(line and line.startswith("Đề án đã phê duyệt được phân bổ") for line in guide)
    assert client.get(reverse("imports:template", args=["nothing"])).status_code == 404


def test_upload_preview_confirm_and_undo(client, ministry, plan):
    client.force_login(ministry)
    response = upload(client, "schemes", files.xlsx("schemes", [files.scheme_row()]))
    batch = ImportBatch.objects.get()
    assert response.url == batch.get_absolute_url()
    assert batch.status == ImportBatch.Status.CHECKED and not Scheme.objects.exists()
    page = client.get(response.url).text
    assert "Tệp hợp lệ: xác nhận để ghi" in page
    response = client.post(reverse("imports:batch-confirm", args=[batch.pk]), follow=True)
    assert "Đã nhập: 1 dòng mới, 0 dòng cập nhật, 0 dòng không đổi." in response.text
    assert Scheme.objects.count() == 1
    # A second click imports nothing more.
    response = client.post(reverse("imports:batch-confirm", args=[batch.pk]), follow=True)
    assert f"Lần nhập số {batch.pk} không chờ xác nhận (trạng thái: Đã nhập)." in response.text
    assert "Hoàn tác lần nhập" in client.get(batch.get_absolute_url()).text
    confirm = client.get(reverse("imports:batch-undo", args=[batch.pk])).text
    assert "1 bản ghi mới (Đề án) sẽ bị xóa" in confirm
    response = client.post(reverse("imports:batch-undo", args=[batch.pk]), follow=True)
    assert f"Đã hoàn tác lần nhập số {batch.pk}." in response.text
    assert not Scheme.objects.exists()


def test_every_problem_is_listed_by_sheet_row_and_column(client, ministry, plan):
    client.force_login(ministry)
    rows = [files.scheme_row(), files.scheme_row(**{"Kinh phí hỗ trợ": "1,5 tỷ"})]
    response = upload(client, "schemes", files.xlsx("schemes", rows), "sai.xlsx")
    page = client.get(response.url).text
    assert "1 lỗi: chưa ghi dòng nào" in page
    assert '<td>Dữ liệu</td><td class="num">3</td><td>Kinh phí hỗ trợ</td>' in page
    assert "&#x27;1,5 tỷ&#x27; không phải số tiền hợp lệ" in page
    assert "Xác nhận nhập" not in page
    assert ImportBatch.objects.get().status == ImportBatch.Status.REFUSED


def test_a_long_file_is_checked_in_the_background(
    client, ministry, plan, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(ministry)
    rows = [files.scheme_row(**{"Mã đề án": f"KC-{n}", "Kinh phí hỗ trợ": "1"}) for n in range(5)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, "schemes", files.xlsx("schemes", rows))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING
    page = client.get(response.url).text
    assert 'id="import-progress"' in page and "js/import-progress.js" in page
    assert client.get(reverse("imports:batch-progress", args=[batch.pk])).json() == {
        "status": "pending",
        "done": 0,
        "total": 6,  # the sheet's declared dimension: header and 5 rows
    }
    # The task (run in-process here; a real worker in test_worker.py).
    for callback in callbacks:
        callback()
    progress = client.get(reverse("imports:batch-progress", args=[batch.pk])).json()
    assert progress["status"] == "checked"
    batch.refresh_from_db()
    assert (batch.rows_read, batch.created_count) == (5, 5)


def test_the_list_costs_the_same_queries_whatever_its_length(
    client, ministry, plan, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imports import services

    client.force_login(ministry)
    content = files.xlsx("schemes", [files.scheme_row()])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    services.import_file(kind="schemes", content=content, filename="a.xlsx", user=ministry)
    few = count()
    for _ in range(6):
        services.import_file(
            kind="schemes", content=content, filename="a.xlsx", user=ministry, dry_run=True
        )
    assert count() == few
