"""Import of contracts and task assignments (hợp đồng / giao nhiệm vụ) signed for the schemes of a
plan, one row each.

A row names its allocation by the scheme's code and the plan year (a pilot scheme funded over
several years has one allocation per year's plan), and the contract by its number within that
allocation, compared without diacritics, case or extra spaces ("12/HĐ-KCQG" is "12/hd-kcqg").

- A new number is signed through budgets.services.contract_sign.
- A known number with the same values is "same": importing a file twice changes nothing, even
  once the year is closed or the scheme settled.
- A known number with another value is an amendment, written through
  budgets.services.contract_amend (the amendment keeps the value before), and so needs the
  amendment's number, signing date and reason in their columns. It is refused, as the service
  would, for a liquidated contract, one with a payment schedule (it must be drawn again with the
  new value, on the finance screens), below what was disbursed under it, or beyond the support.
- A known number with another signing date, kind or contractor is refused: the signing date
  bounds the ledger and is fixed once recorded; the kind and contractor are corrected in the
  administration pages, where the change keeps its history.

Payment schedules (tranches) are not imported here: a schedule must add up to the contract's
value and is replaced whole; it may become a kind of its own.

Every rule of the services is checked for the whole file before anything is written, the rows
above in the same file included (two contracts that each fit the support approved but not
together: the second is refused), from a fixed number of queries whatever the number of rows.

Undo: a contract the import created is removed (budgets.contracts.contract_remove) while nothing
hangs on it — no ledger entry, amendment, schedule or liquidation, books open; an amendment the
import made is withdrawn (budgets.contracts.amendment_remove), the contract going back to its
value before, while it is still the contract's latest. Importing the file again after an undo
signs and amends them again, as the first time.

The helpers below the kind (dates as Excel writes them, the allocations of a file, the closed
books, the importer's scope) serve the ledger import (imports.kinds.disbursements) too."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from accounts.models import User
from budgets import services as budget_services
from budgets.contracts import amendment_remove, contract_remove
from budgets.models import (
    ZERO,
    Allocation,
    Contract,
    ContractAmendment,
    ContractLiquidation,
    ContractTranche,
    Disbursement,
    PeriodLock,
    Settlement,
)
from budgets.permissions import can_record, ledger_scope
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
from imports.kinds.base import ImportKind
from organisations.models import Organisation
from projects.models import Fund

_MONEY = DecimalField(max_digits=18, decimal_places=0)
# Excel's day numbers of 01/01/2000 and 31/12/2100: a number outside them is not a date.
_FIRST_SERIAL, _LAST_SERIAL = 36526, 73415
NUMBER_LENGTH = 60  # the model's number fields


# --- Cells --------------------------------------------------------------------------------------


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def parse_day(value) -> datetime.date | None:
    """A date as officials type it ("31/12/2019", with spaces around), an Excel date cell, or
    the day number Excel shows when a date cell was formatted as a number (43830)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and _FIRST_SERIAL <= value <= _LAST_SERIAL:
            return from_excel(int(value)).date()
        raise CellError(
            _("'%(value)s' không phải ngày hợp lệ: viết ngày/tháng/năm, ví dụ 31/12/2019")
            % {"value": text(value)}
        )
    return parse_date(value)


def parse_year(value) -> int:
    year = parse_int(value)
    if not 2012 <= year <= 2100:
        raise CellError(_("'%(value)s' không phải năm kế hoạch (2012–2100)") % {"value": year})
    return year


def optional(parser: Callable) -> Callable:
    """`parser` for a cell that may be left empty (None then)."""

    def parse(value):
        return None if text(value) == "" else parser(value)

    return parse


def longest(limit: int) -> Callable:
    def parse(value) -> str:
        value = text(value)
        if len(value) > limit:
            raise CellError(
                _("dài %(length)s ký tự, tối đa %(limit)s") % {"length": len(value), "limit": limit}
            )
        return value

    return parse


