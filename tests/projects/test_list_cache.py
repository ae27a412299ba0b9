"""The scheme list reads its filter choices, totals and page keys from the dashboard's cache
(dashboard.cache): a repeated request runs fewer queries and shows the same page, a committed
write retires what was cached, and each scope has its own entries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Contract
from tests.factories import AllocationFactory, ContractFactory

URL = reverse("projects:scheme-list")


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)


@pytest.mark.django_db(transaction=True)
def test_a_repeated_list_comes_from_the_cache_until_the_data_changes(
    cached, reference_data, client, ministry_user
):
    ContractFactory()
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(URL, {"year": 2019})
    with CaptureQueriesContext(connection) as warm:
        again = client.get(URL, {"year": 2019})
    assert len(warm) < len(cold)
    assert _page(again) == _page(first)
    totals = first.context["totals"]
    assert totals.count == 1
    assert len(again.context["table"].body_rows) == 1

    AllocationFactory(plan=Contract.objects.get().allocation.plan)  # committed: a new version
    after = client.get(URL, {"year": 2019})
    assert after.context["totals"].count == 2
    assert after.context["totals"].approved == 2 * totals.approved
    assert len(after.context["table"].body_rows) == 2


@pytest.mark.django_db(transaction=True)
def test_each_scope_has_its_own_cached_list(
    cached, reference_data, client, ministry_user, ha_noi_user
):
    ContractFactory()  # in Thái Nguyên
    client.force_login(ministry_user)
    assert client.get(URL, {"year": 2019}).context["totals"].count == 1
    client.force_login(ha_noi_user)
    response = client.get(URL, {"year": 2019})
    assert response.context["totals"].count == 0
    assert response.context["table"].body_rows == []
    assert "Thái Nguyên" not in re.sub(r"<select.*?</select>", "", response.text, flags=re.S)
