"""Reads for the pages that show a scheme's adjustment requests: one query for the requests
(and one for the unit choices when the request form is shown), whatever their number."""

from dataclasses import dataclass, field

from accounts.models import User
from adjustments import services
from adjustments.forms import DecisionForm, RequestForm
from adjustments.models import AdjustmentRequest
from projects.models import Scheme
from projects.permissions import prepares

TONE = {
    AdjustmentRequest.Status.REQUESTED: "amber",
    AdjustmentRequest.Status.APPROVED: "green",
    AdjustmentRequest.Status.REFUSED: "red",
    AdjustmentRequest.Status.WITHDRAWN: "grey",
}


@dataclass
class Row:
    request: AdjustmentRequest
    tone: str
    changes: list[tuple[str, str, str]]
    decidable: bool = False
    withdrawable: bool = False


@dataclass
class Panel:
    scheme: Scheme
    rows: list[Row] = field(default_factory=list)
    form: RequestForm | None = None
    has_open: bool = False
    decision_form: DecisionForm | None = None


def scheme_requests(scheme: Scheme) -> list[AdjustmentRequest]:
    """The scheme's requests, newest first. Only a scheme that was in an approved plan can
    have any: for the others no query is made."""
    if scheme.status not in Scheme.IN_PLAN:
        return []
    return list(AdjustmentRequest.objects.filter(scheme=scheme).for_list())


def panel_for(user: User, scheme: Scheme, form: RequestForm | None = None) -> Panel:
    """What the portal shows of a scheme's requests, and what this user may do with them."""
    owner = prepares(user, scheme)
    panel = Panel(scheme=scheme)
    for request in scheme_requests(scheme):
        request.scheme = scheme
        decidable = request.is_open and not services.may_decide(user, request, scheme)
        panel.rows.append(
            Row(
                request=request,
                tone=TONE[request.status],
                changes=request.changes(),
                decidable=decidable,
                withdrawable=request.is_open and owner,
            )
        )
        panel.has_open = panel.has_open or request.is_open
        if decidable:
            panel.decision_form = DecisionForm()
    if services.may_request(user, scheme) and not panel.has_open:
        panel.form = form or RequestForm(user=user, scheme=scheme)
    return panel
