"""Shelter occupancy (避难场所安置人数) during an event; the capacity is the point of interest's."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor

from ..models import ShelterStatus
from ..permissions import actor_may_manage


@action
def set_shelter_status(actor: Actor, poi_code: str, *, is_open: bool, occupancy: int) -> ShelterStatus:
    from yiwang.territory.models import PointOfInterest

    require(actor_may_manage(actor), _("You may not update shelters."))
    poi = PointOfInterest.objects.filter(code=poi_code, kind="shelter").first()
    if poi is None:
        raise ActionError(_("There is no shelter %(code)s.") % {"code": poi_code}, field="poi_code")
    if occupancy < 0:
        raise ActionError(_("The occupancy cannot be negative."), field="occupancy")
    if poi.capacity is not None and occupancy > poi.capacity:
        raise ActionError(
            _("%(n)s people exceed the shelter's capacity of %(cap)s.") % {"n": occupancy, "cap": poi.capacity},
            field="occupancy",
        )
    if occupancy and not is_open:
        raise ActionError(_("A closed shelter holds nobody."), field="occupancy")
    row = ShelterStatus.objects.select_for_update().filter(poi_code=poi_code).first()
    before = {"open": row.is_open, "occupancy": row.occupancy} if row else None
    row = row or ShelterStatus(poi_code=poi_code)
    row.is_open, row.occupancy, row.updated_at = is_open, occupancy, timezone.now()
    row.save()
    record_event(actor, "flood.shelter.update", row, before=before, after={"open": is_open, "occupancy": occupancy})
    return row
