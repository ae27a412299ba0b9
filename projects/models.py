import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.db import DayNumber, YearEndDayNumber, day_number
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


class SchemeQuerySet(models.QuerySet):
    def in_year(self, year: int, fund: str | None = None) -> "SchemeQuerySet":
        schemes = self.filter(plan_year=year)
        return schemes.filter(fund=fund) if fund else schemes

    def in_plan(self) -> "SchemeQuerySet":
        return self.filter(status__in=Scheme.IN_PLAN)

    def with_money(
        self, as_of: datetime.date | None = None, plan_year: int | None = None
    ) -> "SchemeQuerySet":
        """Annotate `approved`, `contracted` and `disbursed` (advances + payments − refunds,
        up to `as_of` if given), each from one correlated subquery so that the joins of one
        sum never multiply the rows of another. The ledger models are reached through the
        reverse relations, so that this module needs nothing from the budgets app."""
        allocation = self.model._meta.get_field("allocations").related_model
        contract = allocation._meta.get_field("contracts").related_model
        disbursement = contract._meta.get_field("disbursements").related_model

        approved = allocation.objects.filter(scheme=OuterRef("pk"))
        contracted = contract.objects.filter(allocation__scheme=OuterRef("pk"))
        ledger = disbursement.objects.filter(contract__allocation__scheme=OuterRef("pk"))
        if as_of is not None:
            contracted = contracted.filter(signed_on__lte=as_of)
            ledger = ledger.filter(paid_on__lte=as_of)
        first_contract = contract.objects.filter(allocation__scheme=OuterRef("pk"))
        if plan_year is not None:
            # A pilot scheme funded over several years: only that year's plan money.
            first_contract = first_contract.filter(allocation__plan__year=plan_year)
            approved = approved.filter(plan__year=plan_year)
            contracted = contracted.filter(allocation__plan__year=plan_year)
            ledger = ledger.filter(contract__allocation__plan__year=plan_year)
        return self.annotate(
            first_signed_on=Subquery(first_contract.order_by("signed_on").values("signed_on")[:1]),
            approved=_total(approved, "scheme", "amount"),
            contracted=_total(contracted, "allocation__scheme", "value"),
            disbursed=_total(ledger, "contract__allocation__scheme", disbursement.signed_amount()),
        )

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
        today = Value(day_number(as_of))
        start = DayNumber(F("first_signed_on"))
        # The disbursement deadline: 31 December of the plan year.
        deadline = (
            YearEndDayNumber(F("plan_year"))
            if plan_year is None
            else Value(day_number(datetime.date(plan_year, 12, 31)))
        )
        elapsed = Greatest(Least(today - start, deadline - start), Value(0))
        duration = Greatest(deadline - start, Value(1))
        expected = ExpressionWrapper(F("contracted") * elapsed / duration, output_field=_MONEY)
        lag = Greatest(F("expected") - F("disbursed"), Value(Decimal(0)), output_field=_MONEY)
        return (
            self.with_money(as_of, plan_year)
            .annotate(expected=Coalesce(expected, Value(Decimal(0)), output_field=_MONEY))
            .annotate(lag=lag)
            .annotate(
                behind=ExpressionWrapper(
                    Q(contracted__gt=0) & Q(lag__gt=F("contracted") * margin_percent / 100),
                    output_field=models.BooleanField(),
                )
            )
        )


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
        indexes = [models.Index(fields=["plan_year", "fund", "status"])]

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
