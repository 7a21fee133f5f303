"""GET /api/v1/territory/locate and /units, with precise 422 answers for bad input."""

import pytest

from tests.territory.builders import small_territory
from yiwang.core.actor import Actor
from yiwang.territory.actions import import_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory():
    import_territory(Actor.system(), small_territory())


def test_locate_answers_the_chain_with_names_and_level4(client, territory):
    r = client.get("/api/v1/territory/locate", {"lon": 121.406, "lat": 31.206})
    assert r.status_code == 200
    body = r.json()
    assert body["outside"] is False
    assert [u["code"] for u in body["chain"]] == ["D1", "S1", "G1a"]
    assert [u["name"] for u in body["chain"]] == ["单元D1", "单元S1", "单元G1a"]
    assert body["codes"]["level4"] == ["M1", "R1"]
    assert all(isinstance(u["unit_id"], int) for u in body["chain"] + body["level4"])


def test_locate_outside_answers_outside(client, territory):
    r = client.get("/api/v1/territory/locate", {"lon": 100.0, "lat": 20.0})
    assert r.status_code == 200
    assert r.json()["outside"] is True


@pytest.mark.parametrize(
    "params, field",
    [
        ({"lat": 31.2}, "lon"),
        ({"lon": 200, "lat": 31.2}, "lon"),
        ({"lon": 121.4, "lat": "north"}, "lat"),
        ({"lon": 121.4, "lat": 31.2, "system": "mars"}, "system"),
        ({"lon": 121.4, "lat": 31.2, "on": "yesterday"}, "on"),
    ],
)
def test_locate_rejects_bad_input_naming_the_parameter(client, params, field):
    r = client.get("/api/v1/territory/locate", params)
    assert r.status_code == 422
    assert any(field in detail["loc"] for detail in r.json()["detail"])


def test_units_are_a_feature_collection_filtered_by_level(client, territory):
    r = client.get("/api/v1/territory/units", {"level": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["type"] == "FeatureCollection"
    assert sorted(f["properties"]["code"] for f in body["features"]) == ["S1", "S2", "S3"]
    assert all(f["geometry"]["type"] == "Polygon" for f in body["features"])
    assert len(client.get("/api/v1/territory/units").json()["features"]) == 13


def test_units_rejects_a_level_out_of_range(client):
    r = client.get("/api/v1/territory/units", {"level": 5})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][-1] == "level"
