"""The admin writes money only through budgets/services.py, shows a refusal of the service as a
form error with nothing saved, and never deletes or rewrites an entry of the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from budgets import services
from budgets.models import Allocation, Contract, Disbursement, PlanBatch
from core.money import format_vnd
from tests import factories

BILLION = Decimal(1_000_000_000)


def url(name: str, view: str, *args) -> str:
    return reverse(f"admin:budgets_{name}_{view}", args=args)


def page_data(response, **changes) -> dict:
    """The POST a browser would send from a rendered add or change page, with `changes`."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for index, row in enumerate(formset.forms):
            data[f"{formset.prefix}-{index}-id"] = row.instance.pk
    data.update(changes)
    data["_save"] = "1"
    return data


def post_page(client, page_url: str, **changes):
    return client.post(page_url, page_data(client.get(page_url), **changes))


def shows(response, message: str) -> bool:
    return escape(message) in response.content.decode()


# Disbursements.


@pytest.fixture
def contract(db):
    """A contract of 1 tỷ đồng, signed 15/03/2019, with nothing disbursed yet."""
    return factories.ContractFactory()


def disbursement_post(contract: Contract, amount: Decimal, **extra) -> dict:
    return {
        "contract": contract.pk,
        "kind": Disbursement.Kind.PAYMENT,
        "paid_on": "25/03/2019",
        "amount": str(amount),
        "voucher_number": "UNC-0099",
        "note": "",
        "_save": "1",
        **extra,
    }


def test_a_disbursement_beyond_the_contract_is_refused_on_the_form(admin_client_vi, contract):
    response = admin_client_vi.post(
        url("disbursement", "add"), disbursement_post(contract, Decimal(1_500_000_000))
    )

    assert response.status_code == 200
    assert shows(response, "vượt phần còn lại của")
    assert shows(response, format_vnd(Decimal(1_500_000_000)))
    assert response.context["adminform"].form.errors
    assert not Disbursement.objects.exists()
    assert not Disbursement.history.exists()
    assert not LogEntry.objects.exists()


def test_a_disbursement_before_signing_is_refused(admin_client_vi, contract):
    response = admin_client_vi.post(
        url("disbursement", "add"),
        disbursement_post(contract, BILLION / 2, paid_on="01/03/2019"),
    )
    assert response.status_code == 200
    assert shows(response, "trước ngày ký")
    assert not Disbursement.objects.exists()


def test_a_valid_disbursement_is_recorded_by_the_service(admin_client_vi, admin_user, contract):
    response = admin_client_vi.post(
        url("disbursement", "add"), disbursement_post(contract, BILLION / 2)
    )

    assert response.status_code == 302
    disbursement = Disbursement.objects.get()
    assert disbursement.amount == BILLION / 2
    assert disbursement.paid_on == datetime.date(2019, 3, 25)
    assert disbursement.recorded_by == admin_user
    (record,) = disbursement.history.all()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    assert LogEntry.objects.get().object_id == str(disbursement.pk)


def test_a_zero_amount_is_refused_in_vietnamese(admin_client_vi, contract):
    response = admin_client_vi.post(url("disbursement", "add"), disbursement_post(contract, 0))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"] == ["Số tiền phải lớn hơn 0."]


def test_a_recorded_disbursement_keeps_its_amount(admin_client_vi, admin_user, money_chain):
    change = url("disbursement", "change", money_chain.pk)
    form = admin_client_vi.get(change).context["adminform"].form
    assert list(form.fields) == ["note"]

    response = post_page(
        admin_client_vi, change, amount="1", kind=Disbursement.Kind.REFUND, note="Đã đối chiếu"
    )

    assert response.status_code == 302
    money_chain.refresh_from_db()
    assert money_chain.amount == Decimal(500_000_000)
    assert money_chain.kind == Disbursement.Kind.ADVANCE
    assert money_chain.note == "Đã đối chiếu"
    assert money_chain.history.first().history_user == admin_user


def test_the_ledger_cannot_be_deleted_in_the_admin(admin_client_vi, money_chain):
    for name, pk in (("disbursement", money_chain.pk), ("contract", money_chain.contract_id)):
        assert admin_client_vi.get(url(name, "delete", pk)).status_code == 403
        assert admin_client_vi.post(url(name, "delete", pk), {"post": "yes"}).status_code == 403
        changelist = admin_client_vi.get(url(name, "changelist"))
        assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(
            changelist.wsgi_request
        )
    assert Disbursement.objects.filter(pk=money_chain.pk).exists()


