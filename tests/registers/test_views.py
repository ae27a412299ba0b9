"""The registers' pages: lists filter by level, year, group and province on either map with a
query count that does not grow with the rows; the public catalogue shows certificates granted,
never withdrawn ones, and names a producer only if it agreed; exports neutralise formulas;
files are typed by content and served only to those who see the product; the province section
reads in six queries."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from provinces.models import Province, Region
from reference.models import ContentArea
from registers.exports import event_columns
from registers.models import IndustrialCluster, ProductLevel, PromotionEvent, TypicalProduct
from registers.selectors import certified_by_province, product_counts, province_section
from tests.factories import (
    ClusterPlanDossierFactory,
    EstablishmentFactory,
    IndustrialClusterFactory,
    PromotionEventFactory,
    SchemeFactory,
    SelectionRoundFactory,
    TypicalProductFactory,
)
from tests.submissions.conftest import PDF, png_bytes

D = datetime.date
S = TypicalProduct.Status
pytestmark = pytest.mark.django_db


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version="63")


def new(code: str) -> Province:
    return Province.objects.get(code=code, map_version="34")


@pytest.fixture
def national():
    return SelectionRoundFactory(level=ProductLevel.NATIONAL, year=2019)


def products(round_, count, *, province="19", **fields):
    return [
        TypicalProductFactory(
            round=round_, producer=EstablishmentFactory(province=old(province)), **fields
        )
        for _ in range(count)
    ]


def test_product_list_filters_by_province_on_either_map(client, ministry_user, national):
    thai_nguyen = products(national, 2, province="19")
    bac_kan = products(national, 1, province="06", group="handicraft")
    products(national, 1, province="01")
    client.force_login(ministry_user)
    url = reverse("registers:product-list")

    def names(query):
        page = client.get(url, query)
        assert page.status_code == 200
        return {p.name for p in page.context["table"].data.data}

    assert names({"map": "63", "province": "19"}) == {p.name for p in thai_nguyen}
    # On the 34 map the new Thái Nguyên takes in Bắc Kạn.
    assert names({"map": "34", "province": "19"}) == {p.name for p in thai_nguyen + bac_kan}
    assert names({"map": "34", "province": "19", "group": "handicraft"}) == {bac_kan[0].name}
    assert names({"level": "province"}) == set()
    assert len(names({"year": "2019"})) == 4
    assert names({"year": "2020"}) == set()


def test_product_list_query_count_does_not_grow(
    client, ministry_user, national, django_assert_num_queries
):
    products(national, 3)
    client.force_login(ministry_user)
    url = reverse("registers:product-list")
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url, {"map": "34"}).status_code == 200
    products(national, 6, province="06")
    with django_assert_num_queries(6):
        assert client.get(url, {"map": "34"}).status_code == 200


def test_province_user_sees_only_its_products(client, ha_noi_user, national):
    tn = products(national, 1, province="19")[0]
    hn = products(national, 1, province="01")[0]
    client.force_login(ha_noi_user)
    listed = {p.pk for p in client.get(reverse("registers:product-list")).context["table"].data}
    assert listed == {hn.pk}
    assert client.get(reverse("registers:product-detail", args=[tn.pk])).status_code == 404


def test_public_catalogue(client, national, django_assert_num_queries):
    shown = products(national, 1)[0]
    shown.producer.is_public = True
    shown.producer.save()
    hidden_name = products(national, 1, status=S.EXPIRED)[0]
    withdrawn = products(national, 1, status=S.WITHDRAWN)[0]
    candidate = products(
        national,
        1,
        status=S.REGISTERED,
        score=None,
        certificate_number="",
        certificate_date=None,
        valid_until=None,
    )[0]
    url = reverse("registers:catalogue")
    with django_assert_num_queries(4):  # regions, provinces, count, rows: no session, no user
        page = client.get(url, {"level": "national", "year": "2019", "group": "food"})
    text = page.content.decode()
    assert shown.name in text and shown.producer.name in text
    assert hidden_name.name in text and hidden_name.producer.name not in text
    assert withdrawn.name not in text and candidate.name not in text
    export = client.get(reverse("registers:catalogue-export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert shown.name in values and withdrawn.name not in values
    assert "(không công bố)" in values


def test_export_neutralises_formulas(client, ministry_user, national):
    products(national, 1, name='=HYPERLINK("http://x")')
    client.force_login(ministry_user)
    response = client.get(reverse("registers:product-export", args=["xlsx"]), {"year": "2019"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ['\'=HYPERLINK("http://x")']
    assert "Năm: 2019" in sheet["A2"].value


def test_counts_per_round_and_province(national):
    products(national, 2, province="19")
    products(national, 1, province="06")
    products(
        national,
        1,
        province="06",
        status=S.NOT_CERTIFIED,
        score=Decimal(60),
        certificate_number="",
        certificate_date=None,
        valid_until=None,
        decision_date=None,
    )
    rows = product_counts(TypicalProduct.objects.all(), map_version="63")
    assert [(r.province_code, r.entered, r.certified) for r in rows] == [("06", 2, 1), ("19", 2, 2)]
    on_new = certified_by_province(TypicalProduct.objects.all(), year=2019, map_version="34")
    assert on_new == {"19": 3}


def test_register_form_refuses_without_lower_certificate(client, thai_nguyen_user):
    round_ = SelectionRoundFactory(level=ProductLevel.NATIONAL, year=timezone.localdate().year)
    producer = EstablishmentFactory(province=old("19"))
    client.force_login(thai_nguyen_user)
    response = client.post(
        reverse("registers:product-register"),
        {"selection_round": round_.pk, "producer": producer.pk, "name": "Chè", "group": "food"},
    )
    assert response.status_code == 400
    assert (
        "giấy chứng nhận sản phẩm tiêu biểu cấp khu vực còn hiệu lực" in response.content.decode()
    )
    assert not TypicalProduct.objects.exists()


def test_certify_form_reads_a_decimal_comma(client, ministry_user, national):
    candidate = products(
        national,
        1,
        status=S.REGISTERED,
        score=None,
        certificate_number="",
        certificate_date=None,
        valid_until=None,
        decision_date=None,
    )[0]
    client.force_login(ministry_user)
    url = reverse("registers:product-certify", args=[candidate.pk])
    data = {
        "certify": "1",
        "score": "69,5",
        "decision_number": "3888/QĐ-BCT",
        "decision_date": "20/12/2019",
        "certificate_number": "001/GCN-BCT",
        "certificate_date": "20/12/2019",
        "award_paid": "10.000.000",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Điểm bình quân 69,50 dưới 70" in refused.content.decode()
    assert client.post(url, {**data, "score": "85,5"}).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.score, candidate.valid_until, candidate.award_paid) == (
        Decimal("85.50"),
        D(2021, 12, 31),
        Decimal(10_000_000),
    )


def test_files_typed_by_content_and_served_only_to_viewers(
    client, thai_nguyen_user, ha_noi_user, national, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    product = products(national, 1)[0]
    client.force_login(thai_nguyen_user)
    url = reverse("registers:product-file-add", args=[product.pk])
    fake = SimpleUploadedFile("anh.png", PDF, content_type="image/png")
    refused = client.post(url, {"kind": "photo", "file": fake})
    assert refused.status_code == 400
    assert "không phải Ảnh PNG thật (nội dung là PDF)" in refused.content.decode()
    pdf_photo = SimpleUploadedFile("mo-ta.pdf", PDF, content_type="application/pdf")
    assert (
        "phải là ảnh PNG hoặc JPEG"
        in client.post(url, {"kind": "photo", "file": pdf_photo}).content.decode()
    )
    settings.ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    assert "Tệp quá lớn" in client.post(url, {"kind": "photo", "file": big}).content.decode()
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    photo = SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")
    assert client.post(url, {"kind": "photo", "file": photo}).status_code == 302
    record = product.files.get()
    download = reverse("registers:product-file-download", args=[product.pk, record.pk])
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()
    client.force_login(ha_noi_user)
    assert client.get(download).status_code == 404


def test_cluster_form_reads_vietnamese_numbers(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    scheme = SchemeFactory(
        province=old("19"), content_areas=[ContentArea.objects.get(code="nd45-7")]
    )
    response = client.post(
        reverse("registers:cluster-create"),
        {
            "name": "Cụm công nghiệp Sơn Cẩm",
            "province": old("19").pk,
            "commune": "xã Sơn Cẩm",
            "decision_date": "15/03/2018",
            "planned_area": "48,5",
            "leasable_area": "36,25",
            "leased_area": "20",
            "investment": "120.000.000.000",
            "firms": "12",
            "workers": "850",
            "wastewater": "operating",
            "schemes": [scheme.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = IndustrialCluster.objects.get()
    assert (saved.planned_area, saved.leasable_area, saved.investment) == (
        Decimal("48.50"),
        Decimal("36.25"),
        Decimal(120_000_000_000),
    )
    assert list(saved.schemes.all()) == [scheme]
    assert saved.history.first().history_user == thai_nguyen_user


def test_cluster_list_query_count(client, ministry_user, django_assert_num_queries):
    IndustrialClusterFactory.create_batch(2)
    client.force_login(ministry_user)
    url = reverse("registers:cluster-list")
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    IndustrialClusterFactory.create_batch(4, province=old("06"))
    with django_assert_num_queries(6):
        client.get(url)


def test_event_list_and_calendar(client, ministry_user, django_assert_num_queries):
    north = Region.objects.get(code="north")
    conference = PromotionEventFactory(
        name="Hội nghị khuyến công khu vực phía Bắc",
        region=north,
        starts_on=D(2020, 7, 9),
        ends_on=D(2020, 7, 10),
    )
    PromotionEventFactory(name="Hội chợ 2019", starts_on=D(2019, 12, 18), ends_on=D(2019, 12, 22))
    client.force_login(ministry_user)
    page = client.get(reverse("registers:event-list"))  # the latest year with events
    assert [e.name for e in page.context["table"].data] == [conference.name]
    with django_assert_num_queries(6):
        client.get(reverse("registers:event-list"), {"year": "2019"})
    PromotionEventFactory.create_batch(3, starts_on=D(2019, 5, 1), ends_on=D(2019, 5, 2))
    with django_assert_num_queries(6):
        client.get(reverse("registers:event-list"), {"year": "2019"})
    calendar = client.get(reverse("registers:event-calendar"), {"month": "2020-07"})
    cells = [cell for week in calendar.context["grid"] for cell in week]
    on_days = {cell["day"] for cell in cells if conference in cell["events"]}
    assert on_days == {D(2020, 7, 9), D(2020, 7, 10)}
    assert cells[0]["day"].weekday() == 0  # weeks start on Monday


def test_event_form_finds_the_scheme_by_code(client, ministry_user):
    scheme = SchemeFactory(code="KCQG-2020-001", plan_year=2020, province=old("19"))
    client.force_login(ministry_user)
    data = {
        "kind": "conference",
        "name": "Hội nghị khuyến công khu vực phía Bắc năm 2020",
        "starts_on": "09/07/2020",
        "ends_on": "10/07/2020",
        "place": "Thái Nguyên",
        "host_province": old("19").pk,
        "booths": "0",
        "scheme_code": "KCQG-2020-999",
    }
    refused = client.post(reverse("registers:event-create"), data)
    assert "Không có đề án mã KCQG-2020-999 trong kế hoạch năm 2020" in refused.content.decode()
    assert (
        client.post(
            reverse("registers:event-create"), {**data, "scheme_code": scheme.code}
        ).status_code
        == 302
    )
    assert PromotionEvent.objects.get().scheme == scheme


@pytest.mark.parametrize("province", [("34", "19"), ("63", "19")])
def test_province_section_in_six_queries(province, national, django_assert_num_queries):
    unit = Province.objects.get(map_version=province[0], code=province[1])
    products(national, 2, province="19")
    products(national, 1, province="06")
    IndustrialClusterFactory(province=old("06"), leased_area=Decimal("10"))
    ClusterPlanDossierFactory(province=old("19"))
    PromotionEventFactory(host_province=old("19"), starts_on=D(2019, 5, 1), ends_on=D(2019, 5, 2))
    with django_assert_num_queries(6):
        section = province_section(unit, 2019, today=D(2019, 12, 31))
    merged = unit.map_version == "34"
    assert section.certified_by_level == {"national": 3 if merged else 2}
    assert section.valid_now == (3 if merged else 2)
    assert section.cluster_count == (1 if merged else 0)
    assert len(section.dossiers) == 1 and len(section.events) == 1
    html = render_to_string("registers/province_section.html", {"registers": section})
    assert "Sản phẩm được công nhận trong năm" in html


def test_event_pages_read_their_parameters_safely(client, ministry_user):
    client.force_login(ministry_user)
    for month in ("9999-12", "2020-13", "abc", "2020"):
        page = client.get(reverse("registers:event-calendar"), {"month": month})
        assert page.status_code == 200
        assert page.context["first"] == timezone.localdate().replace(day=1)
    export = client.get(
        reverse("registers:event-export", args=["xlsx"]), {"year": 'x"\r\nSet-Cookie: a=b'}
    )
    assert export["Content-Disposition"] == 'attachment; filename="hoi-cho-hoi-nghi-tat-ca.xlsx"'


def test_province_sends_a_dossier_and_adds_fair_participants(client, thai_nguyen_user):
    client.force_login(thai_nguyen_user)
    cluster = IndustrialClusterFactory(province=old("19"))
    response = client.post(
        reverse("registers:dossier-create"),
        {
            "province": old("19").pk,
            "year": "2019",
            "title": "Phương án phát triển cụm công nghiệp tỉnh Thái Nguyên",
            "submitted_on": "18/02/2019",
            "clusters": [cluster.pk],
        },
    )
    assert response.status_code == 302
    dossier = cluster.plan_dossiers.get()
    assert (dossier.submitted_on, dossier.submitted_by) == (D(2019, 2, 18), thai_nguyen_user)

    fair = PromotionEventFactory(host_province=old("19"), booths=5)
    producer = EstablishmentFactory(province=old("19"), registration_code="19A8123456")
    url = reverse("registers:participant-add", args=[fair.pk])
    unknown = client.post(url, {"registration_code": "00X0000000", "booths": "1"})
    assert "Không có cơ sở nào mang mã 00X0000000" in unknown.content.decode()
    added = client.post(
        url, {"registration_code": "19A8123456", "booths": "2", "support": "12.000.000"}
    )
    assert added.status_code == 302
    participant = fair.participants.get()
    assert (participant.establishment, participant.booths, participant.support) == (
        producer,
        2,
        Decimal(12_000_000),
    )


# --- The events list's files ---------------------------------------------------------------


def test_the_list_exports_exactly_its_filtered_rows_as_xlsx_and_csv(client, ministry_user):
    north = Region.objects.get(code="north")
    PromotionEventFactory(
        kind=PromotionEvent.Kind.REGIONAL_FAIR,
        name="=Hội chợ phía Bắc",
        starts_on=D(2020, 7, 9),
        ends_on=D(2020, 7, 13),
        region=north,
        booths=150,
    )
    PromotionEventFactory(name="Hội nghị 2020", starts_on=D(2020, 8, 20), ends_on=D(2020, 8, 21))
    PromotionEventFactory(
        kind=PromotionEvent.Kind.REGIONAL_FAIR,
        name="Hội chợ 2019",
        starts_on=D(2019, 7, 9),
        ends_on=D(2019, 7, 12),
    )
    client.force_login(ministry_user)
    query = {"year": "2020", "kind": "regional_fair"}
    listing = client.get(reverse("registers:event-list"), query)
    assert [e.name for e in listing.context["table"].data] == ["=Hội chợ phía Bắc"]
    assert (
        "/hoi-cho-hoi-nghi/xuat/csv/?year=2020&amp;kind=regional_fair" in listing.content.decode()
    )

    response = client.get(reverse("registers:event-export", args=["csv"]), query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hoi-cho-hoi-nghi-2020.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0][0].startswith(
        "Hội chợ, hội nghị khuyến công – Năm: 2020; Loại: Hội chợ khu vực"
    )
    assert lines[1] == [col.header for col in event_columns()]
    assert lines[2:] == [
        [
            "'=Hội chợ phía Bắc",
            "Hội chợ khu vực",
            "09/07/2020",
            "13/07/2020",
            "Trung tâm hội nghị tỉnh",
            "",
            "Tỉnh Thái Nguyên",
            "Miền Bắc",
            "",
            "",
            "0",
            "150",
        ]
    ]
    xlsx = client.get(reverse("registers:event-export", args=["xlsx"]), query)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ["'=Hội chợ phía Bắc"]
