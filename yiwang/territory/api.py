"""JSON API of the territory, mounted at /api/v1/territory/.

GET /locate?lon=&lat=&system=&on=          the unit chain of a point ({"outside": true} outside)
GET /units?level=&simplify=                units as a GeoJSON FeatureCollection (WGS-84)
GET /pois?lon=&lat=&radius=&kind=&system=  points of interest within radius metres, nearest first
GET /pois/nearest?lon=&lat=&k=&kind=       the k nearest points of interest

Bad input gives 422 with a precise message per parameter (Ninja's validation, or ours for kinds).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from . import queries, services
from .models import PoiKind

router = Router(tags=["territory"])

System = Literal["wgs84", "gcj02", "bd09"]
MAX_RADIUS_M = 50_000
MAX_K = 500


class PointQuery(Schema):
    lon: float = Field(..., ge=-180, le=180, description="longitude in degrees")
    lat: float = Field(..., ge=-90, le=90, description="latitude in degrees")
    system: System = Field("wgs84", description="coordinate system of lon/lat")


class LocateQuery(PointQuery):
    on: dt.date | None = Field(None, description="resolve against the unit versions in force on this date")


class UnitsQuery(Schema):
    level: int | None = Field(None, ge=1, le=4, description="only this level (1–4)")
    simplify: float = Field(0, ge=0, le=500, description="simplify outlines by this many metres (0: exact)")


class WithinQuery(PointQuery):
    radius: float = Field(..., gt=0, le=MAX_RADIUS_M, description="radius in metres")
    kind: str | None = Field(None, description="only points of this kind")


class NearestQuery(PointQuery):
    k: int = Field(5, ge=1, le=MAX_K, description="how many points")
    kind: str | None = Field(None, description="only points of this kind")


def _kind(kind: str | None) -> str | None:
    if kind and kind not in PoiKind.values:
        raise HttpError(
            422, _("unknown kind %(kind)s (use one of %(known)s)") % {"kind": kind, "known": ", ".join(PoiKind.values)}
        )
    return kind or None


def _visible(request, items: list[dict]) -> list[dict]:
    """Camera stream addresses are for staff only."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return items
    return [{**item, "stream_url": ""} for item in items]


@router.get("/locate", auth=None, url_name="territory-locate", summary="Resolve a point to its unit at every level")
def locate(request, q: Query[LocateQuery]):
    return services.locate(q.lon, q.lat, system=q.system, at=q.on).to_dict()


@router.get("/units", auth=None, url_name="territory-units", summary="Units in force as a GeoJSON FeatureCollection")
def units(request, q: Query[UnitsQuery]):
    return queries.units_geojson(q.level, simplify_m=q.simplify)


@router.get("/pois", auth=None, url_name="territory-pois", summary="Points of interest within a radius, nearest first")
def pois_within(request, q: Query[WithinQuery]):
    items = queries.pois_within(q.lon, q.lat, q.radius, kind=_kind(q.kind), system=q.system)
    return {"count": len(items), "radius_m": q.radius, "items": _visible(request, items)}


@router.get("/pois/nearest", auth=None, url_name="territory-pois-nearest", summary="The k nearest points of interest")
def pois_nearest(request, q: Query[NearestQuery]):
    items = queries.nearest_pois(q.lon, q.lat, q.k, kind=_kind(q.kind), system=q.system)
    return {"count": len(items), "items": _visible(request, items)}
