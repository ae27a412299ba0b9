"""Who may write the disbursement ledger. Seeing a contract follows its scheme
(projects.permissions.schemes_visible_to: what the user may not see answers 404); recording
against it is decided by `ledger_scope`, the one rule, and the helpers below only apply it to a
queryset or to one scheme.

The rule follows who pays: the agency's finance staff (the ministry role) pay out the national
fund; a province's Sở Công Thương pays out its own local fund; the system administrator may
correct anything. Approvers decide, regional centres and provinces receive national money:
none of them records it."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, User
from budgets.models import Contract
from projects.models import Fund, Scheme
from projects.permissions import schemes_visible_to


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class LedgerScope:
    """The schemes whose contracts a user may record against: all, none, or those of one fund,
    within one post-2025 province (old provinces merged into it included) when `province_id`
    is set."""

    everything: bool = False
    fund: str | None = None
    province_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.fund is None

    def q(self, prefix: str = "") -> Q:
        """The scope as a filter on schemes (`prefix` reaches them from another model)."""
        if self.everything:
            return Q()
        if self.nothing:
            return Q(pk__in=[])
        q = Q(**{f"{prefix}fund": self.fund})
        if self.province_id is not None:
            q &= Q(**{f"{prefix}province__successor_id": self.province_id})
        return q

    def allows(self, scheme: Scheme) -> bool:
        """The same test on a scheme in hand (its province loaded: no query)."""
        if self.everything:
            return True
        if self.nothing or scheme.fund != self.fund:
            return False
        return self.province_id is None or scheme.province.successor_id == self.province_id


def ledger_scope(user: User) -> LedgerScope:
    """THE rule: what the user may record advances, payments, refunds and reversals against."""
    if not user.is_authenticated:
        return LedgerScope()
    if user.is_superuser or user.role == Role.ADMIN:
        return LedgerScope(everything=True)
    if user.role == Role.MINISTRY:
        return LedgerScope(fund=Fund.NATIONAL)
    if user.role == Role.PROVINCE and user.province_id:
        return LedgerScope(fund=Fund.LOCAL, province_id=user.province_id)
    return LedgerScope()


def contracts_visible_to(user: User) -> QuerySet[Contract]:
    return Contract.objects.filter(allocation__scheme__in=schemes_visible_to(user))


def contracts_recordable_by(user: User) -> QuerySet[Contract]:
    """The contracts the user may record against (all of them visible to the user)."""
    scope = ledger_scope(user)
    if scope.nothing:
        return Contract.objects.none()
    return contracts_visible_to(user).filter(scope.q("allocation__scheme__"))


def can_record(user: User, scheme: Scheme) -> Decision:
    """May the user record against the contracts of this (visible) scheme? With the reason
    shown on a 403 when not."""
    if ledger_scope(user).allows(scheme):
        return Decision(True)
    if scheme.fund == Fund.NATIONAL:
        reason = _(
            "Chứng từ giải ngân nguồn khuyến công quốc gia do cán bộ tài chính của Cục (Bộ Công "
            "Thương) ghi."
        )
    else:
        reason = _(
            "Chứng từ giải ngân nguồn khuyến công địa phương do Sở Công Thương của tỉnh có đề án "
            "ghi."
        )
    return Decision(False, reason)
