"""Industrial clusters and the planning dossiers provinces send the agency."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from projects.permissions import schemes_visible_to
from provinces.models import Province
from registers import exports, listing
from registers.forms import ClusterForm, DossierForm, DossierMoveForm
from registers.models import ClusterPlanDossier, IndustrialCluster
from registers.permissions import (
    clusters_editable_by,
    clusters_visible_to,
    dossiers_visible_to,
    is_agency,
    is_province_user,
)
from registers.selectors import cluster_schemes, schemes_for_clusters
from registers.services import clusters as services
from registers.tables import DOSSIER_TONE, ClusterTable, DossierTable
from registers.views.common import apply_refusal, export, require_editor, table_context


@login_required
@require_GET
def cluster_list(request):
    context = table_context(
        request,
        listing.cluster_filter(request.user, request.GET),
        ClusterTable,
        section="clusters",
        export="registers:cluster-export",
    )
    context["may_add"] = is_agency(request.user) or is_province_user(request.user)
    return render(request, "registers/cluster_list.html", context)


@login_required
@require_GET
def cluster_export(request, file_format):
    return export(request, file_format, exports.cluster_source, table="clusters")


@login_required
@require_GET
def cluster_detail(request, pk):
    cluster = get_object_or_404(
        clusters_visible_to(request.user).select_related("province__successor"), pk=pk
    )
    context = {
        "cluster": cluster,
        "schemes": cluster_schemes(cluster),
        "dossiers": cluster.plan_dossiers.select_related("province"),
        "may_edit": clusters_editable_by(request.user).filter(pk=cluster.pk).exists(),
        "section": "clusters",
    }
    return render(request, "registers/cluster_detail.html", context)


def _editable_provinces(user: User):
    if is_agency(user):
        return Province.objects.order_by("map_version", "name")
    return Province.objects.filter(successor_id=user.province_id).order_by("map_version", "name")


def _cluster_form(request, cluster: IndustrialCluster | None):
    form = ClusterForm(
        request.POST or None,
        instance=cluster,
        provinces=_editable_provinces(request.user),
        schemes=schemes_for_clusters(schemes_visible_to(request.user)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.cluster_save(
                cluster=form.save(commit=False),
                by=request.user,
                schemes=form.cleaned_data["schemes"],
            )
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(
                request, _("Đã lưu cụm công nghiệp “%(name)s”.") % {"name": saved.name}
            )
            return redirect(saved)
    status = 400 if form.errors else 200
    return render(
        request,
        "registers/cluster_form.html",
        {"form": form, "cluster": cluster, "section": "clusters"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_create(request):
    require_editor(request.user)
    return _cluster_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit(request, pk):
    require_editor(request.user)
    cluster = get_object_or_404(clusters_editable_by(request.user), pk=pk)
    return _cluster_form(request, cluster)


# -- Planning dossiers ---------------------------------------------------------------------------


@login_required
@require_GET
def dossier_list(request):
    context = table_context(
        request,
        listing.dossier_filter(request.user, request.GET),
        DossierTable,
        section="dossiers",
        export="registers:dossier-export",
    )
    context["may_add"] = is_agency(request.user) or is_province_user(request.user)
    return render(request, "registers/dossier_list.html", context)


@login_required
@require_GET
def dossier_export(request, file_format):
    return export(request, file_format, exports.dossier_source, table="dossiers")


def _visible_dossier(request, pk) -> ClusterPlanDossier:
    return get_object_or_404(
        dossiers_visible_to(request.user).select_related("province__successor", "submitted_by"),
        pk=pk,
    )


def _render_dossier(request, dossier, *, move_form=None, status=200):
    moves = services.allowed_moves(dossier, request.user)
    context = {
        "dossier": dossier,
        "tone": DOSSIER_TONE[dossier.status],
        "clusters": dossier.clusters.all(),
        "moves": [(to, ClusterPlanDossier.Status(to).label) for to in moves],
        "move_form": move_form or DossierMoveForm(initial={"on": timezone.localdate()}),
        "history": dossier.history.select_related("history_user").order_by("-history_date")[:20],
        "section": "dossiers",
    }
    return render(request, "registers/dossier_detail.html", context, status=status)


@login_required
@require_GET
def dossier_detail(request, pk):
    return _render_dossier(request, _visible_dossier(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def dossier_create(request):
    require_editor(request.user)
    provinces = _editable_provinces(request.user)
    form = DossierForm(
        request.POST or None,
        initial={"year": timezone.localdate().year, "submitted_on": timezone.localdate()},
        provinces=provinces,
        clusters=clusters_editable_by(request.user).select_related("province"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_submit(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(request, _("Đã gửi hồ sơ “%(title)s”.") % {"title": dossier.title})
            return redirect(dossier)
    status = 400 if form.errors else 200
    return render(
        request, "registers/dossier_form.html", {"form": form, "section": "dossiers"}, status=status
    )


@login_required
@require_POST
def dossier_move(request, pk):
    dossier = _visible_dossier(request, pk)
    if not services.allowed_moves(dossier, request.user):
        raise PermissionDenied(_("Bạn không chuyển được hồ sơ này ở trạng thái hiện tại."))
    form = DossierMoveForm(request.POST)
    if form.is_valid():
        try:
            moved = services.dossier_move(
                dossier=dossier,
                by=request.user,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
                opinion=form.cleaned_data["opinion"],
            )
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(
                request,
                _("Hồ sơ “%(title)s”: %(status)s.")
                % {"title": moved.title, "status": moved.get_status_display()},
            )
            return redirect(moved)
    return _render_dossier(request, dossier, move_form=form, status=400)
