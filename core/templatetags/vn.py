"""Template filters that write money, rates and ratios as Vietnamese officials do."""

from django import template

from core import money

register = template.Library()


@register.filter
def vnd(value):
    return "" if value is None else money.format_vnd(value)


@register.filter
def ty(value):
    return "" if value is None else money.format_billions(value)


@register.filter
def pct(value):
    return money.format_rate(value)
