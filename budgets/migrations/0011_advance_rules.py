"""The advance rates known from the sources (see budgets.advance_rules)."""

from django.db import migrations

from budgets.advance_rules import RULES, add_statutory_rules


def add_rules(apps, schema_editor):
    add_statutory_rules(apps.get_model("budgets", "AdvanceRule"))


def remove_rules(apps, schema_editor):
    AdvanceRule = apps.get_model("budgets", "AdvanceRule")
    for rule in RULES:
        AdvanceRule.objects.filter(
            valid_from=rule["valid_from"], scheme_kind=rule["scheme_kind"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("budgets", "0010_ledger_rules")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
