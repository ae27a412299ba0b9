"""Every register model has an admin whose pages answer, and no changelist costs more queries
with more rows."""

import itertools
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registers.models import EventParticipant, ProductFile, SelectionRound, TypicalProduct
from tests import factories

pytestmark = pytest.mark.django_db
YEARS = itertools.count(2030)
MODELS = [
    model
    for model in apps.get_app_config("registers").get_models()
    if not model.__name__.startswith("Historical")
]


def national_round() -> SelectionRound:
    return SelectionRound.objects.get_or_create(
        level="national",
        year=2019,
        defaults={"title": "Bình chọn cấp quốc gia năm 2019", "decision_date": date(2019, 12, 20)},
    )[0]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def one_of_each(admin_user) -> dict:
    product = factories.TypicalProductFactory()
    ProductFile.objects.create(
        product=product,
        kind=ProductFile.Kind.PHOTO,
        original_name="anh.png",
        stored_path="typical-products/admin-test/anh.png",
        size=9,
        content_type="image/png",
        sha256="0" * 64,
        uploaded_by=admin_user,
    )
    event = factories.PromotionEventFactory()
    EventParticipant.objects.create(event=event, establishment=product.producer)
    factories.IndustrialClusterFactory()
    factories.ClusterPlanDossierFactory()
    return {model: model._default_manager.first() for model in MODELS}


def test_every_register_model_has_an_admin():
    assert [m.__name__ for m in MODELS if m not in admin.site._registry] == []


def test_admin_pages_answer(client, admin_user):
    client.force_login(admin_user)
    objects = one_of_each(admin_user)
    for model, obj in objects.items():
        assert obj is not None, model
        for page in (
            url(model, "changelist"),
            url(model, "change", obj.pk),
            url(model, "history", obj.pk),
        ):
            assert client.get(page).status_code == 200, page
    # Certificates are written by the services only.
    assert client.get(url(TypicalProduct, "add")).status_code == 403


@pytest.mark.parametrize(
    "make",
    [
        lambda n: factories.TypicalProductFactory.create_batch(n, round=national_round()),
        lambda n: factories.IndustrialClusterFactory.create_batch(n),
        lambda n: factories.ClusterPlanDossierFactory.create_batch(n),
        lambda n: factories.PromotionEventFactory.create_batch(n),
        lambda n: [factories.SelectionRoundFactory(year=next(YEARS)) for _ in range(n)],
    ],
    ids=["product", "cluster", "dossier", "event", "round"],
)
def test_changelist_queries_do_not_grow(client, admin_user, make):
    client.force_login(admin_user)
    model = type(make(1)[0])
    page = url(model, "changelist")
    client.get(page)
    with CaptureQueriesContext(connection) as before:
        client.get(page)
    make(4)
    with CaptureQueriesContext(connection) as after:
        assert client.get(page).status_code == 200
    assert len(after) == len(before) <= 8
