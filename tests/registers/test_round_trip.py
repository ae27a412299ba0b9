"""The clusters list, exported as XLSX, reads back as a clusters import with every row the same:
a province's register can leave the site, be corrected in Excel and come back."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registers import imports
from registers.models import IndustrialCluster
from tests.registers.test_import import cluster_row, clusters_file

pytestmark = pytest.mark.django_db


def test_the_exported_clusters_import_as_all_same_and_a_corrected_one_updates(
    client, ministry_user
):
    content = clusters_file(
        cluster_row(),
        cluster_row(**{"Cụm công nghiệp": "CCN Sơn Cẩm", "Tỉnh, thành phố": "Hà Nội"}),
    )
    assert imports.import_file(kind=imports.CLUSTERS, content=content, user=ministry_user).ok
    client.force_login(ministry_user)
    response = client.get(reverse("registers:cluster-export", args=["xlsx"]))
    assert response.status_code == 200
    exported = response.content

    again = imports.check_file(kind=imports.CLUSTERS, content=exported, user=ministry_user)
    assert again.problems == []
    assert sorted(row.action for row in again.rows) == ["same", "same"]

    # An official corrects the workers of one cluster in the downloaded file.
    book = load_workbook(io.BytesIO(exported))
    sheet = book.active
    header_row = next(
        row for row in sheet.iter_rows() if any(c.value == "Số lao động" for c in row)
    )
    workers = next(c.column for c in header_row if c.value == "Số lao động")
    name = next(c.column for c in header_row if c.value == "Cụm công nghiệp")
    for row in sheet.iter_rows(min_row=header_row[0].row + 1):
        if row[name - 1].value == "CCN Sơn Cẩm":
            row[workers - 1].value = 1300
    corrected = io.BytesIO()
    book.save(corrected)

    result = imports.import_file(
        kind=imports.CLUSTERS, content=corrected.getvalue(), user=ministry_user
    )
    assert result.ok, result.problems
    assert sorted(row.action for row in result.rows) == ["same", "update"]
    assert IndustrialCluster.objects.get(name="CCN Sơn Cẩm").workers == 1300
    assert IndustrialCluster.objects.count() == 2
