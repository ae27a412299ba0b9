"""The reference rows the demo builds on, read once: provinces of both maps, regions, content
areas, sectors and the bodies of the khuyến công system."""

from organisations.models import Organisation
from provinces.models import Province
from reference.models import ContentArea, Sector

Kind = Organisation.Kind


class World:
    def __init__(self) -> None:
        self.provinces = list(Province.objects.select_related("region", "successor"))
        self._by_code = {(p.map_version, p.code): p for p in self.provinces}
        self.agency = Organisation.objects.get(kind=Kind.AGENCY)
        self.ipc1 = Organisation.objects.get(kind=Kind.REGIONAL_CENTRE, short_name="IPC1")
        self._bodies = {
            (o.kind, o.province_id): o
            for o in Organisation.objects.filter(kind__in=[Kind.DEPARTMENT, Kind.PROVINCIAL_CENTRE])
        }
        self.areas = {area.code: area for area in ContentArea.objects.all()}
        self.sectors = {sector.code: sector for sector in Sector.objects.all()}

    def province(self, map_version: str, code: str) -> Province:
        return self._by_code[(map_version, code)]

    def on_map(self, map_version: str, region: str | None = None) -> list[Province]:
        return [
            p
            for p in self.provinces
            if p.map_version == map_version and (region is None or p.region.code == region)
        ]

    def body(self, kind: str, province: Province) -> Organisation:
        """A province's Sở Công Thương or khuyến công centre. A unit that kept its name through
        the 2025 reform shares its bodies with the new unit."""
        found = self._bodies.get((kind, province.pk))
        return found or self._bodies[(kind, province.successor_id)]

    def department(self, province: Province) -> Organisation:
        return self.body(Kind.DEPARTMENT, province)

    def centre(self, province: Province) -> Organisation:
        return self.body(Kind.PROVINCIAL_CENTRE, province)
