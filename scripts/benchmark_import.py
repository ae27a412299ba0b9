"""Time the import of a large schemes file: check, import, the same file again, undo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench .venv/bin/python \\
        scripts/benchmark_import.py [--rows 10000] [--format xlsx|csv] [--keep] [--cold] \\
        [--profile N]

Generates a file of --rows approved schemes (plan year 2100, so that nothing else in the
database is touched) written as officials write them: old province names with and without
diacritics or the "Tỉnh" prefix, money as 1.250.000.000, 1 250 000 000 and plain numbers, dates
as text and as Excel serials. Creates the plan and its batch if missing and a ministry user
"bench-import". Times, on this machine, with Django's own code paths (services.check_file and
services.import_file, as the command and the browser call them):

- reading the file alone (core.sheets.read_file);
- the check (every row parsed and checked, nothing written);
- the import (the check again, inside the transaction, and every row written): as the
  browser's confirmation, it reads the rows its check kept instead of reading the file again
  (with --cold it reads the file again, as an import never checked before);
- the same file again (every row "same", nothing written);
- the undo of the whole import (skipped with --keep).

Prints a Markdown table for the README."""

import argparse
import datetime
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.local")

YEAR = 2100
START_LOAD = os.getloadavg()[0]


def build_rows(count: int) -> list[dict]:
    from core.text import fold
    from organisations.models import Organisation
    from provinces.models import Province

    provinces = list(Province.objects.filter(map_version="63").order_by("code"))
    centres = {
        o.province.successor_id: o.name
        for o in Organisation.objects.filter(kind="provincial_centre").select_related("province")
    }
    spellings = (lambda p: p.name, lambda p: fold(p.name), lambda p: p.short_name + "  ")
    money = (
        lambda n: f"{n:,}".replace(",", "."),
        lambda n: f"{n:,}".replace(",", " "),
        lambda n: n,
    )
    rows = []
    for n in range(count):
        province = provinces[n % len(provinces)]
        amount = 100_000_000 + (n % 90) * 10_000_000
        start = datetime.date(YEAR, 1 + n % 6, 1 + n % 28)
        rows.append(
            {
                "Mã đề án": f"BENCH-{n:05d}",
                "Năm kế hoạch": YEAR,
                "Tên đề án": f"Hỗ trợ ứng dụng máy móc tiên tiến số {n}",
                "Nguồn kinh phí": "Khuyến công quốc gia" if n % 2 else "quoc gia",
                "Loại đề án": "Đề án theo đối tượng cụ thể",
                "Tỉnh, thành phố": spellings[n % 3](province),
                "Nội dung khuyến công": "1" if n % 4 else "1; Thông tin, tuyên truyền",
                "Ngành nghề": "a" if n % 2 else "Chế biến nông lâm thủy sản, thực phẩm",
                "Đơn vị thực hiện": centres.get(province.successor_id, "IPC1"),
                "Kinh phí hỗ trợ": money[n % 3](amount),
                "Vốn đối ứng": money[(n + 1) % 3](amount // 2),
                "Ngày bắt đầu": start.strftime("%d/%m/%Y") if n % 2 else _serial(start),
                "Ngày kết thúc": f"30/11/{YEAR}",
                "Trạng thái": "",
                "Số quyết định giao kế hoạch": "1/QĐ-BENCH",
                "Mục tiêu, nội dung chính": "",
            }
        )
    return rows


def _serial(day: datetime.date) -> int:
    return (day - datetime.date(1899, 12, 30)).days


def write_file(rows: list[dict], kind, fmt: str) -> bytes:
    import csv

    from openpyxl import Workbook

    headers = [col.header for col in kind.columns()]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(headers)
        writer.writerows([row[h] for h in headers] for row in rows)
        return out.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    sheet.title = kind.title()
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def prepare(amount_needed: int):
    from decimal import Decimal

    from accounts.models import Role, User
    from budgets.models import AnnualPlan, PlanBatch
    from organisations.models import Organisation

    if not Organisation.objects.exists():
        from django.core.management import call_command

        call_command("load_reference", verbosity=0)
    agency = Organisation.objects.get(kind=Organisation.Kind.AGENCY)
    plan, _ = AnnualPlan.objects.get_or_create(
        year=YEAR, fund="national", managing_unit=agency, defaults={"title": "Benchmark 2100"}
    )
    PlanBatch.objects.update_or_create(
        plan=plan,
        number=1,
        defaults={
            "decision_number": "1/QĐ-BENCH",
            "decision_date": datetime.date(YEAR - 1, 12, 30),
            "amount": Decimal(amount_needed),
        },
    )
    user, _ = User.objects.get_or_create(username="bench-import", defaults={"role": Role.MINISTRY})
    return user


def report(timings: list, step: str, value_and_times, note) -> object:
    """Record a step and show it at once (the undo of a large import takes a while)."""
    value, (wall, cpu) = value_and_times
    timings.append((step, (wall, cpu), note(value) if callable(note) else note))
    sys.stderr.write(f"{step}: {wall:.1f} s wall, {cpu:.1f} s CPU\n")
    return value


PROFILE = 0


def timed(function):
    """The value, the wall-clock seconds and this process's CPU seconds (the database's own
    work is in the wall time only). With --profile N, each step's N most expensive functions
    (cumulative time) go to stderr after its numbers; profiling slows the step."""
    profile = None
    if PROFILE:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    times = (time.perf_counter() - start, time.process_time() - cpu)
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(PROFILE)
    return value, times


def _refuse_unless_ok(result) -> None:
    if not result.ok:
        sys.exit("\n".join(str(p) for p in result.problems[:5]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--keep", action="store_true", help="leave the imported schemes")
    parser.add_argument(
        "--cold", action="store_true", help="import as if the file had not been checked before"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print each step's N costliest calls"
    )
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from core.sheets import read_file
    from imports import services
    from imports.kinds import REGISTRY
    from projects.models import Scheme

    if connection.vendor != "postgresql":
        sys.stderr.write("warning: not PostgreSQL; set DATABASE_URL\n")
    settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, args.rows)
    settings.IMPORT_MAX_BYTES = max(settings.IMPORT_MAX_BYTES, 50 * 1024 * 1024)
    kind = REGISTRY["schemes"]
    if Scheme.objects.filter(plan_year=YEAR).exists():
        sys.exit(f"Schemes of {YEAR} exist already: undo the last benchmark import first.")
    user = prepare(amount_needed=args.rows * 1_000_000_000)
    rows = build_rows(args.rows)
    content = write_file(rows, kind, args.format)
    name = f"benchmark.{args.format}"

    from django.core.cache import cache

    def forget_rows() -> None:
        cache.delete(services.read_cache_key(kind, content, name))

    forget_rows()  # kept by an earlier run with the same file
    timings = []
    report(
        timings,
        "read the file",
        timed(
            lambda: read_file(content, name, kind.columns(), settings.IMPORT_MAX_BYTES, args.rows)
        ),
        lambda value: f"{len(value[1])} rows",
    )
    result = report(
        timings,
        "check (nothing written)",
        timed(lambda: services.check_file(kind=kind, content=content, filename=name, user=user)),
        lambda value: f"{value.count('create')} to create",
    )
    _refuse_unless_ok(result)
    if args.cold:
        forget_rows()
    batch, result = report(
        timings,
        "import (check + write)" + (", file not checked before" if args.cold else ""),
        timed(
            lambda: services.import_file(kind="schemes", content=content, filename=name, user=user)
        ),
        lambda value: f"{value[0].created_count} created",
    )
    _refuse_unless_ok(result)
    report(
        timings,
        "same file again",
        timed(
            lambda: services.import_file(kind="schemes", content=content, filename=name, user=user)
        ),
        lambda value: f"{value[0].unchanged_count} unchanged",
    )
    if not args.keep:
        report(
            timings,
            "undo the import",
            timed(lambda: services.undo_import(batch=batch, by=user)),
            f"{batch.created_count} removed",
        )

    size = len(content) / (1024 * 1024)
    print(  # noqa: T201
        f"{args.rows} rows, {args.format} ({size:.1f} MB), PostgreSQL "
        f"{connection.pg_version if connection.vendor == 'postgresql' else '-'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average at start "
        f"{START_LOAD:.1f}, at end {os.getloadavg()[0]:.1f}"
    )
    print("| Step | Wall s | Python CPU s | |\n|---|---|---|---|")  # noqa: T201
    for step, (wall, cpu), note in timings:
        print(f"| {step} | {wall:.1f} | {cpu:.1f} | {note} |")  # noqa: T201


if __name__ == "__main__":
    main()
