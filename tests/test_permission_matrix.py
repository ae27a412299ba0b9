"""Every role × every page, export and API that shows or changes data × own / other province.

One Thái Nguyên scheme (made under the old map, in the old province 19) with its money; the
expected answer of each URL for each user. A province user must get 404, not 403, for another
province's records, and lists and exports must not leak them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from accounts.models import Role
from organisations.models import Organisation
from provinces.models import Province
from tests.factories import ContractFactory, DisbursementFactory, SchemeFactory, UserFactory

ANON, TINH19, TINH01, IPC1, BO, PHEDUYET, QUANTRI = (
    "anonymous",
    "tinh-19",
    "tinh-01",
    "ipc1",
    "bo",
    "pheduyet",
    "quantri",
)
USERS = (ANON, TINH19, TINH01, IPC1, BO, PHEDUYET, QUANTRI)


@pytest.fixture
def world(db):
    thai_nguyen = SchemeFactory(
        code="KCQG-TN-1",
        title="Hỗ trợ máy sấy chè Thái Nguyên",
        province=Province.objects.get(code="19", map_version="63"),
    )
    contract = ContractFactory(
        allocation__scheme=thai_nguyen, allocation__amount=Decimal(800_000_000)
    )
    DisbursementFactory(
        contract=contract, amount=Decimal(300_000_000), paid_on=datetime.date(2019, 5, 2)
    )
    approver = UserFactory(role=Role.APPROVER, username=PHEDUYET, is_staff=True)
    approver.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["projects", "budgets"],
            codename__regex=r"^(view|change)_",
        )
    )
    users = {
        TINH19: UserFactory(
            role=Role.PROVINCE,
            username=TINH19,
            province=Province.objects.get(code="19", map_version="34"),
        ),
        TINH01: UserFactory(
            role=Role.PROVINCE,
            username=TINH01,
            province=Province.objects.get(code="01", map_version="34"),
        ),
        IPC1: UserFactory(
            role=Role.REGIONAL,
            username=IPC1,
            organisation=Organisation.objects.get(short_name="IPC1"),
        ),
        BO: UserFactory(role=Role.MINISTRY, username=BO),
        PHEDUYET: approver,
        QUANTRI: UserFactory(role=Role.ADMIN, username=QUANTRI, is_staff=True, is_superuser=True),
    }
    return {"scheme": thai_nguyen, "contract": contract, "users": users}


def _client(client, world, user):
    if user != ANON:
        client.force_login(world["users"][user])
    return client


def _expect(**overrides):
    """The answer per user: 200 for every signed-in user unless overridden; anonymous 302."""
    expected = dict.fromkeys(USERS, 200)
    expected[ANON] = 302
    expected.update(overrides)
    return expected


# The portal is the provinces' and the regional centres'; the ministry reads dossiers there.
PORTAL_LIST = {BO: 403, PHEDUYET: 403, QUANTRI: 403}
PORTAL_CREATE = {BO: 403, PHEDUYET: 403, QUANTRI: 403}
# Edits only while a draft is a draft or returned (this scheme is approved: its own province
# is sent back to the dossier), and only by those who prepare it.
PORTAL_EDIT = {TINH19: 302, TINH01: 404, IPC1: 403, BO: 403, PHEDUYET: 403, QUANTRI: 403}

PAGES = {
    "overview": ("/", _expect()),
    "own province page (34)": ("/tinh/34/19/", _expect(**{TINH01: 404})),
    "own old province page (63)": ("/tinh/63/06/", _expect(**{TINH01: 404})),
    "southern province page": ("/tinh/34/79/", _expect(**{TINH19: 404, TINH01: 404, IPC1: 404})),
    "scheme list": ("/de-an/?year=2019", _expect()),
    "scheme page": ("/de-an/{pk}/", _expect(**{TINH01: 404})),
    "export csv": ("/de-an/xuat/csv/?year=2019", _expect()),
    "export xlsx": ("/de-an/xuat/xlsx/?year=2019", _expect()),
    "inbox": ("/hop-thu/", _expect()),
    "portal: my schemes": ("/ho-so/", _expect(**PORTAL_LIST)),
    "portal: my schemes export csv": ("/ho-so/xuat/csv/?tab=approved", _expect(**PORTAL_LIST)),
    "portal: my schemes export xlsx": ("/ho-so/xuat/xlsx/?tab=approved", _expect(**PORTAL_LIST)),
    "portal: new scheme form": ("/ho-so/tao-moi/", _expect(**PORTAL_CREATE)),
    "portal: scheme dossier": ("/ho-so/{pk}/", _expect(**{TINH01: 404})),
    "portal: edit form": ("/ho-so/{pk}/sua/", _expect(**PORTAL_EDIT)),
    # Progress reports are filed while a scheme is under way: this approved one sends its own
    # province back to the dossier (the scheme under way: test_who_may_report_progress).
    "portal: progress report form": ("/ho-so/{pk}/bao-cao-tien-do/", _expect(**PORTAL_EDIT)),
    "forecast: schemes at risk export csv": (
        "/giam-sat/du-bao/xuat/nguy-co/csv/?year=2019&fund=national",
        _expect(),
    ),
    "forecast: by province export xlsx": (
        "/giam-sat/du-bao/xuat/tinh/xlsx/?year=2019&fund=national",
        _expect(),
    ),
    "forecast: by content area export csv": (
        "/giam-sat/du-bao/xuat/noi-dung/csv/?year=2019&fund=national",
        _expect(),
    ),
    "consistency: failing rows export xlsx": (
        "/giam-sat/nhat-quan/xuat/xlsx/?year=2019&fund=national&check=past_end",
        _expect(),
    ),
    "public summary API": ("/api/v1/summary/?year=2019", dict.fromkeys(USERS, 200)),
    # Recording the ledger: the agency's finance staff (ministry) for the national fund, the
    # province for its own local fund, the administrator; this scheme is national.
    "finance: contracts to record": ("/tai-chinh/", _expect(**{IPC1: 403, PHEDUYET: 403})),
    "finance: contracts export csv": (
        "/tai-chinh/xuat/csv/",
        _expect(**{IPC1: 403, PHEDUYET: 403}),
    ),
    "finance: contracts export xlsx": (
        "/tai-chinh/xuat/xlsx/",
        _expect(**{IPC1: 403, PHEDUYET: 403}),
    ),
    "finance: contract ledger": (
        "/tai-chinh/hop-dong/{contract}/",
        _expect(**{TINH19: 403, TINH01: 404, IPC1: 403, PHEDUYET: 403}),
    ),
    "finance: reverse an entry": (
        "/tai-chinh/hop-dong/{contract}/chung-tu/{entry}/dao/",
        _expect(**{TINH19: 403, TINH01: 404, IPC1: 403, PHEDUYET: 403}),
    ),
    "API: scheme list": ("/api/v1/schemes/?year=2019", _expect(**{ANON: 401})),
    "API: scheme": ("/api/v1/schemes/KCQG-TN-1/2019/", _expect(**{ANON: 401, TINH01: 404})),
    "API: aggregates": ("/api/v1/aggregates/?year=2019", _expect(**{ANON: 401})),
    "API: schema": ("/api/v1/schema/", dict.fromkeys(USERS, 200)),
    "API: documentation": ("/api/v1/docs/", dict.fromkeys(USERS, 200)),
    "API keys page": ("/tai-khoan/khoa-api/", _expect()),
    "open data": ("/du-lieu-mo/?year=2019", dict.fromkeys(USERS, 200)),
    "open data csv": ("/du-lieu-mo/tai-ve.csv?year=2019", dict.fromkeys(USERS, 200)),
    "open data json": ("/du-lieu-mo/tai-ve.json?year=2019", dict.fromkeys(USERS, 200)),
    "admin approval queue": (
        "/admin/budgets/schemeawaitingapproval/",
        _expect(**{TINH19: 302, TINH01: 302, IPC1: 302, BO: 302}),
    ),
    "admin scheme change page": (
        "/admin/projects/scheme/{pk}/change/",
        _expect(**{TINH19: 302, TINH01: 302, IPC1: 302, BO: 302}),
    ),
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_who_gets_what(client, world, page, user):
    url, expected = PAGES[page]
    contract = world["contract"]
    response = _client(client, world, user).get(
        url.format(
            pk=world["scheme"].pk,
            contract=contract.pk,
            entry=contract.disbursements.get().pk,
        )
    )
    assert response.status_code == expected[user], (page, user)


REPORT = {TINH01: 404, IPC1: 403, BO: 403, PHEDUYET: 403, QUANTRI: 403}


@pytest.mark.parametrize("user", USERS)
def test_who_may_report_progress(client, world, user):
    """Only the province that prepares the scheme opens and posts its progress report form;
    another province gets 404, the others 403, and nothing is saved for them."""
    from projects.models import Scheme
    from submissions.models import ProgressReport

    scheme = world["scheme"]
    Scheme.objects.filter(pk=scheme.pk).update(status=Scheme.Status.IN_PROGRESS)
    url = f"/ho-so/{scheme.pk}/bao-cao-tien-do/"
    expected = _expect(**REPORT)
    client = _client(client, world, user)
    assert client.get(url).status_code == expected[user]
    data = {
        "period": "2019-05",
        "submitted_on": "20/05/2019",
        "work_done": "Đã lắp máy sấy chè",
        "percent_complete": "50",
        "amount_spent": "300.000.000",
    }
    response = client.post(url, data)
    assert response.status_code == (302 if user == TINH19 else expected[user])
    assert ProgressReport.objects.exists() == (user == TINH19)


LISTS = ["/de-an/?year=2019", "/de-an/xuat/csv/?year=2019", "/hop-thu/"]


@pytest.mark.parametrize("user", [TINH19, TINH01, IPC1, BO])
@pytest.mark.parametrize(
    "url",
    [
        "/de-an/?year=2019",
        "/de-an/xuat/csv/?year=2019",
        "/tai-chinh/xuat/csv/",
        "/api/v1/schemes/?year=2019",
        "/ho-so/xuat/csv/?tab=approved",
        "/giam-sat/du-bao/xuat/nguy-co/csv/?year=2019&fund=national&as_of=31/12/2019",
    ],
)
def test_lists_and_exports_show_only_what_the_user_may_see(client, world, url, user):
    response = _client(client, world, user).get(url)
    if url.startswith("/ho-so/"):
        # The portal lists the schemes the user's unit prepares: Thái Nguyên's own.
        assert response.status_code == (403 if user == BO else 200)
        if response.status_code == 200:
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            assert ("KCQG-TN-1" in body) is (user == TINH19)
        return
    if url.startswith("/tai-chinh/") and user in (TINH19, TINH01, IPC1):
        # The ledger is the ministry's for the national fund: the province and the regional
        # centre may not record against this national scheme, so it is not theirs to export.
        assert response.status_code == 403 if user == IPC1 else 200
        if response.status_code == 200:
            assert "KCQG-TN-1" not in b"".join(response.streaming_content).decode("utf-8-sig")
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert ("KCQG-TN-1" in body.decode("utf-8-sig")) is (user != TINH01)


@pytest.mark.parametrize(("user", "sees_money"), [(TINH19, True), (TINH01, False), (BO, True)])
def test_overview_figures_are_scoped(client, world, user, sees_money):
    page = _client(client, world, user).get("/?year=2019&fund=national").text
    # 0,80 tỷ approved in Thái Nguyên: only those who may see it count it.
    assert ("0,80 tỷ đồng" in page) is sees_money


# Adjustments (portal page, decisions, the admin queue) and the approval queue's page of
# changes between submissions.

ADMIN_ONLY = {TINH19: 302, TINH01: 302, IPC1: 302, BO: 302}
ADJUSTMENT_PAGES = {
    "portal: adjustments page": ("/ho-so/{pk}/dieu-chinh/", _expect(**{TINH01: 404})),
    "admin adjustment queue": ("/admin/adjustments/adjustmentrequest/", _expect(**ADMIN_ONLY)),
    "admin adjustment request": (
        "/admin/adjustments/adjustmentrequest/{rid}/change/",
        _expect(**ADMIN_ONLY),
    ),
    "admin queue: changes between submissions": (
        "/admin/budgets/schemeawaitingapproval/{wpk}/thay-doi/",
        _expect(**ADMIN_ONLY),
    ),
    "admin queue: changes of a scheme not waiting": (
        "/admin/budgets/schemeawaitingapproval/{pk}/thay-doi/",
        _expect(**ADMIN_ONLY, **{PHEDUYET: 404, QUANTRI: 404}),
    ),
}


@pytest.fixture
def adjusted(world):
    from adjustments.services import adjustment_request
    from projects.models import Scheme

    request = adjustment_request(
        scheme=world["scheme"], kind="stop", reason="Cơ sở giải thể", by=world["users"][TINH19]
    )
    waiting = SchemeFactory(
        code="KCQG-TN-2",
        status=Scheme.Status.REGISTERED,
        province=Province.objects.get(code="19", map_version="63"),
    )
    return {**world, "request": request, "waiting": waiting}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", ADJUSTMENT_PAGES, ids=str)
def test_who_gets_what_of_adjustments(client, adjusted, page, user):
    url, expected = ADJUSTMENT_PAGES[page]
    url = url.format(
        pk=adjusted["scheme"].pk, rid=adjusted["request"].pk, wpk=adjusted["waiting"].pk
    )
    response = _client(client, adjusted, user).get(url)
    assert response.status_code == expected[user], (page, user)


# Filing: only the unit that prepares the scheme; another province gets 404.
FILE = _expect(**{TINH19: 302, TINH01: 404, IPC1: 403, BO: 403, PHEDUYET: 403, QUANTRI: 403})


@pytest.mark.parametrize("user", USERS)
def test_who_may_file_a_request(client, adjusted, user):
    from adjustments.models import AdjustmentRequest
    from adjustments.services import adjustment_withdraw

    adjustment_withdraw(request=adjusted["request"], by=adjusted["users"][TINH19])
    url = f"/ho-so/{adjusted['scheme'].pk}/dieu-chinh/"
    response = _client(client, adjusted, user).post(url, {"kind": "stop", "reason": "Giải thể"})
    assert response.status_code == FILE[user]
    assert AdjustmentRequest.objects.filter(status="requested").exists() is (user == TINH19)


# Deciding a stop (the Minister's): the approver and the administrator; the others are sent
# back with the refusal, another province gets 404.
DECIDE = {**dict.fromkeys(USERS, 302), TINH01: 404}


@pytest.mark.parametrize("user", USERS)
def test_who_may_decide_a_stop(client, adjusted, user):
    request = adjusted["request"]
    url = f"/ho-so/{adjusted['scheme'].pk}/dieu-chinh/{request.pk}/quyet-dinh/"
    data = {"decision": "approve", "decision_number": "1/QĐ-BCT", "expected_status": "requested"}
    response = _client(client, adjusted, user).post(url, data)
    assert response.status_code == DECIDE[user]
    request.refresh_from_db()
    assert (request.status == "approved") is (user in (PHEDUYET, QUANTRI))


@pytest.mark.parametrize(("user", "sees_money"), [(TINH19, True), (TINH01, False), (BO, True)])
def test_api_aggregates_are_scoped_as_the_overview(client, world, user, sees_money):
    body = _client(client, world, user).get("/api/v1/aggregates/?year=2019&by=year").json()
    budgets = [row["budget_vnd"] for row in body["groups"]["year"]]
    assert (800_000_000 in budgets) is sees_money


# -- The registers: typical products, industrial clusters, fairs and conferences ------------------


@pytest.fixture
def registers_world(world):
    from registers.models import ProductLevel, TypicalProduct
    from tests.factories import (
        ClusterPlanDossierFactory,
        EstablishmentFactory,
        IndustrialClusterFactory,
        PromotionEventFactory,
        SelectionRoundFactory,
        TypicalProductFactory,
    )

    thai_nguyen = Province.objects.get(code="19", map_version="63")
    producer = EstablishmentFactory(province=thai_nguyen, registration_code="19A8000001")
    national = SelectionRoundFactory(level=ProductLevel.NATIONAL, year=2019)
    candidate = TypicalProductFactory(
        round=national,
        producer=producer,
        name="Chè Tân Cương đặc biệt",
        status=TypicalProduct.Status.REGISTERED,
        score=None,
        certificate_number="",
        certificate_date=None,
        valid_until=None,
    )
    certified = TypicalProductFactory(round=national, producer=producer, name="Miến dong")
    event = PromotionEventFactory(host_province=thai_nguyen, booths=10)
    participant = event.participants.create(establishment=producer, booths=1)
    return {
        **world,
        "product": candidate,
        "certified": certified,
        "cluster": IndustrialClusterFactory(province=thai_nguyen),
        "dossier": ClusterPlanDossierFactory(province=thai_nguyen),
        "event": event,
        "participant": participant,
    }


NOT_PROVINCE = {IPC1: 403, BO: 403, PHEDUYET: 403, QUANTRI: 403}
AGENCY_ONLY = {TINH19: 403, TINH01: 403, IPC1: 403}
EDITORS = {IPC1: 403}
OWN_EDIT = {TINH01: 404, IPC1: 403}

REGISTER_PAGES = {
    "products": ("/san-pham-tieu-bieu/?year=2019", _expect()),
    "products export": ("/san-pham-tieu-bieu/xuat/xlsx/", _expect()),
    "products export csv": ("/san-pham-tieu-bieu/xuat/csv/", _expect()),
    "product counts": ("/san-pham-tieu-bieu/thong-ke/", _expect()),
    "product register form": ("/san-pham-tieu-bieu/dang-ky/", _expect(**NOT_PROVINCE)),
    "product page": ("/san-pham-tieu-bieu/{product}/", _expect(**{TINH01: 404})),
    "product edit": (
        "/san-pham-tieu-bieu/{product}/sua/",
        _expect(**NOT_PROVINCE, **{TINH01: 404}),
    ),
    "product certify": ("/san-pham-tieu-bieu/{product}/cong-nhan/", _expect(**AGENCY_ONLY)),
    "public catalogue": ("/danh-muc-san-pham/", dict.fromkeys(USERS, 200)),
    "public catalogue export": ("/danh-muc-san-pham/xuat/xlsx/", dict.fromkeys(USERS, 200)),
    "public catalogue export csv": ("/danh-muc-san-pham/xuat/csv/", dict.fromkeys(USERS, 200)),
    "clusters": ("/cum-cong-nghiep/", _expect()),
    "clusters export": ("/cum-cong-nghiep/xuat/xlsx/", _expect()),
    "clusters export csv": ("/cum-cong-nghiep/xuat/csv/", _expect()),
    "cluster form": ("/cum-cong-nghiep/them/", _expect(**EDITORS)),
    "cluster page": ("/cum-cong-nghiep/{cluster}/", _expect(**{TINH01: 404})),
    "cluster edit": ("/cum-cong-nghiep/{cluster}/sua/", _expect(**OWN_EDIT)),
    "dossiers": ("/quy-hoach-cum-cong-nghiep/", _expect()),
    "dossiers export": ("/quy-hoach-cum-cong-nghiep/xuat/xlsx/", _expect()),
    "dossiers export csv": ("/quy-hoach-cum-cong-nghiep/xuat/csv/", _expect()),
    "dossier form": ("/quy-hoach-cum-cong-nghiep/gui/", _expect(**EDITORS)),
    "dossier page": ("/quy-hoach-cum-cong-nghiep/{dossier}/", _expect(**{TINH01: 404})),
    "events": ("/hoi-cho-hoi-nghi/", _expect()),
    "events export": ("/hoi-cho-hoi-nghi/xuat/xlsx/", _expect()),
    "events export csv": ("/hoi-cho-hoi-nghi/xuat/csv/", _expect()),
    "events calendar": ("/hoi-cho-hoi-nghi/lich/?month=2020-07", _expect()),
    "event form": ("/hoi-cho-hoi-nghi/them/", _expect(**EDITORS)),
    "event page": ("/hoi-cho-hoi-nghi/{event}/", _expect()),
    "event edit": ("/hoi-cho-hoi-nghi/{event}/sua/", _expect(**OWN_EDIT)),
}


def _register_url(url: str, objects: dict) -> str:
    return url.format(**{name: getattr(obj, "pk", None) for name, obj in objects.items()})


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", REGISTER_PAGES, ids=str)
def test_registers_who_gets_what(client, registers_world, page, user):
    url, expected = REGISTER_PAGES[page]
    response = _client(client, registers_world, user).get(_register_url(url, registers_world))
    assert response.status_code == expected[user], (page, user)


REGISTER_POSTS = {
    "withdraw a certificate": (
        "/san-pham-tieu-bieu/{certified}/thu-hoi/",
        {"reason": "Khiếu nại được chấp nhận"},
        _expect(**AGENCY_ONLY, **dict.fromkeys([BO, PHEDUYET, QUANTRI], 302)),
    ),
    "receive a dossier": (
        "/quy-hoach-cum-cong-nghiep/{dossier}/chuyen/",
        {"to": "received", "on": "05/03/2019"},
        _expect(**{**AGENCY_ONLY, TINH01: 404}, **dict.fromkeys([BO, PHEDUYET, QUANTRI], 302)),
    ),
    "add a fair participant": (
        "/hoi-cho-hoi-nghi/{event}/co-so/",
        {"registration_code": "19A8000001", "booths": "1"},
        # Already there: the form answers 400 to those who may edit, with the reason.
        _expect(**OWN_EDIT, **dict.fromkeys([TINH19, BO, PHEDUYET, QUANTRI], 400)),
    ),
    "remove a fair participant": (
        "/hoi-cho-hoi-nghi/{event}/co-so/{participant}/bo/",
        {},
        _expect(**OWN_EDIT, **dict.fromkeys([TINH19, BO, PHEDUYET, QUANTRI], 302)),
    ),
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("action", REGISTER_POSTS, ids=str)
def test_registers_who_may_change_what(client, registers_world, action, user):
    url, data, expected = REGISTER_POSTS[action]
    response = _client(client, registers_world, user).post(
        _register_url(url, registers_world), data
    )
    assert response.status_code == expected[user], (action, user)


@pytest.mark.parametrize("user", [TINH19, TINH01, IPC1, BO])
def test_registers_lists_and_exports_show_only_what_the_user_may_see(client, registers_world, user):
    import io

    import openpyxl

    client = _client(client, registers_world, user)
    for url, name in (
        ("/san-pham-tieu-bieu/xuat/xlsx/", "Chè Tân Cương đặc biệt"),
        ("/cum-cong-nghiep/xuat/xlsx/", registers_world["cluster"].name),
    ):
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(url).content)).active
        values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
        assert (name in values) is (user != TINH01), (url, user)
    for url, name in (
        ("/san-pham-tieu-bieu/xuat/csv/", "Chè Tân Cương đặc biệt"),
        ("/cum-cong-nghiep/xuat/csv/", registers_world["cluster"].name),
        ("/quy-hoach-cum-cong-nghiep/xuat/csv/", registers_world["dossier"].title),
    ):
        text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
        assert (name in text) is (user != TINH01), (url, user)


# -- The registers' XLSX import: editors only; a province's rows are checked per row ----------
IMPORT_PAGES = {
    "clusters import": "/cum-cong-nghiep/nhap/",
    "clusters import template": "/cum-cong-nghiep/nhap/mau/",
    "products import": "/san-pham-tieu-bieu/nhap/",
    "products import template": "/san-pham-tieu-bieu/nhap/mau/",
    "events import": "/hoi-cho-hoi-nghi/nhap/",
    "events import template": "/hoi-cho-hoi-nghi/nhap/mau/",
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", IMPORT_PAGES, ids=str)
def test_registers_import_pages(client, registers_world, page, user):
    response = _client(client, registers_world, user).get(IMPORT_PAGES[page])
    assert response.status_code == _expect(**EDITORS)[user], (page, user)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("kind", ["cum-cong-nghiep", "san-pham-tieu-bieu", "hoi-cho-hoi-nghi"])
def test_registers_import_confirm_without_a_file_writes_nothing(
    client, registers_world, kind, user
):
    response = _client(client, registers_world, user).post(
        f"/{kind}/nhap/xac-nhan/", {"token": "nothing"}
    )
    assert (
        response.status_code
        == _expect(**EDITORS, **dict.fromkeys((TINH19, TINH01, BO, PHEDUYET, QUANTRI), 302))[user]
    )


# -- Exports built in the background: a job is its asker's alone; others get 404 -------------


@pytest.fixture
def export_job(world, settings, tmp_path):
    from exports.services import export_job_create, export_job_run

    settings.MEDIA_ROOT = tmp_path
    job = export_job_create(
        user=world["users"][TINH19], table="schemes", file_format="xlsx", query="year=2019"
    )
    return export_job_run(job_id=job.pk)


OWNER_ONLY = _expect(**dict.fromkeys([TINH01, IPC1, BO, PHEDUYET, QUANTRI], 404))
EXPORT_JOB_PAGES = {
    "my exports": ("/xuat-du-lieu/", _expect()),
    "start a large export": (
        "/xuat-du-lieu/tao/?table=schemes&format=csv&query=year%3D2019",
        _expect(),
    ),
    "export job page": ("/xuat-du-lieu/{job}/", OWNER_ONLY),
    "export job progress": ("/xuat-du-lieu/{job}/tien-do/", OWNER_ONLY),
    "export job download": ("/xuat-du-lieu/{job}/tai-ve/", OWNER_ONLY),
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", EXPORT_JOB_PAGES, ids=str)
def test_export_jobs_who_gets_what(client, world, export_job, page, user):
    url, expected = EXPORT_JOB_PAGES[page]
    response = _client(client, world, user).get(url.format(job=export_job.pk))
    assert response.status_code == expected[user], (page, user)


@pytest.mark.parametrize("user", [TINH19, TINH01, IPC1, BO])
def test_background_exports_show_only_what_the_user_may_see(
    client, world, user, settings, tmp_path, django_capture_on_commit_callbacks
):
    import io

    import openpyxl

    settings.KC_EXPORT_SYNC_LIMIT = 0
    settings.MEDIA_ROOT = tmp_path
    client = _client(client, world, user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            "/xuat-du-lieu/tao/", {"table": "schemes", "format": "xlsx", "query": "year=2019"}
        )
    body = client.get(f"{started.url}tien-do/").json()
    assert body["status"] == "done"
    data = b"".join(client.get(body["download_url"]).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert ("KCQG-TN-1" in values) is (user != TINH01)


# -- The periodic reports: ministry staff for the whole programme, a province for its own unit;
# regional-centre staff have none. Another province's issue answers 404.


@pytest.fixture
def reports_world(world, settings, tmp_path):
    from reports.services import report_generate
    from tests.reports.conftest import make_issue

    settings.MEDIA_ROOT = tmp_path / "media"
    users = world["users"]
    own = make_issue(province=users[TINH19].province, by=users[TINH19])
    national = make_issue(by=users[BO])
    return {
        **world,
        "own": report_generate(issue_id=own.pk),
        "national": report_generate(issue_id=national.pk),
    }


NO_REPORTS = {IPC1: 403}
REPORT_PAGES = {
    "reports page": ("/bao-cao/", _expect(**NO_REPORTS)),
    "monthly mail setting": (
        "/bao-cao/nhan-thu/",
        _expect(**{TINH19: 403, TINH01: 403, IPC1: 403}),
    ),
    "province issue status": ("/bao-cao/{own}/trang-thai/", _expect(**NO_REPORTS, **{TINH01: 404})),
    "province issue xlsx": ("/bao-cao/{own}/tai-ve/xlsx/", _expect(**NO_REPORTS, **{TINH01: 404})),
    "province issue pdf": ("/bao-cao/{own}/tai-ve/pdf/", _expect(**NO_REPORTS, **{TINH01: 404})),
    "national issue status": (
        "/bao-cao/{national}/trang-thai/",
        _expect(**NO_REPORTS, **{TINH19: 404, TINH01: 404}),
    ),
    "national issue pdf": (
        "/bao-cao/{national}/tai-ve/pdf/",
        _expect(**NO_REPORTS, **{TINH19: 404, TINH01: 404}),
    ),
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", REPORT_PAGES, ids=str)
def test_reports_who_gets_what(client, reports_world, page, user):
    url, expected = REPORT_PAGES[page]
    url = url.format(own=reports_world["own"].pk, national=reports_world["national"].pk)
    response = _client(client, reports_world, user).get(url)
    assert response.status_code == expected[user], (page, user)


REISSUE = {**dict.fromkeys(USERS, 302), IPC1: 403, TINH01: 404}


@pytest.mark.parametrize("user", USERS)
def test_reports_who_may_reissue(client, reports_world, user):
    from reports.models import ReportIssue

    own = reports_world["own"]
    response = _client(client, reports_world, user).post(f"/bao-cao/{own.pk}/lap-lai/")
    assert response.status_code == REISSUE[user], user
    made = ReportIssue.objects.exclude(pk__in=[own.pk, reports_world["national"].pk])
    assert made.exists() is (REISSUE[user] == 302 and user != ANON)
    if made.exists():
        # The new issue keeps the unit's scope, whoever asked for it again.
        assert made.get().province == own.province


@pytest.mark.parametrize("user", [TINH19, TINH01, BO])
def test_reports_list_shows_only_what_the_user_may_read(client, reports_world, user):
    page = _client(client, reports_world, user).get("/bao-cao/").text
    own, national = reports_world["own"], reports_world["national"]
    assert (f'id="issue-{own.pk}"' in page) is (user in (TINH19, BO))
    assert (f'id="issue-{national.pk}"' in page) is (user == BO)


@pytest.mark.parametrize(("user", "sees_money"), [(TINH19, True), (TINH01, False), (BO, True)])
def test_reports_figures_are_scoped(client, reports_world, user, sees_money):
    import io

    import openpyxl

    from reports.models import ReportIssue
    from reports.services import report_generate

    client = _client(client, reports_world, user)
    client.post("/bao-cao/", {"year": "2019", "period": "year", "fund": "national"})
    issue = ReportIssue.objects.latest("pk")
    issue = report_generate(issue_id=issue.pk)
    text = b"".join(client.get(f"/bao-cao/{issue.pk}/tai-ve/xlsx/").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(text))["Tổng hợp"]
    budget = next(
        row for row in sheet.iter_rows(values_only=True) if row[0] == "Kinh phí được phê duyệt"
    )
    # 0,80 tỷ approved in Thái Nguyên: only those who may see it count it.
    assert (budget[2] == 800_000_000) is sees_money


# -- Data import (imports app): the ministry, administrators and provinces; a province sees
# its own imports, another province's answers 404 ---------------------------------------------
IMPORTERS = {IPC1: 403, PHEDUYET: 403}
OWN_IMPORT = {**IMPORTERS, TINH01: 404}


@pytest.fixture
def import_world(world):
    from imports import services
    from tests.imports import files

    content = files.xlsx(
        "beneficiaries", [files.beneficiary_row(**{"Mã đề án": "KCQG-TN-1", "Năm kế hoạch": 2019})]
    )
    importer = world["users"][TINH19]
    imported, result = services.import_file(
        kind="beneficiaries", content=content, filename="co-so.xlsx", user=importer
    )
    assert result.ok, result.problems
    checked, _result = services.import_file(
        kind="beneficiaries", content=content, filename="co-so.xlsx", user=importer, dry_run=True
    )
    return {**world, "imported": imported, "checked": checked}


DATA_IMPORT_PAGES = {
    "import home": ("/nhap-du-lieu/", _expect(**IMPORTERS)),
    "import template": ("/nhap-du-lieu/mau/schemes/", _expect(**IMPORTERS)),
    "import batch": ("/nhap-du-lieu/{imported}/", _expect(**OWN_IMPORT)),
    "import progress": ("/nhap-du-lieu/{imported}/tien-do/", _expect(**OWN_IMPORT)),
    "import undo page": ("/nhap-du-lieu/{imported}/hoan-tac/", _expect(**OWN_IMPORT)),
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", DATA_IMPORT_PAGES, ids=str)
def test_data_import_who_gets_what(client, import_world, page, user):
    url, expected = DATA_IMPORT_PAGES[page]
    response = _client(client, import_world, user).get(_register_url(url, import_world))
    assert response.status_code == expected[user], (page, user)


DATA_IMPORT_POSTS = {
    # Anyone who sees the import may undo it (the ministry, the administrator, its importer).
    "undo an import": (
        "/nhap-du-lieu/{imported}/hoan-tac/",
        _expect(**OWN_IMPORT, **dict.fromkeys([TINH19, BO, QUANTRI], 302)),
    ),
    # Only the person who uploaded the file confirms it.
    "confirm an import": (
        "/nhap-du-lieu/{checked}/xac-nhan/",
        _expect(**OWN_IMPORT, **{TINH19: 302, BO: 403, QUANTRI: 403}),
    ),
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("action", DATA_IMPORT_POSTS, ids=str)
def test_data_import_who_may_change_what(client, import_world, action, user):
    url, expected = DATA_IMPORT_POSTS[action]
    response = _client(client, import_world, user).post(_register_url(url, import_world))
    assert response.status_code == expected[user], (action, user)
