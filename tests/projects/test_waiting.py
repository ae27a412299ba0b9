import datetime

from django.utils import timezone

from projects.models import Scheme, SchemeStatusChange
from projects.services import scheme_transition
from projects.waiting import longest_waits, stays, waiting_with
from provinces.models import Province
from tests.factories import SchemeFactory

S = Scheme.Status


def _scheme(status=S.DRAFT):
    return SchemeFactory(status=status, province=Province.objects.get(code="19", map_version="63"))


def test_who_a_status_waits_for_comes_from_the_workflow():
    assert waiting_with(S.APPRAISED) == ["Lãnh đạo phê duyệt"]
    assert "Cán bộ Bộ Công Thương" in waiting_with(S.REGISTERED)
    assert waiting_with(S.SETTLED) == []


def test_stays_cover_the_whole_life(db, thai_nguyen_user):
    scheme = _scheme()
    scheme_transition(scheme=scheme, to=S.SUBMITTED, by=thai_nguyen_user)
    scheme_transition(scheme=scheme, to=S.BASE_APPRAISED, by=thai_nguyen_user)
    SchemeStatusChange.objects.filter(to_status=S.SUBMITTED).update(
        at=timezone.now() - datetime.timedelta(days=12, hours=1)
    )
    result = stays(scheme)
    assert [stay.status for stay in result] == [S.DRAFT, S.SUBMITTED, S.BASE_APPRAISED]
    assert result[1].days == 12
    assert result[-1].until is None


def test_longest_waits_first_and_only_visible(db, thai_nguyen_user, ha_noi_user, ministry_user):
    old, new = _scheme(S.REGISTERED), _scheme(S.APPRAISED)
    _scheme(S.SETTLED)
    SchemeStatusChange.objects.create(
        scheme=old, from_status=S.BASE_APPRAISED, to_status=S.REGISTERED, by=thai_nguyen_user
    )
    SchemeStatusChange.objects.filter(scheme=old).update(
        at=timezone.now() - datetime.timedelta(days=40)
    )
    assert list(longest_waits(ministry_user)) == [old, new]
    assert list(longest_waits(ha_noi_user)) == []
