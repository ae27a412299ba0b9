"""`seed_demo` runs once for this module, inside a transaction that is rolled back at the end, so
no other test ever sees the demo data. Every figure is checked with database aggregates."""

import datetime
import io
import itertools
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Mod

from accounts.models import Role, User
from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch, money_sum
from demo.establishments import EstablishmentPool
from demo.schemes import PlanBuilder
from demo.users import DEMO_PASSWORD
from demo.world import World
from demo.years import DEMO_TODAY, PLANS
from establishments.models import Establishment
from establishments.validators import tax_code_is_valid, validate_registration_number
from organisations.models import Organisation
from projects.models import Fund, Scheme
from provinces.models import REFORM_DATE, Province
from reference.models import ContentArea
from tests.money_chain import assert_money_chain_holds, summed

pytestmark = pytest.mark.django_db

NATIONAL, LOCAL = Fund.NATIONAL, Fund.LOCAL
END_2019 = datetime.date(2019, 12, 31)
BILLION = 1_000_000_000
MONEY = Allocation._meta.get_field("amount")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def vnd(amount) -> Decimal:
    return Decimal(amount)


def total(queryset, field="amount") -> Decimal:
    return queryset.aggregate(total=money_sum(field))["total"]


def net(ledger) -> Decimal:
    return ledger.aggregate(total=money_sum(Disbursement.signed_amount()))["total"]


# -- 2019: the figures of the report ---------------------------------------------------------------


def test_2019_plan_reproduces_the_report(seeded):
    plan = AnnualPlan.objects.get(year=2019, fund=NATIONAL)
    assert plan.managing_unit.kind == Organisation.Kind.AGENCY
    allocations = Allocation.objects.filter(plan=plan)
    assert total(allocations) == vnd(140 * BILLION)
    assert total(plan.batches.all()) == vnd(140 * BILLION)
    assert plan.batches.filter(number=1, decision_number="4322/QĐ-BCT").exists()

    schemes = Scheme.objects.filter(plan_year=2019, fund=NATIONAL)
    assert schemes.count() == 179
    assert schemes.in_plan().count() == 179
    assert allocations.count() == 179
    assert allocations.aggregate(n=Count("scheme", distinct=True))["n"] == 179

    contracted = allocations.filter(contracts__signed_on__lte=END_2019)
    assert contracted.aggregate(n=Count("scheme", distinct=True))["n"] == 178

    ledger = Disbursement.objects.filter(contract__allocation__plan=plan, paid_on__lte=END_2019)
    assert net(ledger) == vnd(135_250_000_000)
    assert ledger.aggregate(n=Count("contract__allocation__scheme", distinct=True))["n"] == 175
    assert schemes.with_money(as_of=END_2019).filter(disbursed__gt=0).count() == 175


