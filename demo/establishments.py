"""Beneficiary establishments (cơ sở công nghiệp nông thôn) with valid registration codes:
tax codes with their check digit for enterprises and cooperatives, district registration
numbers for household businesses and cooperative groups. A scheme's beneficiaries are in its
province; an establishment is supported by a few schemes over the years."""

from demo.names import (
    COMMUNES,
    DISTRICTS,
    ENTERPRISE_WORDS,
    PRODUCTS,
    VILLAGES,
    full_name,
)
from establishments.models import Establishment
from establishments.validators import tax_code_is_valid, validate_registration_number
from provinces.models import Province, ProvinceMap
from reference.models import Sector

# Circular 105/2020/TT-BTC: the tenth digit checks the first nine with these weights.
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
# Old provinces of the northern mountains and the Central Highlands.
UPLAND = frozenset(
    {"02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "20", "62", "64", "66", "67"}
)
Form = Establishment.LegalForm
PER_PROVINCE = 10  # known establishments of a province before all support goes to known ones


def tax_code(rng, taken: set[str]) -> str:
    """A fresh 10-digit tax code: check = 10 − (Σ weight × digit mod 11); 10 is never issued."""
    while True:
        body = f"{rng.randint(1, 99):02d}{rng.randint(0, 9_999_999):07d}"
        check = 10 - sum(w * int(d) for w, d in zip(TAX_WEIGHTS, body, strict=True)) % 11
        code = f"{body}{check}"
        if check < 10 and code not in taken:
            taken.add(code)
            return code


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


class EstablishmentPool:
    def __init__(self, rng, taken: set[str]) -> None:
        self.rng = rng
        self.taken = taken
        self.created: list[Establishment] = []
        self._by_unit: dict[int, list[Establishment]] = {}
        self._serial = 0
        self.product_of: dict[int, str] = {}

    def pick(
        self,
        province: Province,
        sectors: list[Sector],
        count: int,
        product: str,
        strict: bool = False,
    ) -> list[Establishment]:
        """`count` establishments of the province (on the 34-unit map: of any old unit merged
        into it) in one of `sectors`; known ones are usually supported again, always once the
        province has enough of them. A new one is in the first sector and, if it comes first,
        makes `product`; with `strict`, a known first one must make it too."""
        rng = self.rng
        unit = province.successor_id or province.pk
        local = [
            e
            for e in self._by_unit.get(unit, [])
            if province.map_version == ProvinceMap.NEW_34 or e.province_id == province.pk
        ]
        allowed = {sector.pk for sector in sectors}
        known = [e for e in local if e.sector_id in allowed]
        chosen: list[Establishment] = []
        for position in range(count):
            spare = [e for e in known if e not in chosen]
            if strict and position == 0:
                spare = [e for e in spare if self.product_of[id(e)] == product]
            if spare and (len(local) >= PER_PROVINCE or rng.random() < 0.8):
                chosen.append(rng.choice(spare))
            else:
                made = product if position == 0 else rng.choice(PRODUCTS[sectors[0].code])
                chosen.append(self._new(province, sectors[0], made))
        return chosen

    def _registration_number(self, province: Province, group: bool) -> str:
        while True:
            self._serial += 1
            if group:
                code = f"{province.code}THT{self._serial:05d}"
            else:
                code = f"{province.code}{self.rng.choice('ABCDEGH')}8{self._serial:06d}"
            if code not in self.taken:
                self.taken.add(code)
                return code

    def _new(self, province: Province, sector: Sector, product: str) -> Establishment:
        rng = self.rng
        form = rng.choices(
            [Form.ENTERPRISE, Form.COOPERATIVE, Form.HOUSEHOLD, Form.COOPERATIVE_GROUP],
            [35, 20, 35, 10],
        )[0]
        commune = rng.choice(COMMUNES)
        village = rng.choice(VILLAGES)
        owner = full_name(rng)
        if form == Form.ENTERPRISE:
            kind = rng.choice(["Công ty TNHH", "Công ty Cổ phần"])
            name = f"{kind} {_capital(product)} {rng.choice(ENTERPRISE_WORDS)}"
            code = tax_code(rng, self.taken)
        elif form == Form.COOPERATIVE:
            name = f"Hợp tác xã {product} {commune}"
            code = tax_code(rng, self.taken)
        elif form == Form.HOUSEHOLD:
            name = f"Cơ sở sản xuất {product} {owner}"
            code = self._registration_number(province, group=False)
        else:
            name = f"Tổ hợp tác {product} {village}"
            code = self._registration_number(province, group=True)
        if form in Establishment.TAX_CODE_FORMS and not tax_code_is_valid(code):
            raise AssertionError(code)
        validate_registration_number(code)
        size = rng.choices(["micro", "small", "medium"], [60, 35, 5])[0]
        workers = {"micro": (3, 10), "small": (11, 100), "medium": (101, 200)}[size]
        district = DISTRICTS.get(province.code) if province.map_version == "63" else None
        address = f"{village}, xã {commune}"
        if district:
            address += f", huyện {rng.choice(district)}"
        establishment = Establishment(
            name=name,
            legal_form=form,
            registration_code=code,
            province=province,
            commune=f"xã {commune}",
            address=f"{address}, {province.name}",
            sector=sector,
            size=size,
            workers=rng.randint(*workers),
            owned_by_woman=rng.random() < 0.3,
            owned_by_ethnic_minority=rng.random() < (0.4 if province.code in UPLAND else 0.03),
            representative=owner,
            phone=f"0{rng.choice('3789')}{rng.randint(0, 99_999_999):08d}",
            is_public=rng.random() < 0.5,
        )
        self.created.append(establishment)
        self.product_of[id(establishment)] = product
        unit = province.successor_id or province.pk
        self._by_unit.setdefault(unit, []).append(establishment)
        return establishment
