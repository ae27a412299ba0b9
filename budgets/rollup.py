"""The headline figures of each plan year on its 31 December, per fund and province, kept as a
small table (`budgets_yearrollup`, about 13 years × 3 × 63 rows) so that the overview's trend
over every year reads a few hundred rows instead of every row of the summary table (200,000 at
national scale, 0.3–0.6 s; docs/benchmark.md).

Derived from the summary table (budgets.summary) by the same aggregates the trend used to run
(dashboard.selectors._summary_figures on the year-end columns, every allocation of the year
whatever its decision date). The schemes are counted per province: a scheme has one province
(the summary copies it on each of its rows), so the counts add up over provinces. `fund` is
"national", "local", or "" for both funds together, where a scheme with allocations in both
counts once. Whoever changes summary rows refreshes the (year, province) pairs they were in
before and after (`year_rollup_refresh`); `allocation_money_rebuild` rebuilds the whole table."""

from collections.abc import Iterable

from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import MoneyField
from provinces.models import Province

BOTH_FUNDS = ""

Pair = tuple[int, int]  # (plan year, province id)


class YearRollup(models.Model):
    """A plan year's figures on its 31 December for one fund (or both) and one province."""

    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=10, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="+"
    )
    budget = MoneyField(_("kinh phí được duyệt"))
    schemes_approved = models.PositiveIntegerField(_("số đề án được duyệt"))
    schemes_contracted = models.PositiveIntegerField(_("số đề án đã ký hợp đồng"))
    contracted = MoneyField(_("giá trị hợp đồng đã ký"))
    disbursed = MoneyField(_("đã giải ngân"))
    schemes_disbursed = models.PositiveIntegerField(_("số đề án có giải ngân"))

    class Meta:
        verbose_name = _("số liệu năm theo tỉnh")
        verbose_name_plural = pgettext_lazy("số nhiều", "số liệu năm theo tỉnh")
        constraints = [
            models.UniqueConstraint(
                fields=["plan_year", "fund", "province"], name="rollup_year_fund_province"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_year} {self.fund or '*'} {self.province_id}"


_FIGURES = (
    "COALESCE(SUM(approved_year_end), 0), COUNT(DISTINCT scheme_id), "
    "COUNT(DISTINCT CASE WHEN contracted_year_end > 0 THEN scheme_id END), "
    "COALESCE(SUM(contracted_year_end), 0), COALESCE(SUM(disbursed_year_end), 0), "
    "COUNT(DISTINCT CASE WHEN disbursed_year_end > 0 THEN scheme_id END)"
)
_COLUMNS = (
    "plan_year, fund, province_id, budget, schemes_approved, schemes_contracted, contracted, "
    "disbursed, schemes_disbursed"
)


def _where(pairs: list[Pair] | None) -> tuple[str, list[int]]:
    if pairs is None:
        return "", []
    condition = " OR ".join(["(plan_year = %s AND province_id = %s)"] * len(pairs))
    return f" WHERE {condition}", [value for pair in pairs for value in pair]


def _fill(pairs: list[Pair] | None) -> None:
    """Delete and recompute the rows of `pairs` (of every pair if None): 2 queries."""
    quote = connection.ops.quote_name
    table = quote(YearRollup._meta.db_table)
    summary = quote("budgets_allocationmoney")
    where, params = _where(pairs)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}{where}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({_COLUMNS}) "  # noqa: S608
            f"SELECT plan_year, fund, province_id, {_FIGURES} FROM {summary}{where} "
            "GROUP BY plan_year, fund, province_id "
            f"UNION ALL SELECT plan_year, %s, province_id, {_FIGURES} FROM {summary}{where} "
            "GROUP BY plan_year, province_id",
            [*params, BOTH_FUNDS, *params],
        )


def year_rollup_refresh(pairs: Iterable[Pair]) -> None:
    """Recompute the rows of these (plan year, province id) pairs from the summary table, in the
    transaction that changed its rows (2 queries; none when there is no pair)."""
    pairs = sorted(set(pairs))
    if pairs:
        _fill(pairs)


def year_rollup_rebuild() -> None:
    """Recompute the whole table from the summary table (2 queries)."""
    _fill(None)
