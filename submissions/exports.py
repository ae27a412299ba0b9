"""The portal's list of the unit's own schemes as a file: exactly the rows of the tab the page
shows (submissions.selectors.dossier_list, so the same owner scope and the same order), every
row rather than one page of them."""

from django.utils.translation import gettext as _

from core.exports import Column, ExportSource
from submissions.selectors import dossier_list


def _new_unit(province) -> str:
    return (province.successor or province).name


def dossier_columns() -> list[Column]:
    return [
        Column(_("Mã đề án"), "text", 16, lambda s: s.code),
        Column(_("Tên đề án"), "text", 50, lambda s: s.title),
        Column(_("Đơn vị thực hiện"), "text", 30, lambda s: str(s.implementing_unit)),
        Column(_("Năm kế hoạch"), "int", 8, lambda s: s.plan_year),
        Column(_("Nguồn"), "text", 18, lambda s: s.get_fund_display()),
        Column(_("Tỉnh, thành phố (khi lập đề án)"), "text", 20, lambda s: s.province.name),
        Column(_("Đơn vị mới (34 tỉnh)"), "text", 20, lambda s: _new_unit(s.province)),
        Column(_("Kinh phí đề nghị (đồng)"), "money", 18, lambda s: int(s.support_requested)),
        Column(_("Dòng dự toán"), "int", 10, lambda s: s.line_count),
        Column(_("Tệp"), "int", 8, lambda s: s.attachment_count),
        Column(_("Ý kiến"), "int", 8, lambda s: s.comment_count),
        Column(_("Trạng thái"), "text", 20, lambda s: s.get_status_display()),
        Column(_("Cập nhật"), "date", 12, lambda s: s.updated_at.date()),
    ]


def dossier_source(user, params) -> ExportSource:
    dossiers = dossier_list(user, params.get("tab"))
    return ExportSource(
        heading=_("Hồ sơ đề án của đơn vị"),
        filters=[_("Nhóm: %(tab)s") % {"tab": dossiers.current.label}],
        # A scheme keeps the province it was made under; the new unit is given beside it.
        map_label=_("tỉnh khi lập đề án, kèm đơn vị mới trên bản đồ 34 tỉnh, thành"),
        records=dossiers.rows.select_related("province__successor"),
        columns=dossier_columns(),
        filename=f"ho-so-de-an-{dossiers.current.key}",
        sheet=_("Hồ sơ đề án"),
        freeze_columns=2,
    )
