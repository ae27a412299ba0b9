import pytest

from tests import factories


@pytest.fixture
def admin_client_vi(client, admin_user):
    """The test client logged in as the superuser of tests/conftest.py."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def money_chain(db):
    """One disbursement, with its contract, allocation, scheme, batch and plan."""
    return factories.DisbursementFactory()
