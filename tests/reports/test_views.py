"""The report page: asking for an issue, its progress, its files; who may do what; a fixed
number of queries whatever the number of issues."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from organisations.models import Organisation
from reports import storage
from reports.models import ReportIssue, ReportSubscription
from tests.factories import UserFactory
from tests.reports.conftest import make_issue

pytestmark = pytest.mark.django_db

URL = "/bao-cao/"
ASK = {"year": "2019", "period": "year", "fund": "national", "province_map": "", "as_of": ""}


def _ask(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, {**ASK, **changes})


def test_ministry_staff_ask_for_a_report_and_download_it(
    client, ministry_user, programme, media, django_capture_on_commit_callbacks
):
    client.force_login(ministry_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Báo cáo tình hình thực hiện kế hoạch khuyến công" in page.text
    assert "Phạm vi báo cáo: toàn quốc." in page.text
    response = _ask(client, django_capture_on_commit_callbacks)
    issue = ReportIssue.objects.get()
    assert response.status_code == 302
    assert response.url == f"/bao-cao/#issue-{issue.pk}"
    # Tasks run in-process in the tests: the issue is made by the time the request returns.
    assert (issue.status, issue.progress, issue.province, issue.requested_by) == (
        ReportIssue.Status.DONE,
        100,
        None,
        ministry_user,
    )
    assert (issue.province_map, str(issue.as_of)) == ("63", "2019-12-31")  # the defaults
    state = client.get(f"/bao-cao/{issue.pk}/trang-thai/").json()
    assert state == {
        "id": issue.pk,
        "status": "done",
        "label": "Đã xong",
        "progress": 100,
        "finished": True,
        "error": "",
        "files": {
            "xlsx": f"/bao-cao/{issue.pk}/tai-ve/xlsx/",
            "pdf": f"/bao-cao/{issue.pk}/tai-ve/pdf/",
        },
    }
    download = client.get(state["files"]["xlsx"])
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert issue.file_name("xlsx") in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body == storage.read(issue.xlsx_path)
    pdf = client.get(state["files"]["pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    listing = client.get(URL).text
    assert "Báo cáo năm 2019" in listing and f"/bao-cao/{issue.pk}/tai-ve/pdf/" in listing


def test_reissue_makes_a_new_issue_with_the_same_bytes(
    client, ministry_user, programme, media, django_capture_on_commit_callbacks
):
    client.force_login(ministry_user)
    _ask(client, django_capture_on_commit_callbacks, period="q3", province_map="34")
    first = ReportIssue.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/bao-cao/{first.pk}/lap-lai/").status_code == 302
    second = ReportIssue.objects.exclude(pk=first.pk).get()
    assert (second.period, second.province_map, second.as_of) == ("q3", "34", first.as_of)
    assert (second.xlsx_sha256, second.pdf_sha256) == (first.xlsx_sha256, first.pdf_sha256)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"as_of": "31/03/2019", "period": "q2"}, "as_of", "ở trước kỳ báo cáo"),
        ({"as_of": "31/12/2099", "year": "2099"}, "as_of", "chưa đến"),
        ({"as_of": "31/02/2019"}, "as_of", "tháng 2 năm 2019 không có ngày 31"),
        ({"year": "2011"}, "year", "từ 2012"),
        ({"fund": "other"}, "fund", ""),
    ],
)
def test_bad_parameters_are_refused_with_the_reason(
    client, ministry_user, db, changes, field, message
):
    client.force_login(ministry_user)
    response = client.post(URL, {**ASK, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not ReportIssue.objects.exists()


def test_a_province_user_reports_on_its_own_unit_only(
    client, thai_nguyen_user, programme, media, django_capture_on_commit_callbacks
):
    client.force_login(thai_nguyen_user)
    page = client.get(URL).text
    assert "Phạm vi báo cáo: Tỉnh Thái Nguyên" in page or "Phạm vi báo cáo: Thái Nguyên" in page
    # A province in the request is not a parameter: the scope comes from the user.
    _ask(client, django_capture_on_commit_callbacks, province="79")
    issue = ReportIssue.objects.get()
    assert issue.province == thai_nguyen_user.province
    workbook = openpyxl.load_workbook(io.BytesIO(storage.read(issue.xlsx_path)))
    names = {row[1] for row in workbook["Theo tỉnh"].iter_rows(values_only=True)}
    assert {"Thái Nguyên", "Bắc Kạn"} <= names
    assert "TP. Hồ Chí Minh" not in names and "Hà Nội" not in names


def test_issues_of_another_province_answer_404(
    client, ha_noi_user, thai_nguyen_user, ministry_user
):
    issue = make_issue(province=thai_nguyen_user.province, by=thai_nguyen_user)
    client.force_login(ha_noi_user)
    for url in (
        f"/bao-cao/{issue.pk}/trang-thai/",
        f"/bao-cao/{issue.pk}/tai-ve/xlsx/",
        f"/bao-cao/{issue.pk}/lap-lai/",
    ):
        method = client.post if url.endswith("lap-lai/") else client.get
        assert method(url).status_code == 404, url
    assert f"issue-{issue.pk}" not in client.get(URL).text
    # Ministry staff read every issue; another user of the same unit reads the unit's.
    client.force_login(ministry_user)
    assert client.get(f"/bao-cao/{issue.pk}/trang-thai/").status_code == 200
    colleague = UserFactory(role=Role.PROVINCE, province=thai_nguyen_user.province)
    client.force_login(colleague)
    assert client.get(f"/bao-cao/{issue.pk}/trang-thai/").status_code == 200
    # A ministry issue is not the province's.
    national = make_issue(by=ministry_user)
    assert client.get(f"/bao-cao/{national.pk}/trang-thai/").status_code == 404


def test_a_file_not_made_yet_answers_404(client, ministry_user, db):
    issue = make_issue(by=ministry_user)
    client.force_login(ministry_user)
    assert client.get(f"/bao-cao/{issue.pk}/tai-ve/xlsx/").status_code == 404
    assert client.get(f"/bao-cao/{issue.pk}/tai-ve/docx/").status_code == 404
    state = client.get(f"/bao-cao/{issue.pk}/trang-thai/").json()
    assert (state["status"], state["finished"], state["files"]) == ("queued", False, {})
    page = client.get(URL).text
    assert f'data-status-url="/bao-cao/{issue.pk}/trang-thai/"' in page
    assert "js/report-progress.js" in page


def test_regional_staff_have_no_report(client, db):
    user = UserFactory(role=Role.REGIONAL, organisation=Organisation.objects.get(short_name="IPC1"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, ASK).status_code == 403
    assert not ReportIssue.objects.exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(captured)


def _issues(n, user, **extra):
    return [make_issue(by=user, **extra) for _ in range(n)]


@pytest.mark.parametrize("user_fixture", ["ministry_user", "thai_nguyen_user"])
def test_the_page_runs_a_fixed_number_of_queries(client, request, user_fixture, media):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    scope = {"province": user.province} if user.province_id else {}
    _issues(3, user, **scope)
    first = _count(client, URL)
    _issues(6, user, **scope)
    assert _count(client, URL) == first
    assert first <= 7  # session, user, subscription, count, page of issues


def test_status_and_download_run_a_fixed_number_of_queries(
    client, ministry_user, programme, media, django_assert_num_queries
):
    from reports.services import report_generate

    issue = report_generate(issue_id=make_issue(by=ministry_user).pk)
    client.force_login(ministry_user)
    with django_assert_num_queries(3):  # session, user, issue
        client.get(f"/bao-cao/{issue.pk}/trang-thai/")
    with django_assert_num_queries(3):
        b"".join(client.get(f"/bao-cao/{issue.pk}/tai-ve/pdf/").streaming_content)


def test_ministry_staff_choose_the_monthly_mail(client, ministry_user):
    client.force_login(ministry_user)
    page = client.get("/bao-cao/nhan-thu/")
    assert page.status_code == 200 and "Không nhận" in page.text
    assert client.post("/bao-cao/nhan-thu/", {"monthly": "1"}).status_code == 302
    subscription = ReportSubscription.objects.get(user=ministry_user)
    assert subscription.monthly
    assert "Đang nhận" in client.get("/bao-cao/nhan-thu/").text
    client.post("/bao-cao/nhan-thu/", {"monthly": "0"})
    subscription.refresh_from_db()
    assert not subscription.monthly
    # Each choice is kept in the history, with who made it.
    assert [h.monthly for h in subscription.history.order_by("history_date")] == [
        False,
        True,
        False,
    ]
    assert subscription.history.latest().history_user == ministry_user
    assert "/bao-cao/nhan-thu/" in client.get("/hop-thu/").text


def test_province_users_have_no_monthly_mail(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    assert client.get("/bao-cao/nhan-thu/").status_code == 403
    assert client.post("/bao-cao/nhan-thu/", {"monthly": "1"}).status_code == 403
    assert not ReportSubscription.objects.exists()
    assert "/bao-cao/nhan-thu/" not in client.get(URL).text


def test_the_mail_setting_page_runs_a_fixed_number_of_queries(
    client, ministry_user, django_assert_num_queries
):
    client.force_login(ministry_user)
    with django_assert_num_queries(3):  # session, user, subscription
        assert client.get("/bao-cao/nhan-thu/").status_code == 200
