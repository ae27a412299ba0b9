import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from core.money import format_billions, format_number, format_rate, format_vnd, rate


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (178, 179, Decimal("99.44")),
        (135_250_000_000, 140_000_000_000, Decimal("96.61")),
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),
        (1, 8, Decimal("12.50")),
        (1, 200, Decimal("0.50")),
        (0, 5, Decimal("0.00")),
    ],
)
def test_rates_are_exact_and_rounded_half_up(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected


def test_zero_denominator_has_no_rate():
    assert rate(0, 0) is None
    assert format_rate(None) == "—"


def test_vietnamese_number_writing():
    assert format_vnd(135_250_000_000) == "135.250.000.000 đồng"
    assert format_billions(135_250_000_000) == "135,25 tỷ đồng"
    assert format_billions(25_550_000_000) == "25,55 tỷ đồng"
    assert format_rate(Decimal("96.61")) == "96,61%"
    assert format_number(Decimal("-1234567")) == "-1.234.567"
    assert format_number(999) == "999"


def test_template_filters():
    rendered = Template("{% load vn %}{{ a|vnd }} | {{ a|ty }} | {{ r|pct }}").render(
        Context({"a": 140_000_000_000, "r": Decimal("99.44")})
    )
    assert rendered == "140.000.000.000 đồng | 140,00 tỷ đồng | 99,44%"


def test_django_formats_follow_vietnamese_conventions():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2019, 12, 31), "SHORT_DATE_FORMAT") == (
            "31/12/2019"
        )
        assert formats.number_format(135250000000, force_grouping=True) == "135.250.000.000"
        assert formats.number_format(Decimal("96.61"), 2) == "96,61"
        # Day first: 05/03/2026 is the 5th of March, not the 3rd of May.
        assert forms.DateField().clean("05/03/2026") == datetime.date(2026, 3, 5)