def test_2019_statuses_and_realistic_pattern(seeded):
    schemes = Scheme.objects.filter(plan_year=2019, fund=NATIONAL)
    assert schemes.filter(status=Scheme.Status.SETTLED).count() == 175
    stopped = schemes.filter(status=Scheme.Status.STOPPED)
    assert stopped.count() == 4
    assert stopped.filter(allocations__contracts__isnull=True).count() == 1
    assert stopped.filter(allocations__contracts__disbursements__isnull=False).count() == 0

    contracts = Contract.objects.filter(
        allocation__plan__year=2019, allocation__plan__fund=NATIONAL
    )
    signed = contracts.aggregate(first=Min("signed_on"), last=Max("signed_on"))
    assert signed["first"] >= datetime.date(2019, 2, 1)
    assert signed["last"] <= datetime.date(2019, 5, 31)
    ledger = Disbursement.objects.filter(contract__in=contracts)
    assert ledger.filter(kind=Disbursement.Kind.REFUND).exists()
    payments = ledger.filter(kind=Disbursement.Kind.PAYMENT)
    assert not payments.filter(paid_on__lt=datetime.date(2019, 10, 1)).exists()  # after acceptance
    january = ledger.filter(paid_on__gt=END_2019)
    assert january.exists()
    assert not january.filter(paid_on__gt=datetime.date(2020, 1, 22)).exists()

    kinds = dict(schemes.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {"pilot": 6, "group": 15, "targeted": 158}
    regions = dict(schemes.values_list("province__region__code").annotate(n=Count("pk")))
    assert regions["north"] > regions["south"] > 0 and regions["centre"] > 0
    assert 50 <= schemes.values("province").distinct().count() <= 60
    assert set(schemes.values_list("sector__code", flat=True)) == {
        "a",
        "b",
        "c",
        "d",
        "dd",
        "e",
        "g",
    }


# -- 2020: IPC1 and the agency ---------------------------------------------------------------------


def test_ipc1_2020_plan(seeded):
    plan = AnnualPlan.objects.get(year=2020, fund=NATIONAL, managing_unit__short_name="IPC1")
    assert total(plan.allocations.all()) == vnd(25_550_000_000)
    assert total(plan.batches.all()) == vnd(25_550_000_000)
    schemes = Scheme.objects.filter(allocations__plan=plan)
    areas = ContentArea.objects.filter(schemes__in=schemes).distinct()
    assert areas.count() == 7
    assert not areas.exclude(content_list__code="nd45").exists()
    provinces = Province.objects.filter(schemes__in=schemes).distinct()
    assert provinces.count() == 28
    assert not provinces.exclude(region__code="north", map_version="63").exists()
    departments = Organisation.objects.filter(
        coordinated_schemes__in=schemes, kind=Organisation.Kind.DEPARTMENT
    ).distinct()
    assert departments.count() == 28
    assert not schemes.exclude(implementing_unit=plan.managing_unit).exists()
    pilots = set(schemes.filter(kind="pilot").values_list("sector__code", flat=True))
    assert pilots == {"a", "b", "d"}
    bricks = schemes.filter(kind="group", sector__code="c", title__contains="gạch không nung")
    assert bricks.exists()


def test_agency_2020_plan_covers_the_rest_of_the_country(seeded):
    plan = AnnualPlan.objects.get(year=2020, fund=NATIONAL, managing_unit__kind="agency")
    assert total(plan.allocations.all()) == vnd(120 * BILLION)
    assert not plan.allocations.filter(scheme__province__region__code="north").exists()
    titles = plan.allocations.values_list("scheme__title", flat=True)
    assert sum("Hội nghị khuyến công vùng" in title for title in titles) == 2


# -- other years -----------------------------------------------------------------------------------


def test_sourced_totals_of_other_years(seeded):
    def national(year):
        return Allocation.objects.filter(plan__year=year, plan__fund=NATIONAL)

    assert total(national(2016)) == vnd(103_700_000_000)
    assert national(2016).count() == 251
    assert total(national(2017)) == vnd(111_400_000_000)
    assert total(national(2017).filter(scheme__province__region__code="centre")) == vnd(
        23_600_000_000
    )
    assert total(national(2025).filter(scheme__province__region__code="centre")) == vnd(
        11_375_000_000
    )
    five_years = national(2021) | national(2022) | national(2023) | national(2024)
    assert total(five_years | national(2025)) == vnd(526 * BILLION)
    assert not national(2024).filter(scheme__province__region__code="centre").exists()
    assert Allocation.objects.filter(
        plan__year=2024, plan__fund=LOCAL, scheme__province__region__code="centre"
    ).exists()
    for year in range(2016, 2027):
        assert national(year).exists(), year


def test_province_maps(seeded):
    assert not Scheme.objects.filter(plan_year=2019).exclude(province__map_version="63").exists()
    recent = Scheme.objects.filter(plan_year__gte=2026)
    assert not recent.exclude(province__map_version="34").exists()
    before = Allocation.objects.filter(batch__decision_date__lt=REFORM_DATE)
    after = Allocation.objects.filter(batch__decision_date__gte=REFORM_DATE)
    assert not before.exclude(scheme__province__map_version="63").exists()
    assert not after.exclude(scheme__province__map_version="34").exists()
    in_2025 = set(
        Scheme.objects.filter(plan_year=2025).values_list("province__map_version", flat=True)
    )
    assert in_2025 == {"63", "34"}


def test_content_areas_and_sectors_follow_the_lists_in_force(seeded):
    in_plan = Scheme.objects.in_plan()
    counted = in_plan.annotate(n=Count("content_areas"))
    assert not counted.filter(Q(n__lt=1) | Q(n__gt=3)).exists()
    assert not counted.filter(kind="pilot", n__lt=2).exists()
    links = Scheme.content_areas.through.objects
    ct2125 = Q(scheme__plan_year__gte=2021, scheme__plan_year__lte=2025)
    assert not links.filter(ct2125).exclude(contentarea__content_list__code="ct2125").exists()
    assert not links.exclude(ct2125).exclude(contentarea__content_list__code="nd45").exists()
    assert not Scheme.objects.filter(sector__code="h", plan_year__lt=2026).exists()


def test_current_year(seeded):
    schemes = Scheme.objects.filter(plan_year=2026, fund=NATIONAL).in_plan()
    money = schemes.with_money(as_of=DEMO_TODAY).aggregate(
        total_approved=Sum("approved"), total_disbursed=Sum("disbursed")
    )
    assert 0.60 <= money["total_disbursed"] / money["total_approved"] <= 0.75
    statuses = set(schemes.values_list("status", flat=True))
    assert {"approved", "contracted", "in_progress", "accepted", "liquidated"} <= statuses
    assert schemes.filter(status="approved", allocations__contracts__isnull=True).exists()
    signed = Q(allocations__contracts__isnull=False)
    assert not Scheme.objects.filter(signed, status="approved").exists()
    workflow = Scheme.objects.exclude(status__in=Scheme.IN_PLAN)
    assert {"draft", "submitted", "base_appraised", "registered", "appraised"} <= set(
        workflow.values_list("status", flat=True)
    )
    assert not workflow.filter(allocations__isnull=False).exists()


def test_local_plans(seeded):
    for code in ("19", "01", "68", "86", "25"):
        plans = AnnualPlan.objects.filter(
            fund=LOCAL,
            managing_unit__kind=Organisation.Kind.DEPARTMENT,
            managing_unit__province__code=code,
            managing_unit__province__map_version="34",
        ).annotate(n=Count("allocations"))
        assert plans.count() >= 2, code
        assert not plans.filter(Q(n__lt=10) | Q(n__gt=30)).exists(), code
        schemes = Scheme.objects.filter(allocations__plan__in=plans)
        assert not schemes.exclude(province__successor__code=code).exists(), code


# -- the money chain, on every row -----------------------------------------------------------------


def test_no_plan_is_overallocated(seeded):
    plans = AnnualPlan.objects.annotate(
        envelope=summed(PlanBatch, "plan", "amount"),
        allocated=summed(Allocation, "plan", "amount"),
    )
    assert not plans.filter(allocated__gt=F("envelope")).exists()
    batches = PlanBatch.objects.annotate(allocated=summed(Allocation, "batch", "amount"))
    assert not batches.exclude(allocated=F("amount")).exists()
    assert not Allocation.objects.exclude(batch__plan=F("plan")).exists()


def test_ledger_dates_and_refunds(seeded):
    assert not Disbursement.objects.filter(paid_on__lt=F("contract__signed_on")).exists()
    assert not Disbursement.objects.filter(paid_on__gt=DEMO_TODAY).exists()
    assert not Contract.objects.filter(signed_on__gt=DEMO_TODAY).exists()
    assert not Contract.objects.filter(signed_on__lt=F("allocation__batch__decision_date")).exists()
    before = Disbursement.objects.filter(contract=OuterRef("contract")).filter(
        Q(paid_on__lt=OuterRef("paid_on")) | Q(paid_on=OuterRef("paid_on"), pk__lte=OuterRef("pk"))
    )
    running = summed_rows(before)
    refunds = Disbursement.objects.filter(kind=Disbursement.Kind.REFUND).annotate(running=running)
    assert refunds.exists()
    assert not refunds.filter(running__lt=0).exists()
    advances = Disbursement.objects.filter(kind=Disbursement.Kind.ADVANCE)
    assert not advances.filter(amount__gt=F("contract__value") * Decimal("0.7")).exists()


def summed_rows(ledger) -> Coalesce:
    rows = (
        ledger.order_by()
        .values("contract")
        .annotate(total=Sum(Disbursement.signed_amount()))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(Decimal(0)), output_field=MONEY)


def test_amounts_are_round_millions(seeded):
    million = Value(Decimal(1_000_000))
    for model, field in (
        (PlanBatch, "amount"),
        (Allocation, "amount"),
        (Contract, "value"),
        (Disbursement, "amount"),
        (Scheme, "support_requested"),
    ):
        odd = model.objects.annotate(rest=Mod(field, million)).exclude(rest=0)
        assert not odd.exists(), model


def test_statuses_match_the_ledger(seeded):
    in_plan = Scheme.objects.in_plan().annotate(n=Count("allocations"))
    assert not in_plan.exclude(n=1).exists()
    pending = Scheme.objects.exclude(status__in=Scheme.IN_PLAN)
    assert not pending.filter(allocations__isnull=False).exists()
    paid = Q(allocations__contracts__disbursements__isnull=False)
    assert not Scheme.objects.filter(status="contracted").filter(paid).exists()
    assert not Scheme.objects.filter(status="settled").exclude(paid).exists()


def test_status_history_leads_to_each_status(seeded):
    """Every scheme in an approved plan has its steps from the approval, in order, never after
    the demo's today, ending in its status; the workflow's schemes keep none."""
    from projects.models import SchemeStatusChange, status_on

    changes = SchemeStatusChange.objects.order_by("scheme", "at", "pk")
    by_scheme: dict[int, list] = {}
    for change in changes.values("scheme_id", "from_status", "to_status", "at"):
        by_scheme.setdefault(change["scheme_id"], []).append(change)
    in_plan = dict(Scheme.objects.in_plan().values_list("pk", "status"))
    assert set(by_scheme) == set(in_plan)
    for pk, steps in by_scheme.items():
        assert steps[0]["to_status"] == "approved"
        assert steps[-1]["to_status"] == in_plan[pk]
        for before, after in itertools.pairwise(steps):
            assert after["from_status"] == before["to_status"]
            assert after["at"] > before["at"]
    assert changes.aggregate(last=Max("at"))["last"].date() <= DEMO_TODAY
    approved = changes.filter(to_status="approved", scheme__plan_year=2019, scheme__fund=NATIONAL)
    assert approved.filter(decision_number="4322/QĐ-BCT").exists()
    # On 31/12/2019 the 2019 schemes were as the report says: 4 stopped, none settled yet
    # (settlement runs to 22 January), every other one accepted or liquidated.
    schemes = Scheme.objects.filter(plan_year=2019, fund=NATIONAL)
    on_31_12 = dict(
        schemes.annotate(then=status_on(END_2019)).values_list("then").annotate(n=Count("pk"))
    )
    assert on_31_12.get("stopped") == 4
    assert "settled" not in on_31_12
    assert sum(on_31_12.values()) == 179


def test_progress_reports_are_filed_as_the_rule_asks_with_a_few_late(seeded):
    """The units reported every month due while their scheme was under way, by the 25th, with
    the money spent from the ledger; the consistency check then finds only the few schemes
    with a late month (about one in thirty), not every scheme under way."""
    from monitoring.consistency import failing_rows
    from monitoring.scope import Scope
    from submissions.models import ProgressReport
    from submissions.reporting import REPORTING

    reports = ProgressReport.objects.all()
    assert reports.count() > 1000
    assert not reports.filter(submitted_on__gt=DEMO_TODAY).exists()
    assert not reports.filter(percent_complete__gt=100).exists()
    late = reports.filter(submitted_on__gt=F("due_on"))
    late_schemes = late.values("scheme").distinct().count()
    with_reports = reports.values("scheme").distinct().count()
    assert 0 < late_schemes < with_reports / 10
    # Every report says what the ledger had paid by the day it was sent.
    spent = reports.annotate(
        paid=Coalesce(
            Subquery(
                Disbursement.objects.filter(
                    contract__allocation__scheme=OuterRef("scheme"),
                    paid_on__lte=OuterRef("submitted_on"),
                )
                .order_by()
                .values("contract__allocation__scheme")
                .annotate(total=money_sum(Disbursement.signed_amount()))
                .values("total")
            ),
            Value(Decimal(0)),
        )
    )
    assert not spent.exclude(amount_spent=F("paid")).exists()
    # The panel of the current year lists the late schemes only.
    year = DEMO_TODAY.year
    scope = Scope(year=year, on=DEMO_TODAY)
    failing = {row["code"] for row in failing_rows(scope, None, "progress_late")}
    current_late = set(
        late.filter(scheme__plan_year=year, scheme__status__in=REPORTING).values_list(
            "scheme__code", flat=True
        )
    )
    assert failing == current_late


# -- beneficiaries ---------------------------------------------------------------------------------


def test_establishments(seeded):
    assert 200 <= Establishment.objects.count() <= 1000
    for form, code in Establishment.objects.values_list("legal_form", "registration_code"):
        if form in Establishment.TAX_CODE_FORMS:
            assert tax_code_is_valid(code), code
        validate_registration_number(code)
    counted = Scheme.objects.filter(kind__in=["targeted", "pilot"]).annotate(
        n=Count("beneficiaries")
    )
    assert not counted.filter(Q(n__lt=1) | Q(n__gt=3)).exists()
    links = Scheme.beneficiaries.through.objects
    elsewhere = links.exclude(establishment__province__successor=F("scheme__province__successor"))
    assert not elsewhere.exists()
    assert not Establishment.objects.filter(search_text="").exists()
    assert not Scheme.objects.filter(search_text="").exists()
    assert Scheme.history.count() == Scheme.objects.count()
    assert Disbursement.history.count() == Disbursement.objects.count()


# -- users -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "role", "province", "organisation_kind", "staff", "superuser"),
    [
        ("bo", Role.MINISTRY, None, "agency", False, False),
        ("pheduyet", Role.APPROVER, None, "agency", True, False),
        ("ipc1", Role.REGIONAL, None, "regional_centre", False, False),
        ("tinh-19", Role.PROVINCE, "19", "department", False, False),
        ("tinh-01", Role.PROVINCE, "01", "department", False, False),
        ("quantri", Role.ADMIN, None, None, True, True),
    ],
)
def test_demo_users(seeded, username, role, province, organisation_kind, staff, superuser):
    user = User.objects.select_related("province", "organisation").get(username=username)
    assert user.role == role
    assert user.check_password(DEMO_PASSWORD)
    assert (user.is_staff, user.is_superuser) == (staff, superuser)
    assert user.first_name and user.last_name
    if province:
        assert (user.province.code, user.province.map_version) == (province, "34")
        assert user.organisation.province == user.province
    else:
        assert user.province is None
    assert (user.organisation.kind if user.organisation else None) == organisation_kind
    if username == "ipc1":
        assert user.organisation.short_name == "IPC1"