# --- What a file refers to, read once for the whole file ------------------------------------


def _ledger_total(rows, expression) -> Coalesce:
    total = rows.order_by().values("contract").annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(total), ZERO, output_field=_MONEY)


def allocations_by_key(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[Allocation]]:
    """The allocations of (scheme code, plan year) pairs — the code compared without case —,
    each with its scheme, plan, `contracted` and `settled`: one query."""
    keys = set(keys)
    found = defaultdict(list)
    if not keys:
        return found
    contracted = (
        Contract.objects.filter(allocation=OuterRef("pk"))
        .order_by()
        .values("allocation")
        .annotate(total=Sum("value"))
        .values("total")
    )
    allocations = (
        Allocation.objects.annotate(code_upper=Upper("scheme__code"))
        .filter(
            code_upper__in={code for code, _year in keys},
            plan__year__in={year for _code, year in keys},
        )
        .select_related("plan", "scheme__province", "scheme__implementing_unit")
        .annotate(
            contracted=Coalesce(Subquery(contracted), ZERO, output_field=_MONEY),
            settled=Exists(Settlement.objects.filter(allocation=OuterRef("pk"))),
        )
        .order_by("pk")
    )
    for allocation in allocations:
        key = (allocation.code_upper, allocation.plan.year)
        if key in keys:
            found[key].append(allocation)
    return found


def contracts_by_key(allocations: Iterable[Allocation]) -> dict[tuple[int, str], Contract]:
    """The contracts of these allocations by (allocation, folded number), each with `disbursed`
    (the net of its ledger), `has_schedule` and `liquidated_value` (None if not liquidated):
    one query."""
    liquidation = ContractLiquidation.objects.filter(contract=OuterRef("pk"))
    contracts = (
        Contract.objects.filter(allocation__in=[a.pk for a in allocations])
        .select_related("contractor")
        .annotate(
            disbursed=_ledger_total(
                Disbursement.objects.filter(contract=OuterRef("pk")),
                Disbursement.signed_amount(),
            ),
            has_schedule=Exists(ContractTranche.objects.filter(contract=OuterRef("pk"))),
            liquidated_value=Subquery(liquidation.values("final_value")[:1]),
            liquidated_on=Subquery(liquidation.values("signed_on")[:1]),
        )
    )
    return {(c.allocation_id, fold(c.number)): c for c in contracts}


def closed_books(years: Iterable[int]) -> dict[tuple[int, str], PeriodLock]:
    """The closings in force of these years, by (year, fund): one query."""
    locks = PeriodLock.objects.filter(year__in=set(years), reopened_on__isnull=True)
    return {(lock.year, lock.fund): lock for lock in locks}


def closed_problem(
    closed: dict[tuple[int, str], PeriodLock], fund: str, *days: datetime.date
) -> str | None:
    """What budgets.ledger.assert_periods_open would refuse: a closed year among those of the
    plan and of the dates written."""
    for year in sorted({d.year for d in days}):
        lock = closed.get((year, fund))
        if lock is not None:
            return _(
                "sổ năm %(year)s (%(fund)s) đã khoá ngày %(day)s: không ghi thêm số liệu tiền "
                "của năm này"
            ) % {"year": year, "fund": Fund(fund).label, "day": day(lock.closed_on)}
    return None


def may_record_anything(user: User) -> None:
    """Who may record on the finance screens may import contracts and ledger entries."""
    if ledger_scope(user).nothing:
        raise PermissionDenied(
            _(
                "Nhập hợp đồng và chứng từ giải ngân dành cho cán bộ tài chính của Cục (nguồn "
                "quốc gia) và của Sở Công Thương (nguồn địa phương của tỉnh)."
            )
        )


