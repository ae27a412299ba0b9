"""How a ledger entry is written on a page: with the sign of its effect on the amount
disbursed (a refund takes money back, a counter-entry undoes its entry), and whether the user may
record against a scheme's contracts (budgets.permissions decides)."""

from django import template

from budgets.models import Disbursement
from budgets.permissions import ledger_scope
from core.money import format_number

register = template.Library()


def _effect(entry: Disbursement) -> str:
    effect = -entry.amount if entry.kind == Disbursement.Kind.REFUND else entry.amount
    sign = "−" if effect < 0 else ""
    return f"{sign}{format_number(abs(effect))}"


@register.filter
def effect_vnd(entry: Disbursement) -> str:
    """500.000.000 đồng for an advance, −200.000.000 đồng for a refund, and the opposite for
    their counter-entries."""
    return f"{_effect(entry)} đồng"


@register.filter
def effect_number(entry: Disbursement) -> str:
    """effect_vnd without the unit, for a column that names it once."""
    return _effect(entry)


@register.filter
def dong(value) -> str:
    """An amount without the unit: 850000000 -> "850.000.000"."""
    return "" if value is None else format_number(value)


@register.filter
def records_for(user, scheme) -> bool:
    """{% if user|records_for:scheme %}: may the user record against the scheme's contracts?"""
    return ledger_scope(user).allows(scheme)
