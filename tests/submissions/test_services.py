"""The portal's services: drafts and their estimate, files checked by content, moves through the
workflow's one service."""

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Fund, Scheme, SchemeStatusChange
from projects.services import TransitionError
from provinces.models import Province, ProvinceMap
from reference.models import ContentArea, Sector
from submissions import services
from submissions.models import Attachment, CostLine
from submissions.selectors import content_list_for_year, sectors_valid_on
from submissions.services import CostLineInput
from tests import factories
from tests.submissions.conftest import (
    PDF,
    centre_of,
    docx_bytes,
    png_bytes,
    thai_nguyen,
    upload,
    xlsx_bytes,
)

S = Scheme.Status


def draft_data(year: int = 2027, **overrides) -> dict:
    data = {
        "title": "Hỗ trợ ứng dụng máy sấy chè tiên tiến",
        "plan_year": year,
        "fund": Fund.LOCAL,
        "kind": Scheme.Kind.TARGETED,
        "content_areas": [ContentArea.objects.get(code="nd45-3")],
        "sector": Sector.objects.get(code="a"),
        "start_date": datetime.date(year, 3, 1),
        "end_date": datetime.date(year, 11, 30),
        "description": "",
    }
    data.update(overrides)
    return data


LINES = [
    CostLineInput("Máy sấy chè", Decimal(300_000_000), Decimal(450_000_000)),
    CostLineInput("Chuyển giao kỹ thuật", Decimal(50_000_000)),
]


def make_draft(user, **overrides) -> Scheme:
    return services.draft_create(by=user, data=draft_data(**overrides), cost_lines=LINES)


# Drafts.


def test_draft_is_made_for_the_users_own_province_with_its_centre(thai_nguyen_user):
    scheme = make_draft(thai_nguyen_user)
    assert scheme.status == S.DRAFT
    assert scheme.province == thai_nguyen()
    assert scheme.province.map_version == ProvinceMap.NEW_34
    assert scheme.implementing_unit == centre_of(thai_nguyen())
    assert scheme.code == "DX-19-2027-001"
    assert make_draft(thai_nguyen_user).code == "DX-19-2027-002"
    assert make_draft(thai_nguyen_user, year=2028).code == "DX-19-2028-001"
    assert scheme.history.first().history_user == thai_nguyen_user


def test_cost_lines_sum_into_the_schemes_money(thai_nguyen_user):
    scheme = make_draft(thai_nguyen_user)
    scheme.refresh_from_db()
    assert scheme.support_requested == Decimal(350_000_000)
    assert scheme.counterpart_funding == Decimal(450_000_000)
    assert list(scheme.cost_lines.values_list("order", "item")) == [
        (1, "Máy sấy chè"),
        (2, "Chuyển giao kỹ thuật"),
    ]


def test_a_province_user_cannot_make_a_draft_for_another_province(thai_nguyen_user):
    ha_noi = Province.objects.get(code="01", map_version=ProvinceMap.NEW_34)
    with pytest.raises(PermissionDenied):
        services.draft_create(
            by=thai_nguyen_user, data=draft_data(province=ha_noi), cost_lines=LINES
        )
    assert not Scheme.objects.exists()


def test_ministry_staff_make_no_drafts(ministry_user):
    with pytest.raises(PermissionDenied):
        make_draft(ministry_user)


def test_a_bad_cost_line_saves_nothing(thai_nguyen_user):
    lines = [*LINES, CostLineInput("Âm", Decimal(-5))]
    with pytest.raises(ValidationError) as caught:
        services.draft_create(by=thai_nguyen_user, data=draft_data(), cost_lines=lines)
    assert caught.value.message_dict["cost_lines"] == ["Dòng kinh phí 3: số tiền không được âm."]
    assert not Scheme.objects.exists()
    assert not CostLine.objects.exists()


def test_a_bad_new_beneficiary_saves_nothing(thai_nguyen_user):
    bad = {
        "name": "HTX chè Tân Cương",
        "legal_form": Establishment.LegalForm.COOPERATIVE,
        "registration_code": "0101245487",  # check digit wrong
        "commune": "Tân Cương",
        "sector": Sector.objects.get(code="a"),
        "size": Establishment.Size.SMALL,
    }
    with pytest.raises(ValidationError) as caught:
        services.draft_create(
            by=thai_nguyen_user, data=draft_data(), cost_lines=LINES, new_beneficiaries=[bad]
        )
    assert "mã số thuế hợp lệ" in caught.value.message_dict["new_beneficiaries"][0]
    assert not Scheme.objects.exists()
    assert not Establishment.objects.filter(name="HTX chè Tân Cương").exists()


