"""The finance screen's list of contracts (sổ giải ngân) as a file: exactly the contracts the
list shows for this user and search, newest first, with their ledger sums. The scope is the
ledger's (budgets.permissions.ledger_scope), applied every time the rows are read."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from budgets.entries import contract_list_for_entry
from core.exports import Column, ExportSource


def _new_unit(province) -> str:
    return (province.successor or province).name


def contract_columns() -> list[Column]:
    def scheme(contract):
        return contract.allocation.scheme

    return [
        Column(_("Mã đề án"), "text", 16, lambda c: scheme(c).code),
        Column(_("Tên đề án"), "text", 50, lambda c: scheme(c).title),
        Column(_("Năm kế hoạch"), "int", 8, lambda c: scheme(c).plan_year),
        Column(_("Nguồn"), "text", 22, lambda c: scheme(c).get_fund_display()),
        Column(_("Tỉnh, thành phố (khi lập đề án)"), "text", 20, lambda c: scheme(c).province.name),
        Column(_("Đơn vị mới (34 tỉnh)"), "text", 20, lambda c: _new_unit(scheme(c).province)),
        Column(_("Hình thức"), "text", 14, lambda c: c.get_kind_display()),
        Column(_("Số hợp đồng / quyết định"), "text", 18, lambda c: c.number),
        Column(_("Ngày ký"), "date", 12, lambda c: c.signed_on),
        Column(_("Bên nhận"), "text", 36, lambda c: c.contractor.name),
        Column(_("Giá trị (đồng)"), "money", 18, lambda c: int(c.value)),
        Column(_("Đã giải ngân (đồng)"), "money", 18, lambda c: int(c.net)),
        Column(_("Còn lại (đồng)"), "money", 18, lambda c: int(c.remaining)),
    ]


def contract_source(user, params: QueryDict) -> ExportSource:
    query = params.get("q", "").strip()
    return ExportSource(
        heading=_("Sổ giải ngân: hợp đồng và giao nhiệm vụ"),
        filters=[_("Tìm kiếm: “%(q)s”") % {"q": query}] if query else [],
        # A scheme keeps the province it was made under; the new unit is given beside it.
        map_label=_("tỉnh khi lập đề án, kèm đơn vị mới trên bản đồ 34 tỉnh, thành"),
        records=contract_list_for_entry(user, query).select_related(
            "allocation__scheme__province__successor"
        ),
        columns=contract_columns(),
        filename="so-giai-ngan-hop-dong",
        sheet=_("Hợp đồng"),
        freeze_columns=2,
    )
