"""Fairs and conferences and the establishments that took part."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from establishments.models import Establishment
from registers.models import EventParticipant, PromotionEvent
from registers.permissions import events_editable_by, is_agency, is_province_user
from registers.services.common import save_as


def _require_editor(by: User, event: PromotionEvent) -> None:
    if is_agency(by):
        return
    if not is_province_user(by):
        raise PermissionDenied(_("Chỉ cán bộ tỉnh đăng cai hoặc Cục cập nhật hội chợ, hội nghị."))
    if event.host_province is None or event.host_province.successor_id != by.province_id:
        raise ValidationError(
            {
                "host_province": _(
                    "Cán bộ tỉnh chỉ cập nhật hội chợ, hội nghị do tỉnh mình đăng cai."
                )
            }
        )


@transaction.atomic
def event_save(*, event: PromotionEvent, by: User) -> PromotionEvent:
    if event.pk is not None:
        # Lock the event only: host_province is nullable, and PostgreSQL cannot lock the
        # nullable side of the outer join select_related makes for it.
        before = PromotionEvent.objects.select_for_update(of=("self",)).select_related(
            "host_province"
        )
        _require_editor(by, before.get(pk=event.pk))
        # The booths already given to participants (locked with the event, as participant_add).
        taken = sum(event.participants.values_list("booths", flat=True))
        if event.booths and event.booths < taken:
            raise ValidationError(
                {
                    "booths": _(
                        "Đã phân %(taken)s gian hàng cho các cơ sở tham gia: tổng số gian hàng "
                        "không được ít hơn."
                    )
                    % {"taken": taken}
                }
            )
    _require_editor(by, event)
    save_as(event, by)
    return event


@transaction.atomic
def participant_add(
    *,
    event: PromotionEvent,
    by: User,
    establishment: Establishment,
    booths: int = 1,
    support: Decimal = Decimal(0),
) -> EventParticipant:
    event = events_editable_by(by).select_for_update().get(pk=event.pk)
    if booths < 1:
        raise ValidationError({"booths": _("Số gian hàng ít nhất là 1.")})
    taken = sum(event.participants.values_list("booths", flat=True)) + booths
    if event.booths and taken > event.booths:
        raise ValidationError(
            {
                "booths": _(
                    "Hội chợ có %(total)s gian hàng; thêm %(booths)s gian cho “%(name)s” thì "
                    "vượt quá (%(taken)s)."
                )
                % {
                    "total": event.booths,
                    "booths": booths,
                    "name": establishment.name,
                    "taken": taken,
                }
            }
        )
    participant = EventParticipant(
        event=event, establishment=establishment, booths=booths, support=support
    )
    save_as(participant, by)
    return participant


@transaction.atomic
def participant_remove(*, participant: EventParticipant, by: User) -> None:
    events_editable_by(by).select_for_update().get(pk=participant.event_id)
    participant._history_user = by
    participant.delete()
