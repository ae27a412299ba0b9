"""factory_boy factories. Reference rows (provinces, content areas, sectors, organisations) are
loaded once per test database, so factories pick existing ones instead of inventing them."""

import datetime
from decimal import Decimal

import factory

from accounts.models import Role, User
from budgets.models import (
    AdvanceRule,
    Allocation,
    AllocationChange,
    AnnualPlan,
    Contract,
    ContractAmendment,
    ContractLiquidation,
    ContractTranche,
    Disbursement,
    Envelope,
    EnvelopeTransfer,
    PeriodLock,
    PlanBatch,
    Settlement,
)
from establishments.models import Establishment
from organisations.models import Organisation
from projects.models import Fund, Scheme
from provinces.models import Province, ProvinceMap
from reference.models import ContentArea, Sector


def _province(code: str = "19", map_version: str = ProvinceMap.OLD_63) -> Province:
    return Province.objects.get(code=code, map_version=map_version)


def _agency() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.AGENCY)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.MINISTRY
    password = factory.django.Password("khuyencong-test")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    name = factory.Sequence(lambda n: f"Hộ kinh doanh mây tre đan số {n}")
    legal_form = Establishment.LegalForm.HOUSEHOLD
    registration_code = factory.Sequence(lambda n: f"17A8{n:06d}")
    province = factory.LazyFunction(_province)
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="dd"))
    size = Establishment.Size.MICRO


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan
        django_get_or_create = ("year", "fund", "managing_unit")

    year = 2019
    fund = Fund.NATIONAL
    managing_unit = factory.LazyFunction(_agency)
    title = factory.LazyAttribute(lambda plan: f"Kế hoạch khuyến công quốc gia năm {plan.year}")


class PlanBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanBatch

    plan = factory.SubFactory(AnnualPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    decision_number = factory.Sequence(lambda n: f"{100 + n}/QĐ-BCT")
    decision_date = factory.LazyAttribute(lambda b: datetime.date(b.plan.year - 1, 12, 30))
    amount = Decimal(10_000_000_000)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"KCQG-{n:04d}")
    plan_year = 2019
    fund = Fund.NATIONAL
    kind = Scheme.Kind.TARGETED
    title = factory.Sequence(lambda n: f"Hỗ trợ ứng dụng máy móc tiên tiến số {n}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(code="a"))
    province = factory.LazyFunction(_province)
    implementing_unit = factory.LazyAttribute(
        lambda s: Organisation.objects.filter(
            kind=Organisation.Kind.PROVINCIAL_CENTRE, province__successor=s.province.successor
        ).first()
    )
    start_date = factory.LazyAttribute(lambda s: datetime.date(s.plan_year, 3, 1))
    end_date = factory.LazyAttribute(lambda s: datetime.date(s.plan_year, 11, 30))
    support_requested = Decimal(1_000_000_000)
    status = Scheme.Status.APPROVED

    @factory.post_generation
    def content_areas(self, create, extracted, **kwargs):
        if create:
            self.content_areas.set(extracted or [ContentArea.objects.get(code="nd45-3")])


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    scheme = factory.SubFactory(SchemeFactory)
    plan = factory.LazyAttribute(
        lambda a: AnnualPlanFactory(year=a.scheme.plan_year, fund=a.scheme.fund)
    )
    batch = factory.LazyAttribute(lambda a: a.plan.batches.first() or PlanBatchFactory(plan=a.plan))
    amount = Decimal(1_000_000_000)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    allocation = factory.SubFactory(AllocationFactory)
    kind = Contract.Kind.CONTRACT
    number = factory.Sequence(lambda n: f"{n}/HĐ-KCQG")
    signed_on = factory.LazyAttribute(lambda c: datetime.date(c.allocation.plan.year, 3, 15))
    value = factory.LazyAttribute(lambda c: c.allocation.amount)
    contractor = factory.LazyAttribute(lambda c: c.allocation.scheme.implementing_unit)


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    contract = factory.SubFactory(ContractFactory)
    kind = Disbursement.Kind.ADVANCE
    paid_on = factory.LazyAttribute(lambda d: d.contract.signed_on + datetime.timedelta(days=10))
    amount = Decimal(500_000_000)
    voucher_number = factory.Sequence(lambda n: f"UNC-{n:05d}")


# The records of the money side after signing (envelopes, amendments, settlement, closing).


class EnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Envelope

    plan = factory.SubFactory(AnnualPlanFactory)
    province = factory.LazyFunction(_province)
    organisation = None
    amount = Decimal(5_000_000_000)


class AdvanceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvanceRule

    valid_from = datetime.date(2019, 1, 1)
    valid_to = None
    scheme_kind = ""
    first_advance_rate = Decimal(50)
    advance_cap_rate = Decimal(70)
    legal_basis = "Quy định thử nghiệm"


def ledger_records(contract: Contract, user: User) -> None:
    """One row of each record written after a contract is signed, without the services (for
    pages that only need rows to show)."""
    allocation = contract.allocation
    north, south = (
        EnvelopeFactory(plan=allocation.plan),
        EnvelopeFactory(plan=allocation.plan, province=_province("79")),
    )
    EnvelopeTransfer.objects.create(
        plan=allocation.plan,
        source=north,
        target=south,
        amount=Decimal(1_000_000),
        decided_on=datetime.date(allocation.plan.year, 7, 1),
        decision_number="9/QĐ-BCT",
        reason="Điều chỉnh giữa năm",
        recorded_by=user,
    )
    AllocationChange.objects.create(
        allocation=allocation,
        decided_on=datetime.date(allocation.plan.year, 6, 1),
        decision_number="8/QĐ-BCT",
        amount_before=allocation.amount + 1,
        amount_after=allocation.amount,
        reason="Giảm quy mô",
        recorded_by=user,
    )
    ContractTranche.objects.create(
        contract=contract, number=1, due_on=contract.signed_on, amount=contract.value
    )
    ContractAmendment.objects.create(
        contract=contract,
        number="PL-01",
        signed_on=contract.signed_on,
        value_before=contract.value + 1,
        value_after=contract.value,
        reason="Điều chỉnh khối lượng",
        recorded_by=user,
    )
    ContractLiquidation.objects.create(
        contract=contract, number="TL-01", signed_on=contract.signed_on, final_value=contract.value
    )
    Settlement.objects.create(
        allocation=allocation,
        decision_number="QT-01",
        settled_on=datetime.date(allocation.plan.year + 1, 1, 20),
        settled_amount=contract.value,
        returned_amount=allocation.amount - contract.value,
    )
    PeriodLock.objects.create(
        year=allocation.plan.year,
        fund=allocation.plan.fund,
        closed_on=datetime.date(allocation.plan.year + 1, 1, 25),
        closed_by=user,
    )
    if not AdvanceRule.objects.exists():
        AdvanceRuleFactory()


# -- registers ------------------------------------------------------------------------------------

from registers.models import (  # noqa: E402 (the registers' factories, appended)
    ClusterPlanDossier,
    IndustrialCluster,
    ProductGroup,
    ProductLevel,
    PromotionEvent,
    SelectionRound,
    TypicalProduct,
)
from registers.models.products import certificate_valid_until  # noqa: E402


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionRound

    level = ProductLevel.NATIONAL
    year = 2019
    title = factory.LazyAttribute(lambda r: f"Bình chọn {r.level} {r.year}")
    decision_date = factory.LazyAttribute(lambda r: datetime.date(r.year, 11, 20))


class TypicalProductFactory(factory.django.DjangoModelFactory):
    """A product certified in its round (pass status=REGISTERED for a candidate)."""

    class Meta:
        model = TypicalProduct

    round = factory.SubFactory(SelectionRoundFactory)
    name = factory.Sequence(lambda n: f"Chè búp xanh số {n}")
    group = ProductGroup.FOOD
    producer = factory.SubFactory(EstablishmentFactory)
    status = TypicalProduct.Status.CERTIFIED
    score = Decimal("82.50")
    decision_number = "100/QĐ-BCT"
    decision_date = factory.LazyAttribute(lambda p: p.round.decision_date)
    certificate_number = factory.Sequence(lambda n: f"{n:04d}/GCN")
    certificate_date = factory.LazyAttribute(lambda p: p.round.decision_date)
    valid_until = factory.LazyAttribute(lambda p: certificate_valid_until(p.certificate_date))


class IndustrialClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialCluster

    name = factory.Sequence(lambda n: f"Cụm công nghiệp số {n}")
    province = factory.LazyFunction(_province)
    planned_area = Decimal("50.00")
    leasable_area = Decimal("35.00")
    leased_area = Decimal("21.00")


class ClusterPlanDossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterPlanDossier

    province = factory.LazyFunction(_province)
    year = 2019
    title = factory.Sequence(lambda n: f"Phương án phát triển cụm công nghiệp số {n}")
    submitted_on = datetime.date(2019, 3, 1)


class PromotionEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromotionEvent

    kind = PromotionEvent.Kind.CONFERENCE
    name = factory.Sequence(lambda n: f"Hội nghị khuyến công số {n}")
    starts_on = datetime.date(2020, 7, 9)
    ends_on = datetime.date(2020, 7, 10)
    place = "Trung tâm hội nghị tỉnh"
    host_province = factory.LazyFunction(_province)
