"""Placing a case: resolve the point through the territory, keep what it resolved to, index every unit."""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.bulkinsert import insert_objects
from yiwang.territory import services as territory

from ..models import Case, CaseArea, CasePlace

SYSTEMS = ("wgs84", "gcj02", "bd09")


def resolve(lon, lat, coord_system: str = "wgs84", at=None):
    """The territory's ``Placement`` of a point (refusing nonsense coordinates with a precise message)."""
    system = (coord_system or "wgs84").lower()
    if system not in SYSTEMS:
        raise ActionError(
            _("Unknown coordinate system “%(system)s”: use wgs84, gcj02 or bd09.") % {"system": coord_system},
            field="coord_system",
        )
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ActionError(_("The place needs a numeric longitude and latitude."), field="lon")
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise ActionError(_("The longitude or latitude is out of range."), field="lon")
    return territory.locate(lon, lat, system=system, at=at)


def _org(unit):
    return unit.org_unit_id if unit is not None else None


def responsible(placement) -> dict:
    return {
        "district": _org(placement.district),
        "subdistrict": _org(placement.subdistrict),
        "grid": _org(placement.grid),
    }


def unit_codes(placement) -> dict:
    """{"1": district, "2": subdistrict, "3": grid} codes of a placement."""
    fields = placement.as_fields()
    return {"1": fields["district_code"], "2": fields["subdistrict_code"], "3": fields["grid_code"]}


def set_place_columns(case: Case, placement, address: str) -> None:
    """The case's denormalised place columns (before its first insert, or before an update)."""
    codes = unit_codes(placement)
    case.lon, case.lat, case.address = placement.lon, placement.lat, address
    case.district_code = codes["1"]
    case.subdistrict_code = codes["2"]
    case.grid_code = codes["3"]
    case.outside = placement.outside


def place_rows(
    actor, case: Case, placement, *, input_lon, input_lat, system, address: str, now
) -> tuple[CasePlace, list[CaseArea]]:
    """The place history row and the area index rows of ``case`` at ``placement`` (unsaved)."""
    fields = placement.as_fields()
    codes = unit_codes(placement)
    ids = {"1": fields["district_unit_id"], "2": fields["subdistrict_unit_id"], "3": fields["grid_unit_id"]}
    ids["4"] = fields["level4_unit_ids"]
    row = CasePlace(
        case=case,
        at=now,
        actor=actor.user,
        actor_label=actor.label,
        lon=placement.lon,
        lat=placement.lat,
        input_lon=float(input_lon),
        input_lat=float(input_lat),
        input_system=system,
        address=address,
        unit_codes=codes,
        unit_ids=ids,
        level4_codes=fields["level4_codes"],
        responsible=responsible(placement),
        outside=placement.outside,
    )
    areas = [CaseArea(case=case, level=int(level), unit_code=code) for level, code in codes.items() if code]
    areas += [CaseArea(case=case, level=4, unit_code=code) for code in dict.fromkeys(fields["level4_codes"])]
    return row, areas


def apply_place(
    actor, case: Case, placement, *, input_lon, input_lat, system, address: str, now, fresh: bool = False
) -> CasePlace:
    """Write the place history row and the area index, and set the case's denormalised place columns.

    ``fresh``: the case row was inserted in this transaction, so it has no area rows to replace yet.
    """
    row, areas = place_rows(
        actor, case, placement, input_lon=input_lon, input_lat=input_lat, system=system, address=address, now=now
    )
    insert_objects([row])
    if not fresh:
        CaseArea.objects.filter(case=case).delete()
    insert_objects(areas)
    set_place_columns(case, placement, address)
    return row


def current_place(case: Case) -> CasePlace | None:
    return CasePlace.objects.filter(case=case).order_by("-at", "-id").first()
