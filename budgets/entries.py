"""Reads for the finance entry screens: the contracts a user may record against, one contract
with its ledger sums, and the ledger's entries with the net after each one. Every sum comes from
the database; counter-entries carry their own (negative) amount, so the sums net out as they are.

The advance ceiling shown beside the advances outstanding is the cap of the advance rule in
force today (budgets.AdvanceRule): information for the person recording; the services apply the
rule of each entry's own date and decide what may be written."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Lower, Replace
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from budgets.ledger import advance_rule_on, advances_outstanding, share
from budgets.models import ZERO, Contract, Disbursement
from budgets.permissions import contracts_recordable_by, contracts_visible_to
from core.money import rate
from core.text import fold

_MONEY = DecimalField(max_digits=18, decimal_places=0)


def _ledger_sum(expression, **filters) -> Coalesce:
    """A sum over the contract's ledger as a correlated subquery: one query for many rows."""
    rows = Disbursement.objects.filter(contract=OuterRef("pk"), **filters).order_by()
    total = rows.values("contract").annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total), ZERO, output_field=_MONEY)


def with_ledger_sums(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Annotate `net` (advances + payments − refunds), `advances` and `refunds` (each net of
    its counter-entries)."""
    return contracts.annotate(
        net=_ledger_sum(Disbursement.signed_amount()),
        advances=_ledger_sum("amount", kind=Disbursement.Kind.ADVANCE),
        refunds=_ledger_sum("amount", kind=Disbursement.Kind.REFUND),
    )


def _folded_number():
    # Contract numbers carry "HĐ": folding đ is what lets a typed "hd" find them.
    return Lower(Replace(Replace("number", Value("Đ"), Value("D")), Value("đ"), Value("d")))


def contract_list_for_entry(user: User, query: str = "") -> QuerySet[Contract]:
    """The contracts the user may record against, newest first, filtered by every word of
    `query` (without diacritics) in the scheme's code or title or in the contract's number."""
    contracts = contracts_recordable_by(user).annotate(number_folded=_folded_number())
    for word in fold(query).split():
        contracts = contracts.filter(
            Q(allocation__scheme__search_text__contains=word) | Q(number_folded__contains=word)
        )
    contracts = contracts.select_related(
        "contractor", "allocation__scheme__province", "allocation__plan"
    ).order_by("-signed_on", "-pk")
    return with_ledger_sums(contracts).annotate(remaining=F("value") - F("net"))


def contract_get_for_ledger(user: User, pk: int) -> Contract:
    """The contract with its scheme and ledger sums, or 404 if the user may not see it."""
    contracts = contracts_visible_to(user).select_related(
        "contractor",
        "allocation__plan",
        "allocation__scheme__province__successor",
    )
    return get_object_or_404(with_ledger_sums(contracts), pk=pk)


@dataclass(frozen=True)
class LedgerFigures:
    """What the ledger page shows above the entries, from the contract's annotations."""

    value: Decimal
    net: Decimal
    advances: Decimal
    refunds: Decimal
    # The advance rule in force today (budgets.AdvanceRule); 100 when no rule covers the day,
    # as the services then let only the contract's value bound the advances.
    cap_rate: Decimal

    @property
    def advanced(self) -> Decimal:
        """Advances outstanding: what was advanced less what came back (unused advances are
        what a refund returns), never below 0."""
        return advances_outstanding(self.advances, self.refunds)

    @property
    def remaining(self) -> Decimal:
        return self.value - self.net

    @property
    def advance_cap(self) -> Decimal:
        return share(self.value, self.cap_rate)

    @property
    def advance_rate(self) -> Decimal | None:
        return rate(self.advanced, self.value)

    @property
    def over_cap(self) -> bool:
        return self.advanced > self.advance_cap

    @property
    def net_rate(self) -> Decimal | None:
        return rate(self.net, self.value)


def ledger_figures(contract: Contract) -> LedgerFigures:
    rule = advance_rule_on(timezone.localdate(), contract.allocation.scheme.kind)
    return LedgerFigures(
        value=contract.value,
        net=contract.net,
        advances=contract.advances,
        refunds=contract.refunds,
        cap_rate=rule.advance_cap_rate if rule is not None else Decimal(100),
    )


def ledger_entries(contract: Contract) -> QuerySet[Disbursement]:
    """The contract's entries, oldest first, each with `running` (the net after it), who
    recorded it, and the entry it reverses or that reverses it."""
    running = Window(
        Sum(Disbursement.signed_amount()),
        order_by=["paid_on", "pk"],
        frame=RowRange(start=None, end=0),
    )
    return (
        contract.disbursements.select_related("recorded_by", "reverses", "reversed_by")
        .annotate(running=running)
        .order_by("paid_on", "pk")
    )
