"""The registers' demo data: the 2019 report's 110 nationally recognised products (each carried
up through a province and a regional certificate), 11 cluster planning dossiers appraised in
2019, the 2019 national fair and the 2020 regional conferences in Thái Nguyên, Quảng Bình and
Vĩnh Long. Seeded once, in a transaction rolled back at the end."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from registers.models import (
    ClusterPlanDossier,
    IndustrialCluster,
    ProductLevel,
    PromotionEvent,
    TypicalProduct,
)
from registers.models.products import PASS_SCORE

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_110_national_products_in_2019(seeded):
    national = TypicalProduct.objects.filter(round__level=ProductLevel.NATIONAL, round__year=2019)
    assert national.count() == 110
    assert national.certified().count() == 110
    assert not national.filter(score__lt=PASS_SCORE).exists()
    groups = dict(national.values_list("group").annotate(n=Count("pk")))
    assert set(groups) == {"handicraft", "food", "machinery", "other"}
    # Each entered with a valid regional certificate of its own producer, itself entered with
    # a valid province certificate.
    for product in national.select_related("parent__round", "parent__parent__round"):
        regional, provincial = product.parent, product.parent.parent
        assert regional.round.level == "region" and provincial.round.level == "province"
        assert regional.producer_id == product.producer_id == provincial.producer_id
        assert regional.certificate_date <= product.certificate_date <= regional.valid_until
        assert provincial.certificate_date <= regional.certificate_date <= provincial.valid_until
        assert product.valid_until.isoformat() == "2021-12-31"


def test_certificates_past_their_validity_are_expired(seeded):
    from demo.years import DEMO_TODAY

    assert not TypicalProduct.objects.filter(
        status="certified", valid_until__lt=DEMO_TODAY
    ).exists()
    assert TypicalProduct.objects.valid_on(DEMO_TODAY).count() == 4  # Thái Nguyên 2025
    assert TypicalProduct.objects.filter(status="registered").count() == 1


def test_eleven_dossiers_appraised_in_2019(seeded):
    dossiers = ClusterPlanDossier.objects.filter(year=2019)
    assert dossiers.count() == 11
    assert dossiers.values("province").distinct().count() == 11
    assert not dossiers.filter(appraised_on__isnull=True).exists()
    assert all(d.appraised_on.year == 2019 for d in dossiers)
    assert IndustrialCluster.objects.filter(plan_dossiers__isnull=False).count() >= 22


def test_fair_and_regional_conferences(seeded):
    fair = PromotionEvent.objects.get(kind="national_fair", starts_on__year=2019)
    assert fair.participants.count() == 80
    conferences = PromotionEvent.objects.filter(kind="conference", starts_on__year=2020)
    hosts = {(e.region.code, e.host_province.short_name) for e in conferences}
    assert hosts == {("north", "Thái Nguyên"), ("centre", "Quảng Bình"), ("south", "Vĩnh Long")}


def test_second_run_changes_nothing(seeded):
    before = TypicalProduct.objects.count(), PromotionEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (TypicalProduct.objects.count(), PromotionEvent.objects.count()) == before
