"""Data-quality checks of a plan year, each with the rows that fail it, and a score per province:
the share of its in-plan schemes that pass every check.

Each check is one query returning its failing rows as plain dicts (scheme, province on the
display map, and the facts that show the failure), so the panel, the lists and the weekly
figures agree. Everything is read as it stood on `scope.on`: entries dated later are ignored.
The monthly progress reports are checked against submissions.reporting's rule (due by the 25th
of each month while a scheme is under way)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
    TruncDate,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import ZERO, AnnualPlan, Contract, Disbursement, money_sum
from budgets.summary import AllocationMoney
from core.db import EPOCH, DayNumber, day_number
from monitoring.curve import to_rate
from monitoring.scope import Scope, allocations_in, province_prefix
from projects.models import Scheme, SchemeStatusChange, money_source, status_on
from submissions import reporting
from submissions.models import ProgressReport

S = Scheme.Status
ACCEPTED = (S.ACCEPTED, S.LIQUIDATED, S.SETTLED)
# Days after approval by which a contract should be signed (TT 36/2013 practice).
CONTRACT_DAYS = 30


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    rule: str


CHECKS = (
    Check(
        "money_chain",
        _("Chuỗi kinh phí"),
        _("Đã giải ngân ≤ đã ký hợp đồng ≤ được duyệt, từng đề án."),
    ),
    Check(
        "paid_before_contract",
        _("Chi trước ngày ký"),
        _("Không có khoản tạm ứng, thanh toán nào trước ngày ký hợp đồng."),
    ),
    Check(
        "refund_exceeds",
        _("Thu hồi vượt số đã chi"),
        _("Lũy kế thu hồi không vượt lũy kế tạm ứng và thanh toán đến cùng ngày."),
    ),
    Check(
        "advance_unsettled",
        _("Tạm ứng chưa thanh toán"),
        _(
            "Mỗi khoản tạm ứng có thanh toán hoặc thu hồi sau nó, chậm nhất %(days)s ngày sau "
            "ngày nghiệm thu hoặc sau 31/12 của năm kế hoạch (mốc nào đến trước)."
        ),
    ),
    Check(
        "contract_late",
        _("Chưa ký hợp đồng"),
        _("Hợp đồng được ký trong vòng %(days)s ngày kể từ quyết định phê duyệt."),
    ),
    Check(
        "past_end",
        _("Quá hạn chưa nghiệm thu"),
        _("Đề án đã qua ngày kết thúc thì đã được nghiệm thu (trừ đề án ngừng triển khai)."),
    ),
    Check(
        "progress_late",
        _("Báo cáo tiến độ"),
        _(
            "Đề án đang thực hiện có báo cáo tiến độ của mọi tháng đã đến hạn, gửi chậm nhất ngày "
            "%(days)s của tháng, từ tháng sau tháng ký hợp đồng đầu tiên đến tháng kết thúc."
        ),
    ),
)
CHECK_CODES = tuple(check.code for check in CHECKS)

# What each fact in a failing row is, for the lists.
FACT_LABELS = {
    "approved": _("Được duyệt"),
    "contracted": _("Đã ký hợp đồng"),
    "disbursed": _("Đã giải ngân"),
    "amount": _("Số tiền"),
    "paid_on": _("Ngày chứng từ"),
    "voucher": _("Số chứng từ"),
    "signed_on": _("Ngày ký"),
    "refunded": _("Lũy kế thu hồi"),
    "paid_out": _("Lũy kế đã chi"),
    "deadline": _("Hạn"),
    "decided_on": _("Ngày quyết định"),
    "end_date": _("Ngày kết thúc"),
    "first_signed_on": _("Ký hợp đồng đầu tiên"),
    "months_due": _("Số tháng phải báo cáo"),
    "months_on_time": _("Số tháng báo cáo đúng hạn"),
    "last_submitted_on": _("Báo cáo gần nhất gửi ngày"),
}


def advance_days() -> int:
    return settings.KC_ADVANCE_SETTLEMENT_DAYS


def rule_text(check: Check) -> str:
    """The rule in words, with its number of days where it has one."""
    days = {
        "advance_unsettled": advance_days(),
        "contract_late": CONTRACT_DAYS,
        "progress_late": reporting.deadline_day(),
    }.get(check.code)
    return str(check.rule) if days is None else str(check.rule) % {"days": days}


def _scheme_fields(scope: Scope, to_scheme: str) -> dict:
    unit = province_prefix(scope, to_scheme)
    return {
        "scheme_id": F(f"{to_scheme}id"),
        "code": F(f"{to_scheme}code"),
        "title": F(f"{to_scheme}title"),
        "province": F(f"{to_scheme}province__short_name"),
        "unit_code": F(f"{unit}__code"),
        "unit_map": F(f"{unit}__map_version"),
    }


def _rows(queryset: QuerySet, scope: Scope, to_scheme: str, **facts) -> list[dict]:
    """The failing rows as {scheme_id, code, title, province, unit_code, unit_map, facts}, facts
    being (name, value) pairs. Names are prefixed in the query: a value may not share the name
    of a model field."""
    scheme = _scheme_fields(scope, to_scheme)
    rows = queryset.order_by().values(
        **{f"s_{name}": value for name, value in scheme.items()},
        **{f"f_{name}": value for name, value in facts.items()},
    )
    result = [
        {
            **{name: row[f"s_{name}"] for name in scheme},
            "facts": tuple((name, row[f"f_{name}"]) for name in facts),
        }
        for row in rows
    ]
    result.sort(key=lambda row: (row["code"], tuple(str(value) for _n, value in row["facts"])))
    return result


def _in_scope_schemes(scope: Scope, visible) -> QuerySet[Scheme]:
    return Scheme.objects.filter(pk__in=allocations_in(scope, visible).values("scheme_id"))


def _ledger(scope: Scope, visible) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(
        contract__allocation__in=allocations_in(scope, visible).values("pk"),
        paid_on__lte=scope.on,
    )


@dataclass(frozen=True)
class Failing:
    """The failing rows of a check as a queryset, the path from a row to its scheme, and the
    facts each row shows."""

    rows: QuerySet
    to_scheme: str
    facts: dict


def _money_chain(scope: Scope, visible) -> Failing:
    """Schemes whose year's money (with_money(on, plan_year)) breaks disbursed ≤ contracted ≤
    approved. On the summary table the sums are grouped once for the year's rows rather than
    probed four times per scheme; the failing schemes then get with_money's figures."""
    in_scope = _in_scope_schemes(scope, visible)
    schemes = in_scope.with_money(scope.on, plan_year=scope.year)
    source = money_source(scope.on, scope.year)
    broken = Q(disbursed__gt=F("contracted")) | Q(contracted__gt=F("approved"))
    if source is None:
        schemes = schemes.filter(broken)
    else:
        end = "_year_end" if source == "year_end" else ""
        # with_money sums each scheme's rows of the plan year, whatever their fund or date.
        sums = (
            AllocationMoney.objects.filter(
                plan_year=scope.year,
                scheme__in=allocations_in(scope, visible).values("scheme_id"),
            )
            .order_by()
            .values("scheme")
            .annotate(
                **{name: Sum(f"{name}{end}") for name in ("approved", "contracted", "disbursed")}
            )
            .filter(broken)
        )
        schemes = schemes.filter(pk__in=sums.values("scheme"))
    facts = {"approved": F("approved"), "contracted": F("contracted"), "disbursed": F("disbursed")}
    return Failing(schemes, "", facts)


