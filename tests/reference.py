from django.core.management import call_command

from budgets.advance_rules import add_statutory_rules
from budgets.models import AdvanceRule


def load_reference() -> None:
    """The reference data and the advance rules the migrations wrote. A reused test database
    (--reuse-db) may have been flushed by the last transactional test of an earlier run, which
    empties every table, so neither can be taken for granted."""
    call_command("load_reference", verbosity=0)
    add_statutory_rules(AdvanceRule)
