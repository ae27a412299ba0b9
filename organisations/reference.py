"""The bodies of the khuyến công system: the ministry's agency, the regional centre IPC1 (the only
one confirmed by the sources; IPC2/IPC3 are not) and each province's Sở Công Thương and
khuyến công centre, on both province maps."""

from django.db import transaction

from core.upsert import upsert
from organisations.models import Organisation
from provinces.models import Province, ProvinceMap

AGENCY_NAME = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
AGENCY_FORMER = "Cục Công nghiệp địa phương (đến 2017)\nCục Công Thương địa phương (2017–2025)"
IPC1_NAME = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp 1"


@transaction.atomic
def load_organisations() -> int:
    upsert(
        Organisation,
        kind=Organisation.Kind.AGENCY,
        name=AGENCY_NAME,
        defaults={"short_name": "Cục ĐMST-CĐX-KC", "former_names": AGENCY_FORMER},
    )
    ipc1 = upsert(
        Organisation,
        kind=Organisation.Kind.REGIONAL_CENTRE,
        name=IPC1_NAME,
        defaults={"short_name": "IPC1"},
    )
    north = Province.objects.filter(region__code="north")
    # IPC1 works with the 28 northern provinces, and with the new units they merged into.
    ipc1.covered_provinces.set(
        north.filter(map_version=ProvinceMap.OLD_63) | north.filter(map_version=ProvinceMap.NEW_34)
    )
    count = 2
    # A merged-away province's bodies were dissolved; a unit that kept its name kept its bodies,
    # which now belong to the new unit.
    bodies = list(Province.objects.filter(map_version=ProvinceMap.NEW_34))
    bodies += [
        old
        for old in Province.objects.filter(map_version=ProvinceMap.OLD_63).select_related(
            "successor"
        )
        if old.name != old.successor.name
    ]
    for province in bodies:
        of_province = province.name[0].lower() + province.name[1:]
        for kind, title in (
            (Organisation.Kind.DEPARTMENT, "Sở Công Thương"),
            (Organisation.Kind.PROVINCIAL_CENTRE, "Trung tâm Khuyến công"),
        ):
            upsert(
                Organisation,
                kind=kind,
                name=f"{title} {of_province}",
                defaults={"province": province, "is_active": province.valid_to is None},
            )
            count += 1
    return count
