"""GCJ-02 and BD-09 input is stored and answered in WGS-84."""

import math

import pytest
from shapely.geometry import shape

from tests.territory.builders import small_territory
from yiwang.core.actor import Actor
from yiwang.territory import queries, services
from yiwang.territory.actions import import_pois, import_territory
from yiwang.territory.geometry import load_geometry
from yiwang.territory.models import PointOfInterest, Unit

pytestmark = pytest.mark.django_db

# The published forward transforms (WGS-84 → GCJ-02 → BD-09), independent of the code under test.
_A, _EE = 6378245.0, 0.00669342162296594323


def _t_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _t_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    dlat, dlon = _t_lat(lon - 105.0, lat - 35.0), _t_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sq = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sq) * math.pi)
    dlon = (dlon * 180.0) / (_A / sq * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def wgs_to_bd(lon, lat):
    x, y = wgs_to_gcj(lon, lat)
    xp = math.pi * 3000.0 / 180.0
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * xp)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * xp)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def converted(collection, forward):
    def walk(c):
        return list(forward(*c)) if isinstance(c[0], float | int) else [walk(x) for x in c]

    out = {**collection, "features": []}
    for f in collection["features"]:
        out["features"].append({**f, "geometry": {**f["geometry"], "coordinates": walk(f["geometry"]["coordinates"])}})
    return out


def metres(a, b):
    return math.hypot((a[0] - b[0]) * 95_000, (a[1] - b[1]) * 111_000)


@pytest.mark.parametrize("system, forward", [("gcj02", wgs_to_gcj), ("bd09", wgs_to_bd)])
def test_imported_polygons_are_stored_in_wgs84(system, forward):
    wgs = small_territory()
    import_territory(Actor.system(), converted(wgs, forward), coordinate_system=system)
    stored = load_geometry(Unit.objects.get(code="S2").geometry)
    original = shape(next(f for f in wgs["features"] if f["properties"]["code"] == "S2")["geometry"])
    for got, want in zip(stored.exterior.coords, original.exterior.coords, strict=True):
        assert metres(got, want) < 1.0


def test_the_file_may_name_its_coordinate_system():
    import_territory(Actor.system(), converted(small_territory(), wgs_to_gcj) | {"coordinate_system": "gcj02"})
    stored = load_geometry(Unit.objects.get(code="D1").geometry)
    assert metres(stored.exterior.coords[0], (121.40, 31.20)) < 1.0


def test_locate_converts_the_point_first():
    import_territory(Actor.system(), small_territory())
    # 121.4195 lies 50 m west of the S1/S2 border in WGS-84; GCJ-02 shifts it ~450 m east
    gcj = wgs_to_gcj(121.4195, 31.21)
    assert services.locate(*gcj).subdistrict.code == "S2"  # taken as WGS-84: wrong side
    assert services.locate(*gcj, system="gcj02").subdistrict.code == "S1"
    assert services.locate(*wgs_to_bd(121.4195, 31.21), system="bd09").subdistrict.code == "S1"


def test_pois_in_gcj02_are_stored_in_wgs84_and_found_by_radius():
    import_territory(Actor.system(), small_territory())
    lon, lat = wgs_to_gcj(121.43, 31.23)
    data = {
        "type": "FeatureCollection",
        "coordinate_system": "gcj02",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"code": "C", "kind": "camera"},
            }
        ],
    }
    import_pois(Actor.system(), data)
    poi = PointOfInterest.objects.get(code="C")
    assert metres((poi.lon, poi.lat), (121.43, 31.23)) < 1.0
    assert [h["code"] for h in queries.pois_within(lon, lat, 5, system="gcj02")] == ["C"]
