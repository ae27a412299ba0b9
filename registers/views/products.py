"""Typical products: the register (signed-in users, scoped to what they may see), the public
catalogue of certified products, the counts per round and province, a product's page, its
registration by a province and its certification by the agency."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from establishments.models import Establishment
from provinces.models import Province, ProvinceMap
from registers import exports, listing
from registers.forms import (
    CertifyForm,
    ProductEditForm,
    ProductFileForm,
    ProductRegisterForm,
    RejectForm,
    WithdrawForm,
)
from registers.models import ProductFile, SelectionRound, TypicalProduct
from registers.models.products import LOWER_LEVEL
from registers.permissions import (
    is_agency,
    is_province_user,
    products_editable_by,
    products_visible_to,
)
from registers.selectors import product_counts
from registers.services import files as file_services
from registers.services import products as services
from registers.tables import PRODUCT_TONE, CatalogueTable, ProductTable
from registers.views.common import apply_refusal, export, table_context
from submissions.services.files import size_text


@login_required
@require_GET
def product_list(request):
    context = table_context(
        request,
        listing.product_filter(request.user, request.GET),
        ProductTable,
        section="products",
        export="registers:product-export",
    )
    context["may_register"] = is_province_user(request.user)
    context["may_import"] = is_agency(request.user) or is_province_user(request.user)
    return render(request, "registers/product_list.html", context)


@login_required
@require_GET
def product_export(request, file_format):
    return export(request, file_format, exports.product_source, table="products")


@require_GET
def catalogue(request):
    """Public: the products granted a certificate (valid or since expired; never withdrawn)."""
    context = table_context(
        request,
        listing.catalogue_filter(request.GET),
        CatalogueTable,
        section="catalogue",
        export="registers:catalogue-export",
    )
    return render(request, "registers/catalogue.html", context)


@require_GET
def catalogue_export(request, file_format):
    """Public and at once: the catalogue lists certificates granted, a few thousand at most."""
    return export(request, file_format, exports.catalogue_source, table=None)


@login_required
@require_GET
def product_counts_view(request):
    wanted = request.GET.get("map")
    map_version = wanted if wanted in ProvinceMap.values else ProvinceMap.NEW_34
    rows = product_counts(products_visible_to(request.user), map_version=map_version)
    rounds: dict[int, dict] = {}
    for row in rows:
        entry = rounds.setdefault(
            row.round_id,
            {"title": row.round_title, "year": row.year, "rows": [], "entered": 0, "certified": 0},
        )
        entry["rows"].append(row)
        entry["entered"] += row.entered
        entry["certified"] += row.certified
    context = {
        "rounds": list(rounds.values()),
        "map_version": map_version,
        "maps": ProvinceMap.choices,
        "section": "counts",
    }
    return render(request, "registers/product_counts.html", context)


def _visible_product(request, pk) -> TypicalProduct:
    return get_object_or_404(
        products_visible_to(request.user).select_related(
            "round__province",
            "round__region",
            "producer__province__successor",
            "parent__round",
            "registered_by",
        ),
        pk=pk,
    )


def _render_detail(request, product, *, status=200, **forms):
    context = {
        "product": product,
        "tone": PRODUCT_TONE[product.status],
        "files": product.files.select_related("uploaded_by"),
        "entries_above": product.entries_above.select_related("round"),
        "may_edit": products_editable_by(request.user).filter(pk=product.pk).exists(),
        "may_certify": is_agency(request.user)
        and product.status == TypicalProduct.Status.REGISTERED,
        "may_withdraw": is_agency(request.user)
        and product.status == TypicalProduct.Status.CERTIFIED,
        "may_add_files": file_services.may_add_files(request.user, product),
        "file_form": forms.get("file_form") or ProductFileForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "limit": size_text(settings.ATTACHMENT_MAX_BYTES),
        "section": "products",
    }
    return render(request, "registers/product_detail.html", context, status=status)


@login_required
@require_GET
def product_detail(request, pk):
    return _render_detail(request, _visible_product(request, pk))


def _register_choices(user, today):
    unit = user.province_id
    rounds = (
        SelectionRound.objects.filter(year__gte=today.year - 1)
        .filter(
            Q(level="province", province__successor_id=unit)
            | Q(level="region", region__in=_regions_of(user))
            | Q(level="national")
        )
        .select_related("province", "region")
        .order_by("-year", "level")
    )
    producers = Establishment.objects.filter(province__successor_id=unit).select_related("province")
    parents = (
        TypicalProduct.objects.valid_on(today)
        .filter(producer__province__successor_id=unit, round__level__in=list(LOWER_LEVEL.values()))
        .select_related("round")
    )
    return rounds, producers, parents


def _regions_of(user):
    return Province.objects.filter(successor_id=user.province_id).values("region")


@login_required
@require_http_methods(["GET", "POST"])
def product_register(request):
    if not is_province_user(request.user):
        raise PermissionDenied(_("Cán bộ tỉnh đăng ký sản phẩm của tỉnh mình dự bình chọn."))
    today = timezone.localdate()
    rounds, producers, parents = _register_choices(request.user, today)
    form = ProductRegisterForm(
        request.POST or None, rounds=rounds, producers=producers, parents=parents
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = services.product_register(
                by=request.user,
                selection_round=data["selection_round"],
                producer=data["producer"],
                name=data["name"],
                group=data["group"],
                is_set=data["is_set"],
                description=data["description"],
                parent=data["parent"],
                on=today,
            )
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(
                request, _("Đã đăng ký “%(name)s” dự bình chọn.") % {"name": product.name}
            )
            return redirect(product)
    status = 400 if form.errors else 200
    return render(
        request,
        "registers/product_form.html",
        {"form": form, "product": None, "section": "products"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    if not is_province_user(request.user):
        raise PermissionDenied(_("Tỉnh đăng ký sản phẩm mới sửa được đăng ký."))
    product = get_object_or_404(
        products_editable_by(request.user).select_related("round", "producer"), pk=pk
    )
    initial = {
        "name": product.name,
        "is_set": product.is_set,
        "group": product.group,
        "description": product.description,
    }
    form = ProductEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(product=product, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(request, _("Đã lưu đăng ký “%(name)s”.") % {"name": product.name})
            return redirect(product)
    status = 400 if form.errors else 200
    return render(
        request,
        "registers/product_form.html",
        {"form": form, "product": product, "section": "products"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_certify(request, pk):
    if not is_agency(request.user):
        raise PermissionDenied(_("Chỉ Cục (Bộ Công Thương) công nhận sản phẩm."))
    product = _visible_product(request, pk)
    certify_form = CertifyForm(request.POST if "certify" in request.POST else None)
    reject_form = RejectForm(request.POST if "reject" in request.POST else None, prefix="reject")
    if request.method == "POST":
        try:
            if "certify" in request.POST and certify_form.is_valid():
                data = certify_form.cleaned_data
                services.product_certify(
                    product=product,
                    by=request.user,
                    score=data["score"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    certificate_number=data["certificate_number"],
                    certificate_date=data["certificate_date"],
                    award_paid=data["award_paid"] or 0,
                )
                messages.success(
                    request, _("Đã cấp giấy chứng nhận cho “%(name)s”.") % {"name": product.name}
                )
                return redirect(product)
            if "reject" in request.POST and reject_form.is_valid():
                services.product_reject(
                    product=product,
                    by=request.user,
                    score=reject_form.cleaned_data["score"],
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(
                    request, _("Đã ghi kết quả không đạt cho “%(name)s”.") % {"name": product.name}
                )
                return redirect(product)
        except ValidationError as error:
            apply_refusal(error, certify_form if "certify" in request.POST else reject_form)
    context = {
        "product": product,
        "certify_form": certify_form,
        "reject_form": reject_form,
        "section": "products",
    }
    status = 400 if certify_form.errors or reject_form.errors else 200
    return render(request, "registers/product_certify.html", context, status=status)


@login_required
@require_POST
def product_withdraw(request, pk):
    if not is_agency(request.user):
        raise PermissionDenied(_("Chỉ Cục (Bộ Công Thương) thu hồi giấy chứng nhận."))
    product = _visible_product(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.product_withdraw(
                product=product, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(
                request, _("Đã thu hồi giấy chứng nhận của “%(name)s”.") % {"name": product.name}
            )
            return redirect(product)
    return _render_detail(request, product, status=400, withdraw_form=form)


@login_required
@require_POST
def product_file_add(request, pk):
    product = _visible_product(request, pk)
    form = ProductFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            record = file_services.product_file_add(
                product=product,
                by=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
            )
        except ValidationError as error:
            apply_refusal(error, form)
        else:
            messages.success(request, _("Đã thêm tệp “%(name)s”.") % {"name": record.original_name})
            return redirect(product)
    return _render_detail(request, product, status=400, file_form=form)


@login_required
@require_GET
def product_file_download(request, pk, file_pk):
    product = get_object_or_404(products_visible_to(request.user), pk=pk)
    record = get_object_or_404(ProductFile, product=product, pk=file_pk)
    try:
        stream = file_services.product_file_open(record)
    except FileNotFoundError as error:
        raise Http404(_("Tệp không còn trên máy chủ.")) from error
    response = FileResponse(
        stream,
        as_attachment=record.kind != ProductFile.Kind.PHOTO,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
