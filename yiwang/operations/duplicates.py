"""Duplicate reports: the same pothole reported five times.

A case is a duplicate candidate of another when both are of the same category, the other is still open,
they were reported within the category's time window of each other and lie within its radius. The query
prefilters in SQL on the (category, created_at) index and a bounding box, then measures exact metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from .models import Case, CaseStatus
from .workflow import OPEN_STATES

EARTH_RADIUS_M = 6_371_008.8
# open cases a new report can be merged into (a split parent's children are the real targets)
TARGET_STATES = tuple(sorted(OPEN_STATES - {CaseStatus.SPLIT}))


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bbox(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lon, max_lon, min_lat, max_lat) enclosing the circle, slightly generous."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.001
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)) * 1.001
    return lon - dlon, lon + dlon, lat - dlat, lat + dlat


@dataclass(frozen=True)
class Candidate:
    case: Case
    distance_m: float
    hours_apart: float


def nearby_open_cases(
    category, lon: float, lat: float, at: datetime, *, exclude_ids=(), limit: int = 20
) -> list[Candidate]:
    """Open cases of ``category`` within its radius and window of (lon, lat, at), nearest first."""
    radius = float(category.duplicate_radius_m)
    window = timedelta(hours=category.duplicate_window_hours)
    if radius <= 0 or window <= timedelta(0):
        return []
    min_lon, max_lon, min_lat, max_lat = bbox(lon, lat, radius)
    rows = (
        Case.objects.filter(
            category_id=category.pk,
            created_at__gte=at - window,
            created_at__lte=at + window,
            status__in=TARGET_STATES,
            lon__gte=min_lon,
            lon__lte=max_lon,
            lat__gte=min_lat,
            lat__lte=max_lat,
        )
        .exclude(pk__in=list(exclude_ids))
        .select_related("category")[:500]
    )
    found = []
    for row in rows:
        distance = haversine_m(lon, lat, row.lon, row.lat)
        if distance <= radius:
            hours = abs((row.created_at - at).total_seconds()) / 3600
            found.append(Candidate(row, round(distance, 1), round(hours, 2)))
    found.sort(key=lambda c: (c.distance_m, c.case.created_at, c.case.pk))
    return found[:limit]


def duplicate_candidates(case: Case, *, limit: int = 20) -> list[Candidate]:
    """Merge candidates for the dispatcher: open cases this one probably repeats (nearest first)."""
    exclude = {case.pk}
    if case.merged_into_id:
        exclude.add(case.merged_into_id)
    return nearby_open_cases(case.category, case.lon, case.lat, case.created_at, exclude_ids=exclude, limit=limit)


def _probe_sql() -> str:
    table = connection.ops.quote_name(Case._meta.db_table)
    states = ", ".join(["%s"] * len(TARGET_STATES))
    # the table name is our model's, quoted; every value is a parameter
    return (
        f"SELECT id, lon, lat, code FROM {table} WHERE category_id = %s AND lat >= %s AND lat <= %s"  # noqa: S608
        f" AND lon >= %s AND lon <= %s AND created_at >= %s AND created_at <= %s AND status IN ({states})"
        " ORDER BY created_at, id LIMIT 500"
    )


@dataclass(frozen=True)
class DuplicateRef:
    """The earliest open case a new report repeats: its id and code (no model instance needed)."""

    pk: int
    code: str


def earliest_duplicate_ref(category, lon: float, lat: float, at: datetime, *, exclude_ids=()) -> DuplicateRef | None:
    """The hot path of every report: one indexed range query returning bare tuples.

    The query walks the index ``case_cat_lat_lon`` (category, a latitude band); the exact distance is
    measured in Python; the earliest reported case within the radius wins.
    """
    radius = float(category.duplicate_radius_m)
    window = timedelta(hours=category.duplicate_window_hours)
    if radius <= 0 or window <= timedelta(0):
        return None
    min_lon, max_lon, min_lat, max_lat = bbox(lon, lat, radius)
    adapt = connection.ops.adapt_datetimefield_value
    params = [category.pk, min_lat, max_lat, min_lon, max_lon, adapt(at - window), adapt(at), *TARGET_STATES]
    excluded = {int(i) for i in exclude_ids}
    with connection.cursor() as cursor:
        cursor.execute(_probe_sql(), params)
        rows = cursor.fetchall()
    for pk, row_lon, row_lat, code in rows:
        if pk not in excluded and haversine_m(lon, lat, row_lon, row_lat) <= radius:
            return DuplicateRef(pk, code)
    return None


def earliest_duplicate(category, lon: float, lat: float, at: datetime, *, exclude_ids=()) -> Case | None:
    """The earliest reported open case this new report repeats, if any (what the reporter is told about)."""
    ref = earliest_duplicate_ref(category, lon, lat, at, exclude_ids=exclude_ids)
    return Case.objects.select_related("category").get(pk=ref.pk) if ref else None
