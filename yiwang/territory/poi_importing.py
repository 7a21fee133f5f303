"""Planning and writing a points-of-interest import (called by ``actions.import_pois``).

POIs are upserted by code (bulk). Each point is located in the territory in force and keeps the
codes of its units; after a territory import ``relocate_all`` refreshes those codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from yiwang.core.audit.hashing import BatchDigest

from . import services
from .geometry import GeometryError, parse_geometry, point_to_wgs84
from .models import PoiKind, PointOfInterest
from .validation import Problem, coordinate_system_of, features_of

STREAM_SCHEMES = ("http://", "https://", "rtsp://", "rtmp://")
KNOWN_PROPERTIES = {"code", "kind", "name", "stream_url", "capacity", "unit"}
FIELDS = ["kind", "name", "lon", "lat", "stream_url", "capacity", "properties", "unit_code"]
PLACE_FIELDS = ["district_code", "subdistrict_code", "grid_code", "level4_codes"]


@dataclass
class PoiPlan:
    create: list[PointOfInterest] = field(default_factory=list)
    update: list[PointOfInterest] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def _parse(index: int, feature, system: str, problems: list[Problem]) -> PointOfInterest | None:
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        problems.append(Problem(f"#{index}", _("feature has no properties")))
        return None
    code = str(props.get("code") or "").strip()
    label = code or f"#{index}"
    before = len(problems)
    missing = [name for name in ("code", "kind") if not props.get(name)]
    if missing:
        problems.append(Problem(label, _("missing fields: %(fields)s") % {"fields": ", ".join(missing)}))
    kind = str(props.get("kind") or "")
    if kind and kind not in PoiKind.values:
        msg = _("unknown kind %(kind)s (use one of %(known)s)") % {"kind": kind, "known": ", ".join(PoiKind.values)}
        problems.append(Problem(label, msg))
    stream_url = str(props.get("stream_url") or "").strip()
    if stream_url and not stream_url.lower().startswith(STREAM_SCHEMES):
        msg = _("stream_url must start with one of %(schemes)s") % {"schemes": ", ".join(STREAM_SCHEMES)}
        problems.append(Problem(label, msg))
    capacity = props.get("capacity")
    if capacity in ("", None):
        capacity = None
    elif (
        isinstance(capacity, bool) or not isinstance(capacity, int | float) or capacity < 0 or int(capacity) != capacity
    ):
        problems.append(
            Problem(label, _("%(field)s must be a whole number ≥ %(min)s") % {"field": "capacity", "min": 0})
        )
    lonlat = _point(label, feature.get("geometry"), system, problems)
    if len(problems) > before or lonlat is None:
        return None
    return PointOfInterest(
        code=code,
        kind=kind,
        name=str(props.get("name") or "").strip(),
        lon=lonlat[0],
        lat=lonlat[1],
        stream_url=stream_url,
        capacity=int(capacity) if capacity is not None else None,
        properties={k: v for k, v in props.items() if k not in KNOWN_PROPERTIES},
        unit_code=str(props.get("unit") or "").strip(),
    )


def _point(label: str, value, system: str, problems: list[Problem]):
    try:
        geom = parse_geometry(value)
    except GeometryError as exc:
        problems.append(Problem(label, _("unreadable geometry: %(reason)s") % {"reason": exc}))
        return None
    if geom.geom_type != "Point" or geom.is_empty:
        problems.append(Problem(label, _("geometry must be a Point, not %(type)s") % {"type": geom.geom_type}))
        return None
    if not (-180 <= geom.x <= 180 and -90 <= geom.y <= 90):
        problems.append(
            Problem(label, _("coordinates out of range: %(lon)s, %(lat)s") % {"lon": geom.x, "lat": geom.y})
        )
        return None
    return point_to_wgs84(geom.x, geom.y, system)


def _place(poi: PointOfInterest, index: services.TerritoryIndex, problems: list[Problem] | None) -> None:
    placement = index.place(poi.lon, poi.lat, None)
    codes = placement.codes
    poi.district_code = codes["district"]
    poi.subdistrict_code = codes["subdistrict"]
    poi.grid_code = codes["grid"]
    poi.level4_codes = codes["level4"]
    if problems is None or not poi.unit_code:
        return
    if poi.unit_code not in index.units:
        problems.append(Problem(poi.code, _("unknown unit %(unit)s") % {"unit": poi.unit_code}))
    elif poi.unit_code not in {codes["district"], codes["subdistrict"], codes["grid"], *codes["level4"]}:
        problems.append(Problem(poi.code, _("the point is not inside its unit %(unit)s") % {"unit": poi.unit_code}))


def plan_pois(data: dict, *, coordinate_system: str | None, replace: bool) -> PoiPlan:
    system, problems = coordinate_system_of(data, coordinate_system)
    plan = PoiPlan(problems=problems)
    features, problems = features_of(data)
    plan.problems.extend(problems)
    index = services.current_index(fresh=True)
    parsed: dict[str, PointOfInterest] = {}
    for i, feature in enumerate(features, start=1):
        poi = _parse(i, feature, system, plan.problems)
        if poi is None:
            continue
        if poi.code in parsed:
            plan.problems.append(Problem(poi.code, _("duplicate code")))
            continue
        _place(poi, index, plan.problems)
        parsed[poi.code] = poi
    existing = {p.code: p for p in PointOfInterest.objects.select_for_update()}
    for code, poi in parsed.items():
        old = existing.get(code)
        if old is None:
            plan.create.append(poi)
            plan.created.append(code)
        elif all(getattr(old, f) == getattr(poi, f) for f in FIELDS + PLACE_FIELDS):
            plan.unchanged += 1
        else:
            poi.id = old.id
            plan.update.append(poi)
            plan.changed.append(code)
    if replace:
        plan.deleted = sorted(set(existing) - set(parsed))
    return plan


def _record(poi: PointOfInterest) -> dict:
    return {"code": poi.code, **{f: getattr(poi, f) for f in FIELDS + PLACE_FIELDS}}


def apply_pois(plan: PoiPlan) -> BatchDigest:
    batch = BatchDigest()
    if plan.deleted:
        PointOfInterest.objects.filter(code__in=plan.deleted).delete()
        for code in plan.deleted:
            batch.add({"delete": code})
    PointOfInterest.objects.bulk_create(plan.create, batch_size=1000)
    PointOfInterest.objects.bulk_update(plan.update, FIELDS + PLACE_FIELDS, batch_size=500)
    for poi in plan.create + plan.update:
        batch.add(_record(poi))
    return batch


def relocate_all() -> int:
    """Refresh the unit codes of every POI against the territory in force; returns how many changed."""
    index = services.current_index(fresh=True)
    changed = []
    for poi in PointOfInterest.objects.only("id", "code", "lon", "lat", *PLACE_FIELDS):
        before = [getattr(poi, f) for f in PLACE_FIELDS]
        _place(poi, index, None)
        if [getattr(poi, f) for f in PLACE_FIELDS] != before:
            changed.append(poi)
    PointOfInterest.objects.bulk_update(changed, PLACE_FIELDS, batch_size=500)
    return len(changed)
