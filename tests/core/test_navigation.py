"""The main menu: each role sees the sections its permissions open, every section it is offered
answers it (never a refusal), the page's own section is marked, and the menu costs no query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core.navigation import sections
from organisations.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

EVERYONE = ["Tổng quan", "Đề án", "Giám sát", "Sổ theo dõi", "Hộp thư"]


@pytest.fixture
def regional_user(db):
    centre = Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_CENTRE).first()
    return factories.UserFactory(role=Role.REGIONAL, organisation=centre, username="ipc1-t")


def labels(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [section.label for section in response.context["menu"]]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "ministry_user",
            "Tổng quan|Đề án|Giám sát|Sổ giải ngân|Sổ theo dõi|Báo cáo|Nhập dữ liệu|Hộp thư",
        ),
        ("approver", "Tổng quan|Đề án|Giám sát|Sổ theo dõi|Báo cáo|Hộp thư"),
        (
            "thai_nguyen_user",
            "Tổng quan|Đề án|Giám sát|Hồ sơ đề án|Sổ giải ngân|Sổ theo dõi|Báo cáo|"
            "Nhập dữ liệu|Hộp thư",
        ),
        ("regional_user", "Tổng quan|Đề án|Giám sát|Hồ sơ đề án|Sổ theo dõi|Hộp thư"),
        (
            "admin_user",
            "Tổng quan|Đề án|Giám sát|Sổ giải ngân|Sổ theo dõi|Báo cáo|Nhập dữ liệu|Hộp thư|"
            "Quản trị",
        ),
    ],
)
def test_each_role_is_offered_its_sections_and_each_one_opens(client, request, who, expected):
    user = request.getfixturevalue(who)
    client.force_login(user)
    overview = client.get(reverse("dashboard:overview"))
    menu = list(overview.context["menu"])
    assert [section.label for section in menu] == expected.split("|")
    assert set(EVERYONE) <= set(expected.split("|"))
    for section in menu:
        response = client.get(section.url)
        assert response.status_code == 200, (section.label, response.status_code)


def test_the_pages_section_is_marked(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("projects:scheme-list"))
    current = [s.label for s in response.context["menu"] if s.current]
    assert current == ["Đề án"]
    assert 'aria-current="page">Đề án</a>' in response.text
    consistency = client.get(reverse("dashboard:consistency"))
    assert [s.label for s in consistency.context["menu"] if s.current] == ["Giám sát"]


def test_anonymous_visitors_have_no_menu_and_the_menu_costs_no_query(rf, ministry_user):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert sections(request) == []
    request.user = ministry_user
    with CaptureQueriesContext(connection) as queries:
        assert len(sections(request)) == 8
    assert len(queries) == 0
