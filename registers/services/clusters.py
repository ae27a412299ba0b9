"""Industrial clusters and their planning dossiers."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects.models import Scheme
from provinces.models import Province
from registers.models import ClusterPlanDossier, IndustrialCluster
from registers.permissions import is_agency, is_province_user
from registers.services.common import day, save_as

D = ClusterPlanDossier.Status

# from -> {to: who may move it}
DOSSIER_TRANSITIONS = {
    D.SUBMITTED: {D.RECEIVED: "agency"},
    D.RECEIVED: {D.APPRAISED: "agency", D.RETURNED: "agency"},
    D.APPRAISED: {D.AGREED: "agency", D.RETURNED: "agency"},
    D.RETURNED: {D.SUBMITTED: "province"},
}
# The date field each move sets.
DOSSIER_DATES = {
    D.RECEIVED: "received_on",
    D.APPRAISED: "appraised_on",
    D.AGREED: "decided_on",
    D.RETURNED: "decided_on",
    D.SUBMITTED: "submitted_on",
}


def _require_own_province(by: User, province: Province) -> None:
    if is_agency(by):
        return
    if not is_province_user(by):
        raise PermissionDenied(_("Chỉ cán bộ tỉnh hoặc Cục cập nhật sổ cụm công nghiệp."))
    if province.successor_id != by.province_id:
        raise ValidationError(
            {"province": _("%(province)s không phải tỉnh của bạn.") % {"province": province.name}}
        )


def _check_schemes(cluster: IndustrialCluster, schemes: Iterable[Scheme]) -> list[Scheme]:
    chosen = list(schemes)
    for scheme in chosen:
        if scheme.province.successor_id != cluster.province.successor_id:
            raise ValidationError(
                {
                    "schemes": _(
                        "Đề án %(code)s thuộc %(province)s, không phải tỉnh của cụm công "
                        "nghiệp “%(cluster)s”."
                    )
                    % {
                        "code": scheme.code,
                        "province": scheme.province.name,
                        "cluster": cluster.name,
                    }
                }
            )
    return chosen


@transaction.atomic
def cluster_save(
    *, cluster: IndustrialCluster, by: User, schemes: Iterable[Scheme] | None = None
) -> IndustrialCluster:
    """Create or change a cluster, and set the schemes that supported it (same province)."""
    if cluster.pk is not None:
        before = (
            IndustrialCluster.objects.select_for_update()
            .select_related("province")
            .get(pk=cluster.pk)
        )
        _require_own_province(by, before.province)
    _require_own_province(by, cluster.province)
    chosen = _check_schemes(cluster, schemes) if schemes is not None else None
    save_as(cluster, by)
    if chosen is not None:
        cluster.schemes.set(chosen)
    return cluster


@transaction.atomic
def dossier_submit(
    *,
    by: User,
    province: Province,
    year: int,
    title: str,
    submitted_on: datetime.date,
    clusters: Iterable[IndustrialCluster] = (),
) -> ClusterPlanDossier:
    _require_own_province(by, province)
    chosen = list(clusters)
    for cluster in chosen:
        if cluster.province.successor_id != province.successor_id:
            raise ValidationError(
                {
                    "clusters": _("Cụm công nghiệp “%(cluster)s” không thuộc %(province)s.")
                    % {"cluster": cluster.name, "province": province.name}
                }
            )
    dossier = ClusterPlanDossier(
        province=province,
        year=year,
        title=title.strip(),
        submitted_on=submitted_on,
        submitted_by=by,
    )
    save_as(dossier, by)
    dossier.clusters.set(chosen)
    return dossier


def allowed_moves(dossier: ClusterPlanDossier, user: User) -> list[str]:
    moves = []
    for to, who in DOSSIER_TRANSITIONS.get(dossier.status, {}).items():
        if (who == "agency" and is_agency(user)) or (
            who == "province"
            and is_province_user(user)
            and dossier.province.successor_id == user.province_id
        ):
            moves.append(to)
    return moves


@transaction.atomic
def dossier_move(
    *,
    dossier: ClusterPlanDossier,
    by: User,
    to: str,
    on: datetime.date,
    opinion: str = "",
) -> ClusterPlanDossier:
    """Receive, appraise, agree or return a dossier (the agency), or send a returned one again
    (its province). Each move is dated; a return says why."""
    dossier = (
        ClusterPlanDossier.objects.select_for_update().select_related("province").get(pk=dossier.pk)
    )
    if to not in allowed_moves(dossier, by):
        raise ValidationError(
            _("Hồ sơ “%(title)s” đang ở trạng thái “%(status)s”: không chuyển sang “%(to)s” được.")
            % {
                "title": dossier.title,
                "status": D(dossier.status).label,
                "to": D(to).label if to in D.values else to,
            }
        )
    if to == D.RETURNED and not opinion.strip():
        raise ValidationError({"opinion": _("Trả lại hồ sơ phải nêu lý do.")})
    previous = max(
        (d for d in (dossier.submitted_on, dossier.received_on, dossier.appraised_on) if d),
        default=None,
    )
    if to != D.SUBMITTED and previous and on < previous:
        raise ValidationError(
            {
                "on": _("Ngày %(on)s trước bước trước đó (%(previous)s).")
                % {"on": day(on), "previous": day(previous)}
            }
        )
    if to == D.SUBMITTED:
        dossier.received_on = dossier.appraised_on = dossier.decided_on = None
    setattr(dossier, DOSSIER_DATES[to], on)
    if opinion.strip():
        dossier.agency_opinion = opinion.strip()
    dossier.status = to
    save_as(dossier, by)
    return dossier
