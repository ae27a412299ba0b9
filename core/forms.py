"""Form fields for input as Vietnamese officials write it: amounts in whole đồng grouped with
dots ("1.250.000.000"), dates day first ("31/12/2026"). Each refusal says what is wrong with
the value typed and shows how to write it."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import format_number

# Spaces people type or paste between groups of digits: plain, no-break and narrow no-break.
_SPACES = re.compile(r"[ \u00a0\u202f]+")
# What may follow the number: the currency, written out or abbreviated.
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
_PLAIN = re.compile(r"^\d+$")
_DOT_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_SPACE_GROUPED = re.compile(r"^\d{1,3}( \d{3})+$")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

MAX_DIGITS = 18


class VNDField(forms.Field):
    """An amount in whole đồng: "1.250.000.000", "1 250 000 000", "1250000000" and
    "1.250.000.000 đồng" are all 1250000000. Negative amounts, fractions ("1,5"), units other
    than đồng ("1,5 tỷ") and misplaced separators are refused. Cleans to a Decimal with no
    places; shows a bound amount grouped with dots."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("'%(value)s' không phải số tiền hợp lệ: nhập số đồng, ví dụ 1.250.000.000."),
        "negative": _("'%(value)s' không phải số tiền hợp lệ: số tiền không được âm."),
        "fraction": _(
            "'%(value)s' không phải số tiền hợp lệ: tiền đồng không có phần lẻ, nhập số "
            "nguyên đồng, ví dụ 1.250.000.000."
        ),
        "grouping": _(
            "'%(value)s' không phải số tiền hợp lệ: dấu chấm chỉ dùng để tách từng nhóm 3 chữ "
            "số, ví dụ 1.250.000.000."
        ),
        "max_digits": _("Số tiền '%(value)s' quá lớn: tối đa %(max)s chữ số."),
        "min_value": _("Số tiền phải từ %(limit)s đồng trở lên."),
        "max_value": _("Số tiền không được vượt quá %(limit)s đồng."),
    }

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "class": "money"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, int | Decimal):
            return format_number(value)
        return value

    def to_python(self, value) -> Decimal | None:
        if isinstance(value, int | Decimal):
            return Decimal(value)
        text = (value or "").strip()
        if text in self.empty_values:
            return None
        params = {"value": text}
        number = _CURRENCY.sub("", text).strip()
        number = _SPACES.sub(" ", number)
        if number.startswith(("-", "−")) and re.match(r"^[-−]\s*[\d.,\s]+$", number):
            raise forms.ValidationError(
                self.error_messages["negative"], code="negative", params=params
            )
        if not re.match(r"^[\d., ]+$", number):
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params=params
            )
        if "," in number:
            raise forms.ValidationError(
                self.error_messages["fraction"], code="fraction", params=params
            )
        if _PLAIN.match(number):
            digits = number
        elif _DOT_GROUPED.match(number) or _SPACE_GROUPED.match(number):
            digits = number.replace(".", "").replace(" ", "")
        elif "." in number and " " not in number and re.match(r"^\d+\.\d{1,2}$", number):
            # "1.5", "2500.50": an English decimal point, a fraction of a đồng.
            raise forms.ValidationError(
                self.error_messages["fraction"], code="fraction", params=params
            )
        else:
            raise forms.ValidationError(
                self.error_messages["grouping"], code="grouping", params=params
            )
        digits = digits.lstrip("0") or "0"
        if len(digits) > MAX_DIGITS:
            raise forms.ValidationError(
                self.error_messages["max_digits"],
                code="max_digits",
                params={**params, "max": MAX_DIGITS},
            )
        return Decimal(digits)

    def validate(self, value) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": format_number(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": format_number(self.max_value)},
            )


class VNDateField(forms.Field):
    """A date written day first, dd/mm/yyyy ("31/12/2026", "1/7/2025"), and only so: the
    US order and ISO dates are refused rather than guessed."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("'%(value)s' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2026."),
        "no_such_day": _(
            "'%(value)s' không phải ngày hợp lệ: tháng %(month)s năm %(year)s không có ngày "
            "%(day)s (viết ngày/tháng/năm, ví dụ 31/12/2026)."
        ),
        "no_such_month": _(
            "'%(value)s' không phải ngày hợp lệ: không có tháng %(month)s (viết ngày/tháng/năm, "
            "ví dụ 31/12/2026)."
        ),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})
        attrs["class"] = "date"
        return attrs

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return value

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = (value or "").strip()
        if text in self.empty_values:
            return None
        match = _DAY_FIRST.match(text)
        if not match:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            )
        day, month, year = (int(part) for part in match.groups())
        params = {"value": text, "day": day, "month": month, "year": year}
        if not 1 <= month <= 12:
            raise forms.ValidationError(
                self.error_messages["no_such_month"], code="no_such_month", params=params
            )
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise forms.ValidationError(
                self.error_messages["no_such_day"], code="no_such_day", params=params
            ) from error
