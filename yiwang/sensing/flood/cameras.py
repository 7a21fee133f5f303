"""The CCTV cameras near a sensor alert or a case: within 300 m, nearest first, with their stream links.

Uses the territory context's radius query (``territory.queries.pois_within``, exact ellipsoidal
metres over a KD-tree), so the order and the cut-off are the territory index's.
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.territory.queries import pois_within

from .conf import flood_setting


@dataclass(frozen=True)
class NearbyCamera:
    code: str
    name: str
    distance_m: float
    stream_url: str
    lon: float
    lat: float


def cameras_near(lon: float | None, lat: float | None, radius_m: float | None = None) -> list[NearbyCamera]:
    """Cameras within ``radius_m`` (default ``FLOOD["CAMERA_RADIUS_M"]``, 300) of the point, nearest first."""
    if lon is None or lat is None:
        return []
    radius = flood_setting("CAMERA_RADIUS_M") if radius_m is None else radius_m
    return [
        NearbyCamera(
            code=row["code"],
            name=row["name"],
            distance_m=row["distance_m"],
            stream_url=row["stream_url"] or (row["properties"] or {}).get("stream_url", ""),
            lon=row["lon"],
            lat=row["lat"],
        )
        for row in pois_within(lon, lat, radius, kind="camera")
    ]


def cameras_for_alert(alert) -> list[NearbyCamera]:
    return cameras_near(alert.device.lon, alert.device.lat)


def cameras_for_case(case) -> list[NearbyCamera]:
    """Any case with a point (those opened from sensor alerts included)."""
    if getattr(case, "outside", False):
        return []
    return cameras_near(case.lon, case.lat)
