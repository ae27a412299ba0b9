"""The pages that list related rows (a product's files, a cluster's schemes, a dossier's
clusters, a fair's participants, the counts per round and province) cost the same number of
queries with twice the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provinces.models import Province
from reference.models import ContentArea
from registers.models import EventParticipant, ProductFile, ProductLevel
from tests.factories import (
    ClusterPlanDossierFactory,
    EstablishmentFactory,
    IndustrialClusterFactory,
    PromotionEventFactory,
    SchemeFactory,
    SelectionRoundFactory,
    TypicalProductFactory,
)

pytestmark = pytest.mark.django_db


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version="63")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def _product(admin_user):
    product = TypicalProductFactory(
        round=SelectionRoundFactory(level=ProductLevel.NATIONAL, year=2019)
    )

    def grow(n):
        for i in range(n):
            ProductFile.objects.create(
                product=product,
                kind=ProductFile.Kind.PHOTO,
                original_name=f"anh-{i}.png",
                stored_path=f"typical-products/t/{product.pk}-{ProductFile.objects.count()}.png",
                size=9,
                content_type="image/png",
                sha256="0" * 64,
                uploaded_by=admin_user,
            )

    return reverse("registers:product-detail", args=[product.pk]), grow


def _cluster(admin_user):
    cluster = IndustrialClusterFactory(province=old("19"))
    area = ContentArea.objects.get(code="nd45-7")

    def grow(n):
        for _ in range(n):
            cluster.schemes.add(SchemeFactory(province=old("19"), content_areas=[area]))

    return reverse("registers:cluster-detail", args=[cluster.pk]), grow


def _dossier(admin_user):
    dossier = ClusterPlanDossierFactory(province=old("19"))

    def grow(n):
        dossier.clusters.add(*IndustrialClusterFactory.create_batch(n, province=old("19")))

    return reverse("registers:dossier-detail", args=[dossier.pk]), grow


def _event(admin_user):
    event = PromotionEventFactory(host_province=old("19"))

    def grow(n):
        for establishment in EstablishmentFactory.create_batch(n):
            EventParticipant.objects.create(event=event, establishment=establishment)

    return reverse("registers:event-detail", args=[event.pk]), grow


def _counts(admin_user):
    rounds = iter(range(2014, 2100))

    def grow(n):
        round_ = SelectionRoundFactory(level=ProductLevel.NATIONAL, year=next(rounds))
        for code in ("19", "01", "06")[:n]:
            TypicalProductFactory(round=round_, producer=EstablishmentFactory(province=old(code)))

    return reverse("registers:product-counts"), grow


def _dossiers(admin_user):
    def grow(n):
        ClusterPlanDossierFactory.create_batch(n, submitted_on=datetime.date(2019, 4, 1))

    return reverse("registers:dossier-list"), grow


@pytest.mark.parametrize(
    "setup",
    [_product, _cluster, _dossier, _event, _counts, _dossiers],
    ids=["product", "cluster", "dossier", "event", "counts", "dossier list"],
)
def test_pages_cost_the_same_with_twice_the_rows(client, ministry_user, admin_user, setup):
    url, grow = setup(admin_user)
    client.force_login(ministry_user)
    grow(2)
    client.get(url)
    before = queries(client, url)
    grow(3)
    assert queries(client, url) == before
