"""Finding a province by the name a person typed."""

from django.utils.translation import gettext as _

from core.sheets import CellError, text
from core.text import fold_province_name
from provinces.models import Province, ProvinceMap


class ProvinceIndex:
    """Every province, old map and new, by folded name: one query for the whole file. An old
    name finds its old unit; a name only on the new map finds the new unit."""

    def __init__(self):
        self.by_name: dict[str, Province] = {}
        rows = Province.objects.select_related("successor").order_by("map_version")
        for province in sorted(rows, key=lambda p: p.map_version != ProvinceMap.OLD_63):
            self.by_name.setdefault(fold_province_name(province.name), province)

    def resolve(self, value) -> Province:
        raw = text(value)
        province = self.by_name.get(fold_province_name(raw)) if raw else None
        if province is None:
            raise CellError(_("không có tỉnh, thành phố nào tên '%(value)s'") % {"value": raw})
        return province
