import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from accounts.models import Role
from tests.factories import ContractFactory, UserFactory

_RULES = importlib.import_module("budgets.migrations.0011_advance_rules")

BILLION = Decimal(1_000_000_000)


@pytest.fixture
def migration_rules(db):
    """The advance rules of the data migration, as in production: a transactional test's flush
    (or a test database reused after one) may have emptied the table."""
    _RULES.add_rules(apps, None)


@pytest.fixture
def contract(db):
    return ContractFactory(value=BILLION, allocation__amount=BILLION)


@pytest.fixture
def clerk(db):
    return UserFactory(role=Role.MINISTRY, username="ketoan-test")
