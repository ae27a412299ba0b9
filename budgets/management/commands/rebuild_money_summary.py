"""`rebuild_money_summary`: recompute the summary table (budgets.summary) from the allocations,
contracts and ledger, in one INSERT … SELECT. For repairs, and after bulk writes that send no
signals."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from budgets.summary import allocation_money_rebuild


class Command(BaseCommand):
    help = "Tính lại bảng số liệu kinh phí theo từng khoản kinh phí được duyệt từ sổ giải ngân."

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            rows = allocation_money_rebuild()
        self.stdout.write(
            f"Đã tính lại số liệu kinh phí của {rows:,} khoản kinh phí được duyệt "
            f"({time.perf_counter() - started:.1f} giây)."
        )
