"""Clusters keep their areas in order and link only their own province's schemes; planning
dossiers move received → appraised → agreed/returned with dates; fairs take no more booths
than they have; province users change only what their province holds."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from provinces.models import Province
from registers.models import ClusterPlanDossier
from registers.services.clusters import allowed_moves, cluster_save, dossier_move, dossier_submit
from registers.services.events import event_save, participant_add
from tests.factories import (
    EstablishmentFactory,
    IndustrialClusterFactory,
    PromotionEventFactory,
    SchemeFactory,
)

D = datetime.date
DS = ClusterPlanDossier.Status
pytestmark = pytest.mark.django_db


def old(code: str) -> Province:
    return Province.objects.get(code=code, map_version="63")


def test_leased_area_cannot_exceed_land_for_lease(thai_nguyen_user):
    cluster = IndustrialClusterFactory.build(
        province=old("19"),
        planned_area=Decimal("40.5"),
        leasable_area=Decimal("30"),
        leased_area=Decimal("30.01"),
    )
    with pytest.raises(ValidationError) as refused:
        cluster_save(cluster=cluster, by=thai_nguyen_user)
    assert "Diện tích đã cho thuê không được lớn hơn diện tích đất cho thuê." in str(refused.value)


def test_cluster_links_only_schemes_of_its_province(thai_nguyen_user):
    cluster = IndustrialClusterFactory(province=old("19"))
    own = SchemeFactory(province=old("06"))  # Bắc Kạn merged into Thái Nguyên
    other = SchemeFactory(province=old("01"), code="KCQG-HN")
    saved = cluster_save(cluster=cluster, by=thai_nguyen_user, schemes=[own])
    assert list(saved.schemes.all()) == [own]
    with pytest.raises(ValidationError) as refused:
        cluster_save(cluster=cluster, by=thai_nguyen_user, schemes=[other])
    assert refused.value.message_dict["schemes"][0].startswith(
        "Đề án KCQG-HN thuộc Thành phố Hà Nội"
    )
    assert saved.occupancy == Decimal("60.00")


def test_province_user_cannot_keep_another_provinces_cluster(ha_noi_user):
    with pytest.raises(ValidationError, match="không phải tỉnh của bạn"):
        cluster_save(cluster=IndustrialClusterFactory.build(province=old("19")), by=ha_noi_user)


def test_dossier_moves_with_dates(thai_nguyen_user, ministry_user):
    dossier = dossier_submit(
        by=thai_nguyen_user,
        province=old("19"),
        year=2019,
        title="Phương án phát triển cụm công nghiệp",
        submitted_on=D(2019, 3, 1),
        clusters=[IndustrialClusterFactory(province=old("19"))],
    )
    assert allowed_moves(dossier, thai_nguyen_user) == []
    with pytest.raises(ValidationError, match="không chuyển sang"):
        dossier_move(dossier=dossier, by=thai_nguyen_user, to=DS.RECEIVED, on=D(2019, 3, 5))
    with pytest.raises(ValidationError, match="trước bước trước đó"):
        dossier_move(dossier=dossier, by=ministry_user, to=DS.RECEIVED, on=D(2019, 2, 5))
    dossier = dossier_move(dossier=dossier, by=ministry_user, to=DS.RECEIVED, on=D(2019, 3, 5))
    with pytest.raises(ValidationError, match="nêu lý do"):
        dossier_move(dossier=dossier, by=ministry_user, to=DS.RETURNED, on=D(2019, 3, 20))
    dossier = dossier_move(
        dossier=dossier, by=ministry_user, to=DS.RETURNED, on=D(2019, 3, 20), opinion="Bổ sung"
    )
    assert allowed_moves(dossier, thai_nguyen_user) == [DS.SUBMITTED]
    dossier = dossier_move(dossier=dossier, by=thai_nguyen_user, to=DS.SUBMITTED, on=D(2019, 4, 2))
    assert dossier.received_on is None
    for to, day in ((DS.RECEIVED, D(2019, 4, 3)), (DS.APPRAISED, D(2019, 5, 2))):
        dossier = dossier_move(dossier=dossier, by=ministry_user, to=to, on=day)
    dossier = dossier_move(dossier=dossier, by=ministry_user, to=DS.AGREED, on=D(2019, 5, 10))
    assert (dossier.status, dossier.appraised_on, dossier.decided_on) == (
        DS.AGREED,
        D(2019, 5, 2),
        D(2019, 5, 10),
    )
    assert dossier.history.count() == 8  # creation, its clusters, six moves


def test_event_saved_only_by_its_host_province_or_the_agency(
    thai_nguyen_user, ha_noi_user, viewer_user
):
    event = PromotionEventFactory.build(host_province=old("19"))
    with pytest.raises(ValidationError, match="do tỉnh mình đăng cai"):
        event_save(event=event, by=ha_noi_user)
    with pytest.raises(PermissionDenied):
        event_save(event=event, by=viewer_user)
    saved = event_save(event=event, by=thai_nguyen_user)
    assert saved.pk and saved.history.first().history_user == thai_nguyen_user
    # A change locks the event's row alone (on PostgreSQL, FOR UPDATE cannot reach the nullable
    # host province of the join), and is refused to another province as a creation is.
    saved.booths = 40
    event_save(event=saved, by=thai_nguyen_user)
    assert (saved.history.count(), saved.history.first().booths) == (2, 40)
    with pytest.raises(ValidationError, match="do tỉnh mình đăng cai"):
        event_save(event=saved, by=ha_noi_user)


def test_fair_takes_no_more_booths_than_it_has(ministry_user):
    fair = PromotionEventFactory(kind="national_fair", booths=3)
    participant_add(event=fair, by=ministry_user, establishment=EstablishmentFactory(), booths=2)
    with pytest.raises(ValidationError) as refused:
        participant_add(
            event=fair, by=ministry_user, establishment=EstablishmentFactory(), booths=2
        )
    assert "Hội chợ có 3 gian hàng" in refused.value.message_dict["booths"][0]
    assert fair.participants.count() == 1


@pytest.fixture
def viewer_user(db):
    from accounts.models import Role
    from organisations.models import Organisation
    from tests.factories import UserFactory

    return UserFactory(
        role=Role.REGIONAL,
        username="ipc1-t",
        organisation=Organisation.objects.get(short_name="IPC1"),
    )
