"""The money chain per allocation, kept as a table (`budgets_allocationmoney`) so that the
dashboard and the scheme list read one row per allocation instead of the contracts and the
2 million entries of the ledger (docs/benchmark.md, §2).

Derived data: every figure is recomputed from the allocation, its contracts and its ledger by
the expressions of `projects.models.ledger_money`, the very ones `SchemeQuerySet.with_money()`
uses on its ledger path, so that the two cannot disagree. The signal handlers (budgets.apps)
recompute an allocation's row in the transaction that saved or deleted one of its allocation,
contracts or ledger entries; bulk writes (seed_demo, generate_synthetic) call
`allocation_money_refresh()` or `allocation_money_rebuild()` when they are done, the bulk
approval of new schemes (budgets.bulk) `allocation_money_create()`, whose rows have nothing in
the ledger yet, and the `rebuild_money_summary` command repairs the whole table."""

from collections.abc import Iterable

from django.db import connection, models
from django.db.models import F, Max, Min, OuterRef, Q, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from budgets.models import (
    Allocation,
    AllocationChange,
    Contract,
    ContractAmendment,
    Disbursement,
)
from budgets.rollup import year_rollup_rebuild, year_rollup_refresh
from core.db import CHUNK, insert_select
from core.models import MoneyField, TimeStampedModel
from projects.models import (
    Fund,
    MonthEnd,
    Scheme,
    YearEnd,
    approved_changed_after,
    ledger_money,
)
from provinces.models import Province


