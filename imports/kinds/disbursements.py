"""Import of disbursement ledger entries (advances, payments, refunds of unused money), one
voucher a row, written through budgets.services.disbursement_record so that every rule of the
finance screen applies.

A row names its contract by scheme code, plan year and contract number (as imports.kinds.contracts
does), and its entry by the voucher number, unique within a contract's ledger.

Every rule of disbursement_record is checked for the whole file before anything is written, as
the service would apply it row after row, the rows above in the same file included: no voucher
dated before the contract's signature, in the future, in a year whose books are closed, or outside
the plan year — from 01/01 of the plan year to the settlement deadline, 22/01 of the next year
(budgets.selectors.settlement_deadline), the money paid by then being the year's; no advance or
payment beyond the contract's value (its liquidated value once liquidated) nor an advance after
the liquidation; no refund beyond what was paid out by its date; no advance beyond the first
advance rate or the cap of the advance rule in force on its date (budgets.AdvanceRule), the cap
counting the advances outstanding (budgets.ledger.advances_outstanding). Two advances of 40% each
in one file: the second is refused, naming the cap. The sums come from one query of the ledger
of the contracts named, grouped by contract, day and kind; the cost of the check does not grow
with the number of rows.

A voucher already in the contract's ledger with the same kind, date and amount is "same" (the
note is not compared: it is not money), so importing a file twice changes nothing, even once
the year is closed or the scheme settled; with other
values it is refused: a ledger entry is never edited, a mistake is reversed on the finance screen
and the right entry recorded under its own voucher.

Undo: ledger entries are never deleted. An entry the import recorded is cancelled by a
counter-entry (budgets.services.disbursement_reverse) dated the entry's own day, so the ledger
nets out on every day as if the import had not happened; refused when the books of the year are
closed, the allocation settled, or the ledger would break from that day on (a later refund that
needs the money the entry paid out: undo the later import first). An entry already reversed on
the finance screen is left as it is. The reversed voucher stays in the ledger with its
counter-entry, so importing the same file again after an undo refuses those rows, saying so: the
voucher numbers of the ledger are unique per contract and an entry, once reversed, is not
recorded again under the same number."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from budgets import services as budget_services
from budgets.ledger import advances_outstanding, share
from budgets.models import AdvanceRule, Disbursement
from budgets.selectors import settlement_deadline
from core.money import format_rate, format_vnd
from core.sheets import CellError, Column, Planned, Problem, Result, parse_money, parse_row, text
from core.text import fold
from imports.kinds import register
from imports.kinds.base import ImportKind
from imports.kinds.contracts import (
    NUMBER_LENGTH,
    SchemeColumns,
    closed_books,
    closed_problem,
    contracts_by_key,
    day,
    longest,
    may_record_anything,
    parse_day,
    parse_year,
    settled_problem,
)

K = Disbursement.Kind
# What officials write in the kind column, folded, besides the labels themselves.
KIND_WORDS = {
    "tam ung": K.ADVANCE,
    "thanh toan": K.PAYMENT,
    "thu hoi": K.REFUND,
    "thu hoi tam ung": K.REFUND,
    "hoan tra": K.REFUND,
    "thu hoi, hoan tra": K.REFUND,
    "thu hoi hoan tra": K.REFUND,
}
NOTE_LENGTH = 255


def parse_kind(value) -> str:
    raw = text(value)
    words = fold(raw)
    kind = KIND_WORDS.get(words) or {fold(str(label)): v for v, label in K.choices}.get(words)
    if kind is None:
        raise CellError(
            _("'%(value)s' không phải loại chứng từ: ghi %(choices)s")
            % {"value": raw, "choices": "; ".join(str(label) for _v, label in K.choices)}
        )
    return kind


class Ledger:
    """A contract's ledger as sums by day and kind (counter-entries netted in), to which the
    rows of the file are added as they are checked."""

    def __init__(self):
        self.sums: dict[tuple[datetime.date, str], Decimal] = defaultdict(Decimal)

    def add(self, paid_on: datetime.date, kind: str, amount: Decimal) -> None:
        self.sums[(paid_on, kind)] += amount

    def net(self, on: datetime.date | None = None) -> Decimal:
        """Advances + payments − refunds, up to `on` (budgets.ledger.contract_disbursed)."""
        total = Decimal(0)
        for (paid_on, kind), amount in self.sums.items():
            if on is None or paid_on <= on:
                total += -amount if kind == K.REFUND else amount
        return total

    def total(self, kind: str) -> Decimal:
        return sum((a for (_d, k), a in self.sums.items() if k == kind), Decimal(0))


class DisbursementsKind(ImportKind):
    name = "disbursements"

    def title(self) -> str:
        return _("Giải ngân")

    def columns(self) -> list[Column]:
        kinds = "; ".join(str(label) for _v, label in K.choices)
        return [
            Column("scheme", _("Mã đề án"), True, _("Mã đề án như trong hệ thống"), "KCQG-0001"),
            Column("year", _("Năm kế hoạch"), True, _("Năm của kế hoạch cấp kinh phí"), 2019),
            Column("contract", _("Số hợp đồng"), True, _("Số hợp đồng đã ghi"), "12/HĐ-KCQG"),
            Column("kind", _("Loại chứng từ"), True, kinds, str(K.PAYMENT.label)),
            Column(
                "paid_on",
                _("Ngày chứng từ"),
                True,
                _("dd/mm/yyyy, từ 01/01 năm kế hoạch đến 22/01 năm sau"),
                "20/11/2019",
            ),
            Column("amount", _("Số tiền (đồng)"), True, _("số đồng, lớn hơn 0"), "350.000.000"),
            Column("voucher", _("Số chứng từ"), True, _("Số ủy nhiệm chi, phiếu thu…"), "UNC-15"),
            Column("note", _("Ghi chú"), False, "", ""),
        ]

    def notes(self) -> tuple[str, ...]:
        return (
            _("Mỗi chứng từ nhận biết bằng hợp đồng và số chứng từ."),
            _(
                "Chứng từ đã ghi không sửa, không xoá: nếu ghi nhầm, đảo chứng từ trên màn hình "
                "tài chính rồi ghi chứng từ đúng với số khác."
            ),
            _("Hợp đồng phải được ghi trước (nhập hợp đồng hoặc màn hình tài chính)."),
        )

    def parsers(self) -> dict[str, Callable]:
        return {
            "year": parse_year,
            "contract": longest(NUMBER_LENGTH),
            "kind": parse_kind,
            "paid_on": parse_day,
            "amount": parse_money,
            "voucher": longest(NUMBER_LENGTH),
            "note": longest(NOTE_LENGTH),
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
        ids = [c.pk for c in contracts.values()]
        ledgers = defaultdict(Ledger)
        sums = (
            Disbursement.objects.filter(contract__in=ids)
            .order_by()
            .values("contract", "paid_on", "kind")
            .annotate(total=Sum("amount"))
        )
        for row in sums:
            ledgers[row["contract"]].add(row["paid_on"], row["kind"], row["total"])
        recorded = {
            (entry.contract_id, entry.voucher_number): entry
            for entry in Disbursement.objects.filter(
                contract__in=ids, voucher_number__in={v["voucher"] for _n, v in read}
            ).select_related("reversed_by", "reverses")
        }
        rules = list(AdvanceRule.objects.order_by("valid_from", "pk"))
        closed = closed_books(
            [a.plan.year for a in schemes.allocations] + [v["paid_on"].year for _n, v in read]
        )
        rows_check = _RowCheck(title, header, result, closed, rules)
        seen = {}
        for number, values in read:
            allocation = schemes.resolve(number, values, result)
            if allocation is None:
                continue
            contract = contracts.get((allocation.pk, fold(values["contract"])))
            if contract is None:
                rows_check.add(
                    number,
                    "contract",
                    _("đề án %(code)s năm %(year)s không có hợp đồng số %(number)s")
                    % {
                        "code": allocation.scheme.code,
                        "year": allocation.plan.year,
                        "number": values["contract"],
                    },
                )
                continue
            contract.allocation = allocation  # its scheme and plan, loaded with the allocation
            values["contract_obj"] = contract
            key = (contract.pk, values["voucher"])
            if key in seen:
                rows_check.add(
                    number,
                    "voucher",
                    _("trùng với dòng %(row)s (cùng số chứng từ, cùng hợp đồng)")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = number
            label = f"{values['voucher']} ({contract.number}, {allocation.scheme.code})"
            entry = recorded.get(key)
            if entry is not None:
                if rows_check.same_as(number, values, entry):
                    result.rows.append(Planned(number, label, "same", values, entry))
                continue
            if rows_check.payable(number, values, ledgers[contract.pk]):
                ledgers[contract.pk].add(values["paid_on"], values["kind"], values["amount"])
                result.rows.append(Planned(number, label, "create", values))

    def write(self, user: User, planned: Planned):
        values = planned.values
        return budget_services.disbursement_record(
            contract=values["contract_obj"],
            kind=values["kind"],
            amount=values["amount"],
            paid_on=values["paid_on"],
            voucher_number=values["voucher"],
            note=values.get("note", ""),
            by=user,
        )

    def undo(self, user: User, record, action: str) -> None:
        entry = Disbursement.objects.select_related("reversed_by").get(pk=record.pk)
        if hasattr(entry, "reversed_by"):
            return  # reversed on the finance screen already: the ledger nets it out
        budget_services.disbursement_reverse(
            entry=entry,
            reason=_("Huỷ lần nhập tệp giải ngân"),
            voucher_number=_counter_voucher(entry),
            paid_on=entry.paid_on,
            by=user,
        )


def _counter_voucher(entry: Disbursement) -> str:
    # A voucher number is data, the same in every language of the interface.
    voucher = f"{entry.voucher_number}/ĐẢO"
    taken = Disbursement.objects.filter(contract=entry.contract_id, voucher_number=voucher)
    if len(voucher) > NUMBER_LENGTH or taken.exists():
        voucher = f"ĐẢO-{entry.pk}"
    return voucher


class _RowCheck:
    """The rules of disbursement_record on one row, against the contract's ledger with the
    rows above added."""

    def __init__(self, title, header, result: Result, closed: dict, rules: list[AdvanceRule]):
        self.title, self.header, self.result = title, header, result
        self.closed, self.rules = closed, rules
        self.today = timezone.localdate()

    def add(self, number: int, key: str, message: str) -> None:
        self.result.problems.append(Problem(self.title, number, self.header[key], message))

    def same_as(self, number: int, values: dict, entry: Disbursement) -> bool:
        """Whether the recorded entry is this row; says why not when it is not."""
        if entry.reverses_id is not None:
            self.add(
                number,
                "voucher",
                _("số chứng từ %(voucher)s là bút toán đảo của chứng từ %(entry)s")
                % {"voucher": entry.voucher_number, "entry": entry.reverses.voucher_number},
            )
            return False
        if hasattr(entry, "reversed_by"):
            counter = entry.reversed_by
            self.add(
                number,
                "voucher",
                _(
                    "chứng từ %(voucher)s đã ghi rồi được đảo bằng chứng từ %(counter)s ngày "
                    "%(day)s (%(reason)s): chứng từ đã đảo không ghi lại với cùng số; nếu cần "
                    "ghi lại, dùng số chứng từ khác"
                )
                % {
                    "voucher": entry.voucher_number,
                    "counter": counter.voucher_number,
                    "day": day(counter.paid_on),
                    "reason": counter.note,
                },
            )
            return False
        if (entry.kind, entry.paid_on, entry.amount) == (
            values["kind"],
            values["paid_on"],
            values["amount"],
        ):
            return True
        self.add(
            number,
            "voucher",
            _(
                "chứng từ %(voucher)s đã ghi cho hợp đồng này khác dòng này (%(kind)s ngày "
                "%(day)s, %(amount)s): chứng từ đã ghi không sửa được; nếu ghi nhầm, đảo chứng "
                "từ trên màn hình tài chính rồi ghi chứng từ đúng với số khác"
            )
            % {
                "voucher": entry.voucher_number,
                "kind": entry.get_kind_display().lower(),
                "day": day(entry.paid_on),
                "amount": format_vnd(entry.amount),
            },
        )
        return False

    def payable(self, number: int, values: dict, ledger: Ledger) -> bool:
        contract = values["contract_obj"]
        problem = settled_problem(contract.allocation)
        if problem:
            self.add(number, "scheme", problem)
            return False
        problem = self._date(values["paid_on"], contract)
        if problem:
            self.add(number, "paid_on", problem)
            return False
        problem = self._amount(values, contract, ledger)
        if problem:
            self.add(number, "amount", problem)
            return False
        return True

    def _date(self, paid_on: datetime.date, contract) -> str | None:
        plan = contract.allocation.plan
        if paid_on > self.today:
            return _("ngày %(day)s ở tương lai: chỉ ghi những gì đã xảy ra") % {"day": day(paid_on)}
        if paid_on < contract.signed_on:
            return _("ngày %(day)s trước ngày ký %(contract)s (%(signed)s)") % {
                "day": day(paid_on),
                "contract": contract,
                "signed": day(contract.signed_on),
            }
        deadline = settlement_deadline(plan.year)
        if not datetime.date(plan.year, 1, 1) <= paid_on <= deadline:
            return _(
                "ngày %(day)s ngoài năm kế hoạch %(year)s: chứng từ của kế hoạch năm %(year)s "
                "ghi từ 01/01/%(year)s đến hạn quyết toán %(deadline)s"
            ) % {"day": day(paid_on), "year": plan.year, "deadline": day(deadline)}
        return closed_problem(self.closed, plan.fund, datetime.date(plan.year, 1, 1), paid_on)

    def _amount(self, values: dict, contract, ledger: Ledger) -> str | None:
        kind, amount, paid_on = values["kind"], values["amount"], values["paid_on"]
        if amount <= 0:
            return _("số tiền phải lớn hơn 0")
        disbursed = ledger.net()
        if kind == K.REFUND:
            refundable = min(disbursed, ledger.net(on=paid_on))
            if amount > refundable:
                return _(
                    "thu hồi %(amount)s lớn hơn số đã giải ngân của %(contract)s đến ngày "
                    "%(day)s (kể cả các dòng trên): %(paid)s"
                ) % {
                    "amount": format_vnd(amount),
                    "contract": contract,
                    "day": day(paid_on),
                    "paid": format_vnd(refundable),
                }
            return None
        if contract.liquidated_value is not None and kind == K.ADVANCE:
            return _("không tạm ứng cho %(contract)s: đã thanh lý ngày %(day)s") % {
                "contract": contract,
                "day": day(contract.liquidated_on),
            }
        ceiling, what = contract.value, _("giá trị")
        if contract.liquidated_value is not None:
            ceiling, what = contract.liquidated_value, _("giá trị thanh lý")
        if disbursed + amount > ceiling:
            return _(
                "%(amount)s vượt phần còn lại của %(contract)s: %(what)s %(value)s, đã giải ngân "
                "%(paid)s (kể cả các dòng trên), còn %(remaining)s"
            ) % {
                "amount": format_vnd(amount),
                "contract": contract,
                "what": what,
                "value": format_vnd(ceiling),
                "paid": format_vnd(disbursed),
                "remaining": format_vnd(ceiling - disbursed),
            }
        if kind == K.ADVANCE:
            return self._advance(amount, paid_on, contract, ledger)
        return None

    def _rule_on(self, on: datetime.date, scheme_kind: str) -> AdvanceRule | None:
        """budgets.ledger.advance_rule_on over the rules read once."""
        rules = [
            rule
            for rule in self.rules
            if rule.valid_from <= on
            and (rule.valid_to is None or rule.valid_to >= on)
            and rule.scheme_kind in (scheme_kind, "")
        ]
        rules.sort(key=lambda rule: rule.scheme_kind, reverse=True)
        return rules[0] if rules else None

    def _advance(self, amount, paid_on, contract, ledger: Ledger) -> str | None:
        rule = self._rule_on(paid_on, contract.allocation.scheme.kind)
        if rule is None:
            return None  # no rule known for that day: the contract's value alone bounds it
        advanced = ledger.total(K.ADVANCE)
        first = share(contract.value, rule.first_advance_rate)
        if not advanced > 0 and amount > first:
            return _(
                "tạm ứng lần đầu %(amount)s vượt mức %(rate)s giá trị %(contract)s (%(limit)s) "
                "theo quy định tạm ứng áp dụng từ %(since)s"
            ) % {
                "amount": format_vnd(amount),
                "rate": format_rate(rule.first_advance_rate),
                "contract": contract,
                "limit": format_vnd(first),
                "since": day(rule.valid_from),
            }
        outstanding = advances_outstanding(advanced, ledger.total(K.REFUND))
        cap = share(contract.value, rule.advance_cap_rate)
        if outstanding + amount > cap:
            return _(
                "tạm ứng %(amount)s vượt mức tạm ứng tối đa %(rate)s giá trị %(contract)s "
                "(%(cap)s) theo quy định áp dụng từ %(since)s: đã tạm ứng (trừ số thu hồi, kể cả "
                "các dòng trên) %(advanced)s, còn được tạm ứng %(remaining)s"
            ) % {
                "amount": format_vnd(amount),
                "rate": format_rate(rule.advance_cap_rate),
                "contract": contract,
                "cap": format_vnd(cap),
                "since": day(rule.valid_from),
                "advanced": format_vnd(outstanding),
                "remaining": format_vnd(max(cap - outstanding, Decimal(0))),
            }
        return None


DISBURSEMENTS = register(DisbursementsKind())
