"""XLSX import of fairs and conferences: cells read as officials type them, every bad cell named
by row and column, all or nothing, idempotent on (kind, name, start date), scoped to the host
province, the funding scheme found among those the user sees; and the events list's files."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from organisations.models import Organisation
from provinces.models import Province
from registers import imports
from registers.models import PromotionEvent
from registers.services.events import event_save
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [col.header for col in imports.event_columns()]
FAIR = "Hội chợ công nghiệp nông thôn tiêu biểu khu vực phía Bắc năm 2020"


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version="63")


def workbook(headers, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Hội chợ 2020"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def event_row(**overrides) -> list:
    values = {
        "Loại": "Hội chợ khu vực",
        "Hội chợ, hội nghị": FAIR,
        "Ngày bắt đầu": "09/07/2020",
        "Ngày kết thúc": "13/07/2020",
        "Địa điểm": "Trung tâm Hội chợ triển lãm tỉnh Thái Nguyên",
        "Quốc gia": "",
        "Tỉnh đăng cai": "Thái Nguyên",
        "Khu vực": "Miền Bắc",
        "Đơn vị tổ chức": "IPC1",
        "Mã đề án cấp kinh phí": "",
        "Năm kế hoạch của đề án": "",
        "Số gian hàng": 150,
        "Nội dung chính": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def events_file(*rows) -> bytes:
    return workbook(HEADERS, *rows)


def problems(user, content) -> list[str]:
    result = imports.check_file(kind=imports.EVENTS, content=content, user=user)
    return [str(p) for p in result.problems]


def run(user, content):
    return imports.import_file(kind=imports.EVENTS, content=content, user=user)


def test_a_good_file_is_read_as_officials_type_it(ministry_user):
    scheme_2020 = factories.SchemeFactory(code="KCQG-2020-001", plan_year=2020)
    scheme_2019 = factories.SchemeFactory(code="KCQG-2019-017", plan_year=2019)
    content = events_file(
        event_row(
            **{
                "Hội chợ, hội nghị": FAIR + "   ",
                "Ngày kết thúc": datetime.datetime(2020, 7, 13),  # noqa: DTZ001 (an Excel date cell)
                "Tỉnh đăng cai": "thai nguyen",
                "Khu vực": "mien bac",
                "Mã đề án cấp kinh phí": " kcqg-2020-001 ",
                "Số gian hàng": "1.200",
            }
        ),
        event_row(
            **{
                "Loại": "hoi nghi",
                "Hội chợ, hội nghị": "Hội nghị khuyến công khu vực miền Trung  ",
                "Ngày bắt đầu": datetime.datetime(2020, 8, 20),  # noqa: DTZ001
                "Ngày kết thúc": "21/8/2020",
                "Địa điểm": "Đồng Hới",
                "Tỉnh đăng cai": "Tỉnh Quảng Bình",
                "Khu vực": "Miền Trung và Tây Nguyên",
                "Đơn vị tổ chức": "Sở Công Thương tỉnh Quảng Bình",
                "Số gian hàng": "",
            }
        ),
        event_row(
            **{
                "Loại": "Hội chợ ở nước ngoài",
                "Hội chợ, hội nghị": "Hội chợ FOODEX Nhật Bản 2020",
                "Ngày bắt đầu": "10/03/2020",
                "Ngày kết thúc": "13/03/2020",
                "Địa điểm": "Makuhari Messe, Chiba",
                "Quốc gia": "Nhật Bản",
                "Tỉnh đăng cai": "",
                "Khu vực": "",
                "Đơn vị tổ chức": "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
                "Mã đề án cấp kinh phí": "KCQG-2019-017",
                "Năm kế hoạch của đề án": 2019,
                "Số gian hàng": 12,
            }
        ),
    )
    result = run(ministry_user, content)
    assert result.ok, [str(p) for p in result.problems]
    assert result.count("create") == 3
    fair = PromotionEvent.objects.get(kind=PromotionEvent.Kind.REGIONAL_FAIR)
    assert (fair.name, fair.starts_on, fair.ends_on) == (FAIR, D(2020, 7, 9), D(2020, 7, 13))
    assert (fair.host_province, fair.region.code, fair.organiser.short_name) == (
        old("19"),
        "north",
        "IPC1",
    )
    assert (fair.scheme, fair.booths) == (scheme_2020, 1200)
    conference = PromotionEvent.objects.get(kind=PromotionEvent.Kind.CONFERENCE)
    assert conference.name == "Hội nghị khuyến công khu vực miền Trung"
    assert (conference.starts_on, conference.ends_on) == (D(2020, 8, 20), D(2020, 8, 21))
    assert (conference.host_province, conference.booths) == (old("44"), 0)
    assert conference.organiser.name == "Sở Công Thương tỉnh Quảng Bình"
    abroad = PromotionEvent.objects.get(kind=PromotionEvent.Kind.FAIR_ABROAD)
    assert (abroad.country, abroad.host_province, abroad.scheme) == ("Nhật Bản", None, scheme_2019)
    # Written through the service, with its history and author.
    assert {h.history_user for h in PromotionEvent.history.all()} == {ministry_user}
    assert PromotionEvent.history.filter(history_type="+").count() == 3


BAD_CELLS = [
    (
        {"Loại": "Triển lãm"},
        "Dòng 2, cột 'Loại': 'Triển lãm' không có trong danh sách: Hội chợ quốc gia; Hội chợ khu "
        "vực; Hội chợ ở nước ngoài; Hội nghị",
    ),
    ({"Hội chợ, hội nghị": "   "}, "Dòng 2, cột 'Hội chợ, hội nghị': không được để trống"),
    (
        {"Ngày bắt đầu": "2020-07-09"},
        "Dòng 2, cột 'Ngày bắt đầu': '2020-07-09' không phải ngày hợp lệ: viết ngày/tháng/năm, "
        "ví dụ 31/12/2026.",
    ),
    (
        # An Excel day number is a date (44021 is 09/07/2020); 123 is no date of an event.
        {"Ngày bắt đầu": 123},
        "Dòng 2, cột 'Ngày bắt đầu': '123' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ "
        "31/12/2019",
    ),
    (
        {"Ngày kết thúc": "31/6/2020"},
        "Dòng 2, cột 'Ngày kết thúc': '31/6/2020' không phải ngày hợp lệ: tháng 6 năm 2020 không "
        "có ngày 31 (viết ngày/tháng/năm, ví dụ 31/12/2026).",
    ),
    (
        {"Ngày bắt đầu": "13/07/2020", "Ngày kết thúc": "9/7/2020"},
        "Dòng 2, cột 'Ngày kết thúc': 09/07/2020 trước ngày bắt đầu 13/07/2020",
    ),
    (
        {"Tỉnh đăng cai": ""},
        "Dòng 2, cột 'Tỉnh đăng cai': hội chợ, hội nghị trong nước phải ghi tỉnh đăng cai",
    ),
    (
        {"Tỉnh đăng cai": "Gotham"},
        "Dòng 2, cột 'Tỉnh đăng cai': không có tỉnh, thành phố nào tên 'Gotham'",
    ),
    (
        {"Loại": "Hội chợ ở nước ngoài", "Quốc gia": " "},
        "Dòng 2, cột 'Quốc gia': hội chợ ở nước ngoài phải ghi quốc gia",
    ),
    (
        {"Khu vực": "Miền Tây"},
        "Dòng 2, cột 'Khu vực': không có vùng nào tên 'Miền Tây'; các vùng: Miền Bắc; Miền Trung "
        "và Tây Nguyên; Miền Nam",
    ),
    (
        {"Đơn vị tổ chức": "IPC9"},
        "Dòng 2, cột 'Đơn vị tổ chức': không có đơn vị tổ chức nào tên 'IPC9'",
    ),
    (
        {"Mã đề án cấp kinh phí": "KCQG-2020-999"},
        "Dòng 2, cột 'Mã đề án cấp kinh phí': không có đề án mã 'KCQG-2020-999' trong kế hoạch "
        "năm 2020 mà bạn xem được",
    ),
    (
        {"Mã đề án cấp kinh phí": "KCQG-2020-001", "Năm kế hoạch của đề án": 2021},
        "Dòng 2, cột 'Mã đề án cấp kinh phí': không có đề án mã 'KCQG-2020-001' trong kế hoạch "
        "năm 2021 mà bạn xem được",
    ),
    (
        {"Năm kế hoạch của đề án": 2020},
        "Dòng 2, cột 'Năm kế hoạch của đề án': có năm kế hoạch nhưng chưa ghi mã đề án",
    ),
    (
        {"Năm kế hoạch của đề án": "năm 2020"},
        "Dòng 2, cột 'Năm kế hoạch của đề án': 'năm 2020' không phải số nguyên hợp lệ",
    ),
    ({"Số gian hàng": "-5"}, "Dòng 2, cột 'Số gian hàng': '-5' là số âm"),
    ({"Số gian hàng": "mười"}, "Dòng 2, cột 'Số gian hàng': 'mười' không phải số nguyên hợp lệ"),
    ({"Địa điểm": "x" * 256}, "Dòng 2, cột 'Địa điểm': dài 256 ký tự, tối đa 255"),
    (
        {"Số gian hàng": "=B2*2"},
        "Dòng 2, cột 'Số gian hàng': ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)",
    ),
]


@pytest.mark.parametrize(("cells", "message"), BAD_CELLS)
def test_each_bad_cell_is_named_by_row_and_column(ministry_user, cells, message):
    factories.SchemeFactory(code="KCQG-2020-001", plan_year=2020)
    assert problems(ministry_user, events_file(event_row(**cells))) == [message]
    assert not run(ministry_user, events_file(event_row(**cells))).ok
    assert not PromotionEvent.objects.exists()


def test_a_row_with_several_faults_names_each(ministry_user):
    row = event_row(
        **{
            "Loại": "Hội chợ ở nước ngoài",
            "Quốc gia": "",
            "Ngày bắt đầu": "13/07/2020",
            "Ngày kết thúc": "12/07/2020",
        }
    )
    assert problems(ministry_user, events_file(row)) == [
        "Dòng 2, cột 'Ngày kết thúc': 12/07/2020 trước ngày bắt đầu 13/07/2020",
        "Dòng 2, cột 'Quốc gia': hội chợ ở nước ngoài phải ghi quốc gia",
    ]


def test_file_level_refusals(ministry_user):
    assert problems(ministry_user, b"loai,ten\nHoi nghi,A\n") == [
        "Tệp không phải bảng tính Excel (.xlsx)."
    ]
    assert problems(ministry_user, workbook(["Loại", "Tên", "Ngày"], ["Hội nghị", "A", "1/1"])) == [
        "Dòng 1: thiếu cột 'Hội chợ, hội nghị', 'Ngày bắt đầu', 'Ngày kết thúc', 'Địa điểm' "
        "(tải mẫu để xem các cột)"
    ]
    assert problems(ministry_user, events_file()) == ["Tệp không có dòng dữ liệu nào."]


def test_the_same_event_twice_in_a_file_is_refused(ministry_user):
    content = events_file(
        event_row(),
        event_row(
            **{
                "Hội chợ, hội nghị": "hoi cho cong nghiep nong thon tieu bieu khu vuc phia "
                "bac nam 2020 ",
                "Địa điểm": "Hà Nội",
            }
        ),
        # Another start date is another event (a fair held twice a year).
        event_row(**{"Ngày bắt đầu": "09/11/2020", "Ngày kết thúc": "13/11/2020"}),
    )
    assert problems(ministry_user, content) == [
        "Dòng 3, cột 'Hội chợ, hội nghị': trùng với dòng 2 (cùng loại, tên, ngày bắt đầu)"
    ]


def test_one_bad_row_writes_nothing(ministry_user):
    content = events_file(
        event_row(),
        event_row(**{"Hội chợ, hội nghị": "Hội nghị B", "Loại": "Hội nghị", "Ngày kết thúc": "x"}),
        event_row(**{"Hội chợ, hội nghị": "Hội nghị C", "Loại": "Hội nghị"}),
    )
    result = run(ministry_user, content)
    assert [str(p) for p in result.problems] == [
        "Dòng 3, cột 'Ngày kết thúc': 'x' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ "
        "31/12/2026."
    ]
    assert not PromotionEvent.objects.exists()
    assert not PromotionEvent.history.exists()


def test_importing_twice_changes_nothing_the_second_time(ministry_user):
    factories.SchemeFactory(code="KCQG-2020-001", plan_year=2020)
    content = events_file(
        event_row(**{"Mã đề án cấp kinh phí": "KCQG-2020-001"}),
        event_row(**{"Loại": "Hội nghị", "Hội chợ, hội nghị": "Hội nghị khuyến công phía Bắc"}),
        event_row(
            **{
                "Loại": "Hội chợ ở nước ngoài",
                "Hội chợ, hội nghị": "Hội chợ Côn Minh",
                "Quốc gia": "Trung Quốc",
                "Tỉnh đăng cai": "",
                "Khu vực": "",
            }
        ),
    )
    first = run(ministry_user, content)
    assert (first.count("create"), first.count("update")) == (3, 0)
    history = PromotionEvent.history.count()
    second = run(ministry_user, content)
    assert (second.count("create"), second.count("update"), second.count("same")) == (0, 0, 3)
    assert PromotionEvent.objects.count() == 3
    assert PromotionEvent.history.count() == history
    # A name typed differently is the same event; its other columns update it.
    changed = events_file(
        event_row(
            **{
                "Hội chợ, hội nghị": FAIR.upper(),
                "Số gian hàng": 180,
                "Ngày kết thúc": "14/07/2020",
                "Mã đề án cấp kinh phí": "",
            }
        )
    )
    third = run(ministry_user, changed)
    assert (third.count("create"), third.count("update")) == (0, 1)
    fair = PromotionEvent.objects.get(kind=PromotionEvent.Kind.REGIONAL_FAIR)
    assert (fair.name, fair.booths, fair.ends_on) == (FAIR, 180, D(2020, 7, 14))
    assert fair.scheme is None, "an empty cell of a column the file has clears the link"
    assert PromotionEvent.history.count() == history + 1


def test_a_column_left_out_keeps_what_the_register_holds(ministry_user):
    scheme = factories.SchemeFactory(code="KCQG-2020-001", plan_year=2020)
    run(ministry_user, events_file(event_row(**{"Mã đề án cấp kinh phí": "KCQG-2020-001"})))
    headers = ["Loại", "Hội chợ, hội nghị", "Ngày bắt đầu", "Ngày kết thúc", "Địa điểm"]
    content = workbook(
        headers, ["Hội chợ khu vực", FAIR, "09/07/2020", "13/07/2020", "Nhà thi đấu tỉnh"]
    )
    result = run(ministry_user, content)
    assert result.count("update") == 1, [str(p) for p in result.problems]
    fair = PromotionEvent.objects.get()
    assert (fair.place, fair.booths, fair.scheme, fair.organiser.short_name) == (
        "Nhà thi đấu tỉnh",
        150,
        scheme,
        "IPC1",
    )
    assert fair.host_province == old("19")


def test_a_province_user_imports_only_the_events_its_province_hosts(thai_nguyen_user, ha_noi_user):
    hanoi_scheme = factories.SchemeFactory(code="KCĐP-HN-2020", plan_year=2020, province=old("01"))
    hanoi_fair = factories.PromotionEventFactory(
        kind=PromotionEvent.Kind.NATIONAL_FAIR,
        name="Hội chợ quốc gia 2020",
        starts_on=D(2020, 10, 1),
        ends_on=D(2020, 10, 5),
        host_province=old("01"),
    )
    abroad = factories.PromotionEventFactory(
        kind=PromotionEvent.Kind.FAIR_ABROAD,
        name="Hội chợ Côn Minh",
        country="Trung Quốc",
        host_province=None,
        starts_on=D(2020, 6, 1),
        ends_on=D(2020, 6, 5),
    )
    content = events_file(
        event_row(**{"Tỉnh đăng cai": "Hà Nội"}),
        event_row(**{"Hội chợ, hội nghị": "Hội chợ B", "Tỉnh đăng cai": "Bắc Kạn"}),
        event_row(
            **{
                "Loại": "Hội chợ ở nước ngoài",
                "Hội chợ, hội nghị": "Hội chợ Seoul",
                "Quốc gia": "Hàn Quốc",
                "Tỉnh đăng cai": "",
            }
        ),
        event_row(
            **{
                "Loại": "Hội chợ quốc gia",
                "Hội chợ, hội nghị": hanoi_fair.name,
                "Ngày bắt đầu": "01/10/2020",
                "Ngày kết thúc": "05/10/2020",
            }
        ),
        event_row(
            **{
                "Loại": "Hội chợ ở nước ngoài",
                "Hội chợ, hội nghị": abroad.name,
                "Ngày bắt đầu": "01/06/2020",
                "Ngày kết thúc": "05/06/2020",
                "Quốc gia": "Trung Quốc",
            }
        ),
        event_row(**{"Hội chợ, hội nghị": "Hội chợ C", "Mã đề án cấp kinh phí": hanoi_scheme.code}),
    )
    assert problems(thai_nguyen_user, content) == [
        "Dòng 2, cột 'Tỉnh đăng cai': Thành phố Hà Nội không phải tỉnh của bạn",
        "Dòng 4, cột 'Tỉnh đăng cai': chỉ Cục nhập hội chợ, hội nghị không có tỉnh đăng cai",
        "Dòng 5, cột 'Hội chợ, hội nghị': đã có trong sổ, do Thành phố Hà Nội đăng cai: chỉ tỉnh "
        "đó hoặc Cục sửa được",
        "Dòng 6, cột 'Hội chợ, hội nghị': đã có trong sổ, không có tỉnh đăng cai: chỉ Cục sửa được",
        "Dòng 7, cột 'Mã đề án cấp kinh phí': không có đề án mã 'KCĐP-HN-2020' trong kế hoạch năm "
        "2020 mà bạn xem được",
    ]
    # Bắc Kạn merged into Thái Nguyên: its events are Thái Nguyên's to import.
    own = events_file(
        event_row(), event_row(**{"Hội chợ, hội nghị": "B", "Tỉnh đăng cai": "Bắc Kạn"})
    )
    result = run(thai_nguyen_user, own)
    assert result.ok, [str(p) for p in result.problems]
    assert {e.host_province.code for e in PromotionEvent.objects.filter(name__in=[FAIR, "B"])} == {
        "19",
        "06",
    }
    # Hà Nội cannot take Thái Nguyên's fair over by naming itself the host.
    assert problems(ha_noi_user, events_file(event_row(**{"Tỉnh đăng cai": "Ha Noi"}))) == [
        "Dòng 2, cột 'Hội chợ, hội nghị': đã có trong sổ, do Tỉnh Thái Nguyên đăng cai: chỉ tỉnh "
        "đó hoặc Cục sửa được"
    ]
    hanoi = events_file(
        event_row(
            **{
                "Hội chợ, hội nghị": "Hội chợ hàng thủ công mỹ nghệ Hà Nội",
                "Tỉnh đăng cai": "Ha Noi",
                "Mã đề án cấp kinh phí": "kcđp-hn-2020",
            }
        )
    )
    result = run(ha_noi_user, hanoi)
    assert result.ok, [str(p) for p in result.problems]
    assert PromotionEvent.objects.get(scheme=hanoi_scheme).host_province == old("01")


def test_readers_may_not_import(db):
    reader = factories.UserFactory(
        role=Role.REGIONAL, organisation=Organisation.objects.get(short_name="IPC1")
    )
    with pytest.raises(PermissionDenied):
        imports.check_file(kind=imports.EVENTS, content=events_file(event_row()), user=reader)


def test_booths_cannot_fall_below_those_given_to_participants(ministry_user):
    run(ministry_user, events_file(event_row()))
    fair = PromotionEvent.objects.get()
    fair.participants.create(establishment=factories.EstablishmentFactory(), booths=3)
    fair.participants.create(establishment=factories.EstablishmentFactory(), booths=2)
    assert problems(ministry_user, events_file(event_row(**{"Số gian hàng": 4}))) == [
        "Dòng 2, cột 'Số gian hàng': ít hơn 5 gian hàng đã phân cho các cơ sở tham gia"
    ]
    assert run(ministry_user, events_file(event_row(**{"Số gian hàng": 5}))).count("update") == 1
    # The service holds the rule for the event form too.
    fair.refresh_from_db()
    fair.booths = 4
    with pytest.raises(ValidationError) as refused:
        event_save(event=fair, by=ministry_user)
    assert refused.value.message_dict["booths"] == [
        "Đã phân 5 gian hàng cho các cơ sở tham gia: tổng số gian hàng không được ít hơn."
    ]


def test_template_has_the_columns_a_guide_and_an_example_that_imports(ministry_user):
    template = imports.template_workbook(imports.EVENTS)
    book = load_workbook(io.BytesIO(template))
    assert book.sheetnames == ["Hội chợ, hội nghị", "Hướng dẫn"]
    assert [c.value for c in book["Hội chợ, hội nghị"][1]] == HEADERS
    guide = [row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "Cán bộ tỉnh chỉ nhập hội chợ, hội nghị do tỉnh mình đăng cai." in guide
    assert imports.check_file(kind=imports.EVENTS, content=template, user=ministry_user).ok


def test_command_imports_events(ministry_user, tmp_path):
    path = tmp_path / "hoi-cho.xlsx"
    path.write_bytes(events_file(event_row()))
    out = io.StringIO()
    call_command(
        "import_registers", "events", str(path), "--user", ministry_user.username, stdout=out
    )
    assert out.getvalue().strip() == "1 created, 0 updated, 0 unchanged."
    assert PromotionEvent.objects.get().name == FAIR


# --- The pages ----------------------------------------------------------------------------------

IMPORT_URL = "/hoi-cho-hoi-nghi/nhap/"


def upload(client, content):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("hoi-cho.xlsx", content)})


def test_upload_preview_then_confirm(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    listing = client.get(reverse("registers:event-list")).content.decode()
    assert f'href="{IMPORT_URL}"' in listing
    assert reverse("registers:import-events") == IMPORT_URL
    template = client.get(reverse("registers:import-template-events"))
    assert template["Content-Disposition"] == 'attachment; filename="mau-hoi-cho-hoi-nghi.xlsx"'
    page = client.get(IMPORT_URL)
    assert "Nhập Hội chợ, hội nghị từ Excel" in page.content.decode()
    content = events_file(event_row(), event_row(**{"Loại": "Hội nghị", "Hội chợ, hội nghị": "B"}))
    response = upload(client, content)
    assert response.status_code == 200
    assert f"{FAIR} (Hội chợ khu vực, 09/07/2020)" in response.content.decode()
    assert not PromotionEvent.objects.exists()
    token = response.context["token"]
    done = client.post(reverse("registers:import-confirm-events"), {"token": token})
    assert done.status_code == 302 and done["Location"] == reverse("registers:event-list")
    assert PromotionEvent.objects.count() == 2
    again = client.post(reverse("registers:import-confirm-events"), {"token": token})
    assert again["Location"] == IMPORT_URL
    assert PromotionEvent.objects.count() == 2
    # The same file again: every row "không đổi".
    preview = upload(client, content)
    assert [row.action for row in preview.context["result"].rows] == ["same", "same"]


def test_the_preview_lists_every_problem_and_offers_no_confirmation(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    response = upload(
        client,
        events_file(
            event_row(**{"Ngày kết thúc": "01/07/2020"}),
            event_row(**{"Hội chợ, hội nghị": "B", "Tỉnh đăng cai": "Ha Noi"}),
        ),
    )
    page = response.content.decode()
    assert "2 lỗi: chưa ghi dòng nào" in page
    assert "01/07/2020 trước ngày bắt đầu 09/07/2020" in page
    assert "Thành phố Hà Nội không phải tỉnh của bạn" in page
    assert "token" not in response.context


@pytest.mark.parametrize("rows", [1, 40])
def test_preview_query_count_does_not_grow_with_rows(
    client, thai_nguyen_user, django_assert_num_queries, rows
):
    factories.SchemeFactory(code="KCQG-2020-001", plan_year=2020)
    factories.PromotionEventFactory(
        kind=PromotionEvent.Kind.REGIONAL_FAIR, name=f"{FAIR} 3", starts_on=D(2020, 7, 9)
    )
    client.force_login(thai_nguyen_user)
    content = events_file(
        *(
            event_row(
                **{
                    "Hội chợ, hội nghị": f"{FAIR} {n}",
                    "Mã đề án cấp kinh phí": "KCQG-2020-001",
                    "Đơn vị tổ chức": "Sở Công Thương tỉnh Thái Nguyên",
                    "Tỉnh đăng cai": "Bắc Kạn" if n % 2 else "Thái Nguyên",
                }
            )
            for n in range(rows)
        )
    )
    # Session and user, then provinces, regions, organisers, schemes, existing events.
    with django_assert_num_queries(7):
        response = upload(client, content)
    assert response.context["result"].ok, [str(p) for p in response.context["result"].problems]
    assert len(response.context["result"].rows) == rows