def test_new_beneficiaries_are_registered_in_the_schemes_province(thai_nguyen_user):
    new = {
        "name": "Hộ kinh doanh chè Minh Anh",
        "legal_form": Establishment.LegalForm.HOUSEHOLD,
        "registration_code": "17A8123456",
        "commune": "Tân Cương",
        "sector": Sector.objects.get(code="a"),
        "size": Establishment.Size.MICRO,
    }
    existing = factories.EstablishmentFactory()  # in the old Thái Nguyên
    scheme = services.draft_create(
        by=thai_nguyen_user,
        data=draft_data(beneficiaries=[existing]),
        cost_lines=LINES,
        new_beneficiaries=[new],
    )
    made = Establishment.objects.get(registration_code="17A8123456")
    assert made.province == thai_nguyen()
    assert set(scheme.beneficiaries.all()) == {existing, made}


def test_beneficiaries_of_another_province_are_refused(thai_nguyen_user):
    elsewhere = factories.EstablishmentFactory(
        province=Province.objects.get(code="01", map_version=ProvinceMap.OLD_63)
    )
    with pytest.raises(ValidationError) as caught:
        services.draft_create(
            by=thai_nguyen_user, data=draft_data(beneficiaries=[elsewhere]), cost_lines=LINES
        )
    assert "beneficiaries" in caught.value.message_dict
    assert not Scheme.objects.exists()


def test_content_areas_and_sectors_follow_the_plan_year(thai_nguyen_user):
    assert content_list_for_year(2024).code == "ct2125"
    assert content_list_for_year(2026).code == "nd45"
    assert content_list_for_year(2020).code == "nd45"
    # Sector h (Decree 235/2025) is supported from 15/10/2025.
    assert not sectors_valid_on(datetime.date(2025, 1, 1)).filter(code="h").exists()
    assert sectors_valid_on(datetime.date(2026, 1, 1)).filter(code="h").exists()
    with pytest.raises(ValidationError) as caught:
        make_draft(
            thai_nguyen_user,
            year=2025,
            content_areas=[ContentArea.objects.get(code="nd45-3")],
            sector=Sector.objects.get(code="h"),
        )
    assert set(caught.value.message_dict) == {"content_areas", "sector"}
    assert "2025" in caught.value.message_dict["content_areas"][0]


def test_a_pilot_scheme_needs_two_content_areas(thai_nguyen_user):
    with pytest.raises(ValidationError) as caught:
        make_draft(thai_nguyen_user, kind=Scheme.Kind.PILOT)
    assert caught.value.message_dict["content_areas"] == [
        "Đề án điểm phải có ít nhất hai nội dung khuyến công."
    ]


def test_draft_update_rewrites_lines_and_sums(thai_nguyen_user):
    scheme = make_draft(thai_nguyen_user)
    first, second = scheme.cost_lines.all()
    services.draft_update(
        scheme=scheme,
        by=thai_nguyen_user,
        data=draft_data(title="Máy sấy chè (sửa)"),
        cost_lines=[
            CostLineInput("Máy sấy chè", Decimal(320_000_000), Decimal(400_000_000), first.pk),
            CostLineInput("Hội thảo", Decimal(20_000_000)),
        ],
        expected_status=S.DRAFT,
    )
    scheme.refresh_from_db()
    assert scheme.title == "Máy sấy chè (sửa)"
    assert scheme.support_requested == Decimal(340_000_000)
    assert scheme.counterpart_funding == Decimal(400_000_000)
    assert not CostLine.objects.filter(pk=second.pk).exists()
    assert first.history.count() == 2  # made, then changed


def test_draft_update_renumbers_a_draft_moved_to_another_year(thai_nguyen_user):
    scheme = make_draft(thai_nguyen_user)
    services.draft_update(
        scheme=scheme, by=thai_nguyen_user, data=draft_data(year=2028), cost_lines=LINES
    )
    scheme.refresh_from_db()
    assert (scheme.plan_year, scheme.code) == (2028, "DX-19-2028-001")


