"""The forecast and consistency pages and panels: who sees what, and a fixed query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.conftest import province
from tests.dashboard.conftest import programme  # noqa: F401 - the known 2019 programme
from tests.dashboard.test_views import _add_schemes
from tests.factories import UserFactory

FORECAST = "/giam-sat/du-bao/?year=2019&fund=national&as_of=30/06/2019"
CONSISTENCY = "/giam-sat/nhat-quan/?year=2019&fund=national"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [FORECAST, CONSISTENCY])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


@pytest.mark.parametrize("url", [FORECAST, CONSISTENCY])
@pytest.mark.parametrize("role", [Role.MINISTRY, Role.APPROVER, Role.ADMIN])
def test_staff_see_every_province(client, programme, url, role):  # noqa: F811
    client.force_login(UserFactory(role=role, username=f"staff-{role}"))
    page = text_of(client.get(url).text)
    for name in ("Thái Nguyên", "Hồ Chí Minh", "Hà Nội"):
        assert name in page


@pytest.mark.parametrize("url", [FORECAST, CONSISTENCY])
def test_a_province_user_sees_only_its_province(client, programme, thai_nguyen_user, url):  # noqa: F811
    client.force_login(thai_nguyen_user)
    response = client.get(url)
    page = text_of(response.text)
    assert "Thái Nguyên" in page
    assert "Hồ Chí Minh" not in page and "Hà Nội" not in page
    assert "chỉ gồm các đề án anh/chị được xem" in page


def test_a_province_user_asking_for_another_province_gets_nothing_of_it(
    client,
    programme,  # noqa: F811
    ha_noi_user,
):
    client.force_login(ha_noi_user)
    response = client.get(
        "/giam-sat/nhat-quan/?year=2019&fund=national&province=19&map=34&check=past_end"
    )
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["quality"].total.schemes == 0


def test_forecast_page_figures(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    response = client.get("/giam-sat/du-bao/?year=2019&fund=national&as_of=31/12/2019")
    headline = response.context["headline"]
    # On 31/12 the forecast is what was paid: 2,6 of 5,0 tỷ.
    assert headline["expected"] == "2,60 tỷ đồng"
    assert headline["expected_rate"] == "52,00%"
    page = text_of(response.text)
    assert "Phương pháp" in page
    codes = [row["scheme"].code for row in response.context["at_risk"]]
    assert codes == ["C", "D", "A", "B"]


def test_consistency_rows_of_one_check(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    # 2019 schemes end on 30/11/2019: on 31/12 A (settled) and B (accepted) pass; C and D fail.
    response = client.get(CONSISTENCY + "&check=past_end")
    assert [row["code"] for row in response.context["rows"]] == ["C", "D"]
    page = text_of(response.text)
    assert "Quá hạn chưa nghiệm thu: 2 dòng không đạt" in page
    assert "30/11/2019" in page
    assert "Báo cáo tiến độ" in page  # the monthly reports are one of the checks
    assert response.context["plans"]  # staff see the plans' envelopes


@pytest.mark.parametrize(
    "url",
    [
        FORECAST,
        CONSISTENCY,
        CONSISTENCY + "&check=advance_unsettled",
        "/giam-sat/du-bao/?year=2019&fund=all&map=63&region=north",
    ],
)
def test_query_count_is_fixed(client, ministry_user, programme, url):  # noqa: F811
    client.force_login(ministry_user)
    _add_schemes(4, 0)
    client.get(url)
    first = _queries(client, url)
    _add_schemes(10, 100)
    assert _queries(client, url) == first
    assert first <= 12


def test_query_count_for_a_province_user(client, programme):  # noqa: F811
    user = UserFactory(role=Role.PROVINCE, province=province("19"), username="t19-q")
    client.force_login(user)
    _add_schemes(4, 0)
    first = _queries(client, FORECAST)
    _add_schemes(10, 100)
    assert _queries(client, FORECAST) == first


def test_the_overview_and_the_province_page_show_the_panels(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    for url in ("/?year=2019&fund=national&as_of=30/06/2019", "/tinh/34/19/?year=2019"):
        response = client.get(url)
        page = text_of(response.text)
        assert "Dự báo giải ngân đến 31/12/2019" in page
        assert "Chỉ số chất lượng dữ liệu" in page
        assert 'data-chart="chart-forecast"' in response.text
        assert "/giam-sat/du-bao/?" in response.text


@pytest.mark.parametrize("url", [FORECAST, CONSISTENCY])
def test_a_regional_centre_sees_the_provinces_it_covers(client, programme, url):  # noqa: F811
    from organisations.models import Organisation

    ipc1 = UserFactory(
        role=Role.REGIONAL,
        username="ipc1-w",
        organisation=Organisation.objects.get(short_name="IPC1"),
    )
    client.force_login(ipc1)
    page = text_of(client.get(url).text)
    assert "Thái Nguyên" in page and "Hà Nội" in page  # northern provinces
    assert "Hồ Chí Minh" not in page


def test_the_pages_read_in_english(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    page = text_of(client.get(FORECAST, HTTP_ACCEPT_LANGUAGE="en").text)
    assert "Method" in page and "Schemes at risk of not disbursing in full" in page
    page = text_of(client.get(CONSISTENCY, HTTP_ACCEPT_LANGUAGE="en").text)
    assert "Data-quality score" in page
