"""On the demo data (seeded once for this module, rolled back at the end): the 2019 national
report shows the figures of the ministry's 2019 report, equal to the overview's for the same
year, fund and day, in its spreadsheet and in its PDF."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from accounts.models import Role
from dashboard import selectors as dashboard
from dashboard.selectors import ProgrammeFilter
from reports.pdf import report_pdf
from reports.selectors import report_data
from reports.xlsx import report_xlsx
from tests.factories import UserFactory
from tests.reports.conftest import make_issue

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _overview(client, day: str):
    client.force_login(UserFactory(role=Role.MINISTRY, username="bo-demo"))
    return client.get(f"/?year=2019&fund=national&map=63&as_of={day}")


def test_the_2019_report_shows_the_figures_of_the_overview(seeded, client):
    data = report_data(make_issue(as_of=D(2019, 12, 31)))
    summary = data.summary
    assert (summary.budget, summary.schemes_approved, summary.schemes_contracted) == (
        140_000_000_000,
        179,
        178,
    )
    assert (summary.disbursed, summary.schemes_disbursed) == (135_250_000_000, 175)
    assert (str(summary.contracted_rate), str(summary.disbursed_rate)) == ("99.44", "96.61")
    page = _overview(client, "31/12/2019")
    assert page.context["kpis"]["summary"] == summary
    # The KPI cards as a reader sees them (each number is a link).
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.text))
    assert "178/179" in text and "(99,44%)" in text
    assert "135,25 / 140,00 tỷ đồng" in text and "(96,61%)" in text
    # The tables add up to the headline, and the regions are the overview's.
    assert sum(row.budget for row in data.provinces) == summary.budget
    assert sum(row.disbursed for row in data.provinces) == summary.disbursed
    assert sum(row.contracted for row in data.regions) == summary.contracted
    programme = ProgrammeFilter(
        year=2019, fund="national", province_map="63", as_of=D(2019, 12, 31)
    )
    assert {row.code: (row.budget, row.disbursed) for row in data.regions} == {
        row["code"]: (row["budget"], row["disbursed"])
        for row in dashboard.disbursement_by_region(programme)
    }
    # The registers of 2019: 110 national typical products, dossiers of 11 provinces.
    assert data.register_totals.products.get("national") == 110
    assert data.dossier_provinces == 11

    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(data)))
    rows = {row[0]: row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row[0]}
    assert rows["Đề án đã ký hợp đồng, giao nhiệm vụ"][1] == "178/179 (99,44%)"
    assert rows["Kinh phí đã giải ngân (lũy kế)"][1:3] == (
        "135,25 / 140,00 tỷ đồng (96,61%)",
        135_250_000_000,
    )
    assert rows["Số đề án có giải ngân"][2] == 175
    pdf = PdfReader(io.BytesIO(report_pdf(data)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "178/179 (99,44%)",
        "135,25 / 140,00 tỷ đồng (96,61%)",
        "140.000.000.000 đồng (140,00 tỷ đồng)",
        "Số đề án có giải ngân 175",
        "Số tỉnh có hồ sơ quy hoạch CCN được thẩm định: 11",
    ):
        assert expected in text, expected


def test_a_quarter_taken_on_the_ledger_is_the_overview_of_that_day(seeded, client):
    data = report_data(make_issue(period="q3"))
    page = _overview(client, "30/09/2019")
    assert page.context["kpis"]["summary"] == data.summary
    assert data.summary.disbursed < 135_250_000_000
    assert data.monthly[-1].cumulative == data.summary.disbursed