class SchemeColumns:
    """Finds each row's allocation from its scheme code and plan year, and says what is wrong:
    no such allocation, more than one, outside the importer's scope. Whether it may still be
    written to (not settled) is asked only of rows that write: a row already recorded stays
    "same" after the settlement."""

    def __init__(self, user: User, title: str, header: dict[str, str], read: list):
        self.user, self.title, self.header = user, title, header
        self.found = allocations_by_key(
            (values["scheme"].upper(), values["year"]) for _n, values in read
        )

    @property
    def allocations(self) -> list[Allocation]:
        return [a for found in self.found.values() for a in found]

    def resolve(self, number: int, values: dict, result: Result) -> Allocation | None:
        code, year = values["scheme"], values["year"]
        found = self.found.get((code.upper(), year), [])
        message = None
        if not found:
            message = _(
                "không có đề án mã %(code)s được duyệt kinh phí trong kế hoạch năm %(year)s"
            ) % {"code": code, "year": year}
        elif len(found) > 1:
            message = _(
                "có %(count)s đề án mã %(code)s được duyệt kinh phí năm %(year)s, không rõ dòng "
                "này của đề án nào: ghi trên màn hình tài chính"
            ) % {"count": len(found), "code": code, "year": year}
        else:
            scheme = found[0].scheme
            decision = can_record(self.user, scheme)
            if not decision:
                message = _("đề án %(code)s năm %(year)s: %(reason)s") % {
                    "code": scheme.code,
                    "year": year,
                    "reason": decision.reason,
                }
        if message is not None:
            result.problems.append(Problem(self.title, number, self.header["scheme"], message))
            return None
        return found[0]


def settled_problem(allocation: Allocation) -> str | None:
    """What budgets.contracts.assert_not_settled would refuse."""
    if not allocation.settled:
        return None
    return _("kinh phí của đề án %(code)s năm %(year)s đã quyết toán: không ghi thêm") % {
        "code": allocation.scheme.code,
        "year": allocation.plan.year,
    }


def organisation_index() -> dict[str, list[Organisation]]:
    """Every organisation by its folded name and short name: one query (a reference table)."""
    index = defaultdict(list)
    for organisation in Organisation.objects.order_by("pk"):
        for name in {fold(organisation.name), fold(organisation.short_name)} - {""}:
            index[name].append(organisation)
    return index


# --- The kind ---------------------------------------------------------------------------------


KIND_PARSER = choice_parser(Contract.Kind.choices)