def test_only_the_province_updates_and_only_drafts_or_returned(
    thai_nguyen_user, ha_noi_user, ministry_user
):
    scheme = make_draft(thai_nguyen_user)
    for user in (ha_noi_user, ministry_user):
        with pytest.raises(PermissionDenied):
            services.draft_update(scheme=scheme, by=user, data=draft_data(), cost_lines=LINES)
    submitted = factories.SchemeFactory(status=S.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        services.draft_update(
            scheme=submitted, by=thai_nguyen_user, data=draft_data(), cost_lines=LINES
        )
    assert "chỉ sửa được khi còn là nháp hoặc bị trả lại" in caught.value.messages[0]


def test_a_stale_edit_is_refused(thai_nguyen_user):
    scheme = make_draft(thai_nguyen_user)
    with pytest.raises(TransitionError) as caught:
        services.draft_update(
            scheme=scheme,
            by=thai_nguyen_user,
            data=draft_data(),
            cost_lines=LINES,
            expected_status=S.RETURNED,
        )
    assert "vừa được người khác xử lý" in caught.value.messages[0]


# Files.


@pytest.mark.parametrize(
    ("name", "content", "file_type"),
    [
        ("thuyet-minh.pdf", PDF, Attachment.FileType.PDF),
        ("mat-bang.PNG", png_bytes(), Attachment.FileType.PNG),
        ("du-toan.xlsx", xlsx_bytes(), Attachment.FileType.XLSX),
        ("cam-ket.docx", docx_bytes(), Attachment.FileType.DOCX),
        ("anh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", Attachment.FileType.JPEG),
    ],
)
def test_valid_files_are_kept_outside_the_web_root(
    thai_nguyen_user, media_root, name, content, file_type
):
    scheme = make_draft(thai_nguyen_user)
    attachment = services.attachment_add(
        scheme=scheme, by=thai_nguyen_user, upload=upload(name, content), kind="proposal"
    )
    assert attachment.content_type == file_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(media_root) / attachment.stored_path
    assert attachment.stored_path.startswith(f"attachments/{scheme.pk}/")
    assert stored.read_bytes() == content


def test_a_text_file_named_pdf_is_refused(thai_nguyen_user, media_root):
    scheme = make_draft(thai_nguyen_user)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            scheme=scheme,
            by=thai_nguyen_user,
            upload=upload("x.pdf", b"Day la van ban thuong", "application/pdf"),
            kind="proposal",
        )
    assert caught.value.message_dict["file"] == [
        "Tệp 'x.pdf' không phải PDF thật (nội dung là văn bản thuần)."
    ]
    assert not Attachment.objects.exists()
    assert not (Path(media_root) / "attachments").exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("du-toan.xlsx", docx_bytes(), "không phải Excel (XLSX) thật (nội dung là Word (DOCX))"),
        ("anh.png", PDF, "không phải Ảnh PNG thật (nội dung là PDF)"),
        ("bang.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Office cũ"),
        ("nen.docx", b"PK\x03\x04" + b"\x00" * 30, "tệp nén ZIP"),
    ],
)
def test_content_must_be_what_the_name_says(thai_nguyen_user, name, content, says):
    scheme = make_draft(thai_nguyen_user)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            scheme=scheme, by=thai_nguyen_user, upload=upload(name, content), kind="other"
        )
    assert says in caught.value.message_dict["file"][0]


def test_other_file_types_are_refused(thai_nguyen_user):
    scheme = make_draft(thai_nguyen_user)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            scheme=scheme, by=thai_nguyen_user, upload=upload("x.exe", b"MZ\x90\x00"), kind="other"
        )
    assert "không thuộc loại được nhận" in caught.value.message_dict["file"][0]


