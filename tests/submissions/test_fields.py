"""The Vietnamese input fields of core/forms.py."""

import datetime
from decimal import Decimal

import pytest
from django import forms

from core.forms import VNDateField, VNDField


def errors_of(field: forms.Field, value) -> list[str]:
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(value)
    return caught.value.messages


@pytest.mark.parametrize(
    "typed",
    [
        "1.250.000.000",
        "1 250 000 000",
        "1250000000",
        "1.250.000.000 đồng",
        "1.250.000.000đ",
        "1 250 000 000 VNĐ",
        "  1.250.000.000  ",
        "1\u00a0250\u00a0000\u00a0000",
    ],
)
def test_vnd_field_reads_the_ways_officials_write_an_amount(typed):
    assert VNDField().clean(typed) == Decimal(1_250_000_000)


def test_vnd_field_reads_zero_and_small_amounts():
    assert VNDField().clean("0") == 0
    assert VNDField().clean("950") == 950
    assert VNDField().clean("12.000") == 12_000


def test_vnd_field_refuses_a_unit_other_than_dong_with_the_example():
    assert errors_of(VNDField(), "1,5 tỷ") == [
        "'1,5 tỷ' không phải số tiền hợp lệ: nhập số đồng, ví dụ 1.250.000.000."
    ]


@pytest.mark.parametrize("typed", ["1,5", "1.5", "2500000,50", "1.250.000,5"])
def test_vnd_field_refuses_fractions(typed):
    [message] = errors_of(VNDField(), typed)
    assert message.startswith(f"'{typed}' không phải số tiền hợp lệ")
    assert "phần lẻ" in message


@pytest.mark.parametrize("typed", ["-1.000.000", "- 500", "−2000"])
def test_vnd_field_refuses_negative_amounts(typed):
    [message] = errors_of(VNDField(), typed)
    assert "không được âm" in message


@pytest.mark.parametrize("typed", ["abc", "12a", "một tỷ", "1e9", "$100"])
def test_vnd_field_refuses_letters(typed):
    [message] = errors_of(VNDField(), typed)
    assert message == f"'{typed}' không phải số tiền hợp lệ: nhập số đồng, ví dụ 1.250.000.000."


@pytest.mark.parametrize("typed", ["1.25.000", "12.50.000.000", "1 25 000"])
def test_vnd_field_refuses_misplaced_separators(typed):
    [message] = errors_of(VNDField(), typed)
    assert "từng nhóm 3 chữ số" in message


def test_vnd_field_limits():
    assert "quá lớn" in errors_of(VNDField(), "1" + "0" * 18)[0]
    assert errors_of(VNDField(max_value=1_000), "2.000") == [
        "Số tiền không được vượt quá 1.000 đồng."
    ]
    assert errors_of(VNDField(), "") == ["Trường này là bắt buộc."]
    assert VNDField(required=False).clean("") is None


def test_vnd_field_shows_an_amount_grouped():
    class AmountForm(forms.Form):
        amount = VNDField()

    html = str(AmountForm(initial={"amount": Decimal(1_250_000_000)})["amount"])
    assert 'value="1.250.000.000"' in html
    assert 'inputmode="numeric"' in html
    # What the user typed is shown back as typed, with the error.
    bound = AmountForm({"amount": "1,5 tỷ"})
    assert not bound.is_valid()
    assert 'value="1,5 tỷ"' in str(bound["amount"])


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31/12/2026", datetime.date(2026, 12, 31)),
        ("01/07/2025", datetime.date(2025, 7, 1)),
        ("1/7/2025", datetime.date(2025, 7, 1)),
        ("05/03/2026", datetime.date(2026, 3, 5)),  # 5 March, never 3 May
        (" 29/02/2028 ", datetime.date(2028, 2, 29)),
    ],
)
def test_date_field_reads_day_first(typed, day):
    assert VNDateField().clean(typed) == day


@pytest.mark.parametrize("typed", ["2026-12-31", "31-12-2026", "31.12.2026", "31/12/26", "hôm nay"])
def test_date_field_refuses_other_ways_of_writing_a_date(typed):
    assert errors_of(VNDateField(), typed) == [
        f"'{typed.strip()}' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2026."
    ]


def test_date_field_names_a_month_or_day_that_does_not_exist():
    assert "không có tháng 31" in errors_of(VNDateField(), "12/31/2026")[0]
    assert "tháng 2 năm 2026 không có ngày 30" in errors_of(VNDateField(), "30/02/2026")[0]


def test_date_field_shows_a_date_day_first():
    class DayForm(forms.Form):
        day = VNDateField()

    html = str(DayForm(initial={"day": datetime.date(2026, 12, 31)})["day"])
    assert 'value="31/12/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
