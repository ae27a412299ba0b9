"""Twenty payments race on one contract from twenty threads, each with its own connection: the
contract's row lock makes them run one after the other, so the sum never exceeds the value,
every payment accepted is in the ledger and none is lost or counted twice."""

import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, transaction

from accounts.models import Role
from budgets.models import Disbursement, PeriodLock, money_sum
from budgets.services import (
    MoneyChainError,
    assert_period_open,
    disbursement_record,
    year_close,
)
from projects.models import Fund
from tests.factories import ContractFactory, UserFactory

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


@pytest.mark.django_db(transaction=True)
def test_closing_a_year_waits_for_the_writes_in_flight(postgres_only, reference_data):
    """A write holds its period shared until it commits: the closing of that period cannot
    slip in between the write's check and its commit."""
    closer = UserFactory(role=Role.ADMIN, username="khoaso")
    in_flight, release = threading.Event(), threading.Event()

    def write() -> None:
        try:
            with transaction.atomic():
                assert_period_open(year=2019, fund=Fund.NATIONAL)
                in_flight.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    assert in_flight.wait(timeout=30)
    with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
        year_close(year=2019, fund=Fund.NATIONAL, by=closer)
    release.set()
    writer.join(timeout=30)
    year_close(year=2019, fund=Fund.NATIONAL, by=closer)
    assert PeriodLock.objects.filter(year=2019).count() == 1
