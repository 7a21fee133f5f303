"""Read paths: units as GeoJSON, points of interest near a point (exact metres, nearest first).

The POI index (``poi_index.PoiIndex``, a KD-tree on projected metres) is cached per process and rebuilt
when ``TerritoryRevision.pois`` changes (read at most once per REVISION_CHECK_SECONDS), or at once
after an import in this process.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.conf import settings

from .exporting import export_units
from .geometry import point_to_wgs84
from .models import PointOfInterest
from .services import read_revision, territory_changed

POI_FIELDS = (
    "id",
    "code",
    "kind",
    "name",
    "lon",
    "lat",
    "stream_url",
    "capacity",
    "properties",
    "unit_code",
    "district_code",
    "subdistrict_code",
    "grid_code",
    "level4_codes",
)


def poi_dict(row: dict) -> dict:
    out = {k: row[k] for k in POI_FIELDS if k != "id"}
    out["id"] = row["id"]
    return out


class _PoiCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.revision = -1
        self.checked_at = 0.0
        self.built_at_revision = None
        self.rows: dict[int, dict] = {}
        self.indexes: dict = {}  # kind (None: all) -> PoiIndex or None

    def get(self, kind: str | None):
        from .poi_index import PoiIndex  # built by the index module; imported late to keep startup light

        with self.lock:
            interval = settings.TERRITORY.get("REVISION_CHECK_SECONDS", 1.0)
            now = time.monotonic()
            if self.revision < 0 or now - self.checked_at >= interval:
                self.revision = read_revision().pois
                self.checked_at = now
            if self.built_at_revision != self.revision:
                self.rows = {r["id"]: r for r in PointOfInterest.objects.values(*POI_FIELDS)}
                self.indexes = {}
                self.built_at_revision = self.revision
            if kind not in self.indexes:
                rows = [r for r in self.rows.values() if kind is None or r["kind"] == kind]
                self.indexes[kind] = (
                    PoiIndex([r["id"] for r in rows], [r["lon"] for r in rows], [r["lat"] for r in rows])
                    if rows
                    else None
                )
            return self.indexes[kind], self.rows

    def invalidate(self) -> None:
        with self.lock:
            self.revision = -1
            self.built_at_revision = None
            self.rows = {}
            self.indexes = {}


_pois = _PoiCache()


def invalidate_pois(**_kwargs) -> None:
    _pois.invalidate()


territory_changed.connect(invalidate_pois, dispatch_uid="territory-queries-invalidate-pois")


def _hits(pairs, rows) -> list[dict]:
    return [{**poi_dict(rows[poi_id]), "distance_m": round(float(dist), 2)} for poi_id, dist in pairs]


def pois_within(
    lon: float, lat: float, radius_m: float, *, kind: str | None = None, system: str = "wgs84"
) -> list[dict]:
    """Points of interest within ``radius_m`` metres of the point, nearest first, each with ``distance_m``.

    The flood scene calls this with kind="camera", radius_m=300 to pull up the cameras near a sensor.
    """
    wlon, wlat = point_to_wgs84(lon, lat, system)
    index, rows = _pois.get(kind)
    if index is None:
        return []
    return _hits(index.within(wlon, wlat, radius_m), rows)


def nearest_pois(lon: float, lat: float, k: int, *, kind: str | None = None, system: str = "wgs84") -> list[dict]:
    """The ``k`` points of interest nearest to the point, nearest first, each with ``distance_m``."""
    wlon, wlat = point_to_wgs84(lon, lat, system)
    index, rows = _pois.get(kind)
    if index is None or k <= 0:
        return []
    return _hits(index.nearest(wlon, wlat, k), rows)


def units_geojson(level: int | None = None, *, on: dt.date | None = None, simplify_m: float = 0.0) -> dict:
    """The units in force (of one level, or all) as a GeoJSON FeatureCollection in WGS-84."""
    return export_units(level, on=on, simplify_m=simplify_m)
