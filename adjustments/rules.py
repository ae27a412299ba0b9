"""Who decides an adjustment (TT 36/2013/TT-BCT Art. 11), as a pure function of what is asked
for: the Minister (on the agency's proposal) for what raises the support, changes the content
area, runs into another year or stops the scheme; the agency for the changes within the year
that do not raise the support; the provincial Department (Sở Công Thương) for the place,
beneficiaries and coordinating units of a group scheme. The rule applied is kept with the
request (Basis), so that the page can say why this authority decides."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Role
from adjustments.models import Authority, Basis, ContentChange, Kind
from projects.models import Scheme

A = Authority


@dataclass(frozen=True)
class Ruling:
    authority: str
    basis: str


def authority_for(
    *,
    kind: str,
    scheme_kind: str,
    content_change: str = "",
    current_amount: Decimal | None = None,
    requested_amount: Decimal | None = None,
    current_end_date: datetime.date | None = None,
    requested_end_date: datetime.date | None = None,
) -> Ruling:
    if kind == Kind.STOP:
        return Ruling(A.MINISTER, Basis.STOP)
    if kind == Kind.AMOUNT:
        raised = (
            requested_amount is not None
            and current_amount is not None
            and requested_amount > current_amount
        )
        return Ruling(A.MINISTER, Basis.RAISE) if raised else Ruling(A.AGENCY, Basis.NO_RAISE)
    if kind == Kind.SCHEDULE:
        # Running past the fiscal year the scheme now ends in is an extension into next year.
        next_year = (
            requested_end_date is not None
            and current_end_date is not None
            and requested_end_date.year > current_end_date.year
        )
        if next_year:
            return Ruling(A.MINISTER, Basis.NEXT_YEAR)
        return Ruling(A.AGENCY, Basis.WITHIN_YEAR)
    if kind == Kind.CONTENT:
        if content_change == ContentChange.AREA:
            return Ruling(A.MINISTER, Basis.AREA)
        if content_change == ContentChange.PLACE:
            if scheme_kind == Scheme.Kind.GROUP:
                return Ruling(A.DEPARTMENT, Basis.GROUP_PLACE)
            return Ruling(A.AGENCY, Basis.PLACE)
        return Ruling(A.AGENCY, Basis.NO_RAISE)
    return Ruling(A.AGENCY, Basis.UNIT)


def deciding_role(authority: str) -> str:
    """The role that records the decision in the system: the ministry's leadership for the
    Minister's and the agency's decisions, the province's own staff for the Sở's."""
    return Role.PROVINCE if authority == Authority.DEPARTMENT else Role.APPROVER