def test_approver_group(seeded):
    group = Group.objects.get(name="Phê duyệt")
    assert User.objects.get(username="pheduyet").groups.filter(pk=group.pk).exists()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_scheme", "change_scheme", "view_allocation", "change_disbursement"} <= codenames
    assert not any(code.startswith(("add_", "delete_")) for code in codenames)


# -- running it again, and the summary -------------------------------------------------------------


def test_second_run_changes_nothing(seeded):
    def counts():
        return {model._meta.label: model.objects.count() for model in apps.get_models()}

    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "Dữ liệu minh họa đã có: không thay đổi gì." in out.getvalue()
    assert "Người dùng minh họa đã có: không thay đổi gì." in out.getvalue()


def test_summary_is_printed(seeded):
    assert (
        "2019: 179 đề án, 140.000.000.000 đồng; 178 đã ký hợp đồng; 175 đề án giải ngân "
        "135.250.000.000 đồng đến 31/12/2019"
    ) in seeded
    assert "2026: " in seeded


def test_builder_is_deterministic(seeded):
    world = World()

    def build():
        rng = random.Random(7)
        builder = PlanBuilder(rng, world, EstablishmentPool(rng, set()), DEMO_TODAY)
        spec = next(s for s in PLANS if s.year == 2019 and s.fund == NATIONAL)
        return [(d.title, d.amount, d.status, d.ledger.net()) for d in builder.build(spec)]

    first = build()
    assert first == build()
    assert sum(amount for _title, amount, _status, _net in first) == 140_000


