"""XLSX import of industrial clusters and typical-product candidates: every row checked before
anything is written, all or nothing, idempotent, scoped to the importer's province."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from organisations.models import Organisation
from registers import imports
from registers.models import IndustrialCluster, ProductLevel, TypicalProduct
from tests import factories
from tests.conftest import province

pytestmark = pytest.mark.django_db

CLUSTER_HEADERS = [col.header for col in imports.cluster_columns()]
PRODUCT_HEADERS = [col.header for col in imports.product_columns()]


def workbook(headers, *rows, title="Dữ liệu") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cluster_row(**overrides):
    values = {
        "Cụm công nghiệp": "CCN Điềm Thụy",
        "Tỉnh, thành phố": "Thái Nguyên",
        "Xã, phường": "Xã Điềm Thụy ",
        "Số quyết định thành lập": "123/QĐ-UBND",
        "Ngày quyết định": "31/12/2019",
        "Diện tích quy hoạch (ha)": "50,5",
        "Đất công nghiệp cho thuê (ha)": "35",
        "Đã cho thuê (ha)": 21.25,
        "Chủ đầu tư hạ tầng": "Công ty CP Hạ tầng Thái Nguyên",
        "Vốn đầu tư hạ tầng (đồng)": "1.250.000.000",
        "Số doanh nghiệp": 12,
        "Số lao động": "1 250",
        "Xử lý nước thải": "Đã vận hành",
    }
    values.update(overrides)
    return [values[h] for h in CLUSTER_HEADERS]


def clusters_file(*rows):
    return workbook(CLUSTER_HEADERS, *rows)


def problems(user, content, kind=imports.CLUSTERS):
    return [str(p) for p in imports.check_file(kind=kind, content=content, user=user).problems]


@pytest.fixture
def ministry(ministry_user):
    return ministry_user


def test_a_good_cluster_file_is_read_as_officials_type_it(ministry):
    content = clusters_file(
        cluster_row(),
        cluster_row(
            **{
                "Cụm công nghiệp": "CCN Sơn Cẩm",
                "Tỉnh, thành phố": "tinh thai nguyen",
                "Ngày quyết định": datetime.datetime(2019, 12, 31),  # noqa: DTZ001 (Excel dates are naive)
                "Vốn đầu tư hạ tầng (đồng)": "1 250 000 000",
                "Diện tích quy hoạch (ha)": "1.250,75",
            }
        ),
    )
    result = imports.import_file(kind=imports.CLUSTERS, content=content, user=ministry)
    assert result.ok, result.problems
    first = IndustrialCluster.objects.get(name="CCN Điềm Thụy")
    assert (first.province.code, first.province.map_version) == ("19", "63")
    assert first.commune == "Xã Điềm Thụy"
    assert first.decision_date == datetime.date(2019, 12, 31)
    assert first.planned_area == Decimal("50.50")
    assert first.leased_area == Decimal("21.25")
    assert first.investment == Decimal(1_250_000_000)
    assert first.workers == 1250
    assert first.wastewater == IndustrialCluster.Wastewater.OPERATING
    second = IndustrialCluster.objects.get(name="CCN Sơn Cẩm")
    assert second.planned_area == Decimal("1250.75")
    assert second.province_id == first.province_id


BAD_CELLS = [
    (
        {"Diện tích quy hoạch (ha)": "12,5a"},
        "Dòng 2, cột 'Diện tích quy hoạch (ha)': '12,5a' không phải số hợp lệ",
    ),
    (
        {"Diện tích quy hoạch (ha)": "-3"},
        "Dòng 2, cột 'Diện tích quy hoạch (ha)': '-3' là số âm",
    ),
    (
        {"Đã cho thuê (ha)": "1,234"},
        "Dòng 2, cột 'Đã cho thuê (ha)': '1,234' có quá 2 chữ số thập phân",
    ),
    (
        {"Số lao động": "-5"},
        "Dòng 2, cột 'Số lao động': '-5' là số âm",
    ),
    (
        {"Số doanh nghiệp": "mười"},
        "Dòng 2, cột 'Số doanh nghiệp': 'mười' không phải số nguyên hợp lệ",
    ),
    (
        {"Vốn đầu tư hạ tầng (đồng)": "1,5 tỷ"},
        "Dòng 2, cột 'Vốn đầu tư hạ tầng (đồng)': '1,5 tỷ' không phải số tiền hợp lệ",
    ),
    (
        {"Vốn đầu tư hạ tầng (đồng)": "-1.000.000"},
        "Dòng 2, cột 'Vốn đầu tư hạ tầng (đồng)': '-1.000.000' không phải số tiền hợp lệ: số "
        "tiền không được âm.",
    ),
    (
        {"Ngày quyết định": "2019-12-31"},
        "Dòng 2, cột 'Ngày quyết định': '2019-12-31' không phải ngày hợp lệ: viết "
        "ngày/tháng/năm, ví dụ 31/12/2026.",
    ),
    (
        {"Ngày quyết định": "31/2/2019"},
        "Dòng 2, cột 'Ngày quyết định': '31/2/2019' không phải ngày hợp lệ: tháng 2 năm 2019 "
        "không có ngày 31 (viết ngày/tháng/năm, ví dụ 31/12/2026).",
    ),
    (
        {"Tỉnh, thành phố": "Gotham"},
        "Dòng 2, cột 'Tỉnh, thành phố': không có tỉnh, thành phố nào tên 'Gotham'",
    ),
    (
        {"Cụm công nghiệp": "  "},
        "Dòng 2, cột 'Cụm công nghiệp': không được để trống",
    ),
    (
        {"Xử lý nước thải": "Có"},
        "Dòng 2, cột 'Xử lý nước thải': 'Có' không có trong danh sách: Chưa có; Đã có dự án, "
        "chưa xây dựng; Đang xây dựng; Đã vận hành; Không phải xây dựng",
    ),
    (
        {"Diện tích quy hoạch (ha)": "10", "Đất công nghiệp cho thuê (ha)": "20"},
        "Dòng 2, cột 'Đất công nghiệp cho thuê (ha)': lớn hơn diện tích quy hoạch",
    ),
    (
        {"Đất công nghiệp cho thuê (ha)": "20", "Đã cho thuê (ha)": "30"},
        "Dòng 2, cột 'Đã cho thuê (ha)': lớn hơn diện tích đất công nghiệp cho thuê",
    ),
    (
        {"Số lao động": "=A1*2"},
        "Dòng 2, cột 'Số lao động': ô chứa công thức; hãy ghi giá trị (dán bằng “Paste Values”)",
    ),
]


@pytest.mark.parametrize(("cells", "message"), BAD_CELLS)
def test_each_bad_cell_is_named_by_row_and_column(ministry, cells, message):
    assert problems(ministry, clusters_file(cluster_row(**cells))) == [message]
    assert not IndustrialCluster.objects.exists()


def test_file_level_refusals(ministry):
    assert problems(ministry, b"name,province\nCCN,Thai Nguyen\n") == [
        "Tệp không phải bảng tính Excel (.xlsx)."
    ]
    fake_zip = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(fake_zip, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    assert problems(ministry, fake_zip.getvalue()) == ["Tệp không phải bảng tính Excel (.xlsx)."]
    assert problems(ministry, b"PK\x03\x04" + b"0" * (imports.MAX_BYTES)) == [
        "Tệp quá lớn: tối đa 2 MB."
    ]
    assert problems(ministry, workbook(["Tên", "Tỉnh"], ["A", "B"])) == [
        "Dòng 1: thiếu cột 'Cụm công nghiệp', 'Tỉnh, thành phố' (tải mẫu để xem các cột)"
    ]
    assert problems(ministry, clusters_file()) == ["Tệp không có dòng dữ liệu nào."]


def test_duplicates_within_the_file_are_refused(ministry):
    content = clusters_file(cluster_row(), cluster_row(**{"Cụm công nghiệp": "ccn điềm thụy "}))
    assert problems(ministry, content) == [
        "Dòng 3, cột 'Cụm công nghiệp': trùng với dòng 2 (cùng tên, cùng tỉnh)"
    ]


def test_one_bad_row_writes_nothing(ministry):
    content = clusters_file(
        cluster_row(),
        cluster_row(**{"Cụm công nghiệp": "CCN B", "Số lao động": "abc"}),
        cluster_row(**{"Cụm công nghiệp": "CCN C"}),
    )
    result = imports.import_file(kind=imports.CLUSTERS, content=content, user=ministry)
    assert [str(p) for p in result.problems] == [
        "Dòng 3, cột 'Số lao động': 'abc' không phải số nguyên hợp lệ"
    ]
    assert not IndustrialCluster.objects.exists()


def test_importing_twice_changes_nothing_the_second_time(ministry):
    content = clusters_file(cluster_row(), cluster_row(**{"Cụm công nghiệp": "CCN B"}))
    first = imports.import_file(kind=imports.CLUSTERS, content=content, user=ministry)
    assert (first.count("create"), first.count("update")) == (2, 0)
    history = IndustrialCluster.history.count()
    second = imports.import_file(kind=imports.CLUSTERS, content=content, user=ministry)
    assert (second.count("create"), second.count("update"), second.count("same")) == (0, 0, 2)
    assert IndustrialCluster.objects.count() == 2
    assert IndustrialCluster.history.count() == history
    changed = clusters_file(cluster_row(**{"Số lao động": 900}))
    third = imports.import_file(kind=imports.CLUSTERS, content=changed, user=ministry)
    assert third.count("update") == 1
    assert IndustrialCluster.objects.get(name="CCN Điềm Thụy").workers == 900


def test_a_province_user_imports_only_its_own_province(thai_nguyen_user, ha_noi_user):
    content = clusters_file(cluster_row(**{"Tỉnh, thành phố": "Hà Nội"}))
    assert problems(thai_nguyen_user, content) == [
        "Dòng 2, cột 'Tỉnh, thành phố': Thành phố Hà Nội không phải tỉnh của bạn"
    ]
    assert imports.import_file(kind=imports.CLUSTERS, content=content, user=ha_noi_user).ok


def test_an_old_province_name_is_a_province_user_s_own(thai_nguyen_user):
    # Bắc Kạn merged into Thái Nguyên on 01/07/2025: its clusters are now Thái Nguyên's.
    content = clusters_file(cluster_row(**{"Tỉnh, thành phố": "Tỉnh Bắc Kạn"}))
    result = imports.import_file(kind=imports.CLUSTERS, content=content, user=thai_nguyen_user)
    assert result.ok, [str(p) for p in result.problems]
    cluster = IndustrialCluster.objects.get()
    assert (cluster.province.name, cluster.province.successor.code) == ("Tỉnh Bắc Kạn", "19")


def test_other_roles_may_not_import(db):
    from django.core.exceptions import PermissionDenied

    viewer = factories.UserFactory(
        role=Role.REGIONAL, organisation=Organisation.objects.get(short_name="IPC1")
    )
    with pytest.raises(PermissionDenied):
        imports.check_file(kind=imports.CLUSTERS, content=clusters_file(cluster_row()), user=viewer)


# --- Products ---------------------------------------------------------------------------------


@pytest.fixture
def selection_round(db):
    return factories.SelectionRoundFactory(
        level=ProductLevel.PROVINCE,
        year=2024,
        province=province("19", "63"),
        title="Bình chọn cấp tỉnh Thái Nguyên 2024",
    )


def product_row(producer, **overrides):
    values = {
        "Sản phẩm, bộ sản phẩm": "Chè Tân Cương",
        "Bộ sản phẩm": "Không",
        "Nhóm": "Chế biến nông, lâm, thủy sản và thực phẩm",
        "Mã số cơ sở sản xuất": producer.registration_code,
        "Năm": 2024,
        "Đợt bình chọn": "Bình chọn cấp tỉnh Thái Nguyên 2024",
        "Mô tả sản phẩm": "",
    }
    values.update(overrides)
    return [values[h] for h in PRODUCT_HEADERS]


def test_products_are_registered_once(thai_nguyen_user, selection_round):
    producer = factories.EstablishmentFactory()
    content = workbook(PRODUCT_HEADERS, product_row(producer))
    first = imports.import_file(kind=imports.PRODUCTS, content=content, user=thai_nguyen_user)
    assert first.ok, [str(p) for p in first.problems]
    product = TypicalProduct.objects.get()
    assert (product.round, product.producer, product.status) == (
        selection_round,
        producer,
        TypicalProduct.Status.REGISTERED,
    )
    second = imports.import_file(kind=imports.PRODUCTS, content=content, user=thai_nguyen_user)
    assert second.count("same") == 1
    assert TypicalProduct.objects.count() == 1


def test_product_references_are_checked(thai_nguyen_user, selection_round):
    producer = factories.EstablishmentFactory()
    hanoi = factories.EstablishmentFactory(province=province("01", "63"))
    content = workbook(
        PRODUCT_HEADERS,
        product_row(producer, **{"Mã số cơ sở sản xuất": "XYZ"}),
        product_row(producer, **{"Đợt bình chọn": "Đợt không có"}),
        product_row(hanoi),
        product_row(producer, **{"Nhóm": "Đồ chơi"}),
        product_row(producer),
        product_row(producer),
    )
    assert problems(thai_nguyen_user, content, imports.PRODUCTS) == [
        "Dòng 2, cột 'Mã số cơ sở sản xuất': không có cơ sở nào mã số 'XYZ'",
        "Dòng 3, cột 'Đợt bình chọn': không có đợt bình chọn 'Đợt không có' năm 2024",
        f"Dòng 4, cột 'Mã số cơ sở sản xuất': cơ sở “{hanoi.name}” ở Thành phố Hà Nội, "
        "không thuộc tỉnh của bạn",
        "Dòng 5, cột 'Nhóm': 'Đồ chơi' không có trong danh sách: Thủ công mỹ nghệ; Chế biến "
        "nông, lâm, thủy sản và thực phẩm; Thiết bị, máy móc, dụng cụ và phụ tùng cơ khí; "
        "Nhóm sản phẩm khác",
        "Dòng 7, cột 'Sản phẩm, bộ sản phẩm': trùng với dòng 6 (cùng sản phẩm, cơ sở, đợt)",
    ]
    assert not TypicalProduct.objects.exists()


def test_template_has_the_columns_and_instructions(ministry):
    book = load_workbook(io.BytesIO(imports.template_workbook(imports.CLUSTERS)))
    assert book.sheetnames == ["Cụm công nghiệp", "Hướng dẫn"]
    assert [c.value for c in book["Cụm công nghiệp"][1]] == CLUSTER_HEADERS
    # The template's example row imports as it is.
    template = imports.template_workbook(imports.CLUSTERS)
    assert imports.check_file(kind=imports.CLUSTERS, content=template, user=ministry).ok


def test_command_dry_run_writes_nothing(ministry, tmp_path):
    path = tmp_path / "ccn.xlsx"
    path.write_bytes(clusters_file(cluster_row()))
    out = io.StringIO()
    call_command(
        "import_registers",
        "clusters",
        str(path),
        "--dry-run",
        "--user",
        ministry.username,
        stdout=out,
    )
    assert "Dry run: 1 to create" in out.getvalue()
    assert not IndustrialCluster.objects.exists()
    call_command("import_registers", "clusters", str(path), "--user", ministry.username, stdout=out)
    assert IndustrialCluster.objects.count() == 1
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(clusters_file(cluster_row(**{"Số lao động": "x"})))
    with pytest.raises(CommandError):
        call_command(
            "import_registers",
            "clusters",
            str(bad),
            "--user",
            ministry.username,
            stderr=io.StringIO(),
        )


# --- In the browser ---------------------------------------------------------------------------


def upload(client, content, url="/cum-cong-nghiep/nhap/"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile("ccn.xlsx", content)})


def test_upload_preview_then_confirm(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    assert client.get(reverse("registers:cluster-list")).content.count(b"/cum-cong-nghiep/nhap/")
    template = client.get(reverse("registers:import-template-clusters"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = upload(client, clusters_file(cluster_row(), cluster_row(**{"Cụm công nghiệp": "B"})))
    assert response.status_code == 200
    assert "CCN Điềm Thụy (Tỉnh Thái Nguyên)" in response.content.decode()
    assert not IndustrialCluster.objects.exists()
    token = response.context["token"]
    done = client.post(reverse("registers:import-confirm-clusters"), {"token": token})
    assert done.status_code == 302
    assert IndustrialCluster.objects.count() == 2
    # The same token cannot write twice.
    again = client.post(reverse("registers:import-confirm-clusters"), {"token": token})
    assert again.status_code == 302 and again["Location"].endswith("/cum-cong-nghiep/nhap/")
    assert IndustrialCluster.objects.count() == 2


def test_the_preview_lists_every_problem_and_offers_no_confirmation(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    response = upload(
        client,
        clusters_file(
            cluster_row(**{"Diện tích quy hoạch (ha)": "12,5a"}),
            cluster_row(**{"Cụm công nghiệp": "B", "Tỉnh, thành phố": "Ha Noi"}),
        ),
    )
    page = response.content.decode()
    assert "Dòng 2, cột &#x27;Diện tích quy hoạch (ha)&#x27;: &#x27;12,5a&#x27;" in page
    assert "Thành phố Hà Nội không phải tỉnh của bạn" in page
    assert "token" not in response.context


def test_a_token_is_bound_to_its_user(client, thai_nguyen_user, ministry_user):
    client.force_login(thai_nguyen_user)
    token = upload(client, clusters_file(cluster_row())).context["token"]
    client.force_login(ministry_user)
    client.post(reverse("registers:import-confirm-clusters"), {"token": token})
    assert not IndustrialCluster.objects.exists()


@pytest.mark.parametrize("rows", [1, 40])
def test_preview_query_count_does_not_grow_with_rows(
    client, thai_nguyen_user, django_assert_max_num_queries, rows
):
    factories.IndustrialClusterFactory(name="CCN 3")
    client.force_login(thai_nguyen_user)
    content = clusters_file(*(cluster_row(**{"Cụm công nghiệp": f"CCN {n}"}) for n in range(rows)))
    with django_assert_max_num_queries(8):
        response = upload(client, content)
    assert len(response.context["result"].rows) == rows


def test_products_upload_for_an_agency_user(client, ministry_user, selection_round):
    producer = factories.EstablishmentFactory()
    client.force_login(ministry_user)
    content = workbook(PRODUCT_HEADERS, product_row(producer))
    assert b"/san-pham-tieu-bieu/nhap/" in client.get(reverse("registers:product-list")).content
    response = upload(client, content, url="/san-pham-tieu-bieu/nhap/")
    client.post(reverse("registers:import-confirm-products"), {"token": response.context["token"]})
    assert TypicalProduct.objects.get().registered_by == ministry_user


@pytest.mark.parametrize("url", ["/cum-cong-nghiep/nhap/", "/san-pham-tieu-bieu/nhap/mau/"])
def test_anonymous_and_readers_are_kept_out(client, url):
    assert client.get(url).status_code == 302
    reader = factories.UserFactory(
        role=Role.REGIONAL, organisation=Organisation.objects.get(short_name="IPC1")
    )
    client.force_login(reader)
    assert client.get(url).status_code == 403


def test_a_column_left_out_keeps_what_the_register_holds(ministry):
    imports.import_file(kind=imports.CLUSTERS, content=clusters_file(cluster_row()), user=ministry)
    headers = ["Cụm công nghiệp", "Tỉnh, thành phố", "Số lao động"]
    content = workbook(headers, ["CCN Điềm Thụy", "Thái Nguyên", 900])
    result = imports.import_file(kind=imports.CLUSTERS, content=content, user=ministry)
    assert result.count("update") == 1, [str(p) for p in result.problems]
    cluster = IndustrialCluster.objects.get()
    assert (cluster.workers, cluster.planned_area, cluster.investment) == (
        900,
        Decimal("50.50"),
        Decimal(1_250_000_000),
    )
