"""What the site exports comes back in: the finance screen's contract list, downloaded as XLSX
or CSV, reads as a contracts import whose every row is "same" (nothing to write), and after the
contracts are removed the same file brings them back with their values, kinds and days."""

import pytest
from django.urls import reverse

from budgets.advance_rules import add_statutory_rules
from budgets.models import AdvanceRule, Contract
from budgets.services import contract_sign
from imports.services import check_file
from organisations.models import Organisation
from tests.factories import AllocationFactory
from tests.imports.ledger_files import MILLION, D, run
from tests.imports.test_contracts_kind import KIND, finance  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def contracts(finance):  # noqa: F811
    add_statutory_rules(AdvanceRule)
    contractor = Organisation.objects.create(
        kind=Organisation.Kind.OTHER, name="Công ty =Cơ khí+ Hoà Bình", short_name="CK HB"
    )
    first = AllocationFactory(amount=1000 * MILLION, scheme__code="KCQG-VONG-01")
    second = AllocationFactory(amount=500 * MILLION, scheme__code="KCQG-VONG-02")
    return [
        contract_sign(
            allocation=first,
            kind=Contract.Kind.CONTRACT,
            number="12/HĐ-KCQG",
            signed_on=D(2019, 3, 15),
            contractor=first.scheme.implementing_unit,
            value=600 * MILLION,
            by=finance,
        ),
        contract_sign(
            allocation=first,
            number="13/QĐ",
            kind=Contract.Kind.TASK,
            signed_on=D(2019, 4, 2),
            value=400 * MILLION,
            contractor=contractor,
            by=finance,
        ),
        contract_sign(
            allocation=second,
            kind=Contract.Kind.CONTRACT,
            number="7/HĐ",
            signed_on=D(2019, 5, 20),
            contractor=second.scheme.implementing_unit,
            value=499_999_999,
            by=finance,
        ),
    ]


def downloaded(client, file_format: str) -> bytes:
    response = client.get(reverse("budgets:contract-export", args=[file_format]))
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_exported_contract_list_imports_as_all_same(client, finance, contracts, file_format):  # noqa: F811
    client.force_login(finance)
    content = downloaded(client, file_format)
    result = check_file(kind=KIND, content=content, filename=f"so.{file_format}", user=finance)
    assert result.problems == []
    assert [row.action for row in result.rows] == ["same", "same", "same"]


def test_the_exported_list_brings_back_removed_contracts(client, finance, contracts):  # noqa: F811
    client.force_login(finance)
    content = downloaded(client, "xlsx")
    before = {
        c.number: (c.allocation_id, c.kind, c.signed_on, c.value, c.contractor_id)
        for c in Contract.objects.all()
    }
    Contract.objects.all().delete()  # nothing hangs on them: no entries, no amendments

    result, written = run(KIND, finance, content)

    assert result.problems == []
    assert [row.action for row in result.rows] == ["create"] * 3
    assert len(written) == 3
    after = {
        c.number: (c.allocation_id, c.kind, c.signed_on, c.value, c.contractor_id)
        for c in Contract.objects.all()
    }
    assert after == before
