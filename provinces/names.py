"""Finding a province by the name a person typed."""

import datetime

from django.utils.translation import gettext as _

from core.sheets import CellError, text
from core.text import fold_province_name
from provinces.models import REFORM_DATE, Province, ProvinceMap


class ProvinceIndex:
    """Every province, old map and new, by folded name: one query for the whole file.

    Without a date, an old name finds its old unit and a name only on the new map the new
    unit. With the record's date, the unit in office that day: before 01/07/2025 the old
    province (a name of the new map that was also an old province's is that old province),
    since then the new one (an old name leads to the unit it merged into)."""

    def __init__(self):
        self.by_name: dict[str, dict[str, Province]] = {}
        for province in Province.objects.select_related("successor"):
            units = self.by_name.setdefault(fold_province_name(province.name), {})
            units[province.map_version] = province

    def resolve(self, value, on: datetime.date | None = None) -> Province:
        raw = text(value)
        units = self.by_name.get(fold_province_name(raw)) if raw else None
        if not units:
            raise CellError(_("không có tỉnh, thành phố nào tên '%(value)s'") % {"value": raw})
        old, new = units.get(ProvinceMap.OLD_63), units.get(ProvinceMap.NEW_34)
        if on is None:
            return old or new
        if on >= REFORM_DATE:
            return new or old.successor
        if old is None:
            raise CellError(
                _(
                    "'%(value)s' là tỉnh, thành phố từ 01/07/2025; ngày %(day)s thuộc trước đó: "
                    "ghi tên tỉnh, thành phố cũ"
                )
                % {"value": raw, "day": on.strftime("%d/%m/%Y")}
            )
        return old