def _paid_before_contract(scope: Scope, visible) -> Failing:
    early = _ledger(scope, visible).filter(
        paid_on__lt=F("contract__signed_on"),
        kind__in=(Disbursement.Kind.ADVANCE, Disbursement.Kind.PAYMENT),
    )
    facts = {
        "voucher": F("voucher_number"),
        "paid_on": F("paid_on"),
        "signed_on": F("contract__signed_on"),
        "amount": F("amount"),
    }
    return Failing(early, "contract__allocation__scheme__", facts)


def _running(kinds: tuple[str, ...]) -> Coalesce:
    total = (
        Disbursement.objects.filter(
            contract=OuterRef("contract"), kind__in=kinds, paid_on__lte=OuterRef("paid_on")
        )
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total), ZERO, output_field=ZERO.output_field)


def _refund_exceeds(scope: Scope, visible) -> Failing:
    refunds = (
        _ledger(scope, visible)
        .filter(kind=Disbursement.Kind.REFUND)
        .annotate(
            refunded=_running((Disbursement.Kind.REFUND,)),
            paid_out=_running((Disbursement.Kind.ADVANCE, Disbursement.Kind.PAYMENT)),
        )
        .filter(refunded__gt=F("paid_out"))
    )
    facts = {
        "voucher": F("voucher_number"),
        "paid_on": F("paid_on"),
        "refunded": F("refunded"),
        "paid_out": F("paid_out"),
    }
    return Failing(refunds, "contract__allocation__scheme__", facts)


