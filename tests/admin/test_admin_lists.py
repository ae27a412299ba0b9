"""Every model has an admin whose pages answer, and no changelist costs more queries with more
rows (STYLE §7.7: prove there is no N+1 by doubling the data)."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role, User
from budgets.models import SchemeAwaitingApproval
from notifications.models import Notification
from organisations.models import Organisation
from projects.models import Scheme, SchemeStatusChange
from provinces.models import Province, ProvinceMap
from submissions.models import Attachment, Comment, CostLine, ProgressReport
from tests import factories

PROJECT_APPS = (
    "notifications",
    "accounts",
    "provinces",
    "organisations",
    "reference",
    "establishments",
    "projects",
    "budgets",
    "submissions",
)
ROWS = 4

# Queries of one changelist page for a logged-in superuser, measured with ROWS and 2 × ROWS
# rows (SQLite and PostgreSQL alike): session, user, counts, rows, one per related list filter,
# one for the date hierarchy. A new join or filter may raise a ceiling; a count that grows
# with the rows fails the equality below whatever the ceiling.
QUERY_CEILING = {
    "projects.scheme": 8,
    "projects.scheme?q": 8,
    "budgets.allocation": 7,
    "budgets.contract": 8,
    "budgets.disbursement": 8,
    "budgets.annualplan": 6,
    "budgets.planbatch": 8,
    "establishments.establishment": 7,
    "provinces.province": 6,
    "organisations.organisation": 6,
    "accounts.user": 6,
}


def project_models():
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_has_an_admin():
    missing = [model.__name__ for model in project_models() if model not in admin.site._registry]
    assert missing == []


# Pages answer.


@pytest.fixture
def one_of_each(db, money_chain, admin_user):
    factories.EstablishmentFactory()
    change = SchemeStatusChange.objects.create(
        scheme=money_chain.contract.allocation.scheme,
        from_status=Scheme.Status.APPRAISED,
        to_status=Scheme.Status.APPROVED,
        by=admin_user,
    )
    Notification.objects.create(
        recipient=admin_user, status_change=change, subject="Đã phê duyệt", body="…"
    )
    scheme = money_chain.contract.allocation.scheme
    CostLine.objects.create(scheme=scheme, item="Máy móc thiết bị", support_amount=500_000_000)
    Attachment.objects.create(
        scheme=scheme,
        kind=Attachment.Kind.PROPOSAL,
        original_name="thuyet-minh.pdf",
        stored_path="attachments/admin-test/thuyet-minh.pdf",
        size=9,
        content_type=Attachment.FileType.PDF,
        sha256="0" * 64,
        uploaded_by=admin_user,
    )
    Comment.objects.create(scheme=scheme, author=admin_user, text="Bổ sung dự toán chi tiết.")
    ProgressReport.objects.create(
        scheme=scheme,
        period_year=2019,
        period_month=4,
        due_on=datetime.date(2019, 4, 25),
        submitted_on=datetime.date(2019, 4, 20),
        work_done="Đã lắp đặt máy",
        percent_complete=40,
        amount_spent=200_000_000,
        reported_by=admin_user,
    )
    factories.ledger_records(money_chain.contract, admin_user)
    return {
        model: admin_user if model is User else model._default_manager.first()
        for model in project_models()
    }


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label_lower)
def test_admin_pages_answer(admin_client_vi, one_of_each, admin_user, rf, model):
    if model is SchemeAwaitingApproval:
        # The queue shows only schemes waiting for a decision.
        one_of_each[model].status = Scheme.Status.APPRAISED
        one_of_each[model].save()
    obj = one_of_each[model]
    assert obj is not None
    request = rf.get("/")
    request.user = admin_user
    # Some admins show rows that are only written by services: no add page there.
    adds = admin.site._registry[model].has_add_permission(request)
    urls = {
        admin_url(model, "changelist"): 200,
        admin_url(model, "add"): 200 if adds else 403,
        admin_url(model, "change", obj.pk): 200,
        admin_url(model, "history", obj.pk): 200,
    }
    for url, status in urls.items():
        response = admin_client_vi.get(url)
        assert response.status_code == status, url


# Query counts.

_plan_years = itertools.count(2013)
_names = itertools.count(1)


def make_chains(rows: int) -> None:
    """Schemes in the old Thái Nguyên with an allocation, a contract and a disbursement each."""
    factories.DisbursementFactory.create_batch(rows)


def make_plans(rows: int) -> None:
    for _ in range(rows):
        factories.AllocationFactory(scheme__plan_year=next(_plan_years))


def make_establishments(rows: int) -> None:
    factories.EstablishmentFactory.create_batch(rows)


def _thai_nguyen() -> Province:
    return Province.objects.get(code="19", map_version=ProvinceMap.NEW_34)


def make_provinces(rows: int) -> None:
    taken = set(Province.objects.on_map(ProvinceMap.NEW_34).values_list("code", flat=True))
    free = [code for code in (f"{n:02d}" for n in range(99, 0, -1)) if code not in taken]
    successor = _thai_nguyen()
    for code in free[:rows]:
        Province.objects.create(
            code=code,
            map_version=ProvinceMap.NEW_34,
            name=f"Tỉnh Thử Nghiệm {code}",
            short_name=f"Thử Nghiệm {code}",
            kind=Province.Kind.PROVINCE,
            region=successor.region,
            successor=successor,
        )


def make_organisations(rows: int) -> None:
    province = _thai_nguyen()
    for _ in range(rows):
        Organisation.objects.create(
            kind=Organisation.Kind.OTHER,
            name=f"Viện nghiên cứu thử nghiệm {next(_names)}",
            province=province,
        )


def make_users(rows: int) -> None:
    province = _thai_nguyen()
    organisation = Organisation.objects.filter(province=province).first()
    for _ in range(rows):
        factories.UserFactory(role=Role.PROVINCE, province=province, organisation=organisation)


@dataclass(frozen=True)
class Case:
    key: str
    make: object
    query: str = ""

    @property
    def url(self) -> str:
        label = self.key.partition("?")[0]
        model = apps.get_model(label)
        return admin_url(model, "changelist") + self.query


CASES = [
    Case("projects.scheme", make_chains),
    Case("projects.scheme?q", make_chains, "?q=thai+nguyen"),
    Case("budgets.allocation", make_chains),
    Case("budgets.contract", make_chains),
    Case("budgets.disbursement", make_chains),
    Case("budgets.annualplan", make_plans),
    Case("budgets.planbatch", make_plans),
    Case("establishments.establishment", make_establishments),
    # Reference rows are there already: list only those made here, or all of one map.
    Case("provinces.province", make_provinces, "?map_version__exact=34"),
    Case("organisations.organisation", make_organisations, "?kind__exact=other"),
    Case("accounts.user", make_users),
]


def measure(client, url: str) -> tuple[int, int]:
    """(queries, rows listed) of one GET of a changelist."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.key)
