"""As-of (issue 5, item 6): the 2019 figures as of 31/12/2019 do not move when entries dated 2020
arrive: contracts and payments on 2019 schemes, and new 2020 schemes. Checked on the overview
page (every figure but the all-years trend) and on dashboard.selectors."""

import dataclasses
from decimal import Decimal

from budgets.models import Allocation, Disbursement
from dashboard import selectors
from dashboard.selectors import ProgrammeFilter
from projects.models import Fund
from tests.dashboard.conftest import (
    TY,
    make_scheme,
    old,
    programme,  # noqa: F401 - the known 2019 programme
)
from tests.factories import ContractFactory, DisbursementFactory
from tests.monitoring.conftest import D

AS_OF = D(2019, 12, 31)
OVERVIEW = "/?year=2019&fund=national&as_of=31/12/2019"
PROVINCE = "/tinh/34/19/?year=2019&fund=national&as_of=31/12/2019"
FILTERS = [
    ProgrammeFilter(year=2019, fund=Fund.NATIONAL, as_of=AS_OF),
    ProgrammeFilter(year=2019, as_of=AS_OF, province_map="34"),
]


def _selectors() -> list:
    figures = []
    for part in FILTERS:
        figures += [
            selectors.programme_summary(part),
            selectors.schedule_figures(part),
            selectors.disbursement_by_region(part),
            selectors.disbursement_by_province(part),
            selectors.budget_by_content_area(part),
            selectors.budget_by_sector(part),
            [
                (s.code, s.contracted, s.disbursed, s.lag)
                for s in selectors.schemes_most_behind(part)
            ],
            [
                row
                for row in selectors.monthly_cumulative(part, previous_years=1)
                if row["year"] == 2019
            ],
        ]
    return figures


def _page(client, url) -> dict:
    context = client.get(url).context
    charts = {name: chart for name, chart in context["charts"].items() if name != "trend"}
    forecast = {k: v for k, v in context["forecast"].items() if k != "at_risk"}
    quality = context["quality"]
    return {
        "kpis": {k: v for k, v in context["kpis"].items() if k != "links"},
        "charts": charts,
        "behind": [(row["scheme"].code, row["lag"]) for row in context["behind"]],
        "forecast": forecast,
        "at_risk": [(row["scheme"].code, row["left"]) for row in context["forecast"]["at_risk"]],
        "quality": (dataclasses.asdict(quality["total"]), quality["checks"]),
    }


def _enter_2020(schemes) -> None:
    a, b, c = schemes["A"], schemes["B"], schemes["C"]
    a_contract = a.allocations.get().contracts.get()
    DisbursementFactory(
        contract=a_contract, kind=Disbursement.Kind.PAYMENT, amount=TY / 10, paid_on=D(2020, 2, 1)
    )
    DisbursementFactory(
        contract=b.allocations.get().contracts.get(),
        kind=Disbursement.Kind.REFUND,
        amount=TY / 10,
        paid_on=D(2020, 1, 5),
    )
    DisbursementFactory(
        contract=c.allocations.get().contracts.get(), amount=TY, paid_on=D(2020, 1, 10)
    )
    d = Allocation.objects.get(scheme__code="D", plan__year=2019)  # approved, not contracted
    late = ContractFactory(allocation=d, signed_on=D(2020, 1, 15), value=d.amount)
    DisbursementFactory(contract=late, amount=TY / 2, paid_on=D(2020, 1, 20))
    for index, code in enumerate(("19", "06", "79")):
        new = make_scheme(province=old(code), budget=2 * TY, year=2020, code=f"N2020-{index}")
        contract = ContractFactory(allocation=new, signed_on=D(2020, 3, 1), value=2 * TY)
        DisbursementFactory(contract=contract, amount=TY, paid_on=D(2020, 3, 10))


def test_2019_figures_as_of_31_12_2019_do_not_move(client, ministry_user, programme):  # noqa: F811
    client.force_login(ministry_user)
    before = (_page(client, OVERVIEW), _page(client, PROVINCE), _selectors())
    # The known figures, to be sure the comparison is about something.
    assert before[0]["kpis"]["disbursed_rate"] == "52,00%"
    assert before[2][0].disbursed == Decimal("2600000000")

    _enter_2020(programme)
    after = (_page(client, OVERVIEW), _page(client, PROVINCE), _selectors())
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]
    # Later dates do see the 2020 entries: the comparison can fail.
    later = ProgrammeFilter(year=2019, fund=Fund.NATIONAL, as_of=D(2020, 3, 31))
    assert selectors.programme_summary(later).disbursed > before[2][0].disbursed
