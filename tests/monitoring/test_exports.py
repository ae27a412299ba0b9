"""The forecast and consistency tables as CSV and XLSX: the rows the page shows for the same
query string, scoped to what the user may see, at a fixed query count."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard.conftest import programme  # noqa: F401 - the known 2019 programme
from tests.dashboard.test_views import _add_schemes

QUERY = "?year=2019&fund=national&as_of=30/06/2019"
FORECAST = "/giam-sat/du-bao/" + QUERY
CHECK = "?year=2019&fund=national&check=past_end"
CONSISTENCY = "/giam-sat/nhat-quan/" + CHECK


YEAR_END = "?year=2019&fund=national&as_of=31/12/2019"


def forecast_file(table: str, file_format: str, query: str = QUERY) -> str:
    return f"/giam-sat/du-bao/xuat/{table}/{file_format}/{query}"


def consistency_file(file_format: str, query: str = CHECK) -> str:
    return f"/giam-sat/nhat-quan/xuat/{file_format}/{query}"


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_at_risk_csv_is_the_pages_table(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    page = client.get(FORECAST).context
    lines = csv_rows(client.get(forecast_file("nguy-co", "csv")))
    assert "Bản đồ tỉnh:" in lines[0][0]
    assert "30/06/2019" in lines[0][0]
    assert lines[1][:3] == ["Mã đề án", "Tên đề án", "Tỉnh, thành phố"]
    assert [line[0] for line in lines[2:]] == [row["scheme"].code for row in page["at_risk"]]
    assert [line[7] for line in lines[2:]] == ["; ".join(row["reasons"]) for row in page["at_risk"]]


def test_the_at_risk_xlsx_has_the_amounts_as_numbers(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    at_risk = client.get(FORECAST).context["at_risk"]
    rows = xlsx_rows(client.get(forecast_file("nguy-co", "xlsx")))
    assert rows[2][0] == "Mã đề án"
    body = rows[3:]
    assert [row[0] for row in body] == [row["scheme"].code for row in at_risk]
    for row, shown in zip(body, at_risk, strict=True):
        assert row[3] == int(shown["scheme"].budget)
        assert row[4] == int(shown["scheme"].disbursed)
        assert row[6] == int(shown["scheme"].left)


@pytest.mark.parametrize(("table", "key"), [("tinh", "provinces"), ("noi-dung", "areas")])
def test_the_group_tables_are_the_pages(client, ministry_user, programme, table, key):  # noqa: F811
    client.force_login(ministry_user)
    shown = client.get(FORECAST).context[key]
    rows = xlsx_rows(client.get(forecast_file(table, "xlsx")))[3:]
    assert [row[0] for row in rows] == [row["label"] for row in shown]
    assert [row[1] for row in rows] == [row["schemes"] for row in shown]
    assert [row[2] for row in rows] == [int(row["budget"]) for row in shown]
    assert [row[7] for row in rows] == [int(row["left"]) for row in shown]
    lines = csv_rows(client.get(forecast_file(table, "csv")))[2:]
    assert [line[0] for line in lines] == [row["label"] for row in shown]


@pytest.mark.parametrize(("table", "key"), [("nguy-co", "at_risk"), ("tinh", "provinces")])
def test_a_province_user_exports_only_its_province(
    client,
    programme,  # noqa: F811
    ministry_user,
    thai_nguyen_user,
    table,
    key,
):
    # On 31/12 every province's schemes have money left: C (79), D (01), A (19), B (06).
    client.force_login(ministry_user)
    everything = "\n".join(
        ",".join(line) for line in csv_rows(client.get(forecast_file(table, "csv")))
    )
    assert "Hồ Chí Minh" in everything or "Hà Nội" in everything
    client.force_login(thai_nguyen_user)
    shown = client.get("/giam-sat/du-bao/" + YEAR_END).context[key]
    lines = csv_rows(client.get(forecast_file(table, "csv", YEAR_END)))[2:]
    first = (lambda row: row["scheme"].code) if key == "at_risk" else (lambda row: row["label"])
    assert [line[0] for line in lines] == [first(row) for row in shown]
    text = "\n".join(",".join(line) for line in lines)
    assert "Thái Nguyên" in text
    assert "Hồ Chí Minh" not in text and "Hà Nội" not in text


def test_the_consistency_rows_of_one_check(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    shown = client.get(CONSISTENCY).context["rows"]
    lines = csv_rows(client.get(consistency_file("csv")))
    assert "Quá hạn chưa nghiệm thu" in lines[0][0]
    assert lines[1] == ["Mã đề án", "Tên đề án", "Tỉnh, thành phố", "Chi tiết"]
    assert [line[0] for line in lines[2:]] == [row["code"] for row in shown] == ["C", "D"]
    assert all("30/11/2019" in line[3] for line in lines[2:])
    rows = xlsx_rows(client.get(consistency_file("xlsx")))[3:]
    assert [row[0] for row in rows] == ["C", "D"]


def test_another_provinces_failing_rows_are_not_exported(client, programme, ha_noi_user):  # noqa: F811
    client.force_login(ha_noi_user)
    query = "?year=2019&fund=national&province=19&map=34&check=past_end"
    assert csv_rows(client.get(consistency_file("csv", query)))[2:] == []


def test_bad_tables_checks_and_formats_are_404(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    assert client.get(forecast_file("khac", "csv")).status_code == 404
    assert client.get(forecast_file("tinh", "pdf")).status_code == 404
    assert client.get(consistency_file("csv", "?year=2019")).status_code == 404
    assert client.get(consistency_file("csv", "?year=2019&check=nope")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (forecast_file("nguy-co", "csv"), consistency_file("xlsx")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/dang-nhap/")


def test_the_pages_link_to_their_files(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    html = client.get(FORECAST).text
    for table in ("nguy-co", "tinh", "noi-dung"):
        assert re.search(rf"/giam-sat/du-bao/xuat/{table}/xlsx/\?[^\"]*as_of=30", html), table
    assert "/giam-sat/nhat-quan/xuat/csv/?" in client.get(CONSISTENCY).text


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        forecast_file("nguy-co", "csv"),
        forecast_file("tinh", "xlsx"),
        forecast_file("noi-dung", "csv"),
        consistency_file("xlsx"),
    ],
)
def test_query_count_is_fixed(client, ministry_user, programme, url):  # noqa: F811
    client.force_login(ministry_user)
    _add_schemes(4, 0)
    client.get(url)
    first = _queries(client, url)
    _add_schemes(10, 100)
    assert _queries(client, url) == first
    assert first <= 12


def test_many_failing_rows_are_written_by_a_worker_for_the_users_scope(
    client,
    programme,  # noqa: F811
    ministry_user,
    ha_noi_user,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    """Above KC_EXPORT_SYNC_LIMIT rows the file is a background job (run in-process here); the
    worker lists the rows again for the job's user: Hà Nội's job has Hà Nội's row only."""
    from exports.models import ExportJob

    settings.KC_EXPORT_SYNC_LIMIT = 1
    settings.MEDIA_ROOT = tmp_path
    for user, expected in ((ministry_user, ["C", "D"]), (ha_noi_user, ["D"])):
        client.force_login(user)
        response = client.get(consistency_file("csv"))
        if len(expected) == 1:  # one row: within the limit, at once
            assert [line[0] for line in csv_rows(response)[2:]] == expected
            continue
        assert response.status_code == 302 and response.url.startswith(reverse("exports:job-new"))
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(
                reverse("exports:job-new"),
                {"table": "consistency", "format": "csv", "query": CHECK[1:]},
            )
        job = ExportJob.objects.get(user=user)
        assert started.status_code == 302 and started.url == job.get_absolute_url()
        job.refresh_from_db()
        assert (job.status, job.row_count) == ("done", 2)
        data = client.get(reverse("exports:job-download", args=[job.pk]))
        lines = list(csv.reader(io.StringIO(b"".join(data.streaming_content).decode("utf-8-sig"))))
        assert "Quá hạn chưa nghiệm thu" in lines[0][0]
        assert [line[0] for line in lines[2:]] == expected
    # The same job asked by Hà Nội's user is built from Hà Nội's rows only.
    from exports.services import export_job_create, export_job_run

    job = export_job_create(
        user=ha_noi_user, table="consistency", file_format="csv", query=CHECK[1:]
    )
    job = export_job_run(job_id=job.pk)
    assert (job.status, job.row_count) == ("done", 1)


def test_a_job_for_an_unknown_check_is_refused(ministry_user, programme):  # noqa: F811
    from django.core.exceptions import ValidationError

    from exports.services import export_job_create

    with pytest.raises(ValidationError, match="Không có phép kiểm tra “nope”"):
        export_job_create(
            user=ministry_user, table="consistency", file_format="csv", query="year=2019&check=nope"
        )
