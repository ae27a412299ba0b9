"""Schemes of a plan (đề án), keyed by code + plan year, with the support approved in a plan
batch (đợt, found by its decision number).

A new scheme is created in the status the row gives (approved unless said otherwise), with one
history row draft → that status naming the import; an approved one gets its allocation under
the rules of budgets.services (plan's remaining money, envelope, closed years), counted for the
whole file in the check and again under the plans' locks when written. An existing scheme may
have its description, dates, sector, content areas, counterpart funding and support changed;
its fund, kind, province, implementing unit and status are the workflow's, not the file's."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, ProtectedError, Q, RestrictedError, Sum
from django.utils.translation import gettext as _

from accounts.models import User
from budgets.bulk import BulkRefused, Headroom, allocations_create_bulk
from budgets.models import Allocation, AllocationChange, Contract, PlanBatch
from budgets.services import allocation_set
from budgets.summary import allocation_money_drop
from core.history import delete_with_history, history_insert
from core.money import format_vnd
from core.sheets import (
    CellError,
    Column,
    Planned,
    Problem,
    Result,
    choice_parser,
    parse_date,
    parse_int,
    parse_money,
    parse_row,
    text,
)
from core.text import fold
from imports.kinds import register
from imports.kinds.base import ImportKind, RowRefused, history_by
from imports.kinds.lookups import ContentAreaIndex, OrganisationIndex, SectorIndex
from imports.permissions import import_scope, may_import
from projects.models import Fund, Scheme, SchemeStatusChange
from projects.services import schemes_record_imported
from provinces.names import ProvinceIndex

S = Scheme.Status
# An import brings plans decided on paper: schemes approved in them, or not yet approved.
IMPORTABLE = (S.DRAFT, S.SUBMITTED, S.BASE_APPRAISED, S.REGISTERED, S.APPRAISED, S.APPROVED)
# What a second file may change on an existing scheme; the rest is the workflow's.
CHANGEABLE = ("title", "description", "start_date", "end_date", "counterpart_funding", "sector")
FIXED = ("fund", "kind", "province", "implementing_unit")


def _labels(choices, extra: dict) -> list[tuple[str, str]]:
    return [*choices, *((value, label) for label, value in extra.items())]


FUNDS = _labels(Fund.choices, {"Quốc gia": Fund.NATIONAL, "Địa phương": Fund.LOCAL})
KINDS = _labels(
    Scheme.Kind.choices,
    {"Điểm": Scheme.Kind.PILOT, "Nhóm": Scheme.Kind.GROUP, "Theo đối tượng": Scheme.Kind.TARGETED},
)


def _status(value) -> str:
    if text(value) == "":
        return S.APPROVED
    status = choice_parser(Scheme.Status.choices)(value)
    if status not in IMPORTABLE:
        raise CellError(
            _(
                "'%(value)s': chỉ nhập đề án đã phê duyệt hoặc chưa phê duyệt; các bước sau "
                "(hợp đồng, giải ngân…) ghi theo quy trình"
            )
            % {"value": text(value)}
        )
    return status


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


class SchemesKind(ImportKind):
    name = "schemes"

    def title(self) -> str:
        return _("Đề án")

    def columns(self) -> list[Column]:
        return [
            Column(
                "code",
                _("Mã đề án"),
                True,
                _("Mã đề án; cùng mã và năm là một đề án"),
                "KCQG-TN-01",
            ),
            Column("plan_year", _("Năm kế hoạch"), True, "", 2019),
            Column("title", _("Tên đề án"), True, "", "Hỗ trợ máy sấy chè"),
            Column(
                "fund",
                _("Nguồn kinh phí"),
                True,
                _("Khuyến công quốc gia / Khuyến công địa phương"),
                str(Fund.NATIONAL.label),
            ),
            Column(
                "kind",
                _("Loại đề án"),
                True,
                "; ".join(str(label) for _v, label in Scheme.Kind.choices),
                str(Scheme.Kind.TARGETED.label),
            ),
            Column(
                "province",
                _("Tỉnh, thành phố"),
                True,
                _("Tên tỉnh tại ngày bắt đầu: trước 01/07/2025 tỉnh cũ, từ đó tỉnh mới"),
                "Thái Nguyên",
            ),
            Column(
                "content_areas",
                _("Nội dung khuyến công"),
                True,
                _(
                    "Số thứ tự hoặc tên nội dung trong danh mục của năm; nhiều nội dung cách nhau "
                    "bằng dấu chấm phẩy"
                ),
                "3",
            ),
            Column("sector", _("Ngành nghề"), True, _("Mã hoặc tên ngành nghề"), "a"),
            Column(
                "implementing_unit",
                _("Đơn vị thực hiện"),
                True,
                _("Tên hoặc tên viết tắt của cơ quan, đơn vị"),
                "IPC1",
            ),
            Column(
                "support",
                _("Kinh phí hỗ trợ"),
                True,
                _("Số đồng được duyệt (đề án chưa duyệt: đề nghị), ví dụ 1.250.000.000"),
                "1.250.000.000",
                aliases=(_("Kinh phí hỗ trợ được duyệt"), _("Kinh phí khuyến công")),
            ),
            Column("counterpart", _("Vốn đối ứng"), False, _("Số đồng"), "500.000.000"),
            Column("start_date", _("Ngày bắt đầu"), True, _("Trong năm kế hoạch"), "01/03/2019"),
            Column(
                "end_date",
                _("Ngày kết thúc"),
                True,
                _("Trong năm kế hoạch (đề án điểm: có thể sang năm sau)"),
                "30/11/2019",
            ),
            Column(
                "status",
                _("Trạng thái"),
                False,
                _("Để trống là “Đã phê duyệt”"),
                str(S.APPROVED.label),
            ),
            Column(
                "decision",
                _("Số quyết định giao kế hoạch"),
                False,
                _("Quyết định của đợt giao kế hoạch; bắt buộc với đề án đã phê duyệt"),
                "123/QĐ-BCT",
            ),
            Column("description", _("Mục tiêu, nội dung chính"), False, "", ""),
        ]

    def notes(self) -> tuple[str, ...]:
        return (
            _(
                "Đề án đã phê duyệt được phân bổ kinh phí trong đợt có số quyết định đã ghi; "
                "vượt kinh phí còn lại của kế hoạch hoặc hạn mức của tỉnh, trung tâm thì bị từ "
                "chối."
            ),
            _(
                "Nhập lại đề án đã có (cùng mã, cùng năm) thì cập nhật tên, ngày, ngành, nội dung, "
                "vốn đối ứng và kinh phí; nguồn, loại, tỉnh, đơn vị thực hiện không đổi được."
            ),
        )

    def parsers(self) -> dict:
        return {
            "plan_year": parse_int,
            "fund": choice_parser(FUNDS),
            "kind": choice_parser(KINDS),
            "support": parse_money,
            "counterpart": parse_money,
            "start_date": parse_date,
            "end_date": parse_date,
            "status": _status,
        }

    def may_import(self, user: User) -> None:
        may_import(user)

    # --- Check ------------------------------------------------------------------------------

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        columns = self.columns()
        header = {col.key: col.header for col in columns}
        provinces, areas = ProvinceIndex(), ContentAreaIndex()
        sectors, units = SectorIndex(), OrganisationIndex()
        scope = import_scope(user)
        parsed, parsers = [], self.parsers()

        for index, (number, raw) in enumerate(rows):
            if index % 500 == 0:
                result.advance(index, len(rows))
            values, problems = parse_row(title, number, raw, columns, parsers)

            def problem(key: str, message: str, number=number, problems=problems) -> None:
                problems.append(Problem(title, number, header[key], message))

            year, start, end = (values.get(k) for k in ("plan_year", "start_date", "end_date"))
            if year is not None and not 2012 <= year <= 2100:
                problem("plan_year", _("năm kế hoạch phải từ 2012 đến 2100"))
                year = None
            if year is not None and start is not None and start.year != year:
                problem(
                    "start_date",
                    _("ngày %(day)s ngoài năm kế hoạch %(year)s")
                    % {"day": _day(start), "year": year},
                )
            if start is not None and end is not None and end < start:
                problem("end_date", _("trước ngày bắt đầu %(day)s") % {"day": _day(start)})
            elif (
                year is not None
                and end is not None
                and end.year != year
                and values.get("kind") != Scheme.Kind.PILOT
            ):
                problem(
                    "end_date",
                    _(
                        "ngày %(day)s ngoài năm kế hoạch %(year)s (chỉ đề án điểm kéo dài sang "
                        "năm sau)"
                    )
                    % {"day": _day(end), "year": year},
                )
            resolved = {
                "province": lambda v, start=start: provinces.resolve(v, on=start),
                "content_areas": lambda v, year=year: areas.resolve(v, year),
                "sector": lambda v, start=start: sectors.resolve(v, on=start),
                "implementing_unit": units.resolve,
            }
            for key, resolve in resolved.items():
                if key not in values or (
                    key != "implementing_unit" and (year is None or start is None)
                ):
                    continue
                try:
                    values[key] = resolve(raw.get(key))
                except CellError as error:
                    problem(key, str(error))
                    values.pop(key)
            province = values.get("province")
            if province is not None and not scope.allows(province):
                problem(
                    "province",
                    _("%(province)s không thuộc tỉnh của bạn") % {"province": province.name},
                )
            status = values.get("status", S.APPROVED)
            values["status"] = status
            if status == S.APPROVED and not values.get("decision"):
                problem("decision", _("đề án đã phê duyệt cần số quyết định giao kế hoạch"))
            if values.get("counterpart") is None:
                values["counterpart"] = Decimal(0)
            if problems:
                result.problems += problems
            else:
                parsed.append((number, values))

        self._match(user, title, header, parsed, result)

    def _match(self, user, title, header, parsed, result: Result) -> None:
        """The rows against the database and each other: duplicates, existing schemes, plan
        batches, the money chain. A fixed number of queries."""
        codes = {values["code"] for _n, values in parsed}
        years = {values["plan_year"] for _n, values in parsed}
        # Each existing scheme with its allocations and content areas as plain lists
        # (`current_allocations`, `current_area_ids`), which the check, the snapshot and the
        # update read: a prefetch into the related managers costs a queryset per scheme.
        existing = {
            (scheme.code, scheme.plan_year): scheme
            for scheme in Scheme.objects.filter(code__in=codes, plan_year__in=years)
            .select_related("province")
            .prefetch_related(
                Prefetch("allocations", Allocation.objects.all(), to_attr="current_allocations")
            )
        }
        areas: dict[int, list[int]] = {}
        for scheme_id, area_id in (
            Scheme.content_areas.through.objects.filter(
                scheme_id__in=[s.pk for s in existing.values()]
            )
            .order_by("contentarea_id")
            .values_list("scheme_id", "contentarea_id")
        ):
            areas.setdefault(scheme_id, []).append(area_id)
        for scheme in existing.values():
            scheme.current_area_ids = areas.get(scheme.pk, [])
        contracted = dict(
            Contract.objects.filter(allocation__scheme__in=[s.pk for s in existing.values()])
            .values_list("allocation_id")
            .annotate(total=Sum("value"))
        )
        batches: dict[tuple, list[PlanBatch]] = {}
        for batch in PlanBatch.objects.filter(plan__year__in=years).select_related("plan"):
            key = (fold(batch.decision_number), batch.plan.year, batch.plan.fund)
            batches.setdefault(key, []).append(batch)

        seen, checked = {}, []
        for number, values in parsed:
            key = (values["code"], values["plan_year"])

            def problem(key: str, message: str, number=number) -> None:
                result.problems.append(Problem(title, number, header[key], message))

            if key in seen:
                problem(
                    "code",
                    _("trùng với dòng %(row)s (cùng mã đề án, cùng năm)") % {"row": seen[key]},
                )
                continue
            seen[key] = number
            scheme = existing.get(key)
            if scheme is not None and not self._compatible(scheme, values, problem):
                continue
            batch = None
            if values["status"] == S.APPROVED:
                found = batches.get(
                    (fold(values["decision"]), values["plan_year"], values["fund"]), []
                )
                if len(found) != 1:
                    problem(
                        "decision",
                        (
                            _(
                                "không có đợt giao kế hoạch nào năm %(year)s (%(fund)s) theo quyết "
                                "định '%(number)s'"
                            )
                            if not found
                            else _(
                                "quyết định '%(number)s' thuộc nhiều kế hoạch năm %(year)s: "
                                "nhập từng kế hoạch riêng"
                            )
                        )
                        % {
                            "year": values["plan_year"],
                            "fund": Fund(values["fund"]).label,
                            "number": values["decision"],
                        },
                    )
                    continue
                batch = found[0]
            values["batch"] = batch
            checked.append((number, values, scheme))

        self._money(title, header, checked, contracted, result)

    def _compatible(self, scheme: Scheme, values: dict, problem) -> bool:
        labels = {
            "fund": lambda s: Fund(s.fund).label,
            "kind": lambda s: Scheme.Kind(s.kind).label,
            "province": lambda s: s.province.name,
            "implementing_unit": lambda s: s.implementing_unit_id,
        }
        for key in FIXED:
            current = (
                getattr(scheme, f"{key}_id")
                if key in ("province", "implementing_unit")
                else getattr(scheme, key)
            )
            wanted = values[key].pk if key in ("province", "implementing_unit") else values[key]
            if current != wanted:
                problem(
                    key,
                    _(
                        "đề án %(code)s năm %(year)s đã có với giá trị khác (%(current)s); không "
                        "đổi được bằng nhập tệp"
                    )
                    % {
                        "code": scheme.code,
                        "year": scheme.plan_year,
                        "current": labels[key](scheme),
                    }
                    if key != "implementing_unit"
                    else _(
                        "đề án %(code)s năm %(year)s đã có với đơn vị thực hiện khác; không "
                        "đổi được bằng nhập tệp"
                    )
                    % {"code": scheme.code, "year": scheme.plan_year},
                )
                return False
        in_plan = scheme.status in Scheme.IN_PLAN
        if (values["status"] == S.APPROVED) != in_plan or (
            not in_plan and values["status"] != scheme.status
        ):
            problem(
                "status",
                _(
                    "đề án %(code)s năm %(year)s đang ở trạng thái “%(status)s”; trạng thái đổi "
                    "theo quy trình, không qua nhập tệp"
                )
                % {
                    "code": scheme.code,
                    "year": scheme.plan_year,
                    "status": S(scheme.status).label,
                },
            )
            return False
        return True

    def _money(self, title, header, checked, contracted, result: Result) -> None:
        plans = {values["batch"].plan for _n, values, _s in checked if values["batch"]}
        changed = []
        for _n, values, scheme in checked:
            values["allocation"] = self._allocation(scheme, values)
            if values["allocation"] is not None:
                changed.append(values["allocation"].pk)
        headroom = Headroom(plans, excluding=changed)
        for number, values, scheme in checked:
            batch = values["batch"]
            allocation = values["allocation"]
            amount = values["support"]
            if scheme is None:
                # Built once: the headroom's messages name it, and the import writes it.
                values["new_scheme"] = self._new_scheme(values)
            if batch is not None:
                planned = scheme or values["new_scheme"]
                message = headroom.take(batch.plan, planned, amount)
                if message is None and allocation is not None:
                    floor = contracted.get(allocation.pk, Decimal(0))
                    if amount < floor:
                        message = _(
                            "không giảm được xuống dưới giá trị hợp đồng đã ký %(contracted)s"
                        ) % {"contracted": format_vnd(floor)}
                if message is not None:
                    result.problems.append(Problem(title, number, header["support"], message))
                    continue
            action = "create" if scheme is None else self._action(scheme, values, allocation)
            label = f"{values['code']} / {values['plan_year']} – {values['title']}"
            result.rows.append(Planned(number, label, action, values, scheme))

    @staticmethod
    def _new_scheme(values: dict) -> Scheme:
        return Scheme(
            code=values["code"],
            plan_year=values["plan_year"],
            fund=values["fund"],
            kind=values["kind"],
            title=values["title"],
            sector=values["sector"],
            province=values["province"],
            implementing_unit=values["implementing_unit"],
            start_date=values["start_date"],
            end_date=values["end_date"],
            support_requested=values["support"],
            counterpart_funding=values["counterpart"],
            status=values["status"],
            description=values.get("description", ""),
        )

    @staticmethod
    def _allocation(scheme: Scheme | None, values: dict) -> Allocation | None:
        if scheme is None or values["batch"] is None:
            return None
        plan_id = values["batch"].plan_id
        return next((a for a in scheme.current_allocations if a.plan_id == plan_id), None)

    @staticmethod
    def _action(scheme: Scheme, values: dict, allocation: Allocation | None) -> str:
        same = (
            scheme.title == values["title"]
            and scheme.description == values.get("description", scheme.description)
            and scheme.start_date == values["start_date"]
            and scheme.end_date == values["end_date"]
            and scheme.counterpart_funding == values["counterpart"]
            and scheme.sector_id == values["sector"].pk
            and set(scheme.current_area_ids) == {a.pk for a in values["content_areas"]}
        )
        if values["batch"] is None:
            same = same and scheme.support_requested == values["support"]
        else:
            same = same and allocation is not None and allocation.amount == values["support"]
        return "same" if same else "update"

    # --- Write ------------------------------------------------------------------------------

    def write(self, user: User, planned: Planned) -> Scheme:
        return self.write_all(user, [planned], "")[0]

    def write_all(self, user: User, planned: list[Planned], note: str) -> list[Scheme]:
        new = [row for row in planned if row.action == "create"]
        created = iter(self._create(user, new, note))
        records = []
        for row in planned:
            if row.action == "create":
                records.append(next(created))
            else:
                records.append(self._update(user, row, note))
        return records

    def _create(self, user: User, rows: list[Planned], note: str) -> list[Scheme]:
        """New schemes in bulk: rows, content areas, history, status history, allocations."""
        if not rows:
            return []
        schemes = [row.values["new_scheme"] for row in rows]
        for scheme in schemes:
            scheme.refresh_search_text()
        Scheme.objects.bulk_create(schemes, batch_size=2000)
        Through = Scheme.content_areas.through
        Through.objects.bulk_create(
            [
                Through(scheme_id=scheme.pk, contentarea_id=area.pk)
                for scheme, row in zip(schemes, rows, strict=True)
                for area in row.values["content_areas"]
            ],
            batch_size=5000,
        )
        history_insert(Scheme, [s.pk for s in schemes], history_type="+", user=user, reason=note)
        schemes_record_imported(
            schemes=schemes,
            by=user,
            reason=note,
            decision_numbers=[
                row.values["batch"].decision_number if row.values["batch"] else "" for row in rows
            ],
        )
        approved = [
            (scheme, row) for scheme, row in zip(schemes, rows, strict=True) if row.values["batch"]
        ]
        try:
            allocations_create_bulk(
                items=[(s, row.values["batch"], row.values["support"]) for s, row in approved],
                by=user,
                reason=note,
            )
        except BulkRefused as refused:
            raise RowRefused(
                approved[refused.index][1].row, refused, str(_("Kinh phí hỗ trợ"))
            ) from refused
        # Any other refusal (a closed year) is the plan's, not a row's: it goes up as the
        # file's problem.
        return schemes

    def _update(self, user: User, row: Planned, note: str) -> Scheme:
        v = row.values
        scheme = Scheme.objects.select_for_update().get(pk=row.existing.pk)
        for field in CHANGEABLE:
            if field == "description" and "description" not in v:
                continue
            setattr(scheme, field, v["counterpart"] if field == "counterpart_funding" else v[field])
        if v["batch"] is None:
            scheme.support_requested = v["support"]
        try:
            scheme.full_clean(validate_unique=False)
            scheme._history_user, scheme._change_reason = user, note
            scheme.save()
            scheme.content_areas.set(v["content_areas"])
            allocation = v["allocation"]
            if v["batch"] is not None and (allocation is None or allocation.amount != v["support"]):
                allocation_set(
                    scheme=scheme,
                    batch=v["batch"],
                    amount=v["support"],
                    by=user,
                    decision_number=v["decision"],
                    reason=note,
                )
        except ValidationError as error:
            raise RowRefused(row.row, error) from error
        return scheme

    # --- Undo -------------------------------------------------------------------------------

    def snapshot(self, record: Scheme) -> dict:
        """`record` as the check loaded it, with its current allocations and content areas."""
        return {
            "title": record.title,
            "description": record.description,
            "start_date": record.start_date.isoformat(),
            "end_date": record.end_date.isoformat(),
            "counterpart_funding": str(record.counterpart_funding),
            "support_requested": str(record.support_requested),
            "sector_id": record.sector_id,
            "content_area_ids": sorted(record.current_area_ids),
            "allocations": {str(a.plan_id): str(a.amount) for a in record.current_allocations},
        }

    def restore(self, user: User, record: Scheme, previous: dict, note: str) -> None:
        scheme = Scheme.objects.select_for_update().get(pk=record.pk)
        scheme.title, scheme.description = previous["title"], previous["description"]
        scheme.start_date = datetime.date.fromisoformat(previous["start_date"])
        scheme.end_date = datetime.date.fromisoformat(previous["end_date"])
        scheme.counterpart_funding = Decimal(previous["counterpart_funding"])
        scheme.support_requested = Decimal(previous["support_requested"])
        scheme.sector_id = previous["sector_id"]
        scheme._history_user, scheme._change_reason = user, note
        scheme.save()
        scheme.content_areas.set(previous["content_area_ids"])
        amounts = {int(k): Decimal(v) for k, v in previous["allocations"].items()}
        for allocation in scheme.allocations.select_related("batch"):
            if allocation.plan_id not in amounts:
                self._refuse_if_used(scheme, allocation)
                allocation._history_user = user
                allocation.delete()
            elif allocation.amount != amounts[allocation.plan_id]:
                allocation_set(
                    scheme=scheme,
                    batch=allocation.batch,
                    amount=amounts[allocation.plan_id],
                    by=user,
                    reason=note,
                )

    @staticmethod
    def _refuse_if_used(scheme: Scheme, allocation: Allocation) -> None:
        contract = Contract.objects.filter(allocation=allocation).first()
        if contract is not None:
            raise ValidationError(
                _("Đề án %(code)s đã có hợp đồng %(number)s: không hoàn tác được lần nhập.")
                % {"code": scheme.code, "number": contract.number}
            )
        if AllocationChange.objects.filter(allocation=allocation).exists():
            raise ValidationError(
                _(
                    "Kinh phí của đề án %(code)s đã được điều chỉnh sau khi nhập: không hoàn tác "
                    "được lần nhập."
                )
                % {"code": scheme.code}
            )

    def undo_all(self, user: User, records: list, note: str) -> None:
        """Restore the updated schemes one by one, then check and delete the created ones in
        bulk (a few queries for the checks and the deletes, whatever their number; still one
        history row per deleted row, naming the undo)."""
        for record, action, previous in reversed(records):
            if action == "update":
                self.restore(user, record, previous, note)
        created = [record.pk for record, action, _p in records if action == "create"]
        if created:
            self._delete(user, created, note)

    def _delete(self, user: User, ids: list[int], note: str) -> None:
        list(Scheme.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        contract = (
            Contract.objects.filter(allocation__scheme_id__in=ids)
            .select_related("allocation__scheme")
            .order_by("allocation__scheme__code", "pk")
            .first()
        )
        if contract is not None:
            raise ValidationError(
                _("Đề án %(code)s đã có hợp đồng %(number)s: không hoàn tác được lần nhập.")
                % {"code": contract.allocation.scheme.code, "number": contract.number}
            )
        change = (
            AllocationChange.objects.filter(allocation__scheme_id__in=ids)
            .select_related("allocation__scheme")
            .first()
        )
        if change is not None:
            raise ValidationError(
                _(
                    "Kinh phí của đề án %(code)s đã được điều chỉnh sau khi nhập: không hoàn "
                    "tác được lần nhập."
                )
                % {"code": change.allocation.scheme.code}
            )
        moved = (
            Scheme.objects.filter(pk__in=ids)
            .annotate(steps=Count("status_changes"))
            .filter(Q(steps__gt=1) | Q(status=S.DRAFT, steps__gt=0) | ~Q(status__in=IMPORTABLE))
            .order_by("code")
            .first()
        )
        if moved is not None:
            raise ValidationError(
                _(
                    "Đề án %(code)s đã chuyển trạng thái sau khi nhập (nay là “%(status)s”): "
                    "không hoàn tác được lần nhập."
                )
                % {"code": moved.code, "status": S(moved.status).label}
            )
        linked = (
            Scheme.beneficiaries.through.objects.filter(scheme_id__in=ids)
            .select_related("scheme")
            .first()
        )
        if linked is not None:
            raise ValidationError(
                _("Đề án %(code)s đã có cơ sở thụ hưởng: hoàn tác hoặc gỡ các cơ sở đó trước.")
                % {"code": linked.scheme.code}
            )
        try:
            # The deletions' history rows in bulk, each naming the undo; rows the delete
            # cascades to keep their own history, by the same user.
            with transaction.atomic(), history_by(user):
                allocations = Allocation.objects.filter(scheme_id__in=ids)
                allocation_money_drop(allocations.values_list("pk", flat=True))
                delete_with_history(allocations, user=user, reason=note)
                delete_with_history(Scheme.objects.filter(pk__in=ids), user=user, reason=note)
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            models = sorted({str(obj._meta.verbose_name) for obj in blocking})
            raise ValidationError(
                _("Đề án đã có dữ liệu liên quan (%(what)s): không hoàn tác được lần nhập.")
                % {"what": ", ".join(models)}
            ) from error

    def undo(self, user: User, record: Scheme, action: str) -> None:
        """Delete a scheme the import created, unless something has been built on it: a
        contract, a later status change, a beneficiary, or any record that protects it."""
        scheme = Scheme.objects.select_for_update().get(pk=record.pk)
        changes = SchemeStatusChange.objects.filter(scheme=scheme).count()
        if changes > (0 if scheme.status == S.DRAFT else 1) or scheme.status not in IMPORTABLE:
            raise ValidationError(
                _(
                    "Đề án %(code)s đã chuyển trạng thái sau khi nhập (nay là “%(status)s”): "
                    "không hoàn tác được lần nhập."
                )
                % {"code": scheme.code, "status": S(scheme.status).label}
            )
        if scheme.beneficiaries.exists():
            raise ValidationError(
                _("Đề án %(code)s đã có cơ sở thụ hưởng: hoàn tác hoặc gỡ các cơ sở đó trước.")
                % {"code": scheme.code}
            )
        try:
            with transaction.atomic():
                for allocation in scheme.allocations.all():
                    self._refuse_if_used(scheme, allocation)
                    allocation._history_user = user
                    allocation.delete()
                scheme._history_user = user
                scheme.delete()
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            models = sorted({str(obj._meta.verbose_name) for obj in blocking})
            raise ValidationError(
                _(
                    "Đề án %(code)s đã có dữ liệu liên quan (%(what)s): không hoàn tác được lần "
                    "nhập."
                )
                % {"code": scheme.code, "what": ", ".join(models)}
            ) from error


register(SchemesKind())
