"""The finance entry screens at /tai-chinh/: the contracts a user may record against, a
contract's ledger with the form that records an advance, a payment or a refund, and the reversal
of a mistaken entry.

Each view authorises (a contract whose scheme the user may not see answers 404; one the user
sees but may not record against, 403: budgets.permissions), reads its form, calls a service of
budgets/services.py and renders; a refusal of the service is shown on the field it concerns, or
above the form, and nothing is saved."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from budgets.entries import (
    contract_get_for_ledger,
    contract_list_for_entry,
    ledger_entries,
    ledger_figures,
)
from budgets.exports import contract_source
from budgets.forms import EntryForm, ReverseForm
from budgets.models import Contract, Disbursement
from budgets.permissions import can_record, ledger_scope
from budgets.services import contract_disbursed, disbursement_record, disbursement_reverse
from core.exports import FORMATS, export_response
from core.money import format_vnd

PER_PAGE = 30


def _contract_for_recording(request, pk: int) -> Contract:
    contract = contract_get_for_ledger(request.user, pk)
    decision = can_record(request.user, contract.allocation.scheme)
    if not decision:
        raise PermissionDenied(decision.reason)
    return contract


def _duplicate_voucher(error: ValidationError) -> bool:
    """Whether the refusal is the ledger's unique voucher per contract (a second submit)."""
    if not hasattr(error, "error_dict"):
        return False
    return any(e.code == "unique_together" for e in error.error_dict.get(NON_FIELD_ERRORS, []))


def _apply_refusal(error: ValidationError, form, voucher: str) -> None:
    """Put a service's refusal on the field it names, or above the form."""
    if _duplicate_voucher(error):
        form.add_error(
            "voucher_number",
            _(
                "Chứng từ số %(voucher)s đã có trong sổ của hợp đồng này, nên không ghi lần nữa "
                "(có thể bạn đã bấm Ghi hai lần). Nếu là chứng từ khác, kiểm tra lại số chứng từ."
            )
            % {"voucher": voucher},
        )
        return
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            texts = [message for item in errors for message in item.messages]
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _error_summary(form) -> list[tuple[str, str, str]]:
    """(where, what, anchor) for every error of a bound form, in the order of the fields."""
    summary = [("", error, "#entry-errors") for error in form.non_field_errors()]
    for name, field in form.fields.items():
        summary += [(str(field.label), error, f"#id_{name}") for error in form.errors.get(name, [])]
    return summary


def _require_ledger(user) -> None:
    if ledger_scope(user).nothing:
        raise PermissionDenied(
            _(
                "Sổ giải ngân dành cho cán bộ tài chính của Cục (nguồn quốc gia) và của Sở Công "
                "Thương (nguồn địa phương của tỉnh)."
            )
        )


@login_required
@require_GET
def contract_list(request):
    _require_ledger(request.user)
    query = request.GET.get("q", "").strip()
    page = Paginator(contract_list_for_entry(request.user, query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    search = f"?{urlencode({'q': query})}" if query else ""
    context = {
        "page": page,
        "query": query,
        "export_xlsx": reverse("budgets:contract-export", args=["xlsx"]) + search,
        "export_csv": reverse("budgets:contract-export", args=["csv"]) + search,
    }
    return render(request, "budgets/contract_list.html", context)


@login_required
@require_GET
def contract_export(request, file_format):
    if file_format not in FORMATS:
        raise Http404
    _require_ledger(request.user)
    source = contract_source(request.user, request.GET)
    source.by = request.user.get_full_name() or request.user.username
    source.generated = timezone.localtime()
    return export_response(source, file_format, table="contracts", params=request.GET)


@login_required
@require_http_methods(["GET", "POST"])
def contract_ledger(request, pk):
    contract = _contract_for_recording(request, pk)
    form = EntryForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            entry = disbursement_record(contract=contract, by=request.user, **data)
        except ValidationError as error:
            _apply_refusal(error, form, data["voucher_number"])
        else:
            remaining = contract.value - contract_disbursed(contract)
            messages.success(
                request,
                _(
                    "Đã ghi %(kind)s, chứng từ %(voucher)s: %(amount)s. Hợp đồng còn %(remaining)s "
                    "chưa giải ngân."
                )
                % {
                    "kind": entry.get_kind_display().lower(),
                    "voucher": entry.voucher_number,
                    "amount": format_vnd(entry.amount),
                    "remaining": format_vnd(remaining),
                },
            )
            return redirect("budgets:contract-ledger", pk=contract.pk)
    figures = ledger_figures(contract)
    context = {
        "contract": contract,
        "scheme": contract.allocation.scheme,
        "figures": figures,
        "entries": ledger_entries(contract),
        "form": form,
        "summary": _error_summary(form) if form.is_bound else [],
        "preview": {
            "value": f"{figures.value:f}",
            "net": f"{figures.net:f}",
            "advances": f"{figures.advances:f}",
            "refunds": f"{figures.refunds:f}",
            "cap": f"{figures.advance_cap:f}",
        },
    }
    return render(request, "budgets/contract_ledger.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_reverse_view(request, pk, entry_pk):
    contract = _contract_for_recording(request, pk)
    entry = get_object_or_404(
        Disbursement.objects.select_related("recorded_by", "reverses", "reversed_by"),
        contract=contract,
        pk=entry_pk,
    )
    form = ReverseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            counter = disbursement_reverse(entry=entry, by=request.user, **data)
        except ValidationError as error:
            _apply_refusal(error, form, data["voucher_number"])
        else:
            messages.success(
                request,
                _(
                    "Đã đảo chứng từ %(voucher)s bằng chứng từ %(counter)s. Hợp đồng còn "
                    "%(remaining)s chưa giải ngân."
                )
                % {
                    "voucher": entry.voucher_number,
                    "counter": counter.voucher_number,
                    "remaining": format_vnd(contract.value - contract_disbursed(contract)),
                },
            )
            return redirect("budgets:contract-ledger", pk=contract.pk)
    context = {
        "contract": contract,
        "scheme": contract.allocation.scheme,
        "entry": entry,
        "form": form,
        "summary": _error_summary(form) if form.is_bound else [],
    }
    return render(request, "budgets/disbursement_reverse.html", context)
