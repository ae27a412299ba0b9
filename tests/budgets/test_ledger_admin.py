"""The admin pages of the ledger's records: each write goes through its service (a refusal is
shown on the form, nothing saved), the closing of a year is closed, re-opened and closed again
there, and no ledger row or decision record can be deleted."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from budgets.models import (
    AdvanceRule,
    Allocation,
    AllocationChange,
    Contract,
    ContractAmendment,
    ContractLiquidation,
    Disbursement,
    Envelope,
    EnvelopeTransfer,
    PeriodLock,
    Settlement,
)
from budgets.services import year_close
from provinces.models import Province, ProvinceMap
from tests.factories import ContractFactory, PlanBatchFactory, UserFactory

MILLION = Decimal(1_000_000)


def url(name: str, view: str, *args) -> str:
    return reverse(f"admin:budgets_{name}_{view}", args=args)


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_year_is_closed_reopened_and_closed_again_in_the_admin(staff, admin_user):
    response = staff.post(
        url("periodlock", "add"),
        {"year": "2019", "fund": "national", "closed_on": "25/01/2020", "note": "", "_save": "1"},
    )
    assert response.status_code == 302
    closing = PeriodLock.objects.get()
    assert (closing.closed_by, closing.closed_on) == (admin_user, datetime.date(2020, 1, 25))

    response = staff.post(
        url("periodlock", "change", closing.pk),
        {"reopen_reason": "Ghi bổ sung chứng từ", "_save": "1"},
    )
    assert response.status_code == 302
    closing.refresh_from_db()
    assert (closing.reopened_by, closing.reopen_reason) == (admin_user, "Ghi bổ sung chứng từ")

    response = staff.post(
        url("periodlock", "changelist"),
        {"action": "close_again", "_selected_action": [closing.pk]},
    )
    assert response.status_code == 302
    assert PeriodLock.objects.filter(year=2019, reopened_on__isnull=True).count() == 1


def test_closing_a_year_not_over_is_refused_on_the_form(staff):
    next_year = timezone.localdate().year + 1
    response = staff.post(
        url("periodlock", "add"),
        {"year": str(next_year), "fund": "national", "closed_on": "", "_save": "1"},
    )
    assert response.status_code == 200
    assert escape(f"Chưa khoá sổ năm {next_year} được ngày") in response.content.decode()
    assert not PeriodLock.objects.exists()


def test_an_envelope_beyond_the_plan_is_refused_on_the_form(staff):
    batch = PlanBatchFactory(amount=1000 * MILLION)
    data = {
        "plan": batch.plan.pk,
        "province": Province.objects.get(code="19", map_version=ProvinceMap.NEW_34).pk,
        "amount": str(1001 * MILLION),
        "_save": "1",
    }
    response = staff.post(url("envelope", "add"), data)
    assert response.status_code == 200
    assert escape("còn 1.000.000.000 đồng") in response.content.decode()
    assert not Envelope.objects.exists()
    data["amount"] = str(1000 * MILLION)
    assert staff.post(url("envelope", "add"), data).status_code == 302
    assert Envelope.objects.get().history.get().history_user is not None


def test_an_amendment_is_made_by_the_service(staff, admin_user):
    contract = ContractFactory(value=800 * MILLION, allocation__amount=1000 * MILLION)
    response = staff.post(
        url("contractamendment", "add"),
        {
            "contract": contract.pk,
            "number": "PL-01",
            "signed_on": "01/08/2019",
            "value_after": str(900 * MILLION),
            "reason": "Bổ sung khối lượng",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    amendment = ContractAmendment.objects.get()
    assert (amendment.value_before, amendment.recorded_by) == (800 * MILLION, admin_user)
    contract.refresh_from_db()
    assert contract.value == 900 * MILLION


@pytest.mark.parametrize(
    "model",
    [
        Disbursement,
        Contract,
        Allocation,
        ContractAmendment,
        AllocationChange,
        EnvelopeTransfer,
        ContractLiquidation,
        Settlement,
        AdvanceRule,
    ],
)
def test_ledger_rows_are_never_deleted_in_the_admin(db, model):
    request = RequestFactory().get("/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert admin.site._registry[model].has_delete_permission(request) is False


def test_a_payment_into_a_closed_year_is_refused_on_the_form(staff, admin_user):
    contract = ContractFactory()
    year_close(year=2019, fund="national", by=admin_user)
    response = staff.post(
        url("disbursement", "add"),
        {
            "contract": contract.pk,
            "kind": Disbursement.Kind.PAYMENT,
            "paid_on": "25/03/2019",
            "amount": "1000",
            "voucher_number": "UNC-1",
            "note": "",
            "_save": "1",
        },
    )
    assert response.status_code == 200
    assert escape("Sổ năm 2019 (Khuyến công quốc gia) đã khoá ngày") in response.content.decode()
    assert not Disbursement.objects.exists()
