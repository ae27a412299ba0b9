"""The portal's adjustment panel and page, the ministry scheme page's section, and the admin
queue of requests: each through the services, each in a fixed number of queries."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from adjustments.models import AdjustmentRequest, ContentChange, Kind
from adjustments.services import adjustment_decide, adjustment_request, adjustment_withdraw
from organisations.models import Organisation
from projects.models import Scheme
from tests.adjustments.conftest import BILLION, make_scheme

R = AdjustmentRequest.Status
QUEUE = "/admin/adjustments/adjustmentrequest/"


def _portal(scheme) -> str:
    return f"/ho-so/{scheme.pk}/"


def _page(scheme) -> str:
    return f"/ho-so/{scheme.pk}/dieu-chinh/"


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _history(scheme, sct, leader, rounds: int) -> None:
    """Decided requests of every kind, one after the other."""
    done = AdjustmentRequest.objects.filter(scheme=scheme).count()
    for index in range(done, done + rounds):
        request = adjustment_request(
            scheme=scheme,
            kind=Kind.AMOUNT,
            reason=f"Lần {index}",
            by=sct,
            requested_amount=BILLION + index + 1,
        )
        adjustment_decide(request=request, approve=True, by=leader, decision_number=f"{index}/QĐ")
        request = adjustment_request(
            scheme=scheme, kind=Kind.CONTENT, reason="Đổi", by=sct, content_change="other"
        )
        adjustment_decide(request=request, approve=False, by=leader, reason="Không")


class TestPortal:
    def test_the_preparing_unit_files_a_request_from_the_dossier(self, client, scheme, sct):
        client.force_login(sct)
        page = client.get(_portal(scheme)).text
        assert "Đề nghị điều chỉnh / ngừng" in page
        response = client.post(
            _page(scheme),
            {"kind": "schedule", "requested_end_date": "20/12/2019", "reason": "Mưa lũ"},
        )
        assert response.status_code == 302
        assert response["Location"] == f"{_portal(scheme)}#adjustments"
        request = AdjustmentRequest.objects.get()
        assert (request.kind, request.requested_end_date) == (
            Kind.SCHEDULE,
            datetime.date(2019, 12, 20),
        )
        page = client.get(_portal(scheme)).text
        assert "30/11/2019" in page and "20/12/2019" in page
        assert "Chờ quyết định" in page
        assert "Rút đề nghị" in page
        assert "chỉ gửi đề nghị mới khi đề nghị đó đã được quyết định" in page

    def test_a_refusal_of_the_service_is_shown_on_the_form(self, client, scheme, sct):
        client.force_login(sct)
        response = client.post(_page(scheme), {"kind": "amount", "reason": "Tăng giá"})
        assert response.status_code == 200
        assert "Cần ghi kinh phí hỗ trợ đề nghị sau điều chỉnh." in response.text
        assert not AdjustmentRequest.objects.exists()

    def test_others_cannot_file(self, client, scheme, ministry_user, ha_noi_user):
        client.force_login(ha_noi_user)
        assert client.post(_page(scheme), {"kind": "stop", "reason": "x"}).status_code == 404
        client.force_login(ministry_user)
        assert "Đề nghị điều chỉnh / ngừng" not in client.get(_portal(scheme)).text
        assert client.post(_page(scheme), {"kind": "stop", "reason": "x"}).status_code == 403
        assert not AdjustmentRequest.objects.exists()

    def test_the_so_decides_a_group_schemes_place_in_the_portal(self, client, batch, sct, so):
        scheme = make_scheme(batch, kind=Scheme.Kind.GROUP)
        request = adjustment_request(
            scheme=scheme,
            kind=Kind.CONTENT,
            reason="Đổi xã thụ hưởng",
            by=sct,
            content_change=ContentChange.PLACE,
        )
        client.force_login(sct)
        assert "Ghi quyết định" not in client.get(_portal(scheme)).text
        client.force_login(so)
        assert "Ghi quyết định" in client.get(_portal(scheme)).text
        url = f"{_page(scheme)}{request.pk}/quyet-dinh/"
        data = {"decision": "approve", "decision_number": "12/SCT", "expected_status": "requested"}
        assert client.post(url, data).status_code == 302
        request.refresh_from_db()
        assert (request.status, request.decided_by) == (R.APPROVED, so)
        # A second click is refused, not applied twice.
        response = client.post(url, data, follow=True)
        assert "vừa được xử lý" in response.text

    def test_withdraw(self, client, scheme, sct):
        request = adjustment_request(scheme=scheme, kind=Kind.STOP, reason="x", by=sct)
        client.force_login(sct)
        response = client.post(f"{_page(scheme)}{request.pk}/rut/")
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == R.WITHDRAWN

    def test_the_dossier_costs_the_same_queries_with_more_requests(
        self, client, scheme, sct, leader
    ):
        client.force_login(sct)
        _history(scheme, sct, leader, 1)
        client.get(_portal(scheme))
        few = _count(client, _portal(scheme))
        page_few = _count(client, _page(scheme))
        _history(scheme, sct, leader, 2)
        assert _count(client, _portal(scheme)) == few
        assert _count(client, _page(scheme)) == page_few

    def test_a_draft_dossier_asks_nothing_of_adjustments(self, client, batch, sct):
        scheme = make_scheme(batch, status=Scheme.Status.DRAFT)
        client.force_login(sct)
        with CaptureQueriesContext(connection) as queries:
            client.get(_portal(scheme))
        assert not any("adjustments_" in q["sql"] for q in queries.captured_queries)


class TestSchemePage:
    def test_shows_the_requests_before_and_after(self, client, scheme, sct, leader, ministry_user):
        request = adjustment_request(
            scheme=scheme,
            kind=Kind.AMOUNT,
            reason="Giá thép tăng",
            by=sct,
            requested_amount=Decimal(1_250_000_000),
        )
        adjustment_decide(request=request, approve=True, by=leader, decision_number="77/QĐ-BCT")
        client.force_login(ministry_user)
        page = client.get(f"/de-an/{scheme.pk}/").text
        assert "Đề nghị điều chỉnh, ngừng triển khai" in page
        assert "1.000.000.000 đồng → <strong>1.250.000.000 đồng</strong>" in page
        assert "77/QĐ-BCT" in page and "Giá thép tăng" in page

    def test_query_count_is_fixed(self, client, scheme, sct, leader, ministry_user):
        client.force_login(ministry_user)
        _history(scheme, sct, leader, 1)
        url = f"/de-an/{scheme.pk}/"
        client.get(url)
        few = _count(client, url)
        _history(scheme, sct, leader, 2)
        assert _count(client, url) == few


class TestAdminQueue:
    def test_lists_before_and_after(self, client, scheme, sct, leader):
        adjustment_request(
            scheme=scheme,
            kind=Kind.AMOUNT,
            reason="Giá tăng",
            by=sct,
            requested_amount=Decimal(1_100_000_000),
        )
        client.force_login(leader)
        page = client.get(QUEUE).text
        assert scheme.code in page
        assert "1.000.000.000 đồng → <strong>1.100.000.000 đồng</strong>" in page

    def test_approve_through_the_service(self, client, scheme, sct, leader):
        request = adjustment_request(scheme=scheme, kind=Kind.STOP, reason="Giải thể", by=sct)
        client.force_login(leader)
        payload = {"action": "approve_selected", "_selected_action": [request.pk]}
        confirm = client.post(QUEUE, payload)
        assert "Bộ trưởng" in confirm.text and "Đang thực hiện" not in confirm.text
        assert "Đã ký hợp đồng / giao nhiệm vụ → <strong>Ngừng triển khai</strong>" in confirm.text
        client.post(QUEUE, {**payload, "confirm": "1", "decision_number": "5/QĐ-BCT"})
        request.refresh_from_db()
        scheme.refresh_from_db()
        assert (request.status, scheme.status) == (R.APPROVED, Scheme.Status.STOPPED)
        assert scheme.status_changes.get().decision_number == "5/QĐ-BCT"

    def test_refuse_needs_a_reason_and_goes_through_the_service(self, client, scheme, sct, leader):
        request = adjustment_request(scheme=scheme, kind=Kind.STOP, reason="Giải thể", by=sct)
        client.force_login(leader)
        payload = {"action": "refuse_selected", "_selected_action": [request.pk], "confirm": "1"}
        client.post(QUEUE, payload)
        assert AdjustmentRequest.objects.get().status == R.REQUESTED
        client.post(QUEUE, {**payload, "reason": "Chưa đủ căn cứ"})
        request.refresh_from_db()
        assert (request.status, request.decision_reason) == (R.REFUSED, "Chưa đủ căn cứ")

    def test_all_or_nothing_with_the_sos_refusal_shown(self, client, batch, sct, leader):
        ours = adjustment_request(
            scheme=make_scheme(batch), kind=Kind.STOP, reason="Giải thể", by=sct
        )
        theirs = adjustment_request(
            scheme=make_scheme(batch, kind=Scheme.Kind.GROUP),
            kind=Kind.CONTENT,
            reason="Đổi xã",
            by=sct,
            content_change=ContentChange.PLACE,
        )
        client.force_login(leader)
        payload = {
            "action": "approve_selected",
            "_selected_action": [ours.pk, theirs.pk],
            "confirm": "1",
            "decision_number": "5/QĐ-BCT",
        }
        page = client.post(QUEUE, payload, follow=True).text
        assert "Sở Công Thương" in page
        assert set(AdjustmentRequest.objects.values_list("status", flat=True)) == {R.REQUESTED}

    def test_queue_query_count_is_fixed(self, client, batch, sct, leader):
        def fill(count):
            for _ in range(count):
                scheme = make_scheme(batch)
                adjustment_request(
                    scheme=scheme,
                    kind=Kind.UNIT,
                    reason="Trung tâm giải thể",
                    by=sct,
                    requested_unit=Organisation.objects.filter(
                        province__successor=scheme.province.successor
                    )
                    .exclude(pk=scheme.implementing_unit_id)
                    .first(),
                )

        client.force_login(leader)
        fill(2)
        client.get(QUEUE)
        few = _count(client, QUEUE)
        fill(2)
        assert _count(client, QUEUE) == few

    def test_change_and_history_pages_answer(self, client, scheme, sct, leader):
        request = adjustment_request(scheme=scheme, kind=Kind.STOP, reason="x", by=sct)
        adjustment_withdraw(request=request, by=sct)
        client.force_login(leader)
        for page in ("change", "history"):
            assert client.get(f"{QUEUE}{request.pk}/{page}/").status_code == 200
