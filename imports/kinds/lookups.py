"""Reference rows by what officials type for them, each index loaded in one query for the whole
file: content areas (by number in the list in force, code or name), sectors and
organisations (by code, name or short name, without diacritics)."""

import datetime
import re

from django.utils.translation import gettext as _

from core.sheets import CellError, text
from core.text import fold
from organisations.models import Organisation
from reference.models import ContentArea, Sector


class ContentAreaIndex:
    def __init__(self):
        self.areas = list(
            ContentArea.objects.select_related("content_list").order_by(
                "-content_list__valid_from", "number"
            )
        )
        self._memo: dict = {}

    def _in_force(self, year: int) -> list[ContentArea]:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return [
            area
            for area in self.areas
            if area.content_list.valid_from <= end
            and (area.content_list.valid_to is None or area.content_list.valid_to >= start)
        ]

    def resolve(self, value, year: int) -> list[ContentArea]:
        """One or more areas, separated by ";" or new lines, of the lists in force in `year`;
        a bare number is the area's number in the newest of them."""
        key = (str(value or ""), year)
        if key not in self._memo:
            try:
                self._memo[key] = self._resolve(value, year)
            except CellError as error:
                self._memo[key] = error
        found = self._memo[key]
        if isinstance(found, CellError):
            raise found
        return found

    def _resolve(self, value, year: int) -> list[ContentArea]:
        areas = self._in_force(year)
        newest = areas[0].content_list_id if areas else None
        found = []
        for part in re.split(r"[;\n]", str(value or "")):
            raw = text(part)
            if not raw:
                continue
            folded = fold(raw).rstrip(".")
            match = next(
                (
                    area
                    for area in areas
                    if (
                        folded.isdigit()
                        and area.content_list_id == newest
                        and area.number == int(folded)
                    )
                    or folded in (fold(area.code), fold(area.name), fold(area.short_name))
                ),
                None,
            )
            if match is None:
                raise CellError(
                    _(
                        "không có nội dung khuyến công '%(value)s' trong danh mục áp dụng "
                        "năm %(year)s"
                    )
                    % {"value": raw, "year": year}
                )
            if match not in found:
                found.append(match)
        if not found:
            raise CellError(_("không được để trống"))
        return found


class SectorIndex:
    def __init__(self):
        self.sectors = [
            (sector, {fold(sector.code), fold(sector.name), fold(sector.short_name)})
            for sector in Sector.objects.all()
        ]

    def resolve(self, value, on: datetime.date) -> Sector:
        raw = text(value)
        folded = fold(raw)
        for sector, names in self.sectors:
            if folded in names:
                if sector.valid_from > on or (sector.valid_to and sector.valid_to < on):
                    raise CellError(
                        _("ngành nghề '%(value)s' không áp dụng ngày %(day)s")
                        % {"value": raw, "day": on.strftime("%d/%m/%Y")}
                    )
                return sector
        raise CellError(_("không có ngành nghề '%(value)s' trong danh mục") % {"value": raw})


class OrganisationIndex:
    def __init__(self):
        self.by_name: dict[str, Organisation] = {}
        for organisation in Organisation.objects.select_related("province"):
            self.by_name.setdefault(fold(organisation.name), organisation)
            if organisation.short_name:
                self.by_name.setdefault(fold(organisation.short_name), organisation)

    def resolve(self, value) -> Organisation:
        raw = text(value)
        organisation = self.by_name.get(fold(raw))
        if organisation is None:
            raise CellError(_("không có cơ quan, đơn vị nào tên '%(value)s'") % {"value": raw})
        return organisation
