"""Server-side timings of the main pages on a database filled by `generate_synthetic`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_bench_l .venv/bin/python \\
        scripts/benchmark.py --size L [--runs 30]

Each page is requested with Django's test Client (no network, no browser), logged in as the
ministry user "bench" (created if missing): 3 warm-ups (the first is reported as "first"), then
--runs timed requests, each with its queries counted. The headline summary is also computed by
one hand-written SQL statement over the contracts and the ledger (best of 5): `Same` checks
that `programme_summary()`, which reads the summary table, says what the ledger says.
Prints a Markdown section and replaces the section of that size in docs/benchmark.md."""

import argparse
import datetime
import json
import logging
import math
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmark.md"
PAGES = (  # (name, URL, has the overview/list targets)
    ("Overview 2019, national", "/?year=2019&fund=national", True),
    ("Overview 2024, both funds", "/?year=2024&fund=all", True),
    ("Scheme list 2019", "/de-an/?year=2019", True),
    ("Scheme list 2024, search “may”", "/de-an/?year=2024&q=may", True),
    ("Scheme page (a 2024 scheme)", "/de-an/{scheme}/", False),
    ("Province page 19 (34 map), 2024", "/tinh/34/19/?year=2024", False),
    ("API summary 2019, national", "/api/v1/summary/?year=2019&fund=national", False),
)
TARGET_MEDIAN, TARGET_P95, TARGET_RATIO = 50.0, 150.0, 2.0
WARM_UPS, BEST_OF = 3, 5
START_LOAD = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
SUMMARIES = ((2019, "national"), (2024, None))

HEADLINE_SQL = """
WITH alloc AS (
    SELECT a.id, a.scheme_id, a.amount
    FROM budgets_allocation a
    JOIN budgets_annualplan p ON p.id = a.plan_id
    JOIN budgets_planbatch b ON b.id = a.batch_id
    WHERE p.year = %s AND (p.fund = %s OR %s = 'all') AND b.decision_date <= %s
), con AS (
    SELECT c.id, c.value, alloc.scheme_id
    FROM budgets_contract c JOIN alloc ON alloc.id = c.allocation_id
    WHERE c.signed_on <= %s
), net AS (
    SELECT con.scheme_id,
           SUM(CASE WHEN d.kind = 'refund' THEN -d.amount ELSE d.amount END) AS net
    FROM budgets_disbursement d JOIN con ON con.id = d.contract_id
    WHERE d.paid_on <= %s
    GROUP BY con.scheme_id
)
SELECT (SELECT COALESCE(SUM(amount), 0) FROM alloc),
       (SELECT COUNT(DISTINCT scheme_id) FROM alloc),
       (SELECT COUNT(DISTINCT scheme_id) FROM con),
       (SELECT COALESCE(SUM(value), 0) FROM con),
       (SELECT COALESCE(SUM(net), 0) FROM net),
       (SELECT COUNT(*) FROM net WHERE net > 0)
"""


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.local")
    os.environ.setdefault("DEBUG", "0")  # as in production: cached templates, no debug pages
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 500s are in the table


