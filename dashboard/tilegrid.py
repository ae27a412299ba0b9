"""Where each province sits on the overview's tile-grid map: one tile per provincial unit, on a
grid of columns (west → east) and rows (north → south), for each of the two maps.

Why a tile grid and not a shaded map: no openly licensed boundary file of the 34 provincial
units formed on 01/07/2025 exists, and Plotly's geographic traces fetch their base maps from a
CDN, which this system (offline, strict CSP) must not call. Equal tiles placed roughly by
geography work offline, give a small province the same visual weight as a large one, and do
not pretend to a precision that the data does not have. The positions were set by hand from
the provinces' relative locations (dashboard/data/tilegrid.csv), not derived from boundary data.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "tilegrid.csv"


@dataclass(frozen=True)
class Tile:
    code: str
    col: int
    row: int
    label: str


@cache
def tiles(map_version: str) -> tuple[Tile, ...]:
    """The tiles of one map ("63" or "34"), north to south."""
    with DATA.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["map"] == map_version]
    return tuple(
        Tile(code=row["code"], col=int(row["col"]), row=int(row["row"]), label=row["label"])
        for row in sorted(rows, key=lambda row: (int(row["row"]), int(row["col"])))
    )
