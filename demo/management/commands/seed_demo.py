import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from budgets.summary import allocation_money_rebuild
from dashboard.cache import bump_data_version
from demo.generate import DEFAULT_SEED, existing_plans, generate
from demo.summary import headline, year_lines
from demo.users import DEMO_PASSWORD, ensure_users
from demo.world import World
from demo.years import DEMO_TODAY, PLANS
from registers.demo import seed_registers

LABELS = {
    "establishments": "cơ sở CNNT",
    "plans": "kế hoạch",
    "batches": "đợt giao",
    "schemes": "đề án",
    "allocations": "kinh phí đề án",
    "contracts": "hợp đồng/giao nhiệm vụ",
    "disbursements": "chứng từ giải ngân",
    "status_changes": "bước chuyển trạng thái",
    "progress_reports": "báo cáo tiến độ",
}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu minh họa (kế hoạch, đề án, hợp đồng, giải ngân 2016–2026 và người dùng "
        "minh họa). Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Hạt giống ngẫu nhiên (mặc định 45)."
        )

    def handle(self, *args, seed: int, **options):
        started = time.perf_counter()
        with transaction.atomic():
            call_command("load_reference", stdout=self.stdout, stderr=self.stderr)
            world = World()
            created, updated = ensure_users()
            present = existing_plans(world)
            if present == 0:
                counts = generate(world, seed=seed)
                # Bulk writes send no signals: the money summary table is filled here.
                allocation_money_rebuild()
                # Bulk writes send no signals: retire any figures cached before them.
                transaction.on_commit(bump_data_version)
                made = ", ".join(f"{counts[key]} {label}" for key, label in LABELS.items())
                self.stdout.write(f"Đã tạo dữ liệu minh họa: {made}.")
            elif present == len(PLANS):
                self.stdout.write("Dữ liệu minh họa đã có: không thay đổi gì.")
            else:
                raise CommandError(
                    f"Cơ sở dữ liệu đã có {present}/{len(PLANS)} kế hoạch trùng với dữ liệu minh "
                    "họa: chỉ chạy seed_demo trên cơ sở dữ liệu chưa có các kế hoạch này."
                )
            seed_registers(today=DEMO_TODAY)
        if created:
            self.stdout.write(
                f"Người dùng minh họa đã tạo: {', '.join(created)} (mật khẩu {DEMO_PASSWORD})."
            )
        if updated:
            self.stdout.write(f"Người dùng minh họa đã cập nhật: {', '.join(updated)}.")
        if not created and not updated:
            self.stdout.write("Người dùng minh họa đã có: không thay đổi gì.")
        self.stdout.write(f"Số liệu theo năm kế hoạch (hôm nay {DEMO_TODAY:%d/%m/%Y}):")
        for line in year_lines(DEMO_TODAY):
            self.stdout.write(f"  {line}")
        self.stdout.write(headline(2019))
        self.stdout.write(f"Thời gian: {time.perf_counter() - started:.1f} giây.")
