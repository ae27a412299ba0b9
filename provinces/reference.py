"""The 63 + 34 provincial units and the three khuyến công regions, from the shipped CSV
(GSO codes; old -> new mapping of Resolution 202/2025/QH15; regions of TT 26/2014 art. 3)."""

import csv
import datetime
from pathlib import Path

from django.db import transaction

from core.text import fold_province_name
from core.upsert import upsert
from provinces.models import REFORM_DATE, Province, ProvinceMap, Region

CSV_PATH = Path(__file__).parent / "data" / "provinces.csv"
OLD_MAP_LAST_DAY = REFORM_DATE - datetime.timedelta(days=1)

REGIONS = [
    ("north", "Miền Bắc", "North", 1),
    ("centre", "Miền Trung và Tây Nguyên", "Centre and Central Highlands", 2),
    ("south", "Miền Nam", "South", 3),
]
_REGION_OF = {"North": "north", "Centre": "centre", "South": "south"}


def _kind(name: str) -> str:
    return Province.Kind.CITY if name.startswith("Thành phố") else Province.Kind.PROVINCE


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def read_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_provinces() -> tuple[int, int]:
    """Create or update the regions and both maps; returns (old units, new units)."""
    regions = {}
    for code, name, name_en, order in REGIONS:
        regions[code] = upsert(
            Region, code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )

    rows = read_rows()
    new_units: dict[str, dict] = {}
    for row in rows:
        unit = new_units.setdefault(row["new_code"], {"name": row["new_name"], "regions": set()})
        unit["regions"].add(_REGION_OF[row["region"]])
    old_region = {row["old_code"]: _REGION_OF[row["region"]] for row in rows}

    new_by_code = {}
    for code, unit in new_units.items():
        spans = len(unit["regions"]) > 1
        # A unit spanning two regions is counted in the region of the old unit whose code it kept.
        region = old_region[code] if spans else next(iter(unit["regions"]))
        new_by_code[code] = upsert(
            Province,
            map_version=ProvinceMap.NEW_34,
            code=code,
            defaults={
                "name": unit["name"],
                "short_name": _short(unit["name"]),
                "kind": _kind(unit["name"]),
                "valid_from": REFORM_DATE,
                "valid_to": None,
                "region": regions[region],
                "spans_regions": spans,
            },
        )
    for province in new_by_code.values():
        if province.successor_id != province.pk:
            province.successor = province
            province.save(update_fields=["successor"])

    for row in rows:
        upsert(
            Province,
            map_version=ProvinceMap.OLD_63,
            code=row["old_code"],
            defaults={
                "name": row["old_name"],
                "short_name": _short(row["old_name"]),
                "kind": _kind(row["old_name"]),
                "valid_from": None,
                "valid_to": OLD_MAP_LAST_DAY,
                "region": regions[_REGION_OF[row["region"]]],
                "spans_regions": False,
                "successor": new_by_code[row["new_code"]],
            },
        )
    return len(rows), len(new_by_code)


def resolve_province(code_or_name: str, on: datetime.date) -> Province | None:
    """The unit a record dated `on` refers to, by GSO code or by name (with or without
    diacritics or the "Tỉnh"/"Thành phố" prefix). Codes are read on the map in force that day."""
    from provinces.models import map_on

    candidates = Province.objects.on_map(map_on(on))
    text = code_or_name.strip()
    if text.isdigit():
        return candidates.filter(code=text.zfill(2)).first()
    wanted = fold_province_name(text)
    for province in candidates:
        if fold_province_name(province.name) == wanted:
            return province
    return None
