"""The summary table (budgets.summary) against the ledger: after any sequence of the money
services, after deletes and after a rebuild, every allocation's row holds what the contracts
and the ledger say; SchemeQuerySet.with_money() gives the same figures from it as from the
ledger."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

import projects.models
from budgets.models import Allocation, Contract, Disbursement
from budgets.rollup import YearRollup, year_rollup_rebuild
from budgets.services import allocation_set, contract_sign, disbursement_record
from budgets.summary import AllocationMoney, allocation_money_rebuild, allocation_money_refresh
from projects.models import Scheme
from tests.factories import AnnualPlanFactory, PlanBatchFactory, SchemeFactory

D = datetime.date
MILLION = Decimal(1_000_000)
FIGURES = (
    "scheme_id",
    "plan_year",
    "fund",
    "province_id",
    "decision_date",
    "approved",
    "contracted",
    "first_signed_on",
    "disbursed",
    "last_paid_on",
    "approved_year_end",
    "contracted_year_end",
    "disbursed_year_end",
    *(f"disbursed_m{month:02d}" for month in range(1, 12)),
)


def expected_row(allocation: Allocation) -> dict:
    """The row worked out in Python from the objects, independently of any query."""
    year_end = D(allocation.plan.year, 12, 31)
    contracts = list(allocation.contracts.all())
    entries = list(Disbursement.objects.filter(contract__allocation=allocation))

    def net(items):
        return sum(
            (-e.amount if e.kind == Disbursement.Kind.REFUND else e.amount for e in items),
            Decimal(0),
        )

    return {
        "scheme_id": allocation.scheme_id,
        "plan_year": allocation.plan.year,
        "fund": allocation.plan.fund,
        "province_id": allocation.scheme.province_id,
        "decision_date": allocation.batch.decision_date,
        "approved": allocation.amount,
        "contracted": sum((c.value for c in contracts), Decimal(0)),
        "first_signed_on": min((c.signed_on for c in contracts), default=None),
        "disbursed": net(entries),
        "last_paid_on": max((e.paid_on for e in entries), default=None),
        # Changes of the amount and amendments of a contract decided after 31/12 are undone.
        "approved_year_end": allocation.amount
        - sum(
            (
                change.amount_after - change.amount_before
                for change in allocation.changes.all()
                if change.decided_on > year_end
            ),
            Decimal(0),
        ),
        "contracted_year_end": sum(
            (
                c.value
                - sum(
                    (
                        a.value_after - a.value_before
                        for a in c.amendments.all()
                        if a.signed_on > year_end
                    ),
                    Decimal(0),
                )
                for c in contracts
                if c.signed_on <= year_end
            ),
            Decimal(0),
        ),
        "disbursed_year_end": net(e for e in entries if e.paid_on <= year_end),
        **{
            f"disbursed_m{month:02d}": net(
                e for e in entries if e.paid_on < D(allocation.plan.year, month + 1, 1)
            )
            for month in range(1, 12)
        },
    }


def assert_summary_matches_ledger() -> int:
    allocations = Allocation.objects.select_related("plan", "batch", "scheme")
    rows = {row["allocation_id"]: row for row in AllocationMoney.objects.values()}
    assert set(rows) == {a.pk for a in allocations}
    for allocation in allocations:
        row = {name: rows[allocation.pk][name] for name in FIGURES}
        assert row == expected_row(allocation), allocation
    assert_rollup_matches_summary()
    return len(rows)


def assert_rollup_matches_summary() -> None:
    """The per-year rollup holds, per (year, fund or both, province), the year-end figures of
    the summary rows, each scheme counted once."""
    expected: dict[tuple, dict] = {}
    for row in AllocationMoney.objects.values():
        for fund in (row["fund"], ""):
            key = (row["plan_year"], fund, row["province_id"])
            figures = expected.setdefault(
                key,
                {"budget": 0, "contracted": 0, "disbursed": 0, "a": set(), "c": set(), "d": set()},
            )
            figures["budget"] += row["approved_year_end"]
            figures["contracted"] += row["contracted_year_end"]
            figures["disbursed"] += row["disbursed_year_end"]
            figures["a"].add(row["scheme_id"])
            if row["contracted_year_end"] > 0:
                figures["c"].add(row["scheme_id"])
            if row["disbursed_year_end"] > 0:
                figures["d"].add(row["scheme_id"])
    actual = {
        (r.plan_year, r.fund, r.province_id): (
            r.budget,
            r.contracted,
            r.disbursed,
            r.schemes_approved,
            r.schemes_contracted,
            r.schemes_disbursed,
        )
        for r in YearRollup.objects.all()
    }
    assert actual == {
        key: (f["budget"], f["contracted"], f["disbursed"], len(f["a"]), len(f["c"]), len(f["d"]))
        for key, f in expected.items()
    }


def _random_programme(rng: random.Random) -> None:
    """Allocations, contracts and ledger entries through the services, in random order, with
    refunds, entries dated after the year end and backdated entries."""
    plans = {year: AnnualPlanFactory(year=year) for year in (2019, 2020)}
    batches = [
        PlanBatchFactory(plan=plan, amount=Decimal(50_000) * MILLION) for plan in plans.values()
    ]
    schemes = [SchemeFactory(plan_year=2019 + i % 2) for i in range(6)]
    pilot = SchemeFactory(plan_year=2019, kind=Scheme.Kind.PILOT)
    for scheme in [*schemes, pilot]:
        batch = next(b for b in batches if b.plan.year == scheme.plan_year)
        amount = Decimal(rng.randint(5, 9)) * 100 * MILLION
        allocation_set(scheme=scheme, batch=batch, amount=amount)
    allocation_set(scheme=pilot, batch=batches[1], amount=300 * MILLION)
    vouchers = 0
    for _step in range(40):
        allocation = rng.choice(list(Allocation.objects.select_related("plan", "scheme")))
        contracts = list(allocation.contracts.all())
        action = rng.choice(("sign", "pay", "pay", "refund", "reapprove"))
        year = allocation.plan.year
        try:
            if action == "sign" or not contracts:
                contract_sign(
                    allocation=allocation,
                    kind=Contract.Kind.CONTRACT,
                    number=f"{len(contracts) + 1}/HĐ-{allocation.pk}",
                    signed_on=D(year, rng.randint(2, 12), 1),
                    value=Decimal(rng.randint(1, 3)) * 100 * MILLION,
                    contractor=allocation.scheme.implementing_unit,
                )
            elif action == "reapprove":
                allocation_set(
                    scheme=allocation.scheme,
                    batch=allocation.batch,
                    amount=allocation.amount + 100 * MILLION,
                )
            else:
                contract = rng.choice(contracts)
                vouchers += 1
                refund = action == "refund"
                # From the signature to well past the year end, in no particular order.
                days = rng.randint(200, 500) if refund else rng.randint(0, 500)
                disbursement_record(
                    contract=contract,
                    kind=Disbursement.Kind.REFUND
                    if refund
                    else rng.choice((Disbursement.Kind.ADVANCE, Disbursement.Kind.PAYMENT)),
                    amount=Decimal(rng.randint(1, 2) if refund else rng.randint(1, 8))
                    * 10
                    * MILLION,
                    paid_on=contract.signed_on + datetime.timedelta(days=days),
                    voucher_number=f"UNC-{vouchers}",
                )
        except ValidationError:
            pass  # refused by the money chain: nothing was written
    # At least one refund, whatever the draw.
    paid = Disbursement.objects.exclude(kind=Disbursement.Kind.REFUND).order_by("pk").first()
    disbursement_record(
        contract=paid.contract,
        kind=Disbursement.Kind.REFUND,
        amount=10 * MILLION,
        paid_on=paid.contract.disbursements.order_by("-paid_on").first().paid_on,
        voucher_number="UNC-REFUND",
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_summary_follows_every_service_call(db, seed):
    _random_programme(random.Random(seed))
    entries = Disbursement.objects.select_related("contract__allocation__plan")
    assert any(e.kind == Disbursement.Kind.REFUND for e in entries)
    assert any(e.paid_on.year > e.contract.allocation.plan.year for e in entries)
    assert assert_summary_matches_ledger() == 8


def test_summary_follows_deletes(db):
    _random_programme(random.Random(4))
    entry = Disbursement.objects.order_by("-amount").first()
    allocation = entry.contract.allocation
    before = AllocationMoney.objects.get(pk=allocation.pk).disbursed
    entry.delete()
    assert AllocationMoney.objects.get(pk=allocation.pk).disbursed == before - entry.amount * (
        -1 if entry.kind == Disbursement.Kind.REFUND else 1
    )
    contract = Contract.objects.create(
        allocation=allocation,
        kind=Contract.Kind.TASK,
        number="GNV-1",
        signed_on=D(2019, 5, 1),
        value=MILLION,
        contractor=allocation.scheme.implementing_unit,
    )
    assert AllocationMoney.objects.get(pk=allocation.pk).first_signed_on <= D(2019, 5, 1)
    contract.delete()
    bare = allocation_set(scheme=SchemeFactory(), batch=allocation.batch, amount=100 * MILLION)
    assert AllocationMoney.objects.get(pk=bare.pk).approved == 100 * MILLION
    bare.delete()
    assert not AllocationMoney.objects.filter(pk=bare.pk).exists()
    assert_summary_matches_ledger()


def test_summary_follows_the_copied_columns(db):
    _random_programme(random.Random(5))
    allocation = Allocation.objects.select_related("scheme", "batch").first()
    scheme = allocation.scheme
    scheme.province = projects.models.Province.objects.get(code="01", map_version="63")
    scheme.save()
    batch = allocation.batch
    batch.decision_date = D(2019, 2, 2)
    batch.save()
    assert_summary_matches_ledger()
    plan = allocation.plan
    plan.fund = "local" if plan.fund == "national" else "national"
    plan.save()
    assert_summary_matches_ledger()
    assert YearRollup.objects.filter(plan_year=plan.year, fund=plan.fund).exists()


def test_a_plan_moved_to_another_year_has_its_rows_recomputed(db):
    """The month and year-end columns count from the plan year: moving a plan (a data entry
    error corrected) recomputes its rows, not only their year column."""
    _random_programme(random.Random(6))
    plan = Allocation.objects.filter(contracts__disbursements__isnull=False).first().plan
    plan.year += 1
    plan.save()
    assert_summary_matches_ledger()
    assert_rollup_matches_summary()
    plan.year -= 1
    plan.save(update_fields=["year"])
    assert_summary_matches_ledger()
    assert_rollup_matches_summary()


def test_rebuild_and_refresh_give_the_same_rows(db):
    _random_programme(random.Random(6))
    AllocationMoney.objects.all().delete()
    assert not YearRollup.objects.exists()  # the rows deleted took their years with them
    assert allocation_money_rebuild() == 8
    assert_summary_matches_ledger()
    YearRollup.objects.all().delete()
    year_rollup_rebuild()
    assert_summary_matches_ledger()
    AllocationMoney.objects.all().delete()
    allocation_money_refresh(Allocation.objects.values_list("pk", flat=True))
    assert_summary_matches_ledger()


def _money(schemes, **kwargs) -> dict:
    names = ("approved", "contracted", "disbursed", "first_signed_on")
    return {s.pk: tuple(getattr(s, n) for n in names) for s in schemes.with_money(**kwargs)}


def _schedule(schemes, as_of, **kwargs) -> dict:
    names = ("approved", "contracted", "disbursed", "expected", "lag", "behind")
    return {
        s.pk: tuple(getattr(s, n) for n in names) for s in schemes.with_schedule(as_of, **kwargs)
    }


def _ledger_only(monkeypatch):
    monkeypatch.setattr(projects.models, "money_source", lambda as_of, plan_year: None)


def test_with_money_reads_the_summary_as_the_ledger_says(db, monkeypatch):
    _random_programme(random.Random(7))
    schemes = Scheme.objects.all()
    today = timezone.localdate()
    cases = [
        {},
        {"plan_year": 2019},
        {"plan_year": 2020},
        {"as_of": D(2019, 12, 31), "plan_year": 2019},
        {"as_of": D(2020, 12, 31), "plan_year": 2020},
        {"as_of": today, "plan_year": 2020},
    ]
    fast = [_money(schemes, **case) for case in cases]
    fast_schedule = [
        _schedule(schemes, D(2019, 12, 31), plan_year=2019),
        _schedule(schemes, today),
        _schedule(schemes, today, plan_year=2020),
    ]
    assert Scheme.objects.with_money()._money == ("latest", None)
    _ledger_only(monkeypatch)
    assert fast == [_money(schemes, **case) for case in cases]
    assert fast_schedule == [
        _schedule(schemes, D(2019, 12, 31), plan_year=2019),
        _schedule(schemes, today),
        _schedule(schemes, today, plan_year=2020),
    ]


def test_totals_from_the_summary_equal_the_sum_of_the_rows(db, monkeypatch):
    _random_programme(random.Random(9))
    rows = Scheme.objects.with_money(D(2019, 12, 31), plan_year=2019).filter(plan_year=2019)
    fast = rows.money_totals()
    _ledger_only(monkeypatch)
    ledger = Scheme.objects.with_money(D(2019, 12, 31), plan_year=2019).filter(plan_year=2019)
    assert fast == ledger.money_totals()
    assert fast["count"] == 4 and fast["approved"] > 0


def test_an_earlier_day_reads_the_ledger(db):
    assert projects.models.money_source(D(2019, 6, 30), 2019) is None
    assert projects.models.money_source(D(2019, 12, 31), 2019) == "year_end"
    assert projects.models.money_source(None, None) == "latest"
    assert projects.models.money_source(timezone.localdate(), 2019) == "latest"


def test_figures_on_a_day_undo_what_was_decided_later(db):
    """An amendment signed and a change of the support decided in 2020 leave 2019's figures on
    31/12/2019 as they were, from the summary table and from the ledger alike; now they count."""
    from budgets.services import contract_amend

    plan = AnnualPlanFactory(year=2019)
    batch = PlanBatchFactory(plan=plan, amount=Decimal(5_000) * MILLION)
    scheme = SchemeFactory(plan_year=2019, status=Scheme.Status.APPROVED)
    allocation = allocation_set(scheme=scheme, batch=batch, amount=1_000 * MILLION)
    contract = contract_sign(
        allocation=allocation,
        kind=Contract.Kind.CONTRACT,
        number="1/HĐ",
        signed_on=D(2019, 3, 1),
        value=900 * MILLION,
        contractor=scheme.implementing_unit,
    )
    disbursement_record(
        contract=contract,
        kind=Disbursement.Kind.PAYMENT,
        amount=300 * MILLION,
        paid_on=D(2019, 6, 1),
        voucher_number="UNC-1",
    )
    contract_amend(
        contract=contract,
        number="PL-1",
        signed_on=D(2020, 2, 1),
        value=800 * MILLION,
        reason="Giảm khối lượng",
        by=None,
    )
    allocation_set(
        scheme=scheme,
        batch=batch,
        amount=850 * MILLION,
        decided_on=D(2020, 2, 10),
        decision_number="15/QĐ-BCT",
        reason="Điều chỉnh giảm",
    )

    def figures(as_of):
        row = Scheme.objects.with_money(as_of, 2019).get(pk=scheme.pk)
        return row.approved, row.contracted, row.disbursed

    before = (1_000 * MILLION, 900 * MILLION, 300 * MILLION)
    assert figures(D(2019, 12, 31)) == before  # the summary table's year-end columns
    assert figures(D(2019, 12, 30)) == before  # the ledger
    assert figures(D(2020, 2, 5)) == (1_000 * MILLION, 800 * MILLION, 300 * MILLION)
    assert figures(None) == (850 * MILLION, 800 * MILLION, 300 * MILLION)
    assert_summary_matches_ledger()
    allocation_money_rebuild()
    assert figures(D(2019, 12, 31)) == before
    assert_summary_matches_ledger()

    # The dashboard's headline and breakdowns say the same, from the table and the ledger.
    from dashboard.selectors import ProgrammeFilter, disbursement_by_region, programme_summary

    for as_of in (None, D(2019, 12, 30)):  # 31/12 from the table, 30/12 from the ledger
        programme = ProgrammeFilter(year=2019, fund=scheme.fund, as_of=as_of)
        summary = programme_summary(programme)
        assert (summary.budget, summary.contracted, summary.disbursed) == before
        (region,) = disbursement_by_region(programme)
        assert (region["budget"], region["disbursed"]) == (before[0], before[2])
