"""The portal's list of the unit's schemes as CSV and XLSX: the rows of the tab the page shows,
all of them, the unit's own only, at a fixed query count."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Scheme
from submissions.models import CostLine
from tests import factories
from tests.conftest import province

S = Scheme.Status
LIST = reverse("submissions:scheme-list")


def export(file_format: str) -> str:
    return reverse("submissions:scheme-export", args=[file_format])


@pytest.fixture
def tn(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    return client


def fill(rows: int, code: str = "19") -> list[Scheme]:
    made = []
    for status in (S.DRAFT, S.SUBMITTED):
        for scheme in factories.SchemeFactory.create_batch(
            rows, status=status, province=province(code)
        ):
            CostLine.objects.create(scheme=scheme, item="=Máy", support_amount=1_000_000)
            made.append(scheme)
    return made


def page_codes(client, tab: str) -> list[str]:
    response = client.get(LIST, {"tab": tab})
    return [scheme.code for scheme in response.context["page"].paginator.object_list]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_csv_has_the_tabs_rows_in_the_pages_order(tn):
    fill(3)
    ha_noi = fill(2, "01")
    response = tn.get(export("csv"), {"tab": "submitted"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    lines = csv_rows(response)
    assert "Bản đồ tỉnh:" in lines[0][0]
    assert "Đã gửi" in lines[0][0]
    assert lines[1][:3] == ["Mã đề án", "Tên đề án", "Đơn vị thực hiện"]
    codes = [line[0] for line in lines[2:]]
    assert codes == page_codes(tn, "submitted")
    assert len(codes) == 3
    assert not {s.code for s in ha_noi} & set(codes)
    # The line count is a number, the status the page's label.
    assert {line[8] for line in lines[2:]} == {"1"}
    assert {line[11] for line in lines[2:]} == {str(S.SUBMITTED.label)}


def test_the_xlsx_has_the_same_rows_with_numbers_as_numbers(tn):
    fill(2)
    response = tn.get(export("xlsx"), {"tab": "draft"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[2][0] == "Mã đề án"
    body = rows[3:]
    assert [row[0] for row in body] == page_codes(tn, "draft")
    expected = {s.code: s for s in Scheme.objects.filter(status=S.DRAFT)}
    for row in body:
        assert row[7] == int(expected[row[0]].support_requested)
        assert row[5] == expected[row[0]].province.name


def test_another_province_exports_only_its_own(client, ha_noi_user):
    mine = fill(2, "01")
    fill(2)
    client.force_login(ha_noi_user)
    lines = csv_rows(client.get(export("csv"), {"tab": "draft"}))
    assert {line[0] for line in lines[2:]} == {s.code for s in mine if s.status == S.DRAFT}


def test_the_ministry_has_no_portal_export(ministry_user):
    client = Client()
    client.force_login(ministry_user)
    assert client.get(export("csv")).status_code == 403


def test_an_unknown_format_is_404(tn):
    assert tn.get(export("pdf")).status_code == 404


def test_the_export_costs_the_same_queries_with_twice_the_rows(tn):
    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = tn.get(export("csv"), {"tab": "draft"})
            b"".join(response.streaming_content)
        return len(queries)

    fill(3)
    measure()  # warm-up
    queries = measure()
    fill(3)
    assert measure() == queries
    assert queries <= 8, queries


def test_many_rows_are_written_by_a_worker_with_the_units_own_rows(
    tn, thai_nguyen_user, ministry_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Above KC_EXPORT_SYNC_LIMIT rows the button leads to a background job (run in-process
    here) whose file has the tab's rows of the unit only; a user outside the portal gets an
    empty file, never someone else's dossiers."""
    from exports.models import ExportJob
    from exports.services import export_job_create, export_job_run

    settings.KC_EXPORT_SYNC_LIMIT = 2
    settings.MEDIA_ROOT = tmp_path
    fill(3)
    fill(2, "01")
    response = tn.get(export("xlsx"), {"tab": "draft"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("exports:job-new"))
    with django_capture_on_commit_callbacks(execute=True):
        started = tn.post(
            reverse("exports:job-new"), {"table": "portal", "format": "xlsx", "query": "tab=draft"}
        )
    job = ExportJob.objects.get()
    assert started.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.user, job.row_count) == ("done", thai_nguyen_user, 3)
    data = tn.get(reverse("exports:job-download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(data.streaming_content))).active
    body = list(sheet.iter_rows(values_only=True))[3:]
    assert [row[0] for row in body] == page_codes(tn, "draft")
    job = export_job_run(
        job_id=export_job_create(
            user=ministry_user, table="portal", file_format="csv", query="tab=draft"
        ).pk
    )
    assert (job.status, job.row_count) == ("done", 0)