# -- the public summary on the demo data -----------------------------------------------------------


def test_summary_endpoint_answers_the_2019_report(seeded, client):
    body = client.get("/api/v1/summary/", {"year": 2019, "fund": "national"}).json()
    assert (
        body["budget_vnd"],
        body["schemes_approved"],
        body["schemes_contracted"],
        body["contracted_rate"],
        body["disbursed_vnd"],
        body["disbursed_rate"],
        body["schemes_disbursed"],
    ) == (140_000_000_000, 179, 178, "99.44", 135_250_000_000, "96.61", 175)


def test_summary_filters_add_up_on_the_demo_data(seeded, client):
    def figures(**params):
        return client.get("/api/v1/summary/", {"year": 2019, "fund": "national", **params}).json()

    regions = [figures(region=code) for code in ("north", "centre", "south")]
    assert sum(r["budget_vnd"] for r in regions) == 140_000_000_000
    assert sum(r["disbursed_vnd"] for r in regions) == 135_250_000_000
    assert sum(r["schemes_approved"] for r in regions) == 179
    # On the 34-unit map, Thái Nguyên (19) takes in Bắc Kạn (06).
    merged = figures(province="19", map="34")["budget_vnd"]
    parts = (
        figures(province="19", map="63")["budget_vnd"]
        + figures(province="06", map="63")["budget_vnd"]
    )
    assert merged == parts


def test_the_whole_money_chain_holds(seeded):
    assert_money_chain_holds()
