"""The demo district is shaped like the paper's "1 + 13 + 63 + X" and holds about 1.1 million people."""

from collections import Counter

import pytest
import shapely

from yiwang.demo.district import GRIDS_PER_SUBDISTRICT, build_district


@pytest.fixture(scope="module")
def district():
    return build_district()


def test_levels_have_the_papers_counts(district):
    kinds = Counter((u.level, u.kind) for u in district.units)
    assert kinds[(1, "district")] == 1
    assert kinds[(2, "subdistrict")] + kinds[(2, "town")] == 13
    assert kinds[(2, "town")] >= 1
    assert kinds[(3, "grid")] == 63
    assert kinds[(4, "residential")] >= 300
    assert kinds[(4, "park")] == 5
    assert kinds[(4, "metro_station")] == 1
    low, high = GRIDS_PER_SUBDISTRICT
    for sub in district.level(2):
        assert low <= len(district.children(sub.code)) <= high


def test_codes_are_unique_and_parents_exist(district):
    codes = [u.code for u in district.units] + [p.code for p in district.pois]
    assert len(codes) == len(set(codes))
    by_code = {u.code: u for u in district.units}
    for u in district.units:
        if u.level == 1:
            assert u.parent is None
        else:
            assert by_code[u.parent].level == u.level - 1


def test_names_are_chinese_with_english_and_unique(district):
    suffixes = ("小区", "苑", "新村", "花园", "公寓", "里")
    for u in district.units:
        assert u.name and u.name_en and u.name != u.name_en
    for u in district.level(2):
        assert u.name.endswith("街道" if u.kind == "subdistrict" else "镇")
    residential = [u for u in district.level(4) if u.kind == "residential"]
    assert all(u.name.endswith(suffixes) for u in residential)
    assert len({u.name for u in residential}) == len(residential)
    assert len({u.name_en for u in residential}) == len(residential)


def test_population_sums_consistently_up_the_levels(district):
    total = district.level(1)[0].population
    assert 1_080_000 <= total <= 1_120_000
    assert sum(s.population for s in district.level(2)) == total
    for sub in district.level(2):
        assert sum(g.population for g in district.children(sub.code)) == sub.population
    for grid in district.level(3):
        homes = [u.population for u in district.children(grid.code) if u.kind == "residential"]
        assert sum(homes) == grid.population
    assert all(u.population > 0 for u in district.level(4) if u.kind == "residential")


def test_points_of_interest_lie_in_the_district_with_their_properties(district):
    kinds = Counter(p.kind for p in district.pois)
    assert kinds["camera"] >= 3000
    for kind in ("shelter", "material_depot", "school", "residential_building", "shop", "sensor_site"):
        assert kinds[kind] > 0, kind
    outline = district.level(1)[0].geometry
    xs = [p.lon for p in district.pois]
    ys = [p.lat for p in district.pois]
    assert shapely.contains_xy(outline, xs, ys).all()
    for p in district.pois:
        props = p.feature()["properties"]
        if p.kind == "camera":
            assert props["stream_url"].startswith("rtsp://cams.demo.yiwang/")
        if p.kind in ("shelter", "material_depot"):
            assert props["capacity"] > 0


def test_geojson_follows_the_agreed_format(district):
    fc = district.territory_geojson()
    assert fc["type"] == "FeatureCollection" and fc["coordinate_system"] == "wgs84"
    props = fc["features"][0]["properties"]
    assert {"code", "name", "name_en", "level", "kind", "parent"} <= set(props)
    # parents come before their children, so an importer can resolve them in one pass
    seen = set()
    for f in fc["features"]:
        parent = f["properties"]["parent"]
        assert parent is None or parent in seen
        seen.add(f["properties"]["code"])
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0]
    assert 121.3 < lon < 121.6 and 31.1 < lat < 31.35
    assert all(f["geometry"]["type"] == "Point" for f in district.poi_geojson()["features"])
