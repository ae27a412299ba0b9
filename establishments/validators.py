import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Circular 105/2020/TT-BTC: the tenth digit of a tax code checks the first nine.
_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_CODE = re.compile(r"^(\d{10})(-\d{3})?$")
_REGISTRATION_NUMBER = re.compile(r"^[0-9A-Z][0-9A-Z./-]{5,19}$")


def tax_code_is_valid(value: str) -> bool:
    match = _TAX_CODE.match(value)
    if not match:
        return False
    digits = match.group(1)
    check = 10 - sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=False)) % 11
    return check < 10 and check == int(digits[9])


def validate_tax_code(value: str) -> None:
    if not tax_code_is_valid(value):
        raise ValidationError(
            _(
                "'%(value)s' không phải mã số thuế hợp lệ: cần 10 chữ số (hoặc 10 chữ số, dấu "
                "'-' và 3 chữ số của chi nhánh) với chữ số kiểm tra đúng."
            ),
            code="invalid_tax_code",
            params={"value": value},
        )


def validate_registration_number(value: str) -> None:
    """A household business or cooperative group may hold a district registration number
    instead of a tax code."""
    if tax_code_is_valid(value) or _REGISTRATION_NUMBER.match(value):
        return
    raise ValidationError(
        _("'%(value)s' không phải mã số thuế hay số đăng ký kinh doanh hợp lệ."),
        code="invalid_registration_number",
        params={"value": value},
    )
