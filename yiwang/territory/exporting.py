"""Export of units and points of interest as GeoJSON (the same format the importers read)."""

from __future__ import annotations

import datetime as dt

from shapely.geometry import mapping

from .geometry import load_geometry, simplify_for_drawing
from .models import PointOfInterest
from .services import units_in_force


def unit_feature(row, simplify_m: float = 0.0) -> dict:
    geom = load_geometry(row.geometry)
    return {
        "type": "Feature",
        "id": row.code,
        "geometry": mapping(simplify_for_drawing(geom, simplify_m)),
        "properties": {
            "code": row.code,
            "name": row.name,
            "name_en": row.name_en,
            "level": row.level,
            "kind": row.kind,
            "parent": row.parent_code or None,
            "org_unit": row.org_unit.code if row.org_unit_id else None,
            "population": row.population,
            "valid_from": row.valid_from.isoformat(),
        },
    }


def export_units(level: int | None = None, *, on: dt.date | None = None, simplify_m: float = 0.0) -> dict:
    """The units in force on ``on`` (None: now), of one level or all, as a FeatureCollection in WGS-84.

    Importing the result again changes nothing.
    """
    qs = units_in_force(on).order_by("level", "code")
    if level is not None:
        qs = qs.filter(level=level)
    return {
        "type": "FeatureCollection",
        "coordinate_system": "wgs84",
        "features": [unit_feature(row, simplify_m) for row in qs],
    }


def export_pois(kind: str | None = None) -> dict:
    qs = PointOfInterest.objects.order_by("kind", "code")
    if kind:
        qs = qs.filter(kind=kind)
    features = []
    for poi in qs:
        props = {**poi.properties, "code": poi.code, "kind": poi.kind, "name": poi.name}
        if poi.stream_url:
            props["stream_url"] = poi.stream_url
        if poi.capacity is not None:
            props["capacity"] = poi.capacity
        if poi.unit_code:
            props["unit"] = poi.unit_code
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [poi.lon, poi.lat]}, "properties": props}
        )
    return {"type": "FeatureCollection", "coordinate_system": "wgs84", "features": features}