def test_changelist_queries_do_not_grow_with_rows(admin_client_vi, case):
    case.make(ROWS)
    admin_client_vi.get(case.url)  # warm-up: content types, caches
    queries, rows = measure(admin_client_vi, case.url)
    case.make(ROWS)
    queries_doubled, rows_doubled = measure(admin_client_vi, case.url)

    assert rows_doubled - rows == ROWS
    assert queries_doubled == queries, f"{case.key}: {queries} → {queries_doubled}"
    assert queries <= QUERY_CEILING[case.key], f"{case.key}: {queries} queries"


# Change pages with read-only inlines: the inline rows cost no query each either.


def _add_allocations(scheme, rows: int) -> None:
    # A pilot scheme is funded from the plans of its later years too.
    for _ in range(rows):
        year = scheme.plan_year + scheme.allocations.count()
        factories.AllocationFactory(
            scheme=scheme, plan=factories.AnnualPlanFactory(year=year, fund=scheme.fund)
        )


def _add_contracts(allocation, rows: int) -> None:
    for _ in range(rows):
        factories.ContractFactory(allocation=allocation, value=Decimal(1_000_000))


def _add_disbursements(contract, rows: int) -> None:
    for _ in range(rows):
        factories.DisbursementFactory(contract=contract, amount=Decimal(1_000_000))


def _add_batches(plan, rows: int) -> None:
    factories.PlanBatchFactory.create_batch(rows, plan=plan)


INLINE_CASES = {
    "projects.scheme": (lambda chain: chain.contract.allocation.scheme, _add_allocations),
    "budgets.allocation": (lambda chain: chain.contract.allocation, _add_contracts),
    "budgets.contract": (lambda chain: chain.contract, _add_disbursements),
    "budgets.annualplan": (lambda chain: chain.contract.allocation.plan, _add_batches),
}


@pytest.mark.parametrize("key", INLINE_CASES)
def test_change_page_queries_do_not_grow_with_inline_rows(admin_client_vi, money_chain, key):
    parent_of, add_rows = INLINE_CASES[key]
    parent = parent_of(money_chain)
    url = admin_url(apps.get_model(key), "change", parent.pk)
    add_rows(parent, ROWS)
    admin_client_vi.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        assert admin_client_vi.get(url).status_code == 200
    add_rows(parent, ROWS)
    with CaptureQueriesContext(connection) as queries_doubled:
        response = admin_client_vi.get(url)
    inline_rows = len(response.context["inline_admin_formsets"][0].formset.forms)
    assert inline_rows >= 2 * ROWS
    assert len(queries_doubled) == len(queries), key


@pytest.mark.parametrize(
    "url", ["/admin/projects/scheme/", "/admin/budgets/annualplan/", "/admin/budgets/contract/"]
)
def test_years_are_written_without_a_thousand_separator(admin_client_vi, url):
    factories.ContractFactory(allocation__scheme__plan_year=2019)
    page = admin_client_vi.get(url).text
    assert ">2019<" in page
    assert "2.019" not in page