def _accepted(scheme: str = "pk") -> QuerySet[SchemeStatusChange]:
    return SchemeStatusChange.objects.filter(scheme=OuterRef(scheme), to_status=S.ACCEPTED)


def _advance_unsettled(scope: Scope, visible) -> Failing:
    """Advances not followed, by their deadline, by a payment or a refund on the same contract.
    The deadline: N days after the earlier of the acceptance (first change to "accepted", as a
    local date) and 31 December of the plan year; checked once it has passed on the day. Dates
    are compared as day numbers, the same way on SQLite and PostgreSQL."""
    days = advance_days()
    year_end = Value(day_number(scope.year_end))
    accepted_day = Subquery(
        _accepted("contract__allocation__scheme")
        .order_by("at")
        .annotate(day=DayNumber(TruncDate("at")))
        .values("day")[:1]
    )
    settling = Disbursement.objects.filter(
        contract=OuterRef("contract"),
        kind__in=(Disbursement.Kind.PAYMENT, Disbursement.Kind.REFUND),
        paid_on__gte=OuterRef("paid_on"),
        paid_on__lte=scope.on,
    )
    advances = (
        _ledger(scope, visible)
        .filter(kind=Disbursement.Kind.ADVANCE)
        .annotate(start_day=Least(Coalesce(accepted_day, year_end), year_end))
        .filter(start_day__lte=day_number(scope.on) - days)
        .annotate(deadline=ExpressionWrapper(F("start_day") + days, output_field=IntegerField()))
    )
    settled = settling.annotate(day=DayNumber("paid_on")).filter(day__lte=OuterRef("deadline"))
    advances = advances.filter(~Exists(settled))
    facts = {
        "voucher": F("voucher_number"),
        "paid_on": F("paid_on"),
        "amount": F("amount"),
        "deadline": F("deadline"),
    }
    return Failing(advances, "contract__allocation__scheme__", facts)


def _contract_late(scope: Scope, visible) -> Failing:
    """Allocations decided more than CONTRACT_DAYS days before the day with no contract signed
    by then (schemes stopped by then aside)."""
    decided_before = scope.on - datetime.timedelta(days=CONTRACT_DAYS)
    signed = Contract.objects.filter(allocation=OuterRef("pk"), signed_on__lte=scope.on)
    allocations = (
        allocations_in(scope, visible)
        .filter(batch__decision_date__lt=decided_before)
        .alias(status_day=status_on(scope.on, "scheme__"))
        .exclude(status_day=S.STOPPED)
        .filter(~Exists(signed))
    )
    facts = {"decided_on": F("batch__decision_date"), "approved": F("amount")}
    return Failing(allocations, "scheme__", facts)