def test_a_file_too_large_is_refused_with_its_size(thai_nguyen_user, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    scheme = make_draft(thai_nguyen_user)
    big = PDF + b"0" * int(1.3 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(
            scheme=scheme, by=thai_nguyen_user, upload=upload("lon.pdf", big), kind="proposal"
        )
    assert caught.value.message_dict["file"] == ["Tệp quá lớn: 1,4 MB, tối đa 1 MB."]
    assert services.size_text(int(12.4 * 1024 * 1024)) == "12,4 MB"
    assert services.size_text(10 * 1024 * 1024) == "10 MB"


def test_files_are_added_only_while_the_dossier_is_prepared(thai_nguyen_user):
    submitted = factories.SchemeFactory(status=S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.attachment_add(
            scheme=submitted, by=thai_nguyen_user, upload=upload("a.pdf", PDF), kind="proposal"
        )
    assert not Attachment.objects.exists()


def test_a_removed_file_is_deleted_once_committed(
    thai_nguyen_user, media_root, django_capture_on_commit_callbacks
):
    scheme = make_draft(thai_nguyen_user)
    attachment = services.attachment_add(
        scheme=scheme, by=thai_nguyen_user, upload=upload("a.pdf", PDF), kind="proposal"
    )
    stored = Path(media_root) / attachment.stored_path
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, by=thai_nguyen_user)
    assert not stored.exists()
    assert not Attachment.objects.exists()
    assert Attachment.history.filter(history_type="-").count() == 1


# Comments.


def test_comments_by_anyone_who_sees_the_scheme(thai_nguyen_user, ministry_user, ha_noi_user):
    scheme = make_draft(thai_nguyen_user)
    comment = services.comment_add(scheme=scheme, by=ministry_user, text="  Bổ sung dự toán.  ")
    assert comment.text == "Bổ sung dự toán."
    with pytest.raises(PermissionDenied):
        services.comment_add(scheme=scheme, by=ha_noi_user, text="?")
    with pytest.raises(ValidationError):
        services.comment_add(scheme=scheme, by=ministry_user, text="   ")


# Moves.


def complete_draft(user) -> Scheme:
    scheme = make_draft(user)
    services.attachment_add(scheme=scheme, by=user, upload=upload("a.pdf", PDF), kind="proposal")
    return scheme


def test_an_incomplete_dossier_is_not_submitted(thai_nguyen_user):
    scheme = services.draft_create(by=thai_nguyen_user, data=draft_data(), cost_lines=[])
    with pytest.raises(TransitionError) as caught:
        services.dossier_transition(
            scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user, expected_status=S.DRAFT
        )
    message = caught.value.messages[0]
    assert "chưa đủ để gửi" in message
    assert "dự toán kinh phí" in message and "tệp thuyết minh" in message
    assert not SchemeStatusChange.objects.exists()


def test_submit_twice_is_refused_once_recorded(thai_nguyen_user):
    scheme = complete_draft(thai_nguyen_user)
    services.dossier_transition(
        scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user, expected_status=S.DRAFT
    )
    with pytest.raises(TransitionError) as caught:
        services.dossier_transition(
            scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user, expected_status=S.DRAFT
        )
    assert caught.value.messages == [
        f"Đề án {scheme.code} vừa được người khác xử lý: trạng thái hiện nay là "
        "“Đã gửi Sở Công Thương”. Hãy tải lại trang."
    ]
    assert SchemeStatusChange.objects.filter(scheme=scheme).count() == 1


def test_withdraw_needs_a_reason_and_only_the_owner_submits(thai_nguyen_user):
    scheme = complete_draft(thai_nguyen_user)
    ipc1_user = factories.UserFactory(
        role=Role.REGIONAL,
        organisation=Organisation.objects.get(short_name="IPC1"),
        username="ipc1-t",
    )
    # IPC1 covers Thái Nguyên and may see the scheme, but does not submit it for the province.
    with pytest.raises(PermissionDenied):
        services.dossier_transition(
            scheme=scheme, to=S.SUBMITTED, by=ipc1_user, expected_status=S.DRAFT
        )
    services.dossier_transition(
        scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user, expected_status=S.DRAFT
    )
    with pytest.raises(TransitionError) as caught:
        services.dossier_transition(
            scheme=scheme, to=S.DRAFT, by=thai_nguyen_user, expected_status=S.SUBMITTED
        )
    assert "Cần ghi rõ lý do" in caught.value.messages[0]
    services.dossier_transition(
        scheme=scheme,
        to=S.DRAFT,
        by=thai_nguyen_user,
        reason="Bổ sung cơ sở thụ hưởng",
        expected_status=S.SUBMITTED,
    )
    scheme.refresh_from_db()
    assert scheme.status == S.DRAFT
    assert list(scheme.status_changes.values_list("to_status", "reason")) == [
        (S.SUBMITTED, ""),
        (S.DRAFT, "Bổ sung cơ sở thụ hưởng"),
    ]
