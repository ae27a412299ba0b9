"""`generate_synthetic --size XS` runs once for this module, inside a transaction rolled back at
the end. The money chain is checked on every row with database aggregates."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum

from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch
from core.text import fold
from demo.synthetic import SIZES
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Fund, Scheme
from tests import factories
from tests.money_chain import assert_money_chain_holds, summed

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
MONEY = Allocation._meta.get_field("amount")
SCHEMES = SIZES["XS"]


def generate(*extra: str) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", "--size", "XS", "--today", TODAY.isoformat(), *extra,
                 stdout=out)  # fmt: skip
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (AnnualPlan, PlanBatch, Establishment, Scheme, Allocation, Contract, Disbursement)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = generate()
        yield output
        transaction.set_rollback(True)


def test_counts(generated):
    numbers = counts()
    assert numbers["Scheme"] == SCHEMES
    assert numbers["Allocation"] == SCHEMES
    assert not Scheme.objects.exclude(code__startswith="SYN-").exists()
    assert not Scheme.objects.annotate(n=Count("allocations")).exclude(n=1).exists()
    contracted = Scheme.objects.filter(allocations__contracts__isnull=False).distinct().count()
    assert contracted >= 0.8 * SCHEMES  # most schemes
    assert 7 * contracted <= numbers["Disbursement"] <= 13 * contracted  # about ten each
    assert numbers["Establishment"] == SCHEMES // 4
    assert f"{SCHEMES:>10,} đề án" in generated
    assert f"{numbers['Disbursement']:>10,} chứng từ giải ngân" in generated


def test_years_funds_maps_and_managers(generated):
    years = set(Scheme.objects.values_list("plan_year", flat=True))
    assert years == set(range(2014, 2027))
    assert set(Scheme.objects.values_list("fund", flat=True)) == {Fund.NATIONAL, Fund.LOCAL}
    assert set(Scheme.objects.values_list("province__map_version", flat=True)) == {"63", "34"}
    assert (
        not Allocation.objects.filter(batch__decision_date__lt=datetime.date(2025, 7, 1))
        .exclude(scheme__province__map_version="63")
        .exists()
    )
    assert (
        not Allocation.objects.filter(batch__decision_date__gte=datetime.date(2025, 7, 1))
        .exclude(scheme__province__map_version="34")
        .exists()
    )
    national = AnnualPlan.objects.filter(fund=Fund.NATIONAL)
    assert not national.exclude(managing_unit__kind__in=["agency", "regional_centre"]).exists()
    local = AnnualPlan.objects.filter(fund=Fund.LOCAL)
    assert local.exists()
    assert not local.exclude(managing_unit__kind=Organisation.Kind.DEPARTMENT).exists()
    assert not AnnualPlan.objects.exclude(title__startswith="SYN").exists()
    assert not Allocation.objects.exclude(batch__plan=F("plan")).exists()
    assert not Allocation.objects.exclude(plan__year=F("scheme__plan_year")).exists()
    assert not Allocation.objects.exclude(plan__fund=F("scheme__fund")).exists()


def test_search_text_is_folded(generated):
    for scheme in Scheme.objects.all()[:20]:
        assert scheme.search_text == fold(f"{scheme.code} {scheme.title}")
    for establishment in Establishment.objects.all()[:5]:
        establishment_text = establishment.search_text
        establishment.refresh_search_text()
        assert establishment.search_text == establishment_text
    assert Scheme.objects.filter(search_text__contains="may").exists()


def test_contracts_per_allocation(generated):
    assert Contract.objects.values("allocation").annotate(n=Count("pk")).filter(n=1).exists()


def test_no_plan_or_batch_is_overallocated(generated):
    plans = AnnualPlan.objects.annotate(
        envelope=summed(PlanBatch, "plan", "amount"),
        allocated=summed(Allocation, "plan", "amount"),
    )
    assert not plans.filter(allocated__gt=F("envelope")).exists()
    batches = PlanBatch.objects.annotate(allocated=summed(Allocation, "batch", "amount"))
    assert not batches.filter(allocated__gt=F("amount")).exists()
    assert not batches.filter(allocated=0).exists()  # no empty batch


def test_ledger_dates_and_running_net(generated):
    assert not Disbursement.objects.filter(paid_on__lt=F("contract__signed_on")).exists()
    assert not Disbursement.objects.filter(paid_on__gt=TODAY).exists()
    assert not Contract.objects.filter(signed_on__gt=TODAY).exists()
    assert not Contract.objects.filter(signed_on__lt=F("allocation__batch__decision_date")).exists()
    for year in range(2014, TODAY.year):  # paid by the settlement deadline, 22 January
        year_ledger = Disbursement.objects.filter(contract__allocation__plan__year=year)
        assert not year_ledger.filter(paid_on__gt=datetime.date(year + 1, 1, 22)).exists()
    # The net paid out under a contract up to each entry's date stays within [0, value].
    by_then = (
        Disbursement.objects.filter(contract=OuterRef("contract"), paid_on__lte=OuterRef("paid_on"))
        .order_by()
        .values("contract")
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values("total")
    )
    entries = Disbursement.objects.annotate(running=Subquery(by_then))
    assert entries.filter(kind=Disbursement.Kind.REFUND).exists()
    assert not entries.filter(running__lt=0).exists()
    assert not entries.filter(running__gt=F("contract__value")).exists()
    advances = Disbursement.objects.filter(kind=Disbursement.Kind.ADVANCE)
    assert not advances.filter(amount__gt=F("contract__value") * Decimal("0.7")).exists()


def test_statuses(generated):
    past = Scheme.objects.filter(plan_year__lt=TODAY.year)
    unsigned = past.filter(allocations__contracts__isnull=True)
    assert not unsigned.exclude(status=Scheme.Status.STOPPED).exists()
    current = Scheme.objects.filter(plan_year=TODAY.year, allocations__contracts__isnull=True)
    assert not current.exclude(status=Scheme.Status.APPROVED).exists()
    assert not Scheme.objects.filter(sector__code="h", plan_year__lt=2026).exists()
    pilots = Scheme.objects.filter(kind="pilot").annotate(n=Count("content_areas"))
    assert not pilots.filter(n__lt=2).exists()


def test_refuses_a_second_run_and_resets(generated):
    before = counts()
    with pytest.raises(CommandError, match="đã có 60 đề án tổng hợp"):
        generate()
    assert counts() == before
    output = generate("--reset")
    assert "Đã xóa dữ liệu tổng hợp cũ" in output
    assert counts() == before  # same seed, same data
    # The id sequences were moved past the ids chosen by the command.
    plan = factories.AnnualPlanFactory(year=2030)
    assert plan.pk > AnnualPlan.objects.exclude(pk=plan.pk).order_by("-pk").first().pk


def test_refuses_a_database_with_other_data(generated):
    factories.SchemeFactory(code="DEMO-1")
    with pytest.raises(CommandError, match="không phải dữ liệu tổng hợp"):
        generate("--reset")
    assert Scheme.objects.filter(code__startswith="SYN-").count() == SCHEMES


def test_the_whole_money_chain_holds(generated):
    assert_money_chain_holds()
