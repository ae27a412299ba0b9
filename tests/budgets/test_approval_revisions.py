"""The approval queue shows, per scheme, what changed between its submissions: field by field,
with Vietnamese labels and money in đồng, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from budgets.approvals_admin import scheme_revisions
from projects.models import Scheme
from projects.services import scheme_transition
from provinces.models import Province
from reference.models import ContentArea
from tests.factories import SchemeFactory, UserFactory

S = Scheme.Status
QUEUE = "/admin/budgets/schemeawaitingapproval/"


@pytest.fixture
def people(db):
    province = Province.objects.get(code="19", map_version="34")
    return {
        "lap": UserFactory(role=Role.PROVINCE, province=province, username="rev-lap"),
        "so": UserFactory(role=Role.PROVINCE, province=province, username="rev-so"),
        "cuc": UserFactory(role=Role.MINISTRY, username="rev-cuc"),
    }


@pytest.fixture
def approver_client(client, db):
    user = UserFactory(role=Role.APPROVER, username="rev-pheduyet", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["projects", "budgets"], codename__startswith="view_"
        )
        | Permission.objects.filter(codename="change_schemeawaitingapproval")
    )
    client.force_login(user)
    return client


def _edit(scheme, by, **fields):
    for name, value in fields.items():
        setattr(scheme, name, value)
    scheme._history_user = by
    scheme.save()


def _round(scheme, people, number: int) -> None:
    """Returned by the agency, changed by the province, submitted again and registered."""
    scheme_transition(scheme=scheme, to=S.RETURNED, by=people["cuc"], reason="Bổ sung")
    _edit(
        scheme,
        people["lap"],
        support_requested=Decimal(1_000_000_000 + number * 100_000_000),
        end_date=datetime.date(2019, 12, number),
    )
    scheme.content_areas.add(ContentArea.objects.get(code=f"nd45-{number}"))
    _edit(scheme, people["lap"])  # the history row that records the new content areas
    for to, who in ((S.SUBMITTED, "lap"), (S.BASE_APPRAISED, "so"), (S.REGISTERED, "lap")):
        scheme_transition(scheme=scheme, to=to, by=people[who])


@pytest.fixture
def scheme(people):
    scheme = SchemeFactory(
        status=S.DRAFT, province=Province.objects.get(code="19", map_version="63")
    )
    scheme._history_user = people["lap"]
    for to, who in ((S.SUBMITTED, "lap"), (S.BASE_APPRAISED, "so"), (S.REGISTERED, "lap")):
        scheme_transition(scheme=scheme, to=to, by=people[who])
    return scheme


def test_each_resubmission_against_the_one_before(scheme, people):
    _round(scheme, people, 1)
    _round(scheme, people, 2)
    revisions = scheme_revisions(scheme)
    assert [r.title for r in revisions] == [
        "Lần gửi 3 so với lần gửi 2",
        "Lần gửi 2 so với lần gửi 1",
    ]
    latest = {c.label: (c.old, c.new) for c in revisions[0].changes}
    assert latest["Kinh phí khuyến công đề nghị"] == ("1.100.000.000 đồng", "1.200.000.000 đồng")
    assert latest["Ngày kết thúc"] == ("01/12/2019", "02/12/2019")
    old_areas, new_areas = latest["Nội dung khuyến công"]
    assert new_areas.count(";") == old_areas.count(";") + 1
    assert "Trạng thái" not in latest  # the workflow's moves are not revisions
    first = {c.label: c.new for c in revisions[1].changes}
    assert first["Kinh phí khuyến công đề nghị"] == "1.100.000.000 đồng"
    assert revisions[0].user == people["lap"]


def test_a_scheme_submitted_once_has_nothing_to_compare(scheme):
    assert scheme_revisions(scheme) == []


def test_changes_since_the_last_submission_are_shown(scheme, people):
    _edit(scheme, people["cuc"], title="Tên sửa sau khi gửi")
    revisions = scheme_revisions(scheme)
    assert revisions[0].title == "Hiện nay so với lần gửi gần nhất"
    assert [(c.label, c.new) for c in revisions[0].changes] == [
        ("Tên đề án", "Tên sửa sau khi gửi")
    ]


def test_the_queue_links_to_the_page_of_changes(approver_client, scheme, people):
    _round(scheme, people, 1)
    listing = approver_client.get(QUEUE).text
    url = f"{QUEUE}{scheme.pk}/thay-doi/"
    assert url in listing
    assert "2 lần gửi" in listing
    page = approver_client.get(url).text
    assert "Lần gửi 2 so với lần gửi 1" in page
    assert "1.000.000.000 đồng" in page and "1.100.000.000 đồng" in page


def test_a_scheme_not_in_the_queue_is_404(approver_client, people):
    draft = SchemeFactory(status=S.DRAFT)
    assert approver_client.get(f"{QUEUE}{draft.pk}/thay-doi/").status_code == 404


def test_the_page_of_changes_costs_the_same_with_more_revisions(approver_client, scheme, people):
    url = f"{QUEUE}{scheme.pk}/thay-doi/"
    _round(scheme, people, 1)
    approver_client.get(url)
    with CaptureQueriesContext(connection) as few:
        approver_client.get(url)
    _round(scheme, people, 2)
    _round(scheme, people, 3)
    with CaptureQueriesContext(connection) as more:
        page = approver_client.get(url).text
    assert "Lần gửi 4 so với lần gửi 3" in page
    assert len(few) == len(more)


def test_the_queue_costs_the_same_with_twice_the_schemes(approver_client, people):
    def fill(count):
        for _ in range(count):
            scheme = SchemeFactory(
                status=S.DRAFT, province=Province.objects.get(code="19", map_version="63")
            )
            for to, who in ((S.SUBMITTED, "lap"), (S.BASE_APPRAISED, "so"), (S.REGISTERED, "lap")):
                scheme_transition(scheme=scheme, to=to, by=people[who])
            _round(scheme, people, 1)

    fill(2)
    approver_client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        approver_client.get(QUEUE)
    fill(2)
    with CaptureQueriesContext(connection) as more:
        page = approver_client.get(QUEUE).text
    assert page.count("2 lần gửi – xem thay đổi") == 4
    assert len(few) == len(more)
