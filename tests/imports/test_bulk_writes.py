"""The bulk paths of a large import and of its undo: every change still in the histories (one
row per scheme and allocation, naming who and why), the summary rows as a refresh computes
them, the dashboard told, queries that do not grow with the file, and the check of an import
that reuses the rows read by its preview still made against the database of the moment."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from budgets.models import Allocation
from budgets.summary import AllocationMoney, allocation_money_refresh
from dashboard.cache import data_version
from imports import services
from imports.kinds import REGISTRY
from imports.models import ImportBatch
from projects.models import Scheme
from tests import factories
from tests.imports import files

pytestmark = pytest.mark.django_db

MONEY = "Kinh phí hỗ trợ"


def rows(count: int) -> list[dict]:
    return [
        files.scheme_row(**{"Mã đề án": f"KC-{n:03d}", MONEY: "1.000.000"}) for n in range(count)
    ]


def run(user, content, filename="ke-hoach.xlsx"):
    return services.import_file(kind="schemes", content=content, filename=filename, user=user)


def tracked(history_row) -> dict:
    """The scheme's (or allocation's) own values kept in a history row."""
    return {f.attname: getattr(history_row, f.attname) for f in history_row.tracked_fields}


def current(record) -> dict:
    fields = type(record).history.model.tracked_fields
    return {f.attname: getattr(record, f.attname) for f in fields}


def test_each_imported_scheme_and_allocation_has_its_creation_in_history(ministry, plan):
    not_approved = files.scheme_row(
        **{"Mã đề án": "KC-X", "Trạng thái": "Cục đã thẩm định", "Số quyết định giao kế hoạch": ""}
    )
    batch, result = run(ministry, files.xlsx("schemes", [*rows(3), not_approved]))
    assert result.ok, result.problems
    note = f"Nhập từ tệp ke-hoach.xlsx (lần nhập số {batch.pk})"
    for record in [*Scheme.objects.all(), *Allocation.objects.all()]:
        history = record.history.get()
        assert (history.history_type, history.history_user, history.history_change_reason) == (
            "+",
            ministry,
            note,
        )
        assert tracked(history) == current(record)
    assert Scheme.history.count() == 4 and Allocation.history.count() == 3


def test_undo_records_each_deleted_scheme_and_allocation_in_its_history(ministry, plan):
    batch, _ = run(ministry, files.xlsx("schemes", rows(4)))
    before = {
        (type(record), record.pk): current(record)
        for record in [*Scheme.objects.all(), *Allocation.objects.all()]
    }
    services.undo_import(batch=batch, by=ministry)
    assert not Scheme.objects.exists() and not Allocation.objects.exists()
    note = f"Hoàn tác lần nhập số {batch.pk} (tệp ke-hoach.xlsx)"
    deleted = [
        *Scheme.history.filter(history_type="-"),
        *Allocation.history.filter(history_type="-"),
    ]
    # One row per deleted record (the delete signal adds no second one), with its values.
    assert len(deleted) == len(before) == 8
    for history in deleted:
        assert (history.history_user, history.history_change_reason) == (ministry, note)
        assert tracked(history) == before[(history.instance_type, history.id)]
    # Each scheme's history tells its whole life: created, then deleted.
    for pk in {pk for model, pk in before if model is Scheme}:
        assert list(Scheme.history.filter(id=pk).values_list("history_type", flat=True)) == [
            "-",
            "+",
        ]


def test_a_scheme_deleted_on_its_own_still_gets_its_history_row(ministry):
    scheme = factories.SchemeFactory()
    scheme._history_user = ministry
    scheme.delete()
    assert Scheme.history.filter(history_type="-").get().history_user == ministry


def test_the_summary_rows_of_new_allocations_are_those_a_refresh_computes(ministry, plan):
    run(ministry, files.xlsx("schemes", rows(3)))

    def figures() -> list[dict]:
        return [
            model_to_dict(row, exclude=["created_at", "updated_at"])
            for row in AllocationMoney.objects.order_by("allocation_id")
        ]

    created = figures()
    assert len(created) == 3
    allocation_money_refresh(Allocation.objects.values_list("pk", flat=True))
    assert figures() == created


def test_the_imports_and_the_undos_queries_do_not_grow_with_the_file(ministry, plan):
    def queries(count: int) -> tuple[int, int]:
        content = files.xlsx("schemes", rows(count))
        with CaptureQueriesContext(connection) as imported:
            batch, result = run(ministry, content)
        assert result.ok and batch.created_count == count
        with CaptureQueriesContext(connection) as undone:
            services.undo_import(batch=batch, by=ministry)
        assert not Scheme.objects.exists()
        return len(imported), len(undone)

    assert queries(5) == queries(60)


@pytest.mark.django_db(transaction=True)
def test_an_import_moves_the_dashboards_data_version_on(reference_data, ministry, plan):
    """Its bulk writes send no save signal; the import itself retires the cached figures."""
    version = data_version()
    run(ministry, files.xlsx("schemes", rows(2)))
    assert data_version() > version


def test_the_import_after_a_check_checks_the_database_of_the_moment(ministry, plan):
    """The import reuses the rows its check read from the file, not the check's verdict: a
    scheme created meanwhile with the same code is found by the import's own check."""
    content = files.xlsx("schemes", rows(2))
    checked = services.check_file(
        kind=REGISTRY["schemes"], content=content, filename="ke-hoach.xlsx", user=ministry
    )
    assert checked.ok and checked.count("create") == 2
    factories.SchemeFactory(code="KC-001", plan_year=2019, fund="local")
    batch, result = run(ministry, content)
    assert batch.status == ImportBatch.Status.REFUSED
    assert [p.row for p in result.problems] == [3]
    assert result.problems[0].message.startswith("đề án KC-001 năm 2019 đã có với giá trị khác")
    assert Scheme.objects.count() == 1


def test_the_same_csv_under_another_name_is_another_sheet(ministry, plan):
    content = files.csv_bytes("schemes", rows(1))
    kind = REGISTRY["schemes"]
    first = services.check_file(kind=kind, content=content, filename="a.csv", user=ministry)
    second = services.check_file(kind=kind, content=content, filename="b.csv", user=ministry)
    assert (first.sheet, second.sheet) == ("a.csv", "b.csv")