def _past_end(scope: Scope, visible) -> Failing:
    """Schemes whose end date has passed on the day and that were not accepted by then. A scheme
    accepted with no recorded change (imported data) counts as accepted; one stopped by then is
    left out."""
    day_after = datetime.datetime.combine(
        scope.on + datetime.timedelta(days=1),
        datetime.time(),
        tzinfo=timezone.get_current_timezone(),
    )
    accepted_by_then = Q(status__in=ACCEPTED) & (
        ~Exists(_accepted()) | Exists(_accepted().filter(at__lt=day_after))
    )
    schemes = (
        _in_scope_schemes(scope, visible)
        .filter(end_date__lt=scope.on)
        .alias(status_day=status_on(scope.on))
        .exclude(status_day=S.STOPPED)
        .exclude(accepted_by_then)
    )
    return Failing(schemes, "", {"end_date": F("end_date")})


def _month_index(day) -> ExpressionWrapper:
    """submissions.reporting.month_index() in the query."""
    return ExpressionWrapper(
        ExtractYear(day) * 12 + ExtractMonth(day) - 1, output_field=IntegerField()
    )


def _progress_late(scope: Scope, visible) -> Failing:
    """Schemes under way on the day (contracted or in progress by their status history) that
    had not filed, by its deadline, the report of every month due by then (reporting.due_periods:
    from the month after the first contract signed by the day to the last month whose deadline
    had passed, or the month of the end date if earlier). Reports filed after the day do not
    count. Months are compared as consecutive integers (year × 12 + month − 1)."""
    first_contract = (
        Contract.objects.filter(allocation__scheme=OuterRef("pk"), signed_on__lte=scope.on)
        .order_by("signed_on")
        .values("signed_on")[:1]
    )
    filed = ProgressReport.objects.filter(scheme=OuterRef("pk"), submitted_on__lte=scope.on)
    on_time = (
        filed.filter(submitted_on__lte=F("due_on"))
        .alias(month=F("period_year") * 12 + F("period_month") - 1)
        .filter(month__gte=OuterRef("first_due"), month__lte=OuterRef("last_due"))
        .order_by()
        .values("scheme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_filed = filed.order_by("-submitted_on").values("submitted_on")[:1]
    schemes = (
        _in_scope_schemes(scope, visible)
        .alias(status_day=status_on(scope.on))
        .filter(status_day__in=reporting.REPORTING)
        .annotate(first_signed_on=Subquery(first_contract))
        .filter(first_signed_on__isnull=False)
        .annotate(
            first_due=_month_index(F("first_signed_on")) + 1,
            last_due=Least(Value(reporting.last_due_index(scope.on)), _month_index("end_date")),
        )
        .annotate(
            months_due=Greatest(F("last_due") - F("first_due") + 1, Value(0)),
            months_on_time=Coalesce(Subquery(on_time), Value(0)),
            last_submitted_on=Subquery(last_filed),
        )
        .filter(months_on_time__lt=F("months_due"))
    )
    facts = {
        "first_signed_on": F("first_signed_on"),
        "months_due": F("months_due"),
        "months_on_time": F("months_on_time"),
        "last_submitted_on": F("last_submitted_on"),
    }
    return Failing(schemes, "", facts)


QUERIES: dict[str, Callable[[Scope, QuerySet | None], Failing]] = {
    "money_chain": _money_chain,
    "paid_before_contract": _paid_before_contract,
    "refund_exceeds": _refund_exceeds,
    "advance_unsettled": _advance_unsettled,
    "contract_late": _contract_late,
    "past_end": _past_end,
    "progress_late": _progress_late,
}


def failing_rows(scope: Scope, visible, check: str) -> list[dict]:
    """The rows failing one check (1 query)."""
    failing = QUERIES[check](scope, visible)
    rows = _rows(failing.rows, scope, failing.to_scheme, **failing.facts)
    if check == "advance_unsettled":
        for row in rows:
            row["facts"] = tuple(
                (name, EPOCH + datetime.timedelta(days=value) if name == "deadline" else value)
                for name, value in row["facts"]
            )
    return rows


@dataclass
class ProvinceQuality:
    code: str
    map_version: str
    short_name: str
    schemes: int = 0
    failing: dict[str, int] = field(default_factory=dict)
    failing_schemes: int = 0

    @property
    def passing(self) -> int:
        return self.schemes - self.failing_schemes

    @property
    def score(self) -> Decimal | None:
        """Schemes passing every check ÷ in-plan schemes, in per cent."""
        return to_rate(self.passing, self.schemes)


@dataclass(frozen=True)
class PlanEnvelope:
    pk: int
    title: str
    envelope: Decimal
    approved: Decimal

    @property
    def ok(self) -> bool:
        return self.approved <= self.envelope


@dataclass(frozen=True)
class Quality:
    on: datetime.date
    provinces: list[ProvinceQuality]
    total: ProvinceQuality
    plans: list[PlanEnvelope]


def plan_envelopes(scope: Scope) -> list[PlanEnvelope]:
    """Approved ≤ envelope for each plan of the year (1 query): the envelope is the sum of the
    batches decided by the day, the approved money that of the allocations in those batches."""
    batches = (
        AnnualPlan.objects.filter(pk=OuterRef("pk"))
        .annotate(total=money_sum("batches__amount", batches__decision_date__lte=scope.decided_by))
        .values("total")
    )
    plans = AnnualPlan.objects.filter(year=scope.year)
    if scope.fund:
        plans = plans.filter(fund=scope.fund)
    plans = plans.annotate(
        envelope=Subquery(batches),
        approved=money_sum(
            "allocations__amount", allocations__batch__decision_date__lte=scope.decided_by
        ),
    ).order_by("fund", "title")
    return [
        PlanEnvelope(pk=p.pk, title=p.title, envelope=p.envelope or 0, approved=p.approved)
        for p in plans
    ]


def data_quality(scope: Scope, visible=None, *, with_plans: bool = False) -> Quality:
    """Per province of the display map: in-plan schemes, schemes failing each check, schemes
    failing any, and the score (1 query; 2 with the plans' envelopes). Each check's failing
    schemes are found once, as a set the database hashes, rather than probed scheme by scheme;
    each flag appears once in the query (the database would compute a repeated one again)."""
    unit = province_prefix(scope)
    flags = {
        f"fails_{code}": Case(
            When(scheme_id__in=failing.rows.values(f"{failing.to_scheme}id"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for code, failing in ((code, QUERIES[code](scope, visible)) for code in CHECK_CODES)
    }
    rows = (
        allocations_in(scope, visible)
        .values(
            "scheme_id",
            unit_code=F(f"{unit}__code"),
            unit_map=F(f"{unit}__map_version"),
            unit_short_name=F(f"{unit}__short_name"),
        )
        .annotate(**flags)
        .values_list("scheme_id", "unit_code", "unit_map", "unit_short_name", *flags, named=False)
    )
    provinces: dict[tuple[str, str], ProvinceQuality] = {}
    total = ProvinceQuality(
        code="", map_version=scope.display_map, short_name="", failing=dict.fromkeys(CHECK_CODES, 0)
    )
    seen: set[int] = set()
    for scheme_id, unit_code, unit_map, unit_short_name, *failed_flags in rows:
        if scheme_id in seen:  # in two plans of the year (both funds)
            continue
        seen.add(scheme_id)
        unit_quality = provinces.get((unit_map, unit_code))
        if unit_quality is None:
            unit_quality = provinces[(unit_map, unit_code)] = ProvinceQuality(
                code=unit_code,
                map_version=unit_map,
                short_name=unit_short_name,
                failing=dict.fromkeys(CHECK_CODES, 0),
            )
        unit_quality.schemes += 1
        total.schemes += 1
        if any(failed_flags):
            for code, failed in zip(CHECK_CODES, failed_flags, strict=True):
                if failed:
                    unit_quality.failing[code] += 1
                    total.failing[code] += 1
            unit_quality.failing_schemes += 1
            total.failing_schemes += 1
    return Quality(
        on=scope.on,
        provinces=sorted(provinces.values(), key=lambda q: (q.map_version, q.code)),
        total=total,
        plans=plan_envelopes(scope) if with_plans else [],
    )