def unapplied_migrations() -> int:
    """Migrations of the code that the benchmark database lacks: a page may fail on them."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def bench_user():
    from accounts.models import Role, User

    user, created = User.objects.get_or_create(
        username="bench",
        defaults={"role": Role.MINISTRY, "last_name": "Đo", "first_name": "hiệu năng"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sample_scheme() -> int | None:
    from projects.models import Scheme

    paid = Scheme.objects.filter(plan_year=2024, code__startswith="SYN-")
    paid = paid.filter(allocations__contracts__disbursements__isnull=False).order_by("code")
    return paid.values_list("pk", flat=True).first()


def invalidator():
    """What a committed write does to cached figures: move the dashboard's data version on
    (dashboard.cache), else clear a local-memory cache; None if neither is possible."""
    from django.conf import settings
    from django.core.cache import cache

    try:
        from dashboard.cache import bump_data_version
    except ImportError:
        if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
            return cache.clear
        return None
    return bump_data_version


def timed_get(client, url: str) -> tuple:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    return response, elapsed, len(captured)


def measure_page(client, url: str, runs: int, cold_runs: int) -> dict:
    """Warm: the same request again and again (cached figures are served). Cold: each request
    right after the cache was invalidated, as the first visitor after a write sees it."""
    first, statuses, times, queries, error = None, set(), [], [], ""
    for index in range(WARM_UPS + runs):
        response, elapsed, count = timed_get(client, url)
        statuses.add(response.status_code)
        if getattr(response, "exc_info", None) and not error:
            error = f"{response.exc_info[0].__name__}: {response.exc_info[1]}".splitlines()[0]
        if index == 0:
            first = elapsed
        if index >= WARM_UPS:
            times.append(elapsed)
            queries.append(count)
    cold, cold_queries = [], []
    invalidate = invalidator()
    for _ in range(cold_runs if invalidate else 0):
        invalidate()
        _response, elapsed, count = timed_get(client, url)
        cold.append(elapsed)
        cold_queries.append(count)
    return {
        "status": "/".join(str(s) for s in sorted(statuses)),
        "first": first,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": max(queries),
        "queries_min": min(queries),
        "cold": statistics.median(cold) if cold else None,
        "cold_queries": max(cold_queries) if cold_queries else None,
        "error": error[:160],
    }


def measure_summary(year: int, fund: str | None) -> dict:
    from django.db import connection

    from dashboard.selectors import ProgrammeFilter, programme_summary

    cutoff = datetime.date(year, 12, 31)
    params = [year, fund or "all", fund or "all", cutoff, cutoff, cutoff]
    sql_times, orm_times, row = [], [], None
    for _ in range(BEST_OF):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(HEADLINE_SQL, params)
            row = cursor.fetchone()
            sql_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        summary = programme_summary(ProgrammeFilter(year=year, fund=fund))
        orm_times.append((time.perf_counter() - started) * 1000)
    figures = (
        summary.budget,
        summary.schemes_approved,
        summary.schemes_contracted,
        summary.contracted,
        summary.disbursed,
        summary.schemes_disbursed,
    )
    return {
        "label": f"{year}, {fund or 'both funds'}",
        "sql": min(sql_times),
        "orm": min(orm_times),
        "same": tuple(int(v) for v in row) == tuple(int(v) for v in figures),
        "schemes": summary.schemes_approved,
        "budget": int(summary.budget),
    }


def row_counts() -> dict[str, int]:
    from budgets.models import Allocation, AnnualPlan, Contract, Disbursement, PlanBatch
    from budgets.summary import AllocationMoney
    from projects.models import Scheme

    models = (AnnualPlan, PlanBatch, Scheme, Allocation, Contract, Disbursement, AllocationMoney)
    return {m._meta.db_table: m.objects.count() for m in models}


def environment() -> str:
    from django import get_version
    from django.conf import settings
    from django.db import connection

    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT split_part(version(), ' ', 2), current_setting('jit')")
            version, jit = cursor.fetchone()
        database = f"PostgreSQL {version} (jit {jit})"
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    # The machine may be shared: its load (1-minute average, at the start and at the end of
    # the run) says how far the times are from an idle machine's.
    load = f", load {START_LOAD:.1f}–{os.getloadavg()[0]:.1f}" if START_LOAD is not None else ""
    return (
        f"{os.cpu_count()} cores{load}, {database}, Python {platform.python_version()}, Django "
        f"{get_version()}, DEBUG={settings.DEBUG}, cache {cache}"
    )


def num(number: float, digits: int = 1) -> str:
    return f"{number:,.{digits}f}"


def verdict(result: dict, targeted: bool) -> str:
    if result["status"] != "200":
        return {"404": "page missing", "500": "error"}.get(result["status"], "not 200")
    if not targeted:
        return "—"
    ok = result["median"] <= TARGET_MEDIAN and result["p95"] <= TARGET_P95
    return "met" if ok else "**missed**"


def section(size: str, runs: int, pages: list, summaries: list, counts: dict, missing: int) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Size {size}",
        "",
        f"Measured {now}; {environment()}; {runs} requests per page after {WARM_UPS} warm-ups.",
        "",
        *([f"**{missing} migrations not applied to this database.**", ""] if missing else []),
        "Rows: " + ", ".join(f"`{t}` {num(n, 0)}" for t, n in counts.items()) + ".",
        "",
        "| Page | URL | HTTP | First (ms) | Median (ms) | p95 (ms) | Queries | Cold median (ms) "
        "| Cold queries | Target |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (name, url, targeted), result in pages:
        queries = str(result["queries"])
        if result["queries_min"] != result["queries"]:
            queries = f"{result['queries_min']}–{queries}"
        cold = "—" if result["cold"] is None else num(result["cold"])
        lines.append(
            f"| {name} | `{url}` | {result['status']} | {num(result['first'])} | "
            f"{num(result['median'])} | {num(result['p95'])} | {queries} | {cold} | "
            f"{result['cold_queries'] or '—'} | {verdict(result, targeted)} |"
        )
    errors = [(name, r["error"]) for (name, _u, _t), r in pages if r["error"]]
    if errors:
        lines += ["", "Errors: " + "; ".join(f"{name}: `{error}`" for name, error in errors) + "."]
    lines += [
        "",
        "Headline summary (budget, schemes approved and contracted, disbursed) to 31/12, best of "
        f"{BEST_OF}:",
        "",
        "| Year, fund | Schemes | One hand-written SQL (ms) | `programme_summary()` (ms) | Same |",
        "|---|---:|---:|---:|---|",
    ]
    for s in summaries:
        same = "yes" if s["same"] else "**no**"
        lines.append(
            f"| {s['label']} | {num(s['schemes'], 0)} | {num(s['sql'])} | {num(s['orm'])} "
            f"| {same} |"
        )
    data = {"pages": {url: r for (_n, url, _t), r in pages}, "summaries": summaries}
    lines += ["", f"<!-- data {json.dumps(data, default=str)} -->"]
    return "\n".join(lines)


def scaling(doc: str) -> str:
    found = {}
    for size, blob in re.findall(r"<!-- benchmark:([SML]) -->.*?<!-- data (.*?) -->", doc, re.S):
        found[size] = json.loads(blob)
    if "S" not in found or "L" not in found:
        return "Needs the results of sizes S and L."
    lines = [
        "| Page | Median S / M / L (ms) | L/S | Cold S / M / L (ms) | Cold L/S | Target L/S ≤ 2 |",
        "|---|---:|---:|---:|---:|---|",
    ]

    def cells(pages: dict, key: str) -> tuple[str, float | None]:
        values = {size: found[size]["pages"].get(pages, {}).get(key) for size in "SML"}
        text = " / ".join("—" if values[size] is None else num(values[size]) for size in "SML")
        ratio = values["L"] / values["S"] if values["S"] and values["L"] else None
        return text, ratio

    for name, url, _targeted in PAGES:
        url = url.replace("{scheme}", "<pk>")
        warm, ratio = cells(url, "median")
        cold, cold_ratio = cells(url, "cold")
        if ratio is None:
            continue
        worst = max(ratio, cold_ratio or 0)
        ok = "met" if worst <= TARGET_RATIO else "**missed**"
        statuses = {found[size]["pages"].get(url, {}).get("status") for size in "SML"} - {None}
        if statuses != {"200"}:
            ok = f"not comparable (HTTP {', '.join(sorted(statuses))})"
        cold_text = "—" if cold_ratio is None else num(cold_ratio, 2)
        lines.append(f"| {name} | {warm} | {num(ratio, 2)} | {cold} | {cold_text} | {ok} |")
    return "\n".join(lines)


def replace_block(doc: str, name: str, body: str) -> str:
    start, end = f"<!-- benchmark:{name} -->", f"<!-- /benchmark:{name} -->"
    block = f"{start}\n{body}\n{end}"
    if start in doc and end in doc:
        return doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) :]
    return doc.rstrip("\n") + f"\n\n{block}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", required=True, help="S, M or L: the section of the doc")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=5, help="requests after invalidation")
    parser.add_argument("--no-doc", action="store_true", help="print only")
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    missing = unapplied_migrations()
    if missing:
        print(f"warning: {missing} migrations not applied to this database", file=sys.stderr)  # noqa: T201

    client = Client(raise_request_exception=False)
    client.force_login(bench_user())
    scheme = sample_scheme()
    pages = []
    for name, url, targeted in PAGES:
        target = url.format(scheme=scheme) if scheme else url.format(scheme=0)
        result = measure_page(client, target, args.runs, args.cold_runs)
        pages.append(((name, url.replace("{scheme}", "<pk>"), targeted), result))
        cold = "" if result["cold"] is None else f", cold {result['cold']:.1f} ms"
        print(f"{name}: {result['status']} median {result['median']:.1f} ms{cold}", file=sys.stderr)  # noqa: T201
    summaries = [measure_summary(year, fund) for year, fund in SUMMARIES]
    body = section(args.size, args.runs, pages, summaries, row_counts(), missing)
    print(body)  # noqa: T201
    if not args.no_doc:
        doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
        doc = replace_block(doc, args.size, body)
        doc = replace_block(doc, "scaling", scaling(doc))
        DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
