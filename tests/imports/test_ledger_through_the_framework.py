"""Contracts and ledger entries take the same road as schemes: the file is recorded, checked,
written all or nothing, and undone as a whole, by the framework's services and its command."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role
from budgets.advance_rules import add_statutory_rules
from budgets.models import AdvanceRule, Contract, Disbursement
from imports.kinds import REGISTRY
from imports.models import ImportBatch
from imports.services import import_file, undo_import
from tests.factories import AllocationFactory, UserFactory
from tests.imports.ledger_files import MILLION, file_of

pytestmark = pytest.mark.django_db

CODE = "KCQG-NK-01"


@pytest.fixture(autouse=True)
def advance_rules(db):
    add_statutory_rules(AdvanceRule)


@pytest.fixture
def finance(db):
    return UserFactory(role=Role.MINISTRY, username="ketoan-nhap")


@pytest.fixture
def allocation(db):
    return AllocationFactory(amount=1000 * MILLION, scheme__code=CODE)


def contract_file() -> bytes:
    kind = REGISTRY["contracts"]
    headers = {col.key: col.header for col in kind.columns()}
    row = {
        headers["scheme"]: CODE,
        headers["year"]: 2019,
        headers["number"]: "07/2019/HĐ-NK",
        headers["signed_on"]: "15/03/2019",
        headers["value"]: "900.000.000",
    }
    return file_of(kind, row)


def entries_file(*rows: tuple[str, str, str, str]) -> bytes:
    kind = REGISTRY["disbursements"]
    headers = {col.key: col.header for col in kind.columns()}
    return file_of(
        kind,
        *[
            {
                headers["scheme"]: CODE,
                headers["year"]: 2019,
                headers["contract"]: "07/2019/HĐ-NK",
                headers["kind"]: entry_kind,
                headers["paid_on"]: day,
                headers["amount"]: amount,
                headers["voucher"]: voucher,
            }
            for entry_kind, day, amount, voucher in rows
        ],
    )


ENTRIES = (
    ("Tạm ứng", "02/04/2019", "600.000.000", "UNC-01"),
    ("thanh toan", "20/11/2019", "250 000 000", "UNC-02"),
)


def test_a_contract_then_its_ledger_imported_recorded_and_undone(finance, allocation):
    batch, result = import_file(
        kind="contracts", content=contract_file(), filename="hop-dong.xlsx", user=finance
    )
    assert (result.ok, batch.status, result.count("create")) == (True, "imported", 1)
    contract = Contract.objects.get(number="07/2019/HĐ-NK")
    assert contract.value == 900 * MILLION

    batch, result = import_file(
        kind="disbursements", content=entries_file(*ENTRIES), filename="gn.xlsx", user=finance
    )
    assert (result.ok, batch.status, result.count("create")) == (True, "imported", 2)
    assert batch.records.count() == 2
    assert sum(d.amount for d in contract.disbursements.all()) == 850 * MILLION

    again, result = import_file(
        kind="disbursements", content=entries_file(*ENTRIES), filename="gn.xlsx", user=finance
    )
    assert (result.ok, result.count("same"), again.records.count()) == (True, 2, 0)
    assert contract.disbursements.count() == 2

    undo_import(batch=batch, by=finance)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    entries = contract.disbursements.order_by("pk")
    assert entries.count() == 4  # never deleted: each entry has its counter-entry
    assert sum(d.amount for d in entries) == Decimal(0)
    assert Disbursement.objects.filter(reverses__isnull=False).count() == 2


def test_the_framework_refuses_the_whole_file_and_records_why(finance, allocation):
    import_file(kind="contracts", content=contract_file(), filename="hd.xlsx", user=finance)
    over_the_cap = (
        ("Tạm ứng", "02/04/2019", "400.000.000", "UNC-01"),
        ("Tạm ứng", "03/04/2019", "400.000.000", "UNC-02"),
    )
    batch, result = import_file(
        kind="disbursements", content=entries_file(*over_the_cap), filename="gn.xlsx", user=finance
    )
    assert not result.ok
    assert batch.status == ImportBatch.Status.REFUSED
    assert [p.row for p in result.problems] == [3]
    assert "70" in str(result.problems[0])
    assert not Disbursement.objects.exists()


def test_the_command_imports_ledger_entries(finance, allocation, tmp_path, capsys):
    import_file(kind="contracts", content=contract_file(), filename="hd.xlsx", user=finance)
    path = tmp_path / "gn.xlsx"
    path.write_bytes(entries_file(*ENTRIES))
    call_command("import_data", "disbursements", str(path), "--dry-run", "--user", finance.username)
    assert not Disbursement.objects.exists()
    call_command("import_data", "disbursements", str(path), "--user", finance.username)
    assert Disbursement.objects.count() == 2
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(entries_file(("Tạm ứng", "02/04/2019", "1,5 tỷ", "UNC-09")))
    with pytest.raises(CommandError):
        call_command("import_data", "disbursements", str(bad), "--user", finance.username)
    assert "'1,5 tỷ' không phải số tiền hợp lệ" in capsys.readouterr().err
