import datetime
from decimal import Decimal

import pytest

from adjustments.models import Authority, Basis, ContentChange, Kind
from adjustments.rules import authority_for
from projects.models import Scheme

D = datetime.date
K = Scheme.Kind


@pytest.mark.parametrize(
    ("request_", "scheme_kind", "authority", "basis"),
    [
        ({"kind": Kind.STOP}, K.TARGETED, Authority.MINISTER, Basis.STOP),
        ({"kind": Kind.STOP}, K.GROUP, Authority.MINISTER, Basis.STOP),
        (
            {"kind": Kind.AMOUNT, "current_amount": Decimal(10), "requested_amount": Decimal(11)},
            K.PILOT,
            Authority.MINISTER,
            Basis.RAISE,
        ),
        (
            {"kind": Kind.AMOUNT, "current_amount": Decimal(10), "requested_amount": Decimal(9)},
            K.GROUP,
            Authority.AGENCY,
            Basis.NO_RAISE,
        ),
        (
            {
                "kind": Kind.SCHEDULE,
                "current_end_date": D(2019, 11, 30),
                "requested_end_date": D(2020, 3, 31),
            },
            K.TARGETED,
            Authority.MINISTER,
            Basis.NEXT_YEAR,
        ),
        (
            {
                "kind": Kind.SCHEDULE,
                "current_end_date": D(2019, 11, 30),
                "requested_end_date": D(2019, 12, 31),
            },
            K.GROUP,
            Authority.AGENCY,
            Basis.WITHIN_YEAR,
        ),
        (
            {"kind": Kind.CONTENT, "content_change": ContentChange.AREA},
            K.GROUP,
            Authority.MINISTER,
            Basis.AREA,
        ),
        (
            {"kind": Kind.CONTENT, "content_change": ContentChange.PLACE},
            K.GROUP,
            Authority.DEPARTMENT,
            Basis.GROUP_PLACE,
        ),
        (
            {"kind": Kind.CONTENT, "content_change": ContentChange.PLACE},
            K.TARGETED,
            Authority.AGENCY,
            Basis.PLACE,
        ),
        (
            {"kind": Kind.CONTENT, "content_change": ContentChange.OTHER},
            K.GROUP,
            Authority.AGENCY,
            Basis.NO_RAISE,
        ),
        ({"kind": Kind.UNIT}, K.GROUP, Authority.AGENCY, Basis.UNIT),
    ],
)
def test_who_decides_follows_article_11(request_, scheme_kind, authority, basis):
    ruling = authority_for(scheme_kind=scheme_kind, **request_)
    assert (ruling.authority, ruling.basis) == (authority, basis)
