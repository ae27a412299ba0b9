"""`generate_synthetic --size S|M|L`: synthetic data at national scale for benchmarks (see
demo.synthetic and docs/benchmark.md).

It runs on a database of its own (kc_bench_s, …): it refuses a database holding any scheme or
plan that is not synthetic, such as the demo's. The synthetic plans are managed by the real
bodies (the agency and IPC1 for the national fund, each province's Sở Công Thương for the local
one), as real plans are, so that pages scoped by managing unit or province are measured on the
data shape they will meet; sharing a database with the demo would break the unique constraint
(one plan per year, fund and managing unit) and mix the figures.

On PostgreSQL the rows go in by COPY, 50,000 at a time; elsewhere by bulk_create. No history
rows (simple-history) are written: this data never went through an edit. The whole load is one
transaction; VACUUM ANALYZE follows, so that the planner knows the new tables."""

import datetime
import io
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch
from budgets.summary import allocation_money_rebuild, summary_analyze
from demo.synthetic import FIRST_YEAR, MODELS, PLAN_PREFIX, PREFIX, SIZES, Synthesiser, Table
from demo.world import World
from establishments.models import Establishment
from projects.models import Scheme

STAMPS = {"created_at", "updated_at"}
CHUNK = 50_000  # rows per COPY
BATCH_SIZE = 5_000  # rows per INSERT without COPY
LABELS = {
    "plans": "kế hoạch",
    "batches": "đợt giao",
    "establishments": "cơ sở CNNT",
    "schemes": "đề án",
    "content area links": "liên kết đề án–nội dung",
    "beneficiary links": "liên kết đề án–cơ sở thụ hưởng",
    "coordinating links": "liên kết đề án–đơn vị phối hợp",
    "allocations": "kinh phí đề án",
    "contracts": "hợp đồng/giao nhiệm vụ",
    "disbursements": "chứng từ giải ngân",
}


LABEL_OF = {
    Allocation: "allocations",
    Scheme.content_areas.through: "content area links",
    Scheme.beneficiaries.through: "beneficiary links",
    Scheme.coordinating_units.through: "coordinating links",
}


