import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from accounts.models import Role
from khuyencong.celery import app
from provinces.models import Province, ProvinceMap
from tests import factories
from tests.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]

REQUIRE_SERVICES = os.environ.get("KC_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def vietnamese():
    """Every test starts in Vietnamese, whatever language an earlier request switched on."""
    with translation.override("vi"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data, loaded as in production."""
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def reference_data(django_db_blocker):
    """Reload reference data in a transactional test (the flush after each one empties it)."""
    with django_db_blocker.unblock():
        load_reference()


def pytest_collection_modifyitems(config, items):
    """Tests marked `services` need PostgreSQL and Redis. On the embedded SQLite setup they are
    skipped, unless KC_REQUIRE_SERVICES=1 (CI), where running without the services is an error."""
    for item in items:
        if "services" in item.keywords and not REQUIRE_SERVICES and not _services_configured():
            item.add_marker(
                pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL")
            )


def _services_configured() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
        os.environ.get("REDIS_URL")
    )


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("KC_REQUIRE_SERVICES=1 but the test database is not PostgreSQL")
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def celery_worker(postgres_only):
    """A real Celery worker on a queue of its own, reading the test database (through
    Redis: the tests that are about tasks)."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_QUEUE": queue,
    }
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "khuyencong",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        process.wait(timeout=30)


def province(code: str, map_version: str = ProvinceMap.NEW_34) -> Province:
    return Province.objects.get(code=code, map_version=map_version)


@pytest.fixture
def ministry_user(db):
    return factories.UserFactory(role=Role.MINISTRY, username="bo-test")


@pytest.fixture
def approver(db):
    return factories.UserFactory(role=Role.APPROVER, username="pheduyet-test")


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(
        role=Role.ADMIN, username="quantri-test", is_staff=True, is_superuser=True
    )


@pytest.fixture
def thai_nguyen_user(db):
    return factories.UserFactory(role=Role.PROVINCE, province=province("19"), username="tinh-19-t")


@pytest.fixture
def ha_noi_user(db):
    return factories.UserFactory(role=Role.PROVINCE, province=province("01"), username="tinh-01-t")
