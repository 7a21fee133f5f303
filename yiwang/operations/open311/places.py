"""Where an Open311 report is: lat/long, an address_id (a point of interest or a territory unit), or
an address_string naming a residential area or building the territory knows.

Read-only look-ups in the territory's tables (it has no query by code or by name yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Value
from django.db.models.functions import Length, StrIndex

from yiwang.territory import services as territory
from yiwang.territory.geometry import load_geometry
from yiwang.territory.models import PoiKind, PointOfInterest, Unit

SYSTEMS = ("wgs84", "gcj02", "bd09")
ADDRESS_POI_KINDS = (
    PoiKind.RESIDENTIAL_BUILDING,
    PoiKind.SCHOOL,
    PoiKind.HOSPITAL,
    PoiKind.SHELTER,
    PoiKind.SERVICE_POINT,
    PoiKind.SHOP,
)
MIN_NAME = 2  # shorter names match too much


@dataclass(frozen=True)
class Spot:
    lon: float  # WGS-84
    lat: float
    name: str


def _unit_spot(unit: Unit) -> Spot:
    point = load_geometry(unit.geometry).representative_point()
    return Spot(point.x, point.y, unit.name)


def by_address_id(address_id: str) -> Spot | None:
    """A point of interest by its code, else a current territory unit of level 4 by its code."""
    poi = PointOfInterest.objects.filter(code=address_id).only("lon", "lat", "name").first()
    if poi is not None:
        return Spot(poi.lon, poi.lat, poi.name)
    unit = Unit.objects.filter(code=address_id, level=4, valid_to__isnull=True).order_by("-id").first()
    return _unit_spot(unit) if unit is not None else None


def by_address_string(text: str) -> Spot | None:
    """The building or level-4 area whose name appears in ``text`` (the longest such name wins)."""
    text = (text or "").strip()
    if len(text) < MIN_NAME:
        return None
    poi = (
        PointOfInterest.objects.filter(kind__in=ADDRESS_POI_KINDS)
        .annotate(at=StrIndex(Value(text), F("name")), n=Length("name"))
        .filter(at__gt=0, n__gte=MIN_NAME)
        .order_by("-n", "code")
        .only("lon", "lat", "name")
        .first()
    )
    unit = (
        Unit.objects.filter(level=4, valid_to__isnull=True)
        .annotate(at=StrIndex(Value(text), F("name")), n=Length("name"))
        .filter(at__gt=0, n__gte=MIN_NAME)
        .order_by("-n", "code")
        .first()
    )
    if poi is not None and (unit is None or len(poi.name) >= len(unit.name)):
        return Spot(poi.lon, poi.lat, poi.name)
    return _unit_spot(unit) if unit is not None else None


def outside(lon: float, lat: float, system: str) -> bool:
    return territory.locate(lon, lat, system=system).outside