def test_an_old_version_cannot_be_restored_around_the_services(admin_client_vi, money_chain):
    record = money_chain.history.get()
    version = reverse(
        "admin:budgets_disbursement_simple_history", args=(money_chain.pk, record.history_id)
    )
    assert admin_client_vi.get(version).status_code == 200
    assert admin_client_vi.post(version, {"note": "x"}).status_code == 403


# Contracts.


def contract_post(allocation: Allocation, value: Decimal, number: str = "99/HĐ-KCQG") -> dict:
    return {
        "allocation": allocation.pk,
        "kind": Contract.Kind.CONTRACT,
        "number": number,
        "signed_on": "20/03/2019",
        "value": str(value),
        "contractor": allocation.scheme.implementing_unit_id,
        "_save": "1",
    }


def test_a_contract_beyond_the_allocation_is_refused(admin_client_vi, contract):
    # The allocation of 1 tỷ is fully contracted already.
    response = admin_client_vi.post(
        url("contract", "add"), contract_post(contract.allocation, Decimal(1))
    )
    assert response.status_code == 200
    assert shows(response, "vượt kinh phí còn lại của đề án")
    assert Contract.objects.count() == 1


def test_a_valid_contract_is_signed_by_the_service(admin_client_vi, admin_user):
    allocation = factories.AllocationFactory()
    response = admin_client_vi.post(
        url("contract", "add"), contract_post(allocation, Decimal(400_000_000))
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.value == Decimal(400_000_000)
    assert contract.history.get().history_user == admin_user


def test_a_signed_contract_keeps_its_value(admin_client_vi, contract):
    change = url("contract", "change", contract.pk)
    response = post_page(admin_client_vi, change, value="1", number="7/HĐ-SỬA")
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.value == BILLION
    assert contract.number == "7/HĐ-SỬA"


# Allocations.


def test_changing_an_allocation_goes_through_the_service(admin_client_vi, admin_user, contract):
    allocation = contract.allocation
    change = url("allocation", "change", allocation.pk)

    refused = post_page(
        admin_client_vi,
        change,
        amount=str(BILLION / 2),
        decision_number="2344/QĐ-BCT",
        decided_on="20/06/2019",
    )
    assert refused.status_code == 200
    assert shows(refused, "Không thể giảm kinh phí được duyệt")
    allocation.refresh_from_db()
    assert allocation.amount == BILLION

    accepted = post_page(
        admin_client_vi,
        change,
        amount=str(2 * BILLION),
        decision_number="2345/QĐ-BCT",
        decided_on="20/06/2019",
    )
    assert accepted.status_code == 302
    allocation.refresh_from_db()
    assert allocation.amount == 2 * BILLION
    assert allocation.history.first().history_user == admin_user


def test_an_allocation_amount_changes_only_with_its_decision(admin_client_vi, admin_user, contract):
    """The change page asks for the adjustment's decision number and date: without them the new
    amount is refused and nothing is written; with them, the AllocationChange records them."""
    allocation = contract.allocation
    change = url("allocation", "change", allocation.pk)
    refused = post_page(admin_client_vi, change, amount=str(3 * BILLION))
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "cần số quyết định điều chỉnh" in errors["decision_number"][0]
    assert "cần ngày quyết định điều chỉnh" in errors["decided_on"][0]
    allocation.refresh_from_db()
    assert allocation.amount == BILLION
    assert not allocation.changes.exists()

    bad_date = post_page(
        admin_client_vi,
        change,
        amount=str(3 * BILLION),
        decision_number="2345/QĐ-BCT",
        decided_on="2019-06-20",
    )
    assert "decided_on" in bad_date.context["adminform"].form.errors
    assert not allocation.changes.exists()

    accepted = post_page(
        admin_client_vi,
        change,
        amount=str(3 * BILLION),
        decision_number=" 2345/QĐ-BCT ",
        decided_on="20/06/2019",
        change_reason="Bổ sung thiết bị xử lý chất thải",
    )
    assert accepted.status_code == 302
    [record] = allocation.changes.all()
    assert record.decision_number == "2345/QĐ-BCT"
    assert record.decided_on == datetime.date(2019, 6, 20)
    assert record.reason == "Bổ sung thiết bị xử lý chất thải"
    assert (record.amount_before, record.amount_after) == (BILLION, 3 * BILLION)
    assert record.recorded_by == admin_user
    allocation.refresh_from_db()
    assert allocation.amount == 3 * BILLION


def test_a_decision_typed_without_a_new_amount_writes_nothing(admin_client_vi, contract):
    allocation = contract.allocation
    change = url("allocation", "change", allocation.pk)
    response = post_page(admin_client_vi, change, decision_number="9/QĐ-BCT")
    assert response.status_code == 302
    assert not allocation.changes.exists()
    allocation.refresh_from_db()
    assert allocation.amount == BILLION


def test_an_allocation_stays_in_its_plan(admin_client_vi, money_chain):
    """allocation_set() takes the plan from the batch: a batch of another plan would make a
    second allocation instead of changing this one."""
    allocation = money_chain.contract.allocation
    other_batch = factories.PlanBatchFactory(plan=factories.AnnualPlanFactory(year=2020))
    change = url("allocation", "change", allocation.pk)
    response = post_page(admin_client_vi, change, batch=other_batch.pk)
    assert response.status_code == 200
    assert "batch" in response.context["adminform"].form.errors
    assert list(Allocation.objects.all()) == [allocation]


def test_a_new_allocation_beyond_the_envelope_is_refused(admin_client_vi, money_chain):
    batch = money_chain.contract.allocation.batch  # 10 tỷ, of which 1 tỷ allocated
    scheme = factories.SchemeFactory()
    data = {"scheme": scheme.pk, "batch": batch.pk, "amount": str(10 * BILLION), "_save": "1"}

    refused = admin_client_vi.post(url("allocation", "add"), data)
    assert refused.status_code == 200
    assert shows(refused, f"chỉ còn {format_vnd(9 * BILLION)} chưa phân bổ")
    assert not scheme.allocations.exists()

    accepted = admin_client_vi.post(url("allocation", "add"), {**data, "amount": str(BILLION)})
    assert accepted.status_code == 302
    assert scheme.allocations.get().plan == batch.plan


def test_a_second_allocation_in_one_plan_is_refused(admin_client_vi, money_chain):
    allocation = money_chain.contract.allocation
    data = {
        "scheme": allocation.scheme_id,
        "batch": allocation.batch_id,
        "amount": "1",
        "_save": "1",
    }
    response = admin_client_vi.post(url("allocation", "add"), data)
    assert response.status_code == 200
    assert "scheme" in response.context["adminform"].form.errors
    allocation.refresh_from_db()
    assert allocation.amount == BILLION


def test_a_scheme_of_another_year_is_refused_by_the_service(admin_client_vi, money_chain):
    batch = money_chain.contract.allocation.batch  # of the 2019 plan
    scheme = factories.SchemeFactory(plan_year=2020)
    data = {"scheme": scheme.pk, "batch": batch.pk, "amount": "1", "_save": "1"}
    response = admin_client_vi.post(url("allocation", "add"), data)
    assert response.status_code == 200
    assert shows(response, f"Đề án {scheme.code} (năm 2020) không thuộc kế hoạch")
    assert not scheme.allocations.exists()


def test_field_errors_of_a_service_land_on_their_fields(admin_client_vi, contract, monkeypatch):
    """A service's full_clean() may refuse named fields: those on the form are marked there,
    the others at the top of the form."""

    def refuse(**kwargs):
        raise ValidationError({"amount": ["Sai số tiền."], "recorded_by": ["Sai người ghi."]})

    monkeypatch.setattr(services, "disbursement_record", refuse)
    response = admin_client_vi.post(url("disbursement", "add"), disbursement_post(contract, 1))
    form = response.context["adminform"].form
    assert form.errors["amount"] == ["Sai số tiền."]
    assert form.non_field_errors() == ["Sai người ghi."]
    assert not Disbursement.objects.exists()


# Plans and batches.


def test_a_batch_is_added_by_the_service(admin_client_vi, admin_user):
    plan = factories.AnnualPlanFactory()
    data = {
        "plan": plan.pk,
        "number": "1",
        "decision_number": "1234/QĐ-BCT",
        "decision_date": "30/12/2018",
        "amount": str(135_250_000_000),
        "_save": "1",
    }
    assert admin_client_vi.post(url("planbatch", "add"), data).status_code == 302
    batch = PlanBatch.objects.get()
    assert batch.history.get().history_user == admin_user

    listing = admin_client_vi.get(url("annualplan", "changelist")).content.decode()
    assert "135.250.000.000 đồng" in listing


def test_the_scheme_list_shows_its_money_in_dong(admin_client_vi, money_chain):
    response = admin_client_vi.get(reverse("admin:projects_scheme_changelist"))
    (scheme,) = response.context["cl"].result_list
    assert (scheme.approved, scheme.contracted, scheme.disbursed) == (
        BILLION,
        BILLION,
        BILLION / 2,
    )
    content = response.content.decode()
    assert "1.000.000.000 đồng" in content
    assert "500.000.000 đồng" in content
