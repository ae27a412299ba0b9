"""The parameters of a report, checked like any other input; the scope is not among them (the
server sets it from the user)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import VNDateField
from provinces.models import ProvinceMap, map_on
from reports.models import ReportFund
from reports.periods import Period, period_end, period_start


class ReportRequestForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm kế hoạch"),
        min_value=2012,
        max_value=2100,
        error_messages={"min_value": _("Năm kế hoạch từ 2012 (Nghị định 45/2012/NĐ-CP).")},
    )
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=Period.choices, initial=Period.YEAR)
    fund = forms.ChoiceField(
        label=_("Nguồn kinh phí"), choices=ReportFund.choices, initial=ReportFund.NATIONAL
    )
    province_map = forms.ChoiceField(
        label=_("Bản đồ tỉnh"),
        choices=[("", _("Theo bản đồ có hiệu lực cuối năm")), *ProvinceMap.choices],
        required=False,
    )
    as_of = VNDateField(
        label=_("Số liệu tính đến ngày"),
        required=False,
        help_text=_("Để trống: ngày cuối kỳ báo cáo."),
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        year, period = cleaned.get("year"), cleaned.get("period")
        if not year or not period:
            return cleaned
        start, end = period_start(period, year), period_end(period, year)
        as_of = cleaned.get("as_of") or min(end, self.today)
        if as_of < start:
            self.add_error(
                "as_of",
                _("Ngày tính số liệu %(day)s ở trước kỳ báo cáo (kỳ bắt đầu %(start)s).")
                % {"day": as_of.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")},
            )
        elif as_of > self.today:
            self.add_error(
                "as_of",
                _("Ngày tính số liệu %(day)s chưa đến: chọn ngày đến hôm nay (%(today)s).")
                % {"day": as_of.strftime("%d/%m/%Y"), "today": self.today.strftime("%d/%m/%Y")},
            )
        cleaned["as_of"] = as_of
        cleaned["province_map"] = cleaned.get("province_map") or map_on(datetime.date(year, 12, 31))
        return cleaned