class AllocationMoney(TimeStampedModel):
    """One allocation's money chain: now (`approved`, `contracted`, `disbursed`) and on 31
    December of its plan year (`…_year_end`), with the columns the dashboard filters on copied
    from the plan, the batch and the scheme. No history: it is derived, never edited."""

    allocation = models.OneToOneField(
        Allocation,
        verbose_name=_("kinh phí được duyệt"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="money",
    )
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("đề án"),
        on_delete=models.CASCADE,
        related_name="allocation_money",
    )
    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=10, choices=Fund.choices)
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="+"
    )
    decision_date = models.DateField(_("ngày quyết định"))
    approved = MoneyField(_("kinh phí được duyệt"))
    contracted = MoneyField(_("giá trị hợp đồng đã ký"))
    first_signed_on = models.DateField(_("ngày ký hợp đồng đầu tiên"), null=True)
    disbursed = MoneyField(_("đã giải ngân"))
    last_paid_on = models.DateField(_("ngày chứng từ cuối"), null=True)
    approved_year_end = MoneyField(_("kinh phí được duyệt đến 31/12"))
    contracted_year_end = MoneyField(_("giá trị hợp đồng đã ký đến 31/12"))
    disbursed_year_end = MoneyField(_("đã giải ngân đến 31/12"))
    # Disbursed (net, cumulative) by the end of each month of the plan year, for the monthly
    # chart: December is disbursed_year_end.
    disbursed_m01 = MoneyField(_("đã giải ngân đến hết tháng 1"))
    disbursed_m02 = MoneyField(_("đã giải ngân đến hết tháng 2"))
    disbursed_m03 = MoneyField(_("đã giải ngân đến hết tháng 3"))
    disbursed_m04 = MoneyField(_("đã giải ngân đến hết tháng 4"))
    disbursed_m05 = MoneyField(_("đã giải ngân đến hết tháng 5"))
    disbursed_m06 = MoneyField(_("đã giải ngân đến hết tháng 6"))
    disbursed_m07 = MoneyField(_("đã giải ngân đến hết tháng 7"))
    disbursed_m08 = MoneyField(_("đã giải ngân đến hết tháng 8"))
    disbursed_m09 = MoneyField(_("đã giải ngân đến hết tháng 9"))
    disbursed_m10 = MoneyField(_("đã giải ngân đến hết tháng 10"))
    disbursed_m11 = MoneyField(_("đã giải ngân đến hết tháng 11"))

    class Meta:
        verbose_name = _("số liệu kinh phí của đề án")
        verbose_name_plural = pgettext_lazy("số nhiều", "số liệu kinh phí của đề án")
        indexes = [
            # The dashboard's year (and fund): every figure of a page from the index alone.
            models.Index(
                fields=["plan_year", "fund"],
                include=[
                    "scheme",
                    "province",
                    "decision_date",
                    "approved",
                    "contracted_year_end",
                    "disbursed_year_end",
                    "contracted",
                    "disbursed",
                    "first_signed_on",
                ],
                name="money_year_fund",
            ),
            models.Index(fields=["scheme", "plan_year"], name="money_scheme_year"),
            models.Index(fields=["province", "plan_year"], name="money_province_year"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id}: {self.disbursed}/{self.approved}"


MONTHS = range(1, 12)
MONTH_COLUMNS = tuple(f"disbursed_m{month:02d}" for month in MONTHS)

# What a row copies from its allocation, plan, scheme and batch: the first columns of the SELECT
# that fills the table, in the order of COLUMNS.
COPIED = (
    "pk",
    "scheme_id",
    "plan__year",
    "plan__fund",
    "scheme__province_id",
    "batch__decision_date",
    "amount",
)

# The table's columns, in the order of the SELECT that fills them.
COLUMNS = (
    "allocation_id",
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
    *MONTH_COLUMNS,
    "created_at",
    "updated_at",
)


def _source(allocations: models.QuerySet) -> models.QuerySet:
    """The rows of the table for `allocations`, computed from the ledger, as a SELECT."""
    outer = OuterRef("pk")
    latest = ledger_money(Contract, "allocation", outer)
    year_end = ledger_money(Contract, "allocation", outer, YearEnd(OuterRef("plan__year")))
    months = {
        f"m_{column}": ledger_money(
            Contract, "allocation", outer, MonthEnd(OuterRef("plan__year"), month)
        )["disbursed"]
        for month, column in zip(MONTHS, MONTH_COLUMNS, strict=True)
    }
    now = Value(timezone.now(), output_field=models.DateTimeField())
    return (
        allocations.order_by()
        .annotate(
            m_contracted=latest["contracted"],
            m_first_signed_on=latest["first_signed_on"],
            m_disbursed=latest["disbursed"],
            m_last_paid_on=latest["last_paid_on"],
            m_contracted_year_end=year_end["contracted"],
            m_approved_year_end=F("amount")
            - approved_changed_after(Allocation, "pk", outer, YearEnd(OuterRef("plan__year"))),
            m_disbursed_year_end=year_end["disbursed"],
            **months,
            m_now=now,
        )
        .values_list(
            *COPIED,
            "m_contracted",
            "m_first_signed_on",
            "m_disbursed",
            "m_last_paid_on",
            "m_approved_year_end",
            "m_contracted_year_end",
            "m_disbursed_year_end",
            *months,
            "m_now",
            "m_now",
        )
    )


def _insert(allocations: models.QuerySet) -> set[tuple[int, int]]:
    """Insert the rows of `allocations`; returns their (plan year, province id) pairs."""
    sql, params = _source(allocations).query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(AllocationMoney._meta.db_table)
    columns = ", ".join(quote(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {sql} RETURNING plan_year, province_id", params
        )
        return {tuple(row) for row in cursor.fetchall()}


def _insert_all() -> None:
    """Every allocation's row in one INSERT … SELECT that groups the contracts and the ledger
    by allocation (hash aggregates) instead of probing them once per allocation: the same
    rules as ledger_money() (tests/budgets/test_summary.py holds them equal), over twice as
    fast on the whole table."""
    year_end = YearEnd(F("allocation__plan__year"))
    contracts = (
        Contract.objects.order_by()
        .values(c_allocation=F("allocation_id"))
        .annotate(
            c_value=Sum("value"),
            c_value_year_end=Sum("value", filter=Q(signed_on__lte=year_end)),
            c_first=Min("signed_on"),
        )
    )
    signed = Disbursement.signed_amount()
    year = F("contract__allocation__plan__year")
    paid_by_year_end = Q(paid_on__lte=YearEnd(year))
    ledger = (
        Disbursement.objects.order_by()
        .values(d_allocation=F("contract__allocation_id"))
        .annotate(
            d_net=Sum(signed),
            d_net_year_end=Sum(signed, filter=paid_by_year_end),
            d_last=Max("paid_on"),
            **{
                f"d_{column}": Sum(signed, filter=Q(paid_on__lte=MonthEnd(year, month)))
                for month, column in zip(MONTHS, MONTH_COLUMNS, strict=True)
            },
        )
    )
    # What was decided after 31 December of the plan year changed the figures "on 31/12" since.
    changes = (
        AllocationChange.objects.order_by()
        .filter(decided_on__gt=YearEnd(F("allocation__plan__year")))
        .values(g_allocation=F("allocation_id"))
        .annotate(g_delta=Sum(F("amount_after") - F("amount_before")))
    )
    contract_year_end = YearEnd(F("contract__allocation__plan__year"))
    amendments = (
        ContractAmendment.objects.order_by()
        .filter(signed_on__gt=contract_year_end, contract__signed_on__lte=contract_year_end)
        .values(e_allocation=F("contract__allocation_id"))
        .annotate(e_delta=Sum(F("value_after") - F("value_before")))
    )
    base = Allocation.objects.order_by().values(
        a_id=F("pk"),
        a_scheme=F("scheme_id"),
        a_year=F("plan__year"),
        a_fund=F("plan__fund"),
        a_province=F("scheme__province_id"),
        a_decision=F("batch__decision_date"),
        a_amount=F("amount"),
    )
    parts = [q.query.sql_with_params() for q in (base, contracts, ledger, changes, amendments)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in COLUMNS)
    sql = (
        f"INSERT INTO {quote(AllocationMoney._meta.db_table)} ({columns}) "
        "SELECT a.a_id, a.a_scheme, a.a_year, a.a_fund, a.a_province, a.a_decision, a.a_amount, "
        "COALESCE(c.c_value, 0), c.c_first, COALESCE(d.d_net, 0), d.d_last, "
        "a.a_amount - COALESCE(g.g_delta, 0), "
        "COALESCE(c.c_value_year_end, 0) - COALESCE(e.e_delta, 0), COALESCE(d.d_net_year_end, 0), "
        + "".join(f"COALESCE(d.d_{column}, 0), " for column in MONTH_COLUMNS)
        + "%s, %s "
        f"FROM ({parts[0][0]}) a LEFT JOIN ({parts[1][0]}) c ON c.c_allocation = a.a_id "
        f"LEFT JOIN ({parts[2][0]}) d ON d.d_allocation = a.a_id "
        f"LEFT JOIN ({parts[3][0]}) g ON g.g_allocation = a.a_id "
        f"LEFT JOIN ({parts[4][0]}) e ON e.e_allocation = a.a_id"
    )
    now = timezone.now()
    params = (now, now, *(arg for _sql, args in parts for arg in args))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def allocation_money_refresh(allocation_ids: Iterable[int]) -> None:
    """Recompute the rows of these allocations from the ledger, dropping the rows of those that
    no longer exist, and the per-year rollup of their years and provinces (4 queries). Call it
    inside the transaction that changed them."""
    ids = sorted(set(allocation_ids))
    if not ids:
        return
    quote = connection.ops.quote_name
    table = quote(AllocationMoney._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE allocation_id IN ({marks}) "  # noqa: S608
            "RETURNING plan_year, province_id",
            ids,
        )
        before = {tuple(row) for row in cursor.fetchall()}
    after = _insert(Allocation.objects.filter(pk__in=ids))
    # The per-year rollup of the pairs the rows were in, before and after (2 queries).
    year_rollup_refresh(before | after)


def allocation_money_create(allocation_ids: Iterable[int]) -> None:
    """The rows of allocations just created in this transaction, which no contract, change
    or ledger entry can refer to yet: approved (now and on 31/12) is the amount, everything
    else zero or none. What allocation_money_refresh() computes for them (the tests hold the
    two equal), without its probes of the ledger, about 17 subqueries per allocation (2 s for
    the 10.000 of a large import). Two statements per 2.000 allocations, then the per-year
    rollup of their years and provinces (2 queries)."""
    ids = sorted(set(allocation_ids))
    zero = Value(0, output_field=MoneyField())
    none = Value(None, output_field=models.DateField())
    now = Value(timezone.now(), output_field=models.DateTimeField())
    pairs: set[tuple[int, int]] = set()
    figures = {
        "m_contracted": zero,
        "m_first_signed_on": none,
        "m_disbursed": zero,
        "m_last_paid_on": none,
        "m_approved_year_end": F("amount"),
        "m_contracted_year_end": zero,
        "m_disbursed_year_end": zero,
        **{f"m_{column}": zero for column in MONTH_COLUMNS},
        "m_now": now,
    }
    for start in range(0, len(ids), CHUNK):
        rows = (
            Allocation.objects.filter(pk__in=ids[start : start + CHUNK])
            .order_by()
            .annotate(**figures)
            .values_list(
                *COPIED,
                *figures,
                "m_now",
            )
        )
        insert_select(AllocationMoney, COLUMNS, rows)
        pairs |= set(
            Allocation.objects.filter(pk__in=ids[start : start + CHUNK])
            .values_list("plan__year", "scheme__province_id")
            .distinct()
        )
    year_rollup_refresh(pairs)


def allocation_money_drop(allocation_ids: Iterable[int]) -> None:
    """Delete the rows of allocations about to be deleted in bulk (an undone import), and
    refresh the per-year rollup of their years and provinces: a statement per 2.000 rows, where
    the delete's cascade would refresh the rollup once per row (budgets.signals). Call it in
    the transaction that then deletes the allocations."""
    ids = sorted(set(allocation_ids))
    pairs: set[tuple[int, int]] = set()
    quote = connection.ops.quote_name
    table = quote(AllocationMoney._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {table} WHERE allocation_id IN ({marks}) "  # noqa: S608
                "RETURNING plan_year, province_id",
                chunk,
            )
            pairs |= {tuple(row) for row in cursor.fetchall()}
    year_rollup_refresh(pairs)


def allocation_money_rebuild(*, rollup: bool = True) -> int:
    """Recompute the whole table from the ledger in one INSERT … SELECT, then the per-year
    rollup (unless `rollup` is false: a migration older than its table); returns its rows."""
    quote = connection.ops.quote_name
    table = quote(AllocationMoney._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        if connection.vendor == "postgresql":
            # After a bulk load the planner must know the ledger's size, or it scans the whole
            # ledger for every allocation.
            for model in (Allocation, Contract, Disbursement):
                cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
    _insert_all()
    if rollup:
        year_rollup_rebuild()
    summary_analyze()
    return AllocationMoney.objects.count()


def summary_analyze() -> None:
    """Tell PostgreSQL's planner about the table's rows; outside a transaction, VACUUM too,
    which lets index-only scans skip the table."""
    if connection.vendor != "postgresql":
        return
    verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{verb} {connection.ops.quote_name(AllocationMoney._meta.db_table)}")