class Writer:
    """Inserts rows whose ids the caller chose, after locking the tables against other writers
    (ids are taken from MAX(id)); then moves the id sequences past them."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()

    def lock(self) -> None:
        if self.postgres:
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")

    @staticmethod
    def first_ids() -> dict[type[models.Model], int]:
        return {m: (m.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1 for m in MODELS}

    def write(self, table: Table) -> int:
        # Every column not given gets the field's default (COPY knows none), time stamps now.
        missing = [f for f in table.model._meta.concrete_fields if f.attname not in table.columns]
        columns = (*table.columns, *(f.attname for f in missing))
        rest = tuple(self.now if f.name in STAMPS else f.get_default() for f in missing)
        rows = ((*row, *rest) for row in table.rows) if rest else table.rows
        if not self.postgres:
            objs = [table.model(**dict(zip(columns, row, strict=True))) for row in rows]
            table.model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
            return len(objs)
        quote = connection.ops.quote_name
        by_attname = {f.attname: f.column for f in table.model._meta.concrete_fields}
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(table.model._meta.db_table), ", ".join(quote(by_attname[c]) for c in columns)
        )
        count, lines = 0, []
        with connection.cursor() as cursor:
            for row in rows:
                lines.append("\t".join(map(_copy_text, row)))
                if len(lines) == CHUNK:
                    cursor.copy_expert(sql, io.StringIO("\n".join(lines) + "\n"))
                    count, lines = count + len(lines), []
            if lines:
                cursor.copy_expert(sql, io.StringIO("\n".join(lines) + "\n"))
        return count + len(lines)

    def finish(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), MODELS):
                cursor.execute(sql)

    def analyze(self) -> None:
        """Refresh the planner's statistics (VACUUM too, outside a transaction: it also sets
        the visibility map that index-only scans need)."""
        if not self.postgres:
            return
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in MODELS:
                cursor.execute(f"{verb} {connection.ops.quote_name(model._meta.db_table)}")


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    return str(value)


def foreign_rows() -> int:
    """Schemes and plans in the database that are not synthetic (the demo's, or real ones)."""
    schemes = Scheme.objects.exclude(code__startswith=PREFIX).count()
    return schemes + AnnualPlan.objects.exclude(title__startswith=PLAN_PREFIX).count()


def delete_synthetic() -> dict[str, int]:
    """One DELETE per table, children first: the ORM would load the 2 million ledger entries
    to write a history row for each. Rows of other tables that point at a synthetic scheme
    (links, or records someone added through the site) go too; history rows hold no key."""
    table = {m: connection.ops.quote_name(m._meta.db_table) for m in MODELS}
    schemes = f"SELECT id FROM {table[Scheme]} WHERE code LIKE %s"  # noqa: S608 (quoted names)
    allocations = f"SELECT id FROM {table[Allocation]} WHERE scheme_id IN ({schemes})"  # noqa: S608
    contracts = f"SELECT id FROM {table[Contract]} WHERE allocation_id IN ({allocations})"  # noqa: S608
    plans = f"SELECT id FROM {table[AnnualPlan]} WHERE title LIKE %s"  # noqa: S608
    steps = [
        ("disbursements", Disbursement, f"contract_id IN ({contracts})", PREFIX),
        ("contracts", Contract, f"allocation_id IN ({allocations})", PREFIX),
    ]
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Scheme and field.db_constraint:
                label = LABEL_OF.get(model, model._meta.db_table)
                steps.append((label, model, f"{field.column} IN ({schemes})", PREFIX))
    steps += [
        ("schemes", Scheme, "code LIKE %s", PREFIX),
        ("establishments", Establishment, "registration_code LIKE %s", PREFIX),
        ("batches", PlanBatch, f"plan_id IN ({plans})", PLAN_PREFIX),
        ("plans", AnnualPlan, "title LIKE %s", PLAN_PREFIX),
    ]
    deleted = {}
    with connection.cursor() as cursor:
        for label, model, where, prefix in steps:
            name = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {name} WHERE {where}", [f"{prefix}%"])  # noqa: S608
            deleted[label] = deleted.get(label, 0) + cursor.rowcount
    return deleted


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tổng hợp quy mô toàn quốc để đo hiệu năng (không phải dữ liệu minh họa): "
        "XS = 60, S = 1.000, M = 20.000, L = 200.000 đề án, khoảng 10 chứng từ giải ngân mỗi đề "
        "án. Chỉ chạy trên cơ sở dữ liệu riêng cho đo hiệu năng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", required=True, choices=list(SIZES), help="Quy mô dữ liệu.")
        parser.add_argument("--seed", type=int, default=45, help="Hạt giống (mặc định 45).")
        parser.add_argument(
            "--reset", action="store_true", help="Xóa dữ liệu tổng hợp (SYN) đã có trước khi tạo."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Ngày coi là hôm nay, YYYY-MM-DD (mặc định: hôm nay): năm cuối của dữ liệu.",
        )

    def handle(self, *args, size: str, seed: int, reset: bool, today, **options):
        today = today or timezone.localdate()
        started = time.perf_counter()
        writer = Writer()
        with transaction.atomic():
            writer.lock()
            foreign = foreign_rows()
            if foreign:
                raise CommandError(
                    f"Cơ sở dữ liệu đã có {foreign} đề án/kế hoạch không phải dữ liệu tổng hợp "
                    "(dữ liệu minh họa hoặc thật). Hãy tạo một cơ sở dữ liệu riêng cho đo hiệu "
                    "năng (migrate, load_reference) rồi chạy lại lệnh trên đó."
                )
            existing = Scheme.objects.filter(code__startswith=PREFIX).count()
            if existing and not reset:
                raise CommandError(
                    f"Cơ sở dữ liệu đã có {existing} đề án tổng hợp (mã {PREFIX}…): không tạo "
                    "thêm. Dùng --reset để xóa chúng và tạo lại."
                )
            if existing:
                step = time.perf_counter()
                deleted = delete_synthetic()
                made = ", ".join(f"{n} {LABELS.get(k, k)}" for k, n in deleted.items() if n)
                self.stdout.write(f"Đã xóa dữ liệu tổng hợp cũ: {made} ({self._since(step)}).")
            step = time.perf_counter()
            synthesiser = Synthesiser(World(), size, seed, today)
            synthesiser.prepare(writer.first_ids())
            self.stdout.write(f"Sinh đề án, kinh phí, hợp đồng trong bộ nhớ: {self._since(step)}.")
            counts = {}
            for table in synthesiser.tables():
                step = time.perf_counter()
                counts[table.label] = writer.write(table)
                self.stdout.write(
                    f"  {counts[table.label]:>10,} {LABELS[table.label]} ({self._since(step)})"
                )
            writer.finish()
            # COPY sends no signals: the money summary table is filled in the same transaction.
            step = time.perf_counter()
            allocation_money_rebuild()
            self.stdout.write(f"Bảng số liệu kinh phí: {self._since(step)}.")
            step = time.perf_counter()
        self.stdout.write(f"Ghi (commit, kiểm tra khóa ngoại): {self._since(step)}.")
        step = time.perf_counter()
        writer.analyze()
        summary_analyze()
        self.stdout.write(f"VACUUM ANALYZE: {self._since(step)}.")
        total = sum(counts.values())
        self.stdout.write(
            f"Đã tạo dữ liệu tổng hợp cỡ {size} ({total:,} dòng, {FIRST_YEAR}–{today.year}"
            f"): {self._since(started)} tổng cộng."
        )

    @staticmethod
    def _since(start: float) -> str:
        return f"{time.perf_counter() - start:.1f} giây"
