"""Points of interest: all-or-nothing import with batch audit, located in units, queried by exact metres."""

import math

import pytest

from tests.territory.builders import poi, poi_collection, small_territory
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.territory import queries
from yiwang.territory.actions import ImportRefused, import_pois, import_territory
from yiwang.territory.models import PointOfInterest

pytestmark = pytest.mark.django_db

LON, LAT = 121.43, 31.22
# metres per degree of latitude on the WGS-84 ellipsoid at LAT (meridian radius of curvature)
_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
M_PER_DEG_LAT = 6378137.0 * (1 - _E2) / (1 - _E2 * math.sin(math.radians(LAT)) ** 2) ** 1.5 * math.pi / 180


def north(metres):
    """A point ``metres`` due north of (LON, LAT)."""
    return LON, LAT + metres / M_PER_DEG_LAT


@pytest.fixture
def territory():
    import_territory(Actor.system(), small_territory())


def cameras(*distances):
    return poi_collection(*(poi(f"CAM{d}", "camera", *north(d), stream_url=f"rtsp://cam/{d}") for d in distances))


def test_import_locates_each_point_and_audits_one_row(territory):
    data = poi_collection(
        poi("SH1", "shelter", 121.406, 31.206, capacity=300, unit="R1", floor_area=1200),
        poi("CAM1", "camera", 121.43, 31.23, stream_url="rtsp://10.0.0.1/1"),
    )
    result = import_pois(Actor.system(), data)
    assert sorted(result.created) == ["CAM1", "SH1"]
    shelter = PointOfInterest.objects.get(code="SH1")
    assert (shelter.grid_code, shelter.subdistrict_code, shelter.district_code) == ("G1a", "S1", "D1")
    assert shelter.level4_codes == ["M1", "R1"]
    assert shelter.capacity == 300 and shelter.properties == {"floor_area": 1200}
    assert PointOfInterest.objects.get(code="CAM1").grid_code == "G2b"
    event = AuditEvent.objects.get(action="territory.poi_import")
    assert event.batch_count == 2


def test_bad_points_are_all_reported_and_nothing_is_written(territory):
    data = poi_collection(
        poi("A", "camera", 121.41, 31.21, stream_url="ftp://x"),
        poi("B", "spaceport", 121.41, 31.21),
        poi("C", "shelter", 121.41, 31.21, capacity=-1),
        poi("D", "school", 121.45, 31.23, unit="R1"),
        poi("E", "school", 121.45, 31.23, unit="NOPE"),
        poi("F", "shop", 121.41, 31.21),
        poi("F", "shop", 121.41, 31.21),
        {
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": []},
            "properties": {"code": "G", "kind": "shop"},
        },
    )
    with pytest.raises(ImportRefused) as info:
        import_pois(Actor.system(), data)
    codes = sorted({p.code for p in info.value.problems})
    assert codes == ["A", "B", "C", "D", "E", "F", "G"]
    assert not PointOfInterest.objects.exists()
    assert not AuditEvent.objects.filter(action="territory.poi_import").exists()


def test_reimport_updates_changed_points_and_replace_deletes_missing(territory):
    import_pois(Actor.system(), cameras(10, 20, 30))
    first = {p.code: p.id for p in PointOfInterest.objects.all()}
    data = cameras(10, 20)
    data["features"][0]["properties"]["name"] = "renamed"
    result = import_pois(Actor.system(), data, replace=True)
    assert (result.changed, result.unchanged, result.closed) == (["CAM10"], 1, ["CAM30"])
    assert PointOfInterest.objects.get(code="CAM10").id == first["CAM10"]
    assert PointOfInterest.objects.get(code="CAM10").name == "renamed"
    assert not PointOfInterest.objects.filter(code="CAM30").exists()


def test_within_radius_is_exact_in_metres_and_nearest_first(territory):
    import_pois(Actor.system(), cameras(299, 150, 301, 5))
    hits = queries.pois_within(LON, LAT, 300, kind="camera")
    assert [h["code"] for h in hits] == ["CAM5", "CAM150", "CAM299"]
    assert [round(h["distance_m"]) for h in hits] == [5, 150, 299]


def test_within_filters_by_kind_and_nearest_gives_k(territory):
    data = cameras(50, 100)
    data["features"].append(poi("DEPOT", "material_depot", *north(20), capacity=10))
    import_pois(Actor.system(), data)
    assert [h["code"] for h in queries.pois_within(LON, LAT, 1000, kind="material_depot")] == ["DEPOT"]
    assert [h["code"] for h in queries.pois_within(LON, LAT, 1000)] == ["DEPOT", "CAM50", "CAM100"]
    assert [h["code"] for h in queries.nearest_pois(LON, LAT, 2)] == ["DEPOT", "CAM50"]
    assert [h["code"] for h in queries.nearest_pois(LON, LAT, 1, kind="camera")] == ["CAM50"]


def test_the_index_follows_a_new_import(territory):
    import_pois(Actor.system(), cameras(100))
    assert [h["code"] for h in queries.pois_within(LON, LAT, 500)] == ["CAM100"]
    import_pois(Actor.system(), cameras(40))
    assert [h["code"] for h in queries.pois_within(LON, LAT, 500)] == ["CAM40", "CAM100"]


def test_pois_are_relocated_when_the_territory_changes(territory):
    import_pois(Actor.system(), poi_collection(poi("S", "school", 121.45, 31.23)))
    assert PointOfInterest.objects.get(code="S").level4_codes == ["P1"]
    data = small_territory()
    data["features"] = [f for f in data["features"] if f["properties"]["code"] != "P1"]
    result = import_territory(Actor.system(), data, replace=True)
    assert result.relocated_pois == 1
    assert PointOfInterest.objects.get(code="S").level4_codes == []


def test_api_pois_within_and_nearest(client, territory):
    import_pois(Actor.system(), cameras(100, 200))
    r = client.get("/api/v1/territory/pois", {"lon": LON, "lat": LAT, "radius": 150, "kind": "camera"})
    assert r.status_code == 200
    body = r.json()
    assert [i["code"] for i in body["items"]] == ["CAM100"]
    assert body["items"][0]["stream_url"] == ""  # stream addresses are for staff only
    r = client.get("/api/v1/territory/pois/nearest", {"lon": LON, "lat": LAT, "k": 2})
    assert [i["code"] for i in r.json()["items"]] == ["CAM100", "CAM200"]
    assert r.json()["items"][1]["distance_m"] == pytest.approx(200, abs=0.5)


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/api/v1/territory/pois", {"lon": LON, "lat": LAT}, "radius"),
        ("/api/v1/territory/pois", {"lon": LON, "lat": LAT, "radius": -3}, "radius"),
        ("/api/v1/territory/pois", {"lon": LON, "lat": LAT, "radius": 10**7}, "radius"),
        ("/api/v1/territory/pois/nearest", {"lon": LON, "lat": LAT, "k": 0}, "k"),
        ("/api/v1/territory/pois/nearest", {"lon": LON, "lat": 95, "k": 3}, "lat"),
    ],
)
def test_api_pois_rejects_bad_input(client, path, params, field):
    r = client.get(path, params)
    assert r.status_code == 422
    assert any(field in d["loc"] for d in r.json()["detail"])


def test_api_pois_rejects_an_unknown_kind_listing_the_known_ones(client):
    r = client.get("/api/v1/territory/pois", {"lon": LON, "lat": LAT, "radius": 100, "kind": "ufo"})
    assert r.status_code == 422
    assert "ufo" in r.json()["detail"] and "camera" in r.json()["detail"]
