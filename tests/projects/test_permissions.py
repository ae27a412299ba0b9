import pytest

from accounts.models import Role
from organisations.models import Organisation
from projects.permissions import provinces_visible_to, schemes_visible_to
from provinces.models import Province
from tests.factories import SchemeFactory, UserFactory


def _unit(code, map_version):
    return Province.objects.get(code=code, map_version=map_version)


@pytest.fixture
def schemes(db):
    return {
        "thai_nguyen_2019": SchemeFactory(province=_unit("19", "63")),
        "bac_kan_2019": SchemeFactory(province=_unit("06", "63")),  # merged into Thái Nguyên
        "thai_nguyen_2026": SchemeFactory(province=_unit("19", "34"), plan_year=2026),
        "ha_noi_2019": SchemeFactory(province=_unit("01", "63")),
        "lam_dong_2019": SchemeFactory(province=_unit("68", "63")),
    }


def _codes(user, schemes):
    visible = set(schemes_visible_to(user).values_list("pk", flat=True))
    return {name for name, scheme in schemes.items() if scheme.pk in visible}


def test_ministry_roles_see_everything(schemes):
    for role in (Role.MINISTRY, Role.APPROVER, Role.ADMIN):
        assert _codes(UserFactory(role=role), schemes) == set(schemes)


def test_province_user_sees_its_unit_and_the_provinces_merged_into_it(schemes, thai_nguyen_user):
    assert _codes(thai_nguyen_user, schemes) == {
        "thai_nguyen_2019",
        "bac_kan_2019",
        "thai_nguyen_2026",
    }


def test_another_province_sees_none_of_them(schemes, ha_noi_user):
    assert _codes(ha_noi_user, schemes) == {"ha_noi_2019"}


def test_regional_centre_sees_the_provinces_it_covers_and_its_own(schemes):
    ipc1 = Organisation.objects.get(short_name="IPC1")
    staff = UserFactory(role=Role.REGIONAL, organisation=ipc1)
    own = SchemeFactory(province=_unit("68", "63"), implementing_unit=ipc1)
    visible = _codes(staff, {**schemes, "ipc1_own": own})
    assert visible == {
        "thai_nguyen_2019",
        "bac_kan_2019",
        "thai_nguyen_2026",
        "ha_noi_2019",
        "ipc1_own",
    }
    assert not provinces_visible_to(staff).filter(code="79").exists()


def test_anonymous_sees_nothing(schemes):
    from django.contrib.auth.models import AnonymousUser

    assert not schemes_visible_to(AnonymousUser()).exists()


def test_prepares_agrees_with_schemes_prepared_by(schemes, thai_nguyen_user, ha_noi_user):
    from projects.permissions import prepares, schemes_prepared_by

    ipc1 = Organisation.objects.get(short_name="IPC1")
    regional = UserFactory(role=Role.REGIONAL, organisation=ipc1)
    own = SchemeFactory(province=_unit("68", "63"), implementing_unit=ipc1)
    for user in (thai_nguyen_user, ha_noi_user, regional, UserFactory(role=Role.MINISTRY)):
        prepared = set(schemes_prepared_by(user).values_list("pk", flat=True))
        for scheme in [*schemes.values(), own]:
            assert prepares(user, scheme) is (scheme.pk in prepared), (user, scheme)
    assert prepares(regional, own) and not prepares(regional, schemes["thai_nguyen_2019"])
    assert prepares(thai_nguyen_user, schemes["bac_kan_2019"])
