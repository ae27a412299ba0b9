import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from core.text import fold, fold_province_name
from organisations.models import Organisation
from provinces.models import Province, ProvinceMap, map_on
from provinces.reference import resolve_province
from reference.models import ContentArea, ContentAreaList, Sector

D = datetime.date
REUSED_CODES = {
    "15": ("Tỉnh Yên Bái", "Tỉnh Lào Cai"),
    "24": ("Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"),
    "44": ("Tỉnh Quảng Bình", "Tỉnh Quảng Trị"),
    "52": ("Tỉnh Bình Định", "Tỉnh Gia Lai"),
    "80": ("Tỉnh Long An", "Tỉnh Tây Ninh"),
    "82": ("Tỉnh Tiền Giang", "Tỉnh Đồng Tháp"),
    "91": ("Tỉnh Kiên Giang", "Tỉnh An Giang"),
}


def test_both_maps_are_complete(db):
    assert Province.objects.on_map(ProvinceMap.OLD_63).count() == 63
    assert Province.objects.on_map(ProvinceMap.NEW_34).count() == 34
    cities = Province.objects.on_map(ProvinceMap.NEW_34).filter(kind=Province.Kind.CITY)
    assert set(cities.values_list("code", flat=True)) == {"01", "31", "46", "48", "79", "92"}


def test_every_old_unit_maps_to_a_new_unit(db):
    old = Province.objects.on_map(ProvinceMap.OLD_63)
    assert not old.filter(successor__isnull=True).exists()
    assert not old.exclude(successor__map_version=ProvinceMap.NEW_34).exists()
    # Each new unit is its own successor and received at least one old unit.
    new = Province.objects.on_map(ProvinceMap.NEW_34).annotate(
        merged=Count("merged_units", distinct=True)
    )
    assert all(unit.successor_id == unit.pk for unit in new)
    assert old.values("successor").distinct().count() == 34
    three_way = Province.objects.get(code="79", map_version="34").merged_units.exclude(
        map_version="34"
    )
    assert set(three_way.values_list("name", flat=True)) == {
        "Thành phố Hồ Chí Minh",
        "Tỉnh Bình Dương",
        "Tỉnh Bà Rịa - Vũng Tàu",
    }


def test_validity_dates_split_on_the_reform_day(db):
    assert map_on(D(2025, 6, 30)) == ProvinceMap.OLD_63
    assert map_on(D(2025, 7, 1)) == ProvinceMap.NEW_34
    assert Province.objects.valid_on(D(2025, 6, 30)).count() == 63
    assert Province.objects.valid_on(D(2025, 7, 1)).count() == 34


@pytest.mark.parametrize(("code", "names"), REUSED_CODES.items())
def test_reused_codes_resolve_by_date(db, code, names):
    before, after = names
    assert resolve_province(code, D(2019, 12, 31)).name == before
    assert resolve_province(code, D(2026, 1, 1)).name == after


def test_reused_codes_are_exactly_seven(db):
    pairs = Province.objects.on_map(ProvinceMap.OLD_63).select_related("successor")
    reused = {
        old.code
        for old in pairs
        if Province.objects.filter(code=old.code, map_version="34").exclude(name=old.name).exists()
    }
    assert reused == set(REUSED_CODES)


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("Thái Nguyên", D(2019, 5, 1), ("19", "63")),
        ("thai nguyen", D(2026, 5, 1), ("19", "34")),
        ("Tỉnh Bắc Kạn", D(2019, 5, 1), ("06", "63")),
        ("TP. Hồ Chí Minh", D(2026, 5, 1), ("79", "34")),
        ("Thành phố Hà Nội", D(2019, 5, 1), ("01", "63")),
        ("  ha noi ", D(2019, 5, 1), ("01", "63")),
        ("1", D(2019, 5, 1), ("01", "63")),
    ],
)
def test_names_resolve_with_or_without_diacritics_and_prefix(db, text, day, expected):
    province = resolve_province(text, day)
    assert (province.code, province.map_version) == expected


def test_merged_away_name_does_not_resolve_after_the_reform(db):
    assert resolve_province("Bắc Kạn", D(2026, 1, 1)) is None


def test_regions_count_28_15_20_on_the_old_map(db):
    counts = dict(
        Province.objects.on_map(ProvinceMap.OLD_63)
        .values_list("region__code")
        .annotate(n=Count("id"))
    )
    assert counts == {"north": 28, "centre": 15, "south": 20}


def test_new_lam_dong_spans_two_regions(db):
    spanning = Province.objects.on_map(ProvinceMap.NEW_34).filter(spans_regions=True)
    assert list(spanning.values_list("code", flat=True)) == ["68"]


def test_content_area_lists_are_versioned(db):
    assert ContentArea.objects.filter(content_list__code="nd45").count() == 9
    assert ContentArea.objects.filter(content_list__code="ct2125").count() == 7
    programme = ContentAreaList.objects.get(code="ct2125")
    assert (programme.valid_from, programme.valid_to) == (D(2021, 1, 1), D(2025, 12, 31))
    assert Sector.objects.filter(legal_basis__startswith="Nghị định 45").count() == 7


def test_organisations_of_the_system(db):
    assert Organisation.objects.filter(kind=Organisation.Kind.AGENCY).count() == 1
    ipc1 = Organisation.objects.get(short_name="IPC1")
    assert ipc1.covered_provinces.filter(map_version="63").count() == 28
    new_units = Province.objects.on_map(ProvinceMap.NEW_34)
    for kind in (Organisation.Kind.DEPARTMENT, Organisation.Kind.PROVINCIAL_CENTRE):
        bodies = Organisation.objects.filter(kind=kind, is_active=True)
        assert bodies.count() == 34
        assert set(bodies.values_list("province", flat=True)) == set(
            new_units.values_list("pk", flat=True)
        )
    bac_kan = Organisation.objects.get(name="Sở Công Thương tỉnh Bắc Kạn")
    assert not bac_kan.is_active
    assert bac_kan.province.map_version == "63"


def test_loading_twice_changes_nothing(db):
    counts = (Province.history.count(), Organisation.history.count(), ContentArea.history.count())
    call_command("load_reference", verbosity=0)
    assert (
        Province.history.count(),
        Organisation.history.count(),
        ContentArea.history.count(),
    ) == counts


def test_fold_ignores_vietnamese_diacritics():
    assert fold("Thái Nguyên") == "thai nguyen"
    assert fold("ĐẮK LẮK") == "dak lak"
    assert fold_province_name("Thành phố Đà Nẵng") == "da nang"
    assert fold_province_name("Tỉnh Hoà Bình") == fold_province_name("Hòa Bình") == "hoa binh"
