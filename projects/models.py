import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.db import DayNumber, YearEndDayNumber, day_number
from core.history import HistoricalRecords
from core.models import FoldedSearchModel, MoneyField, TimeStampedModel
from establishments.models import Establishment
from organisations.models import Organisation
from provinces.models import Province
from reference.models import ContentArea, Sector


class Fund(models.TextChoices):
    NATIONAL = "national", _("Khuyến công quốc gia")
    LOCAL = "local", _("Khuyến công địa phương")


_MONEY = models.DecimalField(max_digits=18, decimal_places=0)


def _total(queryset: models.QuerySet, group: str, expression) -> Coalesce:
    """SUM(expression) over `queryset`, grouped by the outer row it is correlated with."""
    summed = queryset.order_by().values(group).annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(summed), Value(Decimal(0)), output_field=_MONEY)


class YearEnd(Func):
    """31 December of a year (an integer expression) as a date, so that a filter such as
    `paid_on <= YearEnd(plan year)` stays sargable (no EXTRACT on the ledger's column)."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"YearEnd is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="date((%(expressions)s) || '-12-31')")

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="make_date((%(expressions)s)::int, 12, 31)"
        )


class MonthEnd(Func):
    """The last day of `month` (1–11) of a year (an integer expression), as a date."""

    output_field = models.DateField()

    def __init__(self, year, month: int):
        if not 1 <= month <= 11:
            raise ValueError("MonthEnd is for January to November; December is YearEnd.")
        self.month = month
        super().__init__(year)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"MonthEnd is not written for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        first = f"-{self.month + 1:02d}-01"
        template = f"date((%(expressions)s) || '{first}', '-1 day')"
        return super().as_sql(compiler, connection, template=template)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"(make_date((%(expressions)s)::int, {self.month + 1}, 1) - 1)"
        return super().as_sql(compiler, connection, template=template)


def ledger_money(contract_model, correlate: str, outer, as_of=None, **scope) -> dict:
    """The money chain of the row that `correlate` (a lookup from a contract: "allocation",
    "allocation__scheme") ties to `outer`, read from the contracts and the ledger: `contracted`
    (values of the contracts signed by `as_of`), `first_signed_on` (whatever `as_of`),
    `disbursed` (advances + payments − refunds dated by `as_of`) and `last_paid_on`. `as_of` is
    a date, an expression or None (everything); `scope` narrows the contracts (lookups from a
    contract). The one definition of these figures: `SchemeQuerySet.with_money()` reads it per
    scheme, the summary table (budgets.summary) per allocation."""
    disbursement = contract_model._meta.get_field("disbursements").related_model
    contracts = contract_model.objects.filter(**{correlate: outer}, **scope)
    ledger = disbursement.objects.filter(
        **{f"contract__{correlate}": outer},
        **{f"contract__{lookup}": value for lookup, value in scope.items()},
    )
    dated = ledger
    contracted = None
    if as_of is not None:
        contracts_by = contracts.filter(signed_on__lte=as_of)
        dated = ledger.filter(paid_on__lte=as_of)
        # A contract's value on `as_of` is its value now less what amendments signed later
        # changed (each keeps its value before and after).
        amendment = contract_model._meta.get_field("amendments").related_model
        later = amendment.objects.filter(
            **{f"contract__{correlate}": outer},
            **{f"contract__{lookup}": value for lookup, value in scope.items()},
            contract__signed_on__lte=as_of,
            signed_on__gt=as_of,
        )
        delta = F("value_after") - F("value_before")
        contracted = _total(contracts_by, correlate, "value") - _total(
            later, f"contract__{correlate}", delta
        )
    else:
        contracts_by = contracts
    last_paid = ledger.order_by("-paid_on").values("paid_on")[:1]
    return {
        "contracted": contracted
        if contracted is not None
        else _total(contracts_by, correlate, "value"),
        "first_signed_on": Subquery(contracts.order_by("signed_on").values("signed_on")[:1]),
        "disbursed": _total(dated, f"contract__{correlate}", disbursement.signed_amount()),
        "last_paid_on": Subquery(last_paid),
    }


def approved_changed_after(allocation_model, correlate: str, outer, as_of, **scope):
    """What the changes decided after `as_of` (a date or an expression) did to the support
    approved in the allocations that `correlate` (a lookup from an allocation: "scheme", "pk")
    ties to `outer`: Σ (amount after − amount before) of budgets.AllocationChange. The amount on
    `as_of` is the amount now less this."""
    change = allocation_model._meta.get_field("changes").related_model
    later = change.objects.filter(
        **{f"allocation__{correlate}": outer},
        **{f"allocation__{lookup}": value for lookup, value in scope.items()},
        decided_on__gt=as_of,
    )
    return _total(later, f"allocation__{correlate}", F("amount_after") - F("amount_before"))


def schedule_expressions(
    contracted, first_signed_on, disbursed, as_of: datetime.date, deadline
) -> dict:
    """`expected` (what a linear schedule from the first contract to the deadline, a DayNumber,
    would have paid out by `as_of`) and `lag` (expected − disbursed, never below 0), from
    expressions of the three figures. Integer arithmetic in the query, so that lists and counts
    filter and sort on it."""
    today = Value(day_number(as_of))
    start = DayNumber(first_signed_on)
    elapsed = Greatest(Least(today - start, deadline - start), Value(0))
    duration = Greatest(deadline - start, Value(1))
    expected = Coalesce(
        ExpressionWrapper(contracted * elapsed / duration, output_field=_MONEY),
        Value(Decimal(0)),
        output_field=_MONEY,
    )
    lag = Greatest(expected - disbursed, Value(Decimal(0)), output_field=_MONEY)
    return {"expected": expected, "lag": lag}


def money_source(as_of: datetime.date | None, plan_year: int | None) -> str | None:
    """Which columns of the summary table (budgets.summary.AllocationMoney) give the money as of
    `as_of`: "latest" for None or any day from today on, "year_end" for 31 December of
    `plan_year`; None when only the ledger can say (an earlier day).

    Assumption: a contract or ledger entry is recorded on or after the date it bears (the
    services refuse an entry dated before its contract, and nothing in the programme is dated
    ahead). An entry dated in the future would count in "latest" from the day it is recorded,
    while the ledger path counts it from its date."""
    if plan_year is not None and as_of == datetime.date(plan_year, 12, 31):
        return "year_end"
    if as_of is None or as_of >= timezone.localdate():
        return "latest"
    return None


def status_on(day: datetime.date, to_scheme: str = ""):
    """The status a scheme had at the end of `day`, as an expression on the rows that
    `to_scheme` ("" for schemes, "scheme__" for allocations) leads from: the `to` status of its
    last SchemeStatusChange made on or before that day (local time), else the `from` status of
    its first change (the status it was created in), else, with no change recorded (imported or
    seeded data), its current status. From today on, the current status itself: no subquery."""
    if day >= timezone.localdate():
        return F(f"{to_scheme}status")
    day_after = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tzinfo=timezone.get_current_timezone()
    )
    changes = SchemeStatusChange.objects.filter(scheme=OuterRef(f"{to_scheme}pk"))
    last = changes.filter(at__lt=day_after).order_by("-at", "-pk").values("to_status")[:1]
    first = changes.order_by("at", "pk").values("from_status")[:1]
    return Coalesce(
        Subquery(last),
        Subquery(first),
        F(f"{to_scheme}status"),
        output_field=models.CharField(),
    )


class SchemeQuerySet(models.QuerySet):
    def in_year(self, year: int, fund: str | None = None) -> "SchemeQuerySet":
        schemes = self.filter(plan_year=year)
        return schemes.filter(fund=fund) if fund else schemes

    def in_plan(self) -> "SchemeQuerySet":
        return self.filter(status__in=Scheme.IN_PLAN)

    def with_status_on(self, day: datetime.date) -> "SchemeQuerySet":
        """Annotate `status_on`: the status each scheme had at the end of `day` (status_on())."""
        return self.annotate(status_on=status_on(day))

    # The budgets models are reached through the reverse relations, so that this module needs
    # nothing from the budgets app (which imports it).
    def _budget_models(self):
        allocation = self.model._meta.get_field("allocations").related_model
        contract = allocation._meta.get_field("contracts").related_model
        summary = allocation._meta.get_field("money").related_model
        return allocation, contract, summary

    def with_money(
        self, as_of: datetime.date | None = None, plan_year: int | None = None
    ) -> "SchemeQuerySet":
        """Annotate `approved`, `contracted`, `first_signed_on` and `disbursed` (advances +
        payments − refunds, up to `as_of` if given), of `plan_year`'s plans only if given (a
        pilot scheme is funded over several years), each from one correlated subquery so that
        the joins of one sum never multiply the rows of another.

        Read from the summary table (one row per allocation, budgets.summary) when `as_of` is
        None or not before today, or is 31 December of `plan_year`: an index probe per scheme,
        which PostgreSQL runs only for the rows a page keeps when the order does not need them.
        Any other day reads the contracts and the ledger (exact, and slower: every entry of
        every scheme). See `money_source` for the one assumption."""
        allocation, contract, summary = self._budget_models()
        source = money_source(as_of, plan_year)
        if source is not None:
            rows = self._summary_rows(summary, plan_year)
            end = "_year_end" if source == "year_end" else ""
            queryset = self.annotate(
                first_signed_on=Subquery(
                    rows.annotate(v=Min("first_signed_on")).values("v"),
                    output_field=models.DateField(),
                ),
                **{
                    name: Coalesce(
                        Subquery(rows.annotate(v=Sum(f"{name}{end}")).values("v")),
                        Value(Decimal(0)),
                        output_field=_MONEY,
                    )
                    for name in ("approved", "contracted", "disbursed")
                },
            )
            queryset._money = (source, plan_year)
            return queryset
        approved = allocation.objects.filter(scheme=OuterRef("pk"))
        scope, year = {}, {}
        if plan_year is not None:
            approved = approved.filter(plan__year=plan_year)
            scope["allocation__plan__year"] = plan_year
            year["plan__year"] = plan_year
        money = ledger_money(contract, "allocation__scheme", OuterRef("pk"), as_of, **scope)
        queryset = self.annotate(
            first_signed_on=money["first_signed_on"],
            approved=_total(approved, "scheme", "amount")
            if as_of is None
            else _total(approved, "scheme", "amount")
            - approved_changed_after(allocation, "scheme", OuterRef("pk"), as_of, **year),
            contracted=money["contracted"],
            disbursed=money["disbursed"],
        )
        queryset._money = None
        return queryset

    @staticmethod
    def _summary_rows(summary, plan_year: int | None) -> models.QuerySet:
        rows = summary.objects.filter(scheme=OuterRef("pk"))
        if plan_year is not None:
            rows = rows.filter(plan_year=plan_year)
        return rows.order_by().values("scheme")

    def with_schedule(
        self,
        as_of: datetime.date,
        margin_percent: int | None = None,
        plan_year: int | None = None,
    ) -> "SchemeQuerySet":
        """Annotate, on top of with_money(as_of), `expected` (what a linear schedule from the
        first contract to 31 December would have paid out by `as_of`), `lag` (expected −
        disbursed, never below 0) and `behind`: the lag exceeds `margin_percent` of the amount
        contracted (settings.BEHIND_SCHEDULE_MARGIN_PERCENT by default). Integer arithmetic in
        the query, so that lists and counts filter and sort on it."""
        if margin_percent is None:
            margin_percent = settings.BEHIND_SCHEDULE_MARGIN_PERCENT
        queryset = self.with_money(as_of, plan_year)
        source = money_source(as_of, plan_year)
        # The disbursement deadline: 31 December of the plan year.
        if plan_year is not None:
            deadline = Value(day_number(datetime.date(plan_year, 12, 31)))
        elif source is not None:
            # The scheme's plan year, as an aggregate: an outer reference cannot be grouped by.
            deadline = YearEndDayNumber(Min("scheme__plan_year"))
        else:
            deadline = YearEndDayNumber(F("plan_year"))
        if source is not None:
            # From the summary rows: expected and lag computed inside one subquery each, so
            # that the SQL of the other figures is not repeated in theirs.
            end = "_year_end" if source == "year_end" else ""
            figures = self._summary_rows(self._budget_models()[2], plan_year).annotate(
                c=Sum(f"contracted{end}"), f=Min("first_signed_on"), d=Sum(f"disbursed{end}")
            )
            schedule = schedule_expressions(F("c"), F("f"), F("d"), as_of, deadline)
            queryset = queryset.annotate(
                **{
                    name: Coalesce(
                        Subquery(figures.annotate(v=expression).values("v")),
                        Value(Decimal(0)),
                        output_field=_MONEY,
                    )
                    for name, expression in schedule.items()
                }
            )
        else:
            schedule = schedule_expressions(
                F("contracted"), F("first_signed_on"), F("disbursed"), as_of, deadline
            )
            queryset = queryset.annotate(expected=schedule["expected"]).annotate(
                lag=Greatest(F("expected") - F("disbursed"), Value(Decimal(0)), output_field=_MONEY)
            )
        return queryset.annotate(
            behind=ExpressionWrapper(
                Q(contracted__gt=0) & Q(lag__gt=F("contracted") * margin_percent / 100),
                output_field=models.BooleanField(),
            )
        )

    def money_totals(self) -> dict:
        """Row count and sums of `approved`, `contracted` and `disbursed` over every row, in
        one query: a join of the rows with the summary table when with_money() read it, else
        the sum of the per-row annotations (the ledger path)."""
        names = ("approved", "contracted", "disbursed")
        money = getattr(self, "_money", None)
        if money is None:
            # The aggregates need names of their own: one named like the annotation it sums
            # would replace it, and the sum would be taken over nothing.
            sums = {f"total_{name}": Sum(name) for name in names}
            figures = self.order_by().aggregate(total_count=Count("pk"), **sums)
        else:
            # The rows joined once with their summary rows (of the year): no per-row subquery.
            source, plan_year = money
            end = "_year_end" if source == "year_end" else ""
            rows, link = self.order_by(), "allocation_money"
            if plan_year is not None:
                condition = Q(allocation_money__plan_year=plan_year)
                rows = rows.alias(year_money=FilteredRelation(link, condition=condition))
                link = "year_money"
            sums = {f"total_{name}": Sum(f"{link}__{name}{end}") for name in names}
            figures = rows.aggregate(total_count=Count("pk", distinct=True), **sums)
        return {"count": figures["total_count"], **{n: figures[f"total_{n}"] for n in names}}

    def _clone(self):
        clone = super()._clone()
        # Which summary columns with_money() read, for money_totals().
        clone._money = getattr(self, "_money", None)
        return clone


class Scheme(FoldedSearchModel, TimeStampedModel):
    """A khuyến công scheme (đề án): the unit of work and of money.

    The support approved for it is held by its allocations in annual plans (budgets.Allocation),
    one per plan year, so that a multi-year pilot scheme keeps each year's money apart."""

    SEARCH_FIELDS = ("code", "title")

    class Kind(models.TextChoices):
        PILOT = "pilot", _("Đề án điểm")
        GROUP = "group", _("Đề án nhóm")
        TARGETED = "targeted", _("Đề án theo đối tượng cụ thể")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi Sở Công Thương")
        RETURNED = "returned", _("Trả lại để chỉnh sửa")
        REJECTED = "rejected", _("Không được chấp thuận")
        BASE_APPRAISED = "base_appraised", _("Sở đã thẩm định")
        REGISTERED = "registered", _("Đã đăng ký với Cục")
        APPRAISED = "appraised", _("Cục đã thẩm định")
        APPROVED = "approved", _("Đã phê duyệt")
        CONTRACTED = "contracted", _("Đã ký hợp đồng / giao nhiệm vụ")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        ACCEPTED = "accepted", _("Đã nghiệm thu")
        LIQUIDATED = "liquidated", _("Đã thanh lý hợp đồng")
        SETTLED = "settled", _("Đã quyết toán")
        STOPPED = "stopped", _("Ngừng triển khai")

    # Statuses of a scheme that is part of an approved plan (stopped ones were approved first).
    IN_PLAN = (
        Status.APPROVED,
        Status.CONTRACTED,
        Status.IN_PROGRESS,
        Status.ACCEPTED,
        Status.LIQUIDATED,
        Status.SETTLED,
        Status.STOPPED,
    )

    code = models.CharField(_("mã đề án"), max_length=40)
    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=10, choices=Fund.choices)
    kind = models.CharField(_("loại đề án"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tên đề án"), max_length=500)
    content_areas = models.ManyToManyField(
        ContentArea, verbose_name=_("nội dung khuyến công"), related_name="schemes"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("ngành nghề"), on_delete=models.PROTECT, related_name="schemes"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="schemes",
        help_text=_("Đơn vị hành chính tại thời điểm lập đề án (bản đồ 63 hoặc 34 tỉnh)."),
    )
    implementing_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        related_name="implemented_schemes",
    )
    coordinating_units = models.ManyToManyField(
        Organisation,
        verbose_name=_("đơn vị phối hợp"),
        related_name="coordinated_schemes",
        blank=True,
    )
    beneficiaries = models.ManyToManyField(
        Establishment,
        verbose_name=_("cơ sở thụ hưởng"),
        related_name="schemes",
        blank=True,
    )
    start_date = models.DateField(_("ngày bắt đầu"))
    end_date = models.DateField(_("ngày kết thúc"))
    support_requested = MoneyField(_("kinh phí khuyến công đề nghị"))
    counterpart_funding = MoneyField(_("vốn đối ứng"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("mục tiêu, nội dung chính"), blank=True)

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[content_areas, coordinating_units, beneficiaries])

    class Meta:
        ordering = ["-plan_year", "code"]
        verbose_name = _("đề án")
        verbose_name_plural = pgettext_lazy("số nhiều", "đề án")
        constraints = [
            models.UniqueConstraint(fields=["plan_year", "code"], name="scheme_code_per_year"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="scheme_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(support_requested__gte=0),
                name="scheme_support_requested_not_negative",
                violation_error_message=_("Kinh phí đề nghị không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(counterpart_funding__gte=0),
                name="scheme_counterpart_not_negative",
                violation_error_message=_("Vốn đối ứng không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(plan_year__gte=2012) & Q(plan_year__lte=2100),
                name="scheme_plan_year_in_range",
                violation_error_message=_("Năm kế hoạch phải từ 2012 đến 2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["plan_year", "fund", "status"]),
            # The year's list takes the pilots of earlier years too (in_plan_q): with this
            # index the planner ORs two bitmap scans instead of reading every scheme.
            models.Index(fields=["plan_year"], condition=Q(kind="pilot"), name="scheme_pilot_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class SchemeStatusChange(models.Model):
    """One step of a scheme's life: who moved it, when, from which status to which, and why."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("đề án"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=16, choices=Scheme.Status.choices)
    to_status = models.CharField(_("sang trạng thái"), max_length=16, choices=Scheme.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    reason = models.TextField(_("lý do"), blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)

    class Meta:
        ordering = ["scheme", "at", "pk"]
        verbose_name = _("chuyển trạng thái đề án")
        verbose_name_plural = pgettext_lazy("số nhiều", "chuyển trạng thái đề án")
        indexes = [models.Index(fields=["scheme", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="status_change_changes_status",
                violation_error_message=_("Trạng thái mới phải khác trạng thái cũ."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.from_status} → {self.to_status}"
