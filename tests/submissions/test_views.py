"""The portal's pages: the journey of a draft by Thái Nguyên, what another province gets (404),
what the forms say when something is wrong, and query counts that do not grow with rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Organisation
from projects.models import Scheme, SchemeStatusChange
from provinces.models import Province
from reference.models import ContentArea, Sector
from submissions import services
from submissions.models import Attachment, Comment, CostLine
from tests import factories
from tests.submissions.conftest import (
    PDF,
    cost_line_post,
    png_bytes,
    scheme_post,
    upload,
    xlsx_bytes,
)

S = Scheme.Status
LIST = reverse("submissions:scheme-list")
CREATE = reverse("submissions:scheme-create")


def url(name: str, scheme, *args) -> str:
    return reverse(f"submissions:{name}", args=[scheme.pk, *args])


def texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def tn(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    return client


def create(client, **overrides) -> Scheme:
    data = scheme_post(
        lines=[
            ("Máy sấy chè 500 kg/mẻ", "300.000.000", "450.000.000"),
            ("Chuyển giao kỹ thuật", "50 000 000 đồng", ""),
        ],
        **overrides,
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302, response.context and response.context["summary"]
    return Scheme.objects.get()


def transition(client, scheme, to, expected, reason=""):
    data = {"to": to, "expected_status": expected, "reason": reason}
    return client.post(url("scheme-transition", scheme), data, follow=True)


# The journey.


def test_create_edit_submit_withdraw_resubmit(tn, thai_nguyen_user):
    page = tn.get(CREATE)
    assert page.status_code == 200
    assert "Tạo đề án" in page.text

    scheme = create(tn)
    assert scheme.code == "DX-19-2027-001"
    assert scheme.status == S.DRAFT
    assert scheme.support_requested == 350_000_000
    assert scheme.counterpart_funding == 450_000_000

    detail = tn.get(url("scheme-detail", scheme))
    assert detail.status_code == 200
    assert "350.000.000 đồng" in detail.text
    assert "Gửi Sở Công Thương" in detail.text

    # Edit: change a line, delete the other, add one.
    edit = tn.get(url("scheme-edit", scheme))
    assert edit.status_code == 200
    assert 'value="300.000.000"' in edit.text
    first, second = scheme.cost_lines.all()
    data = scheme_post(title="Hỗ trợ máy sấy chè (bản sửa)", expected_status=S.DRAFT)
    data.update(
        cost_line_post(
            [
                ("Máy sấy chè 500 kg/mẻ", "320.000.000", "400.000.000", first.pk),
                ("Chuyển giao kỹ thuật", "50.000.000", "", second.pk, True),
                ("Hội thảo đầu bờ", "15.000.000", "5.000.000"),
            ],
            initial=2,
        )
    )
    response = tn.post(url("scheme-edit", scheme), data)
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.title == "Hỗ trợ máy sấy chè (bản sửa)"
    assert (scheme.support_requested, scheme.counterpart_funding) == (335_000_000, 405_000_000)
    assert scheme.cost_lines.count() == 2

    # Submitting without the proposal file is refused and says why.
    response = transition(tn, scheme, S.SUBMITTED, S.DRAFT)
    assert any("chưa đủ để gửi" in text for text in texts(response))

    response = tn.post(
        url("attachment-add", scheme),
        {"kind": "proposal", "label": "Thuyết minh", "file": upload("thuyet-minh.pdf", PDF)},
    )
    assert response.status_code == 302
    response = transition(tn, scheme, S.SUBMITTED, S.DRAFT)
    assert "Đề án DX-19-2027-001: đã chuyển sang “Đã gửi Sở Công Thương”." in texts(response)
    scheme.refresh_from_db()
    assert scheme.status == S.SUBMITTED
    # No longer editable.
    assert tn.get(url("scheme-edit", scheme)).status_code == 302
    assert "Sửa hồ sơ" not in tn.get(url("scheme-detail", scheme)).text

    # Withdraw, with a reason.
    response = transition(tn, scheme, S.DRAFT, S.SUBMITTED)
    assert any("Cần ghi rõ lý do" in text for text in texts(response))
    transition(tn, scheme, S.DRAFT, S.SUBMITTED, reason="Bổ sung hồ sơ cơ sở thụ hưởng")
    scheme.refresh_from_db()
    assert scheme.status == S.DRAFT

    # Submit again; the Sở returns it; the province resubmits.
    transition(tn, scheme, S.SUBMITTED, S.DRAFT)
    transition(tn, scheme, S.RETURNED, S.SUBMITTED, reason="Làm rõ vốn đối ứng")
    scheme.refresh_from_db()
    assert scheme.status == S.RETURNED
    detail = tn.get(url("scheme-detail", scheme))
    assert "Làm rõ vốn đối ứng" in detail.text
    assert "Gửi lại sau chỉnh sửa" in detail.text
    assert tn.get(url("scheme-edit", scheme)).status_code == 200
    transition(tn, scheme, S.SUBMITTED, S.RETURNED)
    scheme.refresh_from_db()
    assert scheme.status == S.SUBMITTED
    assert list(scheme.status_changes.values_list("to_status", flat=True)) == [
        S.SUBMITTED,
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.SUBMITTED,
    ]
    assert all(change.by == thai_nguyen_user for change in scheme.status_changes.all())


def test_double_submit_is_refused_with_the_services_message(tn):
    scheme = create(tn)
    tn.post(url("attachment-add", scheme), {"kind": "proposal", "file": upload("a.pdf", PDF)})
    first = transition(tn, scheme, S.SUBMITTED, S.DRAFT)
    second = transition(tn, scheme, S.SUBMITTED, S.DRAFT)
    assert any("đã chuyển sang" in text for text in texts(first))
    assert texts(second) == [
        f"Đề án {scheme.code} vừa được người khác xử lý: trạng thái hiện nay là "
        "“Đã gửi Sở Công Thương”. Hãy tải lại trang."
    ]
    assert SchemeStatusChange.objects.filter(scheme=scheme).count() == 1


# Another province sees nothing.


def test_another_province_gets_404_everywhere(tn, ha_noi_user, media_root):
    scheme = create(tn)
    tn.post(url("attachment-add", scheme), {"kind": "proposal", "file": upload("a.pdf", PDF)})
    attachment = Attachment.objects.get()
    client = Client()
    client.force_login(ha_noi_user)
    gets = [
        url("scheme-detail", scheme),
        url("scheme-edit", scheme),
        url("attachment-download", scheme, attachment.pk),
    ]
    for page in gets:
        assert client.get(page).status_code == 404, page
    posts = {
        url("scheme-edit", scheme): scheme_post(),
        url("scheme-transition", scheme): {"to": S.SUBMITTED, "expected_status": S.DRAFT},
        url("attachment-add", scheme): {"kind": "other", "file": upload("b.pdf", PDF)},
        url("attachment-remove", scheme, attachment.pk): {},
        url("comment-add", scheme): {"text": "?"},
    }
    for page, data in posts.items():
        assert client.post(page, data).status_code == 404, page
    scheme.refresh_from_db()
    assert scheme.status == S.DRAFT
    assert Attachment.objects.count() == 1
    assert not Comment.objects.exists()
    # Nor is it in Hà Nội's list.
    assert scheme.code not in client.get(LIST + "?tab=draft").text


def test_ministry_reads_the_dossier_and_comments_but_has_no_portal(tn, ministry_user):
    scheme = create(tn)
    client = Client()
    client.force_login(ministry_user)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    page = client.get(url("scheme-detail", scheme))
    assert page.status_code == 200
    assert "Gửi Sở Công Thương" not in page.text
    assert client.get(url("scheme-edit", scheme)).status_code == 403
    response = client.post(url("comment-add", scheme), {"text": "Đề nghị bổ sung báo giá."})
    assert response.status_code == 302
    assert "Đề nghị bổ sung báo giá." in tn.get(url("scheme-detail", scheme)).text


def test_login_required(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Files.


def test_download_is_an_attachment_with_the_detected_type(tn):
    scheme = create(tn)
    for name, content in (("mat-bang.png", png_bytes()), ("dự toán.xlsx", xlsx_bytes())):
        response = tn.post(
            url("attachment-add", scheme), {"kind": "estimate", "file": upload(name, content)}
        )
        assert response.status_code == 302
    png, xlsx = Attachment.objects.order_by("pk")
    response = tn.get(url("attachment-download", scheme, png.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="mat-bang.png"'
    assert b"".join(response.streaming_content) == png_bytes()
    response = tn.get(url("attachment-download", scheme, xlsx.pk))
    assert response["Content-Type"] == Attachment.FileType.XLSX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    # The uploads are not under any URL.
    assert tn.get(f"/media/{xlsx.stored_path}").status_code == 404


def test_an_attachment_of_another_scheme_is_not_served_through_this_one(tn):
    mine = create(tn)
    tn.post(url("attachment-add", mine), {"kind": "proposal", "file": upload("a.pdf", PDF)})
    other = factories.SchemeFactory(status=S.DRAFT)  # also Thái Nguyên's
    attachment = Attachment.objects.get()
    assert tn.get(url("attachment-download", other, attachment.pk)).status_code == 404


def test_a_fake_pdf_is_refused_next_to_the_file_field(tn):
    scheme = create(tn)
    response = tn.post(
        url("attachment-add", scheme),
        {"kind": "proposal", "file": upload("x.pdf", b"hello", "application/pdf")},
    )
    assert response.status_code == 200
    assert "Tệp &#x27;x.pdf&#x27; không phải PDF thật (nội dung là văn bản thuần)." in response.text
    assert not Attachment.objects.exists()


def test_a_large_file_is_refused_on_the_page(tn, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    scheme = create(tn)
    big = PDF + b"0" * int(1.3 * 1024 * 1024)
    response = tn.post(
        url("attachment-add", scheme), {"kind": "proposal", "file": upload("l.pdf", big)}
    )
    assert "Tệp quá lớn: 1,4 MB, tối đa 1 MB." in response.text
    assert not Attachment.objects.exists()


# What the form says.


def test_the_form_says_what_is_wrong_and_where(tn):
    data = scheme_post(
        lines=[("Máy sấy", "1,5 tỷ", ""), ("", "", "")],
        start_date="2027-03-01",
        end_date="30/02/2027",
        title="",
    )
    response = tn.post(CREATE, data)
    assert response.status_code == 200
    summary = response.context["summary"]
    where = {(line.where, line.anchor) for line in summary}
    assert ("Tên đề án", "#f-title") in where
    assert ("Ngày bắt đầu", "#f-start_date") in where
    assert ("Dòng kinh phí 1 – Kinh phí khuyến công hỗ trợ (đồng)", "#line-1") in where
    html = response.text
    assert "Chưa lưu được: có 4 chỗ cần sửa" in html
    assert (
        "&#x27;1,5 tỷ&#x27; không phải số tiền hợp lệ: nhập số đồng, ví dụ 1.250.000.000." in html
    )
    assert "ví dụ 31/12/2026" in html
    assert "tháng 2 năm 2027 không có ngày 30" in html
    # What was typed is kept.
    assert 'value="1,5 tỷ"' in html
    assert not Scheme.objects.exists()


def test_the_form_offers_only_the_lists_in_force(tn):
    page = tn.get(CREATE)
    form = page.context["form"]
    lists = {area.content_list.code for area in form.fields["content_areas"].queryset}
    assert lists == {"nd45"}  # plan years 2026–2028
    data = scheme_post(content_areas=["999999"])
    response = tn.post(CREATE, data)
    assert "content_areas" in response.context["form"].errors


def test_a_returned_2024_scheme_keeps_the_2021_2025_list(tn):
    scheme = factories.SchemeFactory(status=S.RETURNED, plan_year=2024, fund="local")
    page = tn.get(url("scheme-edit", scheme))
    lists = {
        area.content_list.code for area in page.context["form"].fields["content_areas"].queryset
    }
    assert lists == {"nd45", "ct2125"}
    response = tn.post(
        url("scheme-edit", scheme), scheme_post(year=2024, expected_status=S.RETURNED)
    )
    assert response.status_code == 302, response.context["summary"]
    wrong = scheme_post(year=2024, expected_status=S.RETURNED)
    wrong["content_areas"] = [str(ContentArea.objects.get(code="nd45-3").pk)]
    response = tn.post(url("scheme-edit", scheme), wrong)
    assert response.status_code == 200
    assert "Năm 2024 áp dụng danh mục" in response.text


def test_a_province_user_cannot_post_a_draft_for_another_province(tn):
    ha_noi = Province.objects.get(code="01", map_version="34")
    response = tn.post(CREATE, scheme_post(province=str(ha_noi.pk)))
    # The province is not a field for province users: the draft is Thái Nguyên's whatever is sent.
    assert response.status_code == 302
    assert Scheme.objects.get().province.code == "19"


# Query counts.


def _fill(rows: int) -> None:
    for status in (S.DRAFT, S.SUBMITTED, S.APPROVED):
        for scheme in factories.SchemeFactory.create_batch(rows, status=status):
            CostLine.objects.create(scheme=scheme, item="Máy", support_amount=1_000_000)
            factories.EstablishmentFactory.create_batch(1)


def measure(client, page: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


def test_my_dossiers_cost_the_same_queries_with_twice_the_rows(tn):
    _fill(3)
    tn.get(LIST)  # warm-up
    queries = measure(tn, LIST + "?tab=draft")
    _fill(3)
    assert measure(tn, LIST + "?tab=draft") == queries
    assert queries <= 7, queries


def _grow(scheme, rows: int, user) -> None:
    for _ in range(rows):
        CostLine.objects.create(scheme=scheme, item="Máy", support_amount=1_000_000)
        services.attachment_add(
            scheme=scheme, by=user, upload=upload("a.pdf", PDF), kind="proposal"
        )
        services.comment_add(scheme=scheme, by=user, text="Ý kiến")
        scheme.beneficiaries.add(factories.EstablishmentFactory())
        SchemeStatusChange.objects.create(
            scheme=scheme, from_status=S.DRAFT, to_status=S.SUBMITTED, by=user
        )


def test_the_dossier_page_costs_the_same_queries_with_twice_the_rows(tn, thai_nguyen_user):
    scheme = create(tn)
    _grow(scheme, 3, thai_nguyen_user)
    page = url("scheme-detail", scheme)
    tn.get(page)  # warm-up
    queries = measure(tn, page)
    _grow(scheme, 3, thai_nguyen_user)
    assert measure(tn, page) == queries
    assert queries <= 12, queries


def test_a_new_beneficiary_added_inline(tn):
    data = scheme_post(
        lines=[("Máy sấy", "100.000.000", "")],
        **{
            "new-0-name": "Hộ kinh doanh chè Minh Anh",
            "new-0-legal_form": "household",
            "new-0-registration_code": "17a8654321",
            "new-0-commune": "Tân Cương",
            "new-0-sector": str(Sector.objects.get(code="a").pk),
            "new-0-size": "micro",
        },
    )
    assert tn.post(CREATE, data).status_code == 302
    scheme = Scheme.objects.get()
    [place] = scheme.beneficiaries.all()
    assert (place.registration_code, place.province.code) == ("17A8654321", "19")
    # A cooperative needs a valid tax code: said next to the field.
    data["new-0-legal_form"] = "cooperative"
    data["new-0-registration_code"] = "0101245487"
    response = tn.post(CREATE, data)
    assert response.status_code == 200
    assert "không phải mã số thuế hợp lệ" in response.text


def test_a_regional_centre_drafts_for_a_province_it_covers(client, db):
    ipc1 = Organisation.objects.get(short_name="IPC1")
    user = factories.UserFactory(role="regional", organisation=ipc1, username="ipc1-v")
    client.force_login(user)
    page = client.get(CREATE)
    assert page.status_code == 200
    assert "province" in page.context["form"].fields
    thai_nguyen = Province.objects.get(code="19", map_version="34")
    data = scheme_post(
        lines=[("Hội chợ vùng", "200.000.000", "")],
        province=str(thai_nguyen.pk),
        fund="national",
        implementing_unit=str(ipc1.pk),
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302, response.context["summary"]
    scheme = Scheme.objects.get()
    assert (scheme.province, scheme.implementing_unit, scheme.fund) == (
        thai_nguyen,
        ipc1,
        "national",
    )
    assert scheme.code in client.get(LIST + "?tab=draft").text
    # A southern unit is not IPC1's.
    south = Province.objects.filter(map_version="34", region__code="south").first()
    response = client.post(CREATE, {**data, "province": str(south.pk)})
    assert response.status_code == 200
    assert "province" in response.context["form"].errors
