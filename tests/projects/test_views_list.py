"""The scheme list (/de-an/): every filter narrows to exactly the schemes it names, the counts
agree with the overview's figures, money columns sort on both databases, totals are the sums of
the rows, the query count does not grow with the rows, and a province sees only its own."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import dashboard.selectors
import projects.models
import projects.selectors
from dashboard.selectors import ProgrammeFilter, programme_summary
from projects.models import Fund, Scheme
from provinces.models import Province
from reference.models import ContentArea, Sector
from tests.factories import (
    AllocationFactory,
    ContractFactory,
    DisbursementFactory,
    PlanBatchFactory,
    SchemeFactory,
)

D = datetime.date
M = 1_000_000  # one million đồng
URL = reverse("projects:scheme-list")
S = Scheme.Status


def unit(code: str, map_version: str = "63") -> Province:
    return Province.objects.get(code=code, map_version=map_version)


def make(code, *, province="19", amount=None, contract=None, ledger=(), batch=None, **fields):
    """A scheme; with `amount` (millions), an allocation in its year's plan; with `contract`
    (millions), a contract signed 15/03; `ledger` holds (kind, millions, date) entries."""
    fields.setdefault("title", f"Đề án {code}")
    scheme = SchemeFactory(code=code, province=unit(province), **fields)
    if amount is None:
        return scheme
    allocation_fields = {"batch": batch, "plan": batch.plan} if batch else {}
    allocation = AllocationFactory(scheme=scheme, amount=Decimal(amount * M), **allocation_fields)
    if contract is not None:
        signed = ContractFactory(
            allocation=allocation, value=Decimal(contract * M), signed_on=D(scheme.plan_year, 3, 15)
        )
        for kind, millions, day in ledger:
            DisbursementFactory(
                contract=signed, kind=kind, amount=Decimal(millions * M), paid_on=day
            )
    return scheme


@pytest.fixture
def world(db):
    """Seven schemes in the 2019 plans, one pending, one of 2020."""
    late_batch = PlanBatchFactory(decision_date=D(2019, 7, 1))
    return {
        "HN-PAID": make(
            "HN-PAID",
            province="01",
            title="Hỗ trợ máy sấy chè cho hợp tác xã",
            amount=1000,
            contract=1000,
            ledger=[("advance", 500, D(2019, 3, 25)), ("payment", 500, D(2019, 6, 10))],
            status=S.SETTLED,
        ),
        "TN-LATE": make(
            "TN-LATE",
            amount=800,
            contract=800,
            ledger=[("advance", 100, D(2019, 4, 1))],
            status=S.IN_PROGRESS,
            kind=Scheme.Kind.PILOT,
            sector=Sector.objects.get(code="dd"),
            content_areas=[ContentArea.objects.get(code="nd45-1")],
        ),
        "BK-NOCON": make(
            "BK-NOCON", province="06", title="Đào tạo nghề đan lát", amount=600, status=S.APPROVED
        ),
        "TN-REFUND": make(
            "TN-REFUND",
            amount=500,
            contract=500,
            ledger=[("advance", 200, D(2019, 4, 1)), ("refund", 200, D(2019, 9, 1))],
            status=S.ACCEPTED,
        ),
        "LOCAL": make(
            "LOCAL",
            province="01",
            fund=Fund.LOCAL,
            amount=300,
            contract=300,
            ledger=[("payment", 300, D(2019, 8, 1))],
            status=S.LIQUIDATED,
        ),
        "LATE-BATCH": make(
            "LATE-BATCH", province="01", amount=700, batch=late_batch, status=S.APPROVED
        ),
        "CT-SOUTH": make(
            "CT-SOUTH",
            province="92",
            amount=400,
            contract=400,
            ledger=[("payment", 400, D(2019, 11, 1))],
            status=S.SETTLED,
        ),
        "PENDING": make("PENDING", status=S.SUBMITTED),
        "Y2020": make("Y2020", province="01", plan_year=2020, amount=900, status=S.APPROVED),
    }


IN_PLAN_2019 = {"HN-PAID", "TN-LATE", "BK-NOCON", "TN-REFUND", "LOCAL", "LATE-BATCH", "CT-SOUTH"}


def listed(client, **params):
    response = client.get(URL, {"year": 2019, **params})
    assert response.status_code == 200, response.content[:2000]
    return [row.record.code for row in response.context["table"].page.object_list]


@pytest.fixture
def client_bo(client, ministry_user):
    client.force_login(ministry_user)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_year_lists_the_schemes_in_its_plans(client_bo, world):
    assert set(listed(client_bo)) == IN_PLAN_2019
    assert set(listed(client_bo, fund="national")) == IN_PLAN_2019 - {"LOCAL"}
    assert set(listed(client_bo, fund="local")) == {"LOCAL"}
    assert set(listed(client_bo, fund="all")) == IN_PLAN_2019
    assert listed(client_bo, year=2020) == ["Y2020"]


def test_without_parameters_the_current_year_is_listed(client_bo, world):
    this_year = timezone.localdate().year
    scheme = make("NOW", plan_year=this_year, amount=100)
    response = client_bo.get(URL)
    assert [row.record.code for row in response.context["table"].page.object_list] == ["NOW"]
    assert response.context["programme"].year == this_year
    assert scheme.plan_year == this_year


def test_the_row_counts_are_the_overviews_figures(client_bo, world):
    for fund in (None, Fund.NATIONAL):
        summary = programme_summary(ProgrammeFilter(year=2019, fund=fund))
        params = {"fund": fund} if fund else {}
        assert len(listed(client_bo, **params)) == summary.schemes_approved
        assert len(listed(client_bo, contracted=1, **params)) == summary.schemes_contracted
        assert len(listed(client_bo, disbursed=1, **params)) == summary.schemes_disbursed
    assert summary.schemes_approved == 6


def test_contracted_and_disbursed_by_the_cut_off(client_bo, world):
    assert set(listed(client_bo, contracted=1)) == {
        "HN-PAID",
        "TN-LATE",
        "TN-REFUND",
        "LOCAL",
        "CT-SOUTH",
    }
    assert set(listed(client_bo, contracted=0)) == {"BK-NOCON", "LATE-BATCH"}
    # A refund that cancels the advance leaves nothing disbursed.
    assert set(listed(client_bo, disbursed=1)) == {"HN-PAID", "TN-LATE", "LOCAL", "CT-SOUTH"}
    assert set(listed(client_bo, disbursed=0)) == {"BK-NOCON", "TN-REFUND", "LATE-BATCH"}
    # On 31/07/2019 the southern payment (01/11) and the local one (01/08) were not made yet,
    # and the refund (01/09) had not cancelled the advance.
    assert set(listed(client_bo, disbursed=1, as_of="31/07/2019")) == {
        "HN-PAID",
        "TN-LATE",
        "TN-REFUND",
    }
    # Before the second batch's decision, its scheme was not in the plan.
    assert "LATE-BATCH" not in listed(client_bo, as_of="30/06/2019")
    assert set(listed(client_bo, contracted=1, as_of="14/03/2019")) == set()


def test_stages_follow_the_funnel(client_bo, world):
    assert set(listed(client_bo, stage="approved")) == IN_PLAN_2019
    assert set(listed(client_bo, stage="contracted")) == set(listed(client_bo, contracted=1))
    assert set(listed(client_bo, stage="disbursed")) == set(listed(client_bo, disbursed=1))
    assert set(listed(client_bo, stage="accepted")) == {"HN-PAID", "TN-REFUND", "LOCAL", "CT-SOUTH"}
    assert set(listed(client_bo, stage="settled")) == {"HN-PAID", "CT-SOUTH"}
    assert listed(client_bo, stage="pending") == ["PENDING"]


def test_behind_schedule(client_bo, world):
    assert set(listed(client_bo, behind=1)) == {"TN-LATE", "TN-REFUND"}
    assert set(listed(client_bo, behind=0)) == IN_PLAN_2019 - {"TN-LATE", "TN-REFUND"}


def test_paid_in_a_month(client_bo, world):
    assert listed(client_bo, paid_month="2019-06") == ["HN-PAID"]
    assert set(listed(client_bo, paid_month="2019-04")) == {"TN-LATE", "TN-REFUND"}
    assert listed(client_bo, paid_month="2019-02") == []


def test_search_ignores_diacritics_and_needs_every_word(client_bo, world):
    assert listed(client_bo, q="may say che") == ["HN-PAID"]
    assert listed(client_bo, q="Máy SẤY") == ["HN-PAID"]
    assert listed(client_bo, q="may dan") == []
    assert listed(client_bo, q="dao tao dan lat") == ["BK-NOCON"]
    assert listed(client_bo, q="hn-paid") == ["HN-PAID"]
    # The province's name: as made on the 63-unit map, with its new unit on the 34-unit map.
    assert set(listed(client_bo, q="thai nguyen", map=63)) == {"TN-LATE", "TN-REFUND"}
    assert set(listed(client_bo, q="thai nguyen", map=34)) == {"TN-LATE", "TN-REFUND", "BK-NOCON"}
    assert listed(client_bo, q="bac kan", map=63) == ["BK-NOCON"]


def test_province_on_either_map(client_bo, world):
    assert listed(client_bo, province="06", map=63) == ["BK-NOCON"]
    assert set(listed(client_bo, province="19", map=63)) == {"TN-LATE", "TN-REFUND"}
    assert set(listed(client_bo, province="19", map=34)) == {"TN-LATE", "TN-REFUND", "BK-NOCON"}
    assert set(listed(client_bo, province="1", map=63)) == {"HN-PAID", "LOCAL", "LATE-BATCH"}


def test_programme_and_list_filters(client_bo, world):
    hanoi_centre = world["HN-PAID"].implementing_unit
    assert listed(client_bo, region="south") == ["CT-SOUTH"]
    assert listed(client_bo, content_area="nd45-1") == ["TN-LATE"]
    assert listed(client_bo, sector="dd") == ["TN-LATE"]
    assert listed(client_bo, kind="pilot") == ["TN-LATE"]
    assert set(listed(client_bo, status=["settled", "accepted"])) == {
        "HN-PAID",
        "CT-SOUTH",
        "TN-REFUND",
    }
    assert set(listed(client_bo, implementing_unit=hanoi_centre.pk)) == {
        "HN-PAID",
        "LOCAL",
        "LATE-BATCH",
    }
    # Filters combine.
    assert listed(client_bo, province="19", map=34, behind=1, stage="accepted") == ["TN-REFUND"]


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"province": "19"},  # without a map
        {"fund": "both"},
        {"stage": "finished"},
        {"paid_month": "2019-13"},
        {"as_of": "2019/12/31"},
        {"contracted": "yes"},
    ],
)
def test_invalid_parameters_are_refused_with_a_message(client_bo, world, params):
    response = client_bo.get(URL, {"year": 2019, **params})
    assert response.status_code == 400
    assert "Bộ lọc chưa hợp lệ" in response.text
    assert "table" not in response.context


MONEY_SORTS = {
    "approved": lambda r: r.approved,
    "contracted": lambda r: r.contracted,
    "disbursed": lambda r: r.disbursed,
    "lag": lambda r: r.lag,
    "rate": lambda r: r.disbursed / r.approved,
}


@pytest.mark.parametrize("column", list(MONEY_SORTS))
def test_sorting_by_money(client_bo, world, column):
    value = MONEY_SORTS[column]
    for descending in (False, True):
        sort = f"-{column}" if descending else column
        response = client_bo.get(URL, {"year": 2019, "sort": sort})
        records = [row.record for row in response.context["table"].page.object_list]
        keys = [(value(record), record.code) for record in records]
        assert keys == sorted(keys, reverse=descending), sort
        assert len({key[0] for key in keys}) >= 3  # not an accident of equal values


def test_sorting_by_the_other_columns(client_bo, world):
    for column in ("code", "title", "province", "content_areas", "kind", "status"):
        for sort in (column, f"-{column}"):
            assert set(listed(client_bo, sort=sort)) == IN_PLAN_2019
    assert listed(client_bo, sort="-code")[0] == "TN-REFUND"
    statuses = [r.status for r in listed_records(client_bo, sort="status")]
    assert statuses.index(S.APPROVED) < statuses.index(S.IN_PROGRESS) < statuses.index(S.SETTLED)


def listed_records(client, **params):
    response = client.get(URL, {"year": 2019, **params})
    return [row.record for row in response.context["table"].page.object_list]


def test_totals_are_the_sums_of_all_filtered_rows(client_bo, world):
    response = client_bo.get(URL, {"year": 2019})
    totals = response.context["totals"]
    records = [row.record for row in response.context["table"].page.object_list]
    assert totals.count == len(records) == 7
    assert totals.approved == sum(r.approved for r in records) == Decimal(4300 * M)
    assert totals.contracted == sum(r.contracted for r in records) == Decimal(3000 * M)
    assert totals.disbursed == sum(r.disbursed for r in records) == Decimal(1800 * M)
    page = response.text
    assert "4,30 tỷ đồng" in page
    assert "1,80 tỷ đồng" in page
    assert "41,86%" in page  # 1 800 / 4 300
    narrowed = client_bo.get(URL, {"year": 2019, "province": "19", "map": "34"}).context["totals"]
    assert (narrowed.count, narrowed.approved) == (3, Decimal(1900 * M))


def test_pages_of_fifty_with_totals_of_every_page(client_bo):
    for index in range(53):
        make(f"P-{index:03d}", amount=10)
    first = client_bo.get(URL, {"year": 2019})
    assert len(first.context["table"].page.object_list) == 50
    assert first.context["totals"].count == 53
    assert first.context["totals"].approved == Decimal(530 * M)
    second = client_bo.get(URL, {"year": 2019, "page": 2})
    assert [row.record.code for row in second.context["table"].page.object_list] == [
        "P-050",
        "P-051",
        "P-052",
    ]
    assert client_bo.get(URL, {"year": 2019, "page": 99}).status_code == 200


def test_a_later_page_sorted_by_money_is_that_slice_of_the_whole_order(client_bo):
    """The page is cut on the keys first, then its rows are read: both pages together are the
    whole list in the order asked for, each row once."""
    approved, contracted = {}, {}
    for index in range(53):
        code = f"S-{index:03d}"
        approved[code], contracted[code] = 10 + index % 7, 5 + index % 5
        make(code, amount=approved[code], contract=contracted[code])
    for sort, key, descending in (
        ("-approved", approved.get, True),
        ("contracted", contracted.get, False),
        ("-code", str, True),
    ):
        codes = [
            row.record.code
            for page in (1, 2)
            for row in client_bo.get(URL, {"year": 2019, "sort": sort, "page": page})
            .context["table"]
            .page.object_list
        ]
        assert sorted(codes) == sorted(approved), sort
        keys = [key(code) for code in codes]
        assert keys == sorted(keys, reverse=descending), sort


def test_the_map_in_use_is_shown_with_a_switch(client_bo, world):
    page = client_bo.get(URL, {"year": 2019, "province": "06", "map": "63"}).text
    assert "Bản đồ: 63 tỉnh, thành (trước 01/07/2025)" in page
    assert "map=34" in page and "province=19" in page  # Bắc Kạn is in Thái Nguyên now
    page = client_bo.get(URL, {"year": 2019, "map": "34"}).text
    assert "Bản đồ: 34 tỉnh, thành (từ 01/07/2025)" in page
    # On the 34-unit map an old province shows the unit it merged into.
    assert "→ Thái Nguyên" in page


def _many(count, offset):
    provinces = ["01", "06", "19", "92", "68"]
    areas = list(ContentArea.objects.filter(code__startswith="nd45")[:3])
    for index in range(offset, offset + count):
        make(
            f"N-{index:03d}",
            province=provinces[index % len(provinces)],
            amount=100,
            contract=100,
            ledger=[("advance", 40, D(2019, 4, 1)), ("payment", 50, D(2019, 8, 1))],
            content_areas=areas[: 1 + index % 3],
        )


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "de an", "map": "34", "contracted": "1", "sort": "-lag", "region": "north"}],
)
def test_query_count_does_not_grow_with_the_rows(client_bo, params):
    _many(6, 0)
    client_bo.get(URL, {"year": 2019, **params})
    with CaptureQueriesContext(connection) as few:
        client_bo.get(URL, {"year": 2019, **params})
    _many(6, 6)
    with CaptureQueriesContext(connection) as more:
        response = client_bo.get(URL, {"year": 2019, **params})
    assert response.context["totals"].count in (12, 8)  # 8 northern
    assert len(few) == len(more)
    assert len(more) <= 20, len(more)  # 11 today, 12 with a code lookup (region)


def test_a_province_sees_only_its_own_schemes(client, world, thai_nguyen_user, ha_noi_user):
    client.force_login(thai_nguyen_user)
    assert set(listed(client)) == {"TN-LATE", "TN-REFUND", "BK-NOCON"}
    assert listed(client, region="south") == []
    assert client.get(URL, {"year": 2019}).context["totals"].approved == Decimal(1900 * M)
    client.force_login(ha_noi_user)
    assert set(listed(client)) == {"HN-PAID", "LOCAL", "LATE-BATCH"}
    assert listed(client, province="19", map=34) == []


def test_a_row_links_to_the_scheme_page_and_writes_money_in_millions(client_bo, world):
    page = client_bo.get(URL, {"year": 2019, "q": "hn-paid"}).text
    scheme = world["HN-PAID"]
    assert reverse("projects:scheme-detail", args=[scheme.pk]) in page
    assert 'title="1.000.000.000 đồng">1.000</span>' in page
    assert "100,00%" in page
    assert "Đúng tiến độ" in page
    late = client_bo.get(URL, {"year": 2019, "q": "tn-late"}).text
    assert "Chậm 88%" in late  # 700 of 800 million behind at 31/12
    assert "−700 tr" in late


@pytest.mark.parametrize(
    "params",
    [{}, {"fund": "national", "sort": "-lag"}, {"contracted": "1"}, {"stage": "disbursed"}],
)
def test_the_summary_table_lists_what_the_ledger_lists(client_bo, world, monkeypatch, params):
    """Rows, money and totals read from the summary table equal those of the ledger path."""

    def shown(response):
        page = response.context["table"].page.object_list
        money = [(r.record.code, r.record.approved, r.record.disbursed, r.record.lag) for r in page]
        return money, response.context["totals"]

    fast = shown(client_bo.get(URL, {"year": 2019, **params}))
    for module in (projects.models, projects.selectors, dashboard.selectors):
        monkeypatch.setattr(module, "money_source", lambda as_of, plan_year: None)
    assert shown(client_bo.get(URL, {"year": 2019, **params})) == fast
    assert fast[0]


@pytest.mark.parametrize("params", [{}, {"sort": "-lag"}, {"map": "34", "sort": "province"}])
def test_the_rows_written_in_one_pass_are_django_tables2s_cells(client_bo, world, params):
    """The page writes its rows itself (`SchemeTable.body_rows`) for speed: every row must be
    what django-tables2 writes cell by cell, attributes, defaults and escaping included."""
    from django.template import Context, Template

    response = client_bo.get(URL, {"year": 2019, **params})
    table = response.context["table"]
    table._counter = itertools.count()  # rows are numbered (even, odd) from the table's start
    by_cell = Template(
        "{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
        "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>"
        "{% endfor %}</tr>{% endfor %}"
    ).render(Context({"table": table}))
    one_pass = "".join(f"<tr {attrs}>{cells}</tr>" for attrs, cells in table.body_rows)
    assert len(table.body_rows) == len(IN_PLAN_2019)
    assert one_pass == by_cell
    assert all(cells in response.text for _, cells in table.body_rows)


def test_the_year_choices_are_the_years_of_the_schemes_the_user_sees(client, thai_nguyen_user):
    """The years are found by stepping from one year to the next in the index; a province user
    is offered the years of its own schemes (and the current one)."""
    current = timezone.localdate().year
    make("TN-2015", plan_year=2015)
    make("TN-2019", plan_year=2019)
    make("HN-2017", province="01", plan_year=2017)
    everything = projects.selectors.list_years(Scheme.objects.all(), current)
    assert everything == sorted({2015, 2017, 2019, current}, reverse=True)
    client.force_login(thai_nguyen_user)
    years = client.get(URL, {"year": 2019}).context["years"]
    assert years == sorted({2015, 2019, current}, reverse=True)
    assert projects.selectors.list_years(Scheme.objects.none(), current) == [current]
