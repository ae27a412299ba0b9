"""Twenty payments race on one contract from twenty threads, each with its own connection: the
contract's row lock makes them run one after the other, so the sum never exceeds the value,
every payment accepted is in the ledger and none is lost or counted twice."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from budgets.models import Disbursement, money_sum
from budgets.services import MoneyChainError, disbursement_record
from tests.factories import ContractFactory

MILLION = Decimal(1_000_000)
THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_payments_against_one_contract(postgres_only, reference_data):
    # 1 billion; 20 payments of 70 million: 14 fit (980 million), 6 must be refused.
    contract = ContractFactory(value=1000 * MILLION, allocation__amount=1000 * MILLION)
    barrier = threading.Barrier(THREADS)
    accepted: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def pay(voucher: str) -> None:
        try:
            barrier.wait(timeout=30)
            disbursement_record(
                contract=contract,
                kind=Disbursement.Kind.PAYMENT,
                amount=70 * MILLION,
                paid_on=contract.signed_on,
                voucher_number=voucher,
            )
            with lock:
                accepted.append(voucher)
        except MoneyChainError:
            with lock:
                refused.append(voucher)
        except BaseException as error:  # reported by the assertion below
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(f"UNC-{n:02d}",)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert not any(thread.is_alive() for thread in threads)
    assert (len(accepted), len(refused)) == (14, 6)
    ledger = contract.disbursements.all()
    assert sorted(ledger.values_list("voucher_number", flat=True)) == sorted(accepted)
    total = ledger.aggregate(total=money_sum(Disbursement.signed_amount()))["total"]
    assert total == 980 * MILLION <= contract.value
