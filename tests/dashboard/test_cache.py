import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dashboard.cache import data_version
from projects.models import Scheme
from tests.factories import AllocationFactory, ContractFactory, SchemeFactory

URL = "/?year=2019&fund=national"


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_figures_are_cached_until_the_data_changes(cached, reference_data, client, ministry_user):
    ContractFactory()
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(URL).text
    with CaptureQueriesContext(connection) as warm:
        client.get(URL)
    assert len(warm) < len(cold)
    assert "1,00 tỷ đồng" in first
    version = data_version()
    AllocationFactory(plan=ContractFactory._meta.model.objects.get().allocation.plan)
    assert data_version() > version  # the committed write retired the cached figures
    assert "2,00 tỷ đồng" in client.get(URL).text


@pytest.mark.django_db(transaction=True)
def test_each_scope_has_its_own_figures(cached, reference_data, client, ministry_user, ha_noi_user):
    ContractFactory()  # in Thái Nguyên
    client.force_login(ministry_user)
    assert "1,00 tỷ đồng" in client.get(URL).text
    client.force_login(ha_noi_user)
    assert "1,00 tỷ đồng" not in client.get(URL).text


@pytest.mark.django_db(transaction=True)
def test_every_cached_page_answers(cached, reference_data, client, ministry_user):
    ContractFactory()
    client.force_login(ministry_user)
    for url in (URL, "/tinh/34/19/?year=2019", "/tinh/63/19/?year=2019"):
        for _ in range(2):  # computed, then from the cache
            assert client.get(url).status_code == 200, url


def _page(client, url) -> str:
    """The page without its CSRF token (new for each response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(url).text)


@pytest.mark.django_db(transaction=True)
def test_a_repeated_request_builds_no_figure(cached, reference_data, client, ministry_user):
    """The figures, charts and panels of both pages come whole from the cache: a second request
    computes none of them (and shows the same page), until a write moves the version on."""
    ContractFactory()
    client.force_login(ministry_user)
    urls = (URL, "/tinh/34/19/?year=2019")
    first = {url: _page(client, url) for url in urls}

    def fail(*args, **kwargs):
        raise AssertionError("figures rebuilt from a warm cache")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dashboard.views._overview_figures", fail)
        patch.setattr("dashboard.views._province_figures", fail)
        patch.setattr("dashboard.charts._figure", fail)
        for url in urls:
            assert _page(client, url) == first[url]
        AllocationFactory(plan=ContractFactory._meta.model.objects.get().allocation.plan)
        with pytest.raises(AssertionError, match="rebuilt"):
            client.get(URL)


class _Undone(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_version_on_once_however_many_rows_it_writes(reference_data):
    """One Redis call at the commit, not one per saved or deleted row (a bulk delete of
    10.000 schemes sends 10.000 signals)."""
    version = data_version()
    with transaction.atomic():
        for _ in range(3):
            SchemeFactory()
        Scheme.objects.all().delete()
    assert data_version() == version + 1


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_moves_the_version_on(reference_data):
    version = data_version()
    with transaction.atomic():
        try:
            with transaction.atomic():
                SchemeFactory()  # its bump goes with the savepoint
                raise _Undone
        except _Undone:
            pass
        assert not Scheme.objects.exists()
        SchemeFactory()
    assert data_version() == version + 1