class ContractsKind(ImportKind):
    name = "contracts"

    def title(self) -> str:
        return _("Hợp đồng")

    def columns(self) -> list[Column]:
        kinds = "; ".join(str(label) for _v, label in Contract.Kind.choices)
        return [
            Column("scheme", _("Mã đề án"), True, _("Mã đề án như trong hệ thống"), "KCQG-0001"),
            Column(
                "year",
                _("Năm kế hoạch"),
                True,
                _("Năm của kế hoạch cấp kinh phí (đề án điểm: năm cấp kinh phí)"),
                2019,
            ),
            Column(
                "number",
                _("Số hợp đồng"),
                True,
                _("Số hợp đồng hoặc quyết định giao nhiệm vụ"),
                "12/HĐ-KCQG",
                # The finance screen's export names it so: its file comes back in.
                aliases=(_("Số hợp đồng / quyết định"),),
            ),
            Column(
                "kind",
                _("Hình thức"),
                False,
                _("%(kinds)s (để trống: Hợp đồng)") % {"kinds": kinds},
                str(Contract.Kind.CONTRACT.label),
            ),
            Column(
                "signed_on", _("Ngày ký"), True, _("dd/mm/yyyy, trong năm kế hoạch"), "15/03/2019"
            ),
            Column(
                "contractor",
                _("Bên nhận"),
                False,
                _("Tên đơn vị như trong hệ thống (để trống: đơn vị thực hiện đề án)"),
                "",
            ),
            Column(
                "value",
                _("Giá trị (đồng)"),
                True,
                _("số đồng, không vượt kinh phí được duyệt còn lại"),
                "1.250.000.000",
            ),
            Column(
                "amendment_number",
                _("Số phụ lục"),
                False,
                _("Chỉ khi điều chỉnh giá trị hợp đồng đã ghi"),
                "",
            ),
            Column("amendment_signed_on", _("Ngày ký phụ lục"), False, _("dd/mm/yyyy"), ""),
            Column("amendment_reason", _("Lý do điều chỉnh"), False, "", ""),
        ]

    def notes(self) -> tuple[str, ...]:
        return (
            _("Mỗi hợp đồng nhận biết bằng mã đề án, năm kế hoạch và số hợp đồng."),
            _(
                "Hợp đồng đã ghi mà giá trị khác: ghi số phụ lục, ngày ký phụ lục và lý do để "
                "điều chỉnh; ngày ký, hình thức, bên nhận đã ghi không sửa bằng tệp."
            ),
            _("Lịch thanh toán theo đợt lập trên màn hình tài chính."),
        )

    def parsers(self) -> dict[str, Callable]:
        return {
            "year": parse_year,
            "number": longest(NUMBER_LENGTH),
            "kind": optional(KIND_PARSER),
            "signed_on": parse_day,
            "value": parse_money,
            "amendment_number": longest(NUMBER_LENGTH),
            "amendment_signed_on": parse_day,
        }

    def may_import(self, user: User) -> None:
        may_record_anything(user)

    def check(self, user: User, title: str, rows: list[tuple[int, dict]], result: Result) -> None:
        columns = self.columns()
        header = {col.key: col.header for col in columns}
        read = []
        for number, raw in rows:
            values, problems = parse_row(title, number, raw, columns, self.parsers())
            result.problems += problems
            if not problems:
                read.append((number, values))
        schemes = SchemeColumns(user, title, header, read)
        contracts = contracts_by_key(schemes.allocations)
        amendments = set(
            ContractAmendment.objects.filter(contract__in=list(contracts.values())).values_list(
                "contract_id", "number"
            )
        )
        organisations = organisation_index()
        closed = closed_books(
            [a.plan.year for a in schemes.allocations]
            + [
                d.year
                for _n, v in read
                for d in (v["signed_on"], v.get("amendment_signed_on"))
                if d is not None
            ]
        )
        check = _RowCheck(title, header, result, closed)
        # The sums the rows above change: the support contracted of each allocation, the value
        # of each contract.
        contracted = {a.pk: a.contracted for a in schemes.allocations}
        values_now = {c.pk: c.value for c in contracts.values()}
        seen = {}
        for number, values in read:
            allocation = schemes.resolve(number, values, result)
            if allocation is None:
                continue
            contractor = self._contractor(values, allocation, organisations)
            if isinstance(contractor, str):
                check.add(number, "contractor", contractor)
                continue
            values.update(
                allocation=allocation,
                contractor=contractor,
                contractor_given=bool(text(values.get("contractor"))),
            )
            key = (allocation.pk, fold(values["number"]))
            if key in seen:
                check.add(
                    number,
                    "number",
                    _("trùng với dòng %(row)s (cùng số hợp đồng, cùng đề án và năm)")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = number
            contract = contracts.get(key)
            if contract is None:
                planned = check.sign(number, values, contracted)
            else:
                planned = check.amend(number, values, contract, contracted, values_now, amendments)
            if planned is not None:
                result.rows.append(planned)

    @staticmethod
    def _contractor(values: dict, allocation: Allocation, organisations) -> Organisation | str:
        name = text(values.get("contractor"))
        if not name:
            return allocation.scheme.implementing_unit
        found = organisations.get(fold(name), [])
        if len(found) == 1:
            return found[0]
        if not found:
            return _(
                "không có đơn vị nào tên '%(name)s' trong hệ thống (để trống: đơn vị thực hiện "
                "đề án)"
            ) % {"name": name}
        return _("có %(count)s đơn vị cùng tên '%(name)s': ghi tên đầy đủ") % {
            "count": len(found),
            "name": name,
        }

    def write(self, user: User, planned: Planned):
        values = planned.values
        if planned.action == "update":
            return budget_services.contract_amend(
                contract=planned.existing,
                number=values["amendment_number"],
                signed_on=values["amendment_signed_on"],
                value=values["value"],
                reason=values["amendment_reason"],
                by=user,
            )
        return budget_services.contract_sign(
            allocation=values["allocation"],
            kind=values["kind"],
            number=values["number"],
            signed_on=values["signed_on"],
            value=values["value"],
            contractor=values["contractor"],
            by=user,
        )

    def undo(self, user: User, record, action: str) -> None:
        if isinstance(record, ContractAmendment):
            amendment_remove(amendment=record, by=user)
        else:
            contract_remove(contract=record, by=user)


class _RowCheck:
    """The rules of contract_sign and contract_amend on one row, with the sums the rows above
    changed."""

    def __init__(self, title: str, header: dict, result: Result, closed: dict):
        self.title, self.header, self.result, self.closed = title, header, result, closed
        self.today = timezone.localdate()

    def add(self, number: int, key: str, message: str) -> None:
        self.result.problems.append(Problem(self.title, number, self.header[key], message))

    def date_problem(self, signed_on: datetime.date, allocation: Allocation) -> str | None:
        year = allocation.plan.year
        if signed_on > self.today:
            return _("ngày %(day)s ở tương lai: chỉ ghi những gì đã xảy ra") % {
                "day": day(signed_on)
            }
        if signed_on.year != year:
            return _("ngày %(day)s ngoài năm kế hoạch %(year)s") % {
                "day": day(signed_on),
                "year": year,
            }
        return closed_problem(self.closed, allocation.plan.fund, signed_on)

    def sign(self, number: int, values: dict, contracted: dict) -> Planned | None:
        allocation, value = values["allocation"], values["value"]
        values["kind"] = values.get("kind") or Contract.Kind.CONTRACT
        problem = settled_problem(allocation)
        if problem:
            self.add(number, "scheme", problem)
            return None
        problem = self.date_problem(values["signed_on"], allocation)
        if problem:
            self.add(number, "signed_on", problem)
            return None
        if value <= 0:
            self.add(number, "value", _("giá trị hợp đồng phải lớn hơn 0"))
            return None
        remaining = allocation.amount - contracted[allocation.pk]
        if value > remaining:
            self.add(
                number,
                "value",
                _(
                    "%(value)s vượt kinh phí còn lại của đề án %(code)s năm %(year)s: được duyệt "
                    "%(approved)s, đã ký %(contracted)s (kể cả các dòng trên), còn %(remaining)s"
                )
                % {
                    "value": format_vnd(value),
                    "code": allocation.scheme.code,
                    "year": allocation.plan.year,
                    "approved": format_vnd(allocation.amount),
                    "contracted": format_vnd(contracted[allocation.pk]),
                    "remaining": format_vnd(remaining),
                },
            )
            return None
        contracted[allocation.pk] += value
        return Planned(number, _label(values), "create", values)

    def amend(
        self,
        number: int,
        values: dict,
        contract: Contract,
        contracted: dict,
        values_now: dict,
        amendments: set,
    ) -> Planned | None:
        fixed = [("signed_on", contract.signed_on, values["signed_on"], day)]
        if values.get("kind"):
            fixed.append(("kind", contract.kind, values["kind"], _kind_label))
        if values["contractor_given"]:
            fixed.append(("contractor", contract.contractor, values["contractor"], str))
        for key, recorded, given, show in fixed:
            if recorded != given:
                self.add(
                    number,
                    key,
                    _(
                        "%(contract)s đã ghi với %(what)s %(recorded)s: không sửa bằng tệp "
                        "(sửa trên trang quản trị)"
                    )
                    % {
                        "contract": contract,
                        "what": self.header[key].lower(),
                        "recorded": show(recorded),
                    },
                )
                return None
        values["kind"] = contract.kind
        if values["value"] == values_now[contract.pk]:
            return Planned(number, _label(values), "same", values, contract)
        return self._amendment(number, values, contract, contracted, values_now, amendments)

    def _amendment(self, number, values, contract, contracted, values_now, amendments):
        allocation, value = values["allocation"], values["value"]
        before = values_now[contract.pk]
        missing = [
            self.header[key]
            for key in ("amendment_number", "amendment_signed_on", "amendment_reason")
            if not values.get(key)
        ]
        refusal = None
        settled = settled_problem(allocation)
        if settled:
            refusal = ("scheme", settled)
        elif missing:
            refusal = (
                "value",
                _(
                    "%(contract)s đã ghi với giá trị %(before)s; để điều chỉnh thành %(value)s, "
                    "ghi %(columns)s"
                )
                % {
                    "contract": contract,
                    "before": format_vnd(before),
                    "value": format_vnd(value),
                    "columns": ", ".join(f"'{m}'" for m in missing),
                },
            )
        elif contract.liquidated_value is not None:
            refusal = (
                "value",
                _("%(contract)s đã thanh lý ngày %(day)s: không điều chỉnh giá trị")
                % {"contract": contract, "day": day(contract.liquidated_on)},
            )
        elif contract.has_schedule:
            refusal = (
                "value",
                _(
                    "%(contract)s có lịch thanh toán: điều chỉnh giá trị cùng lịch mới trên màn "
                    "hình tài chính"
                )
                % {"contract": contract},
            )
        elif (contract.pk, values["amendment_number"]) in amendments:
            refusal = (
                "amendment_number",
                _("%(contract)s đã có phụ lục số %(number)s")
                % {"contract": contract, "number": values["amendment_number"]},
            )
        if refusal is None:
            refusal = self._amendment_money(values, contract, contracted, before)
        if refusal is not None:
            self.add(number, *refusal)
            return None
        contracted[allocation.pk] += value - before
        values_now[contract.pk] = value
        amendments.add((contract.pk, values["amendment_number"]))
        return Planned(number, _label(values), "update", values, contract)

    def _amendment_money(self, values, contract, contracted, before) -> tuple[str, str] | None:
        allocation, value = values["allocation"], values["value"]
        signed_on = values["amendment_signed_on"]
        problem = self.date_problem(signed_on, allocation)
        if problem is None and signed_on < contract.signed_on:
            problem = _("ngày %(day)s trước ngày ký %(contract)s (%(signed)s)") % {
                "day": day(signed_on),
                "contract": contract,
                "signed": day(contract.signed_on),
            }
        if problem:
            return ("amendment_signed_on", problem)
        if value <= 0:
            return ("value", _("giá trị hợp đồng phải lớn hơn 0"))
        others = contracted[allocation.pk] - before
        if others + value > allocation.amount:
            return (
                "value",
                _(
                    "không điều chỉnh %(contract)s lên %(value)s được: đề án %(code)s năm "
                    "%(year)s được duyệt %(approved)s, các hợp đồng khác đã ký %(others)s (kể cả "
                    "các dòng trên), còn %(remaining)s"
                )
                % {
                    "contract": contract,
                    "value": format_vnd(value),
                    "code": allocation.scheme.code,
                    "year": allocation.plan.year,
                    "approved": format_vnd(allocation.amount),
                    "others": format_vnd(others),
                    "remaining": format_vnd(allocation.amount - others),
                },
            )
        if value < contract.disbursed:
            return (
                "value",
                _("không điều chỉnh %(contract)s xuống %(value)s được: đã giải ngân %(paid)s")
                % {
                    "contract": contract,
                    "value": format_vnd(value),
                    "paid": format_vnd(contract.disbursed),
                },
            )
        return None


def _kind_label(kind: str) -> str:
    return str(Contract.Kind(kind).label)


def _label(values: dict) -> str:
    allocation = values["allocation"]
    return f"{values['number']} ({allocation.scheme.code}/{allocation.plan.year})"


CONTRACTS = register(ContractsKind())
