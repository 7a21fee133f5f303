"""The demo district's first three levels tile exactly; level-4 units sit inside their grids."""

import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.demo import geometry as geo
from yiwang.demo.district import DISTRICT_AREA_M2, build_district

REL = 1e-9  # relative area tolerance of an exact tiling (floating point only)


def _assert_children_tile(parent, children):
    assert children, parent.code
    geoms = [c.geometry for c in children]
    for g in geoms:
        assert g.geom_type == "Polygon" and g.is_valid and not g.is_empty
    union = shapely.union_all(geoms)
    assert abs(union.area - parent.geometry.area) <= REL * parent.geometry.area
    assert parent.geometry.symmetric_difference(union).area <= REL * parent.geometry.area
    # no overlaps between siblings: the areas add up to the parent's, and they form a valid coverage
    assert abs(sum(g.area for g in geoms) - parent.geometry.area) <= REL * parent.geometry.area
    assert shapely.coverage_is_valid(geoms)


def _check_district(d):
    (district,) = d.level(1)
    assert district.geometry.geom_type == "Polygon" and district.geometry.is_valid
    assert abs(geo.to_metres(district.geometry).area - DISTRICT_AREA_M2) < 0.01 * DISTRICT_AREA_M2
    _assert_children_tile(district, d.children(district.code))
    for sub in d.level(2):
        _assert_children_tile(sub, [c for c in d.children(sub.code) if c.level == 3])
    grids = {g.code: g for g in d.level(3)}
    residential = [u for u in d.level(4) if u.kind == "residential"]
    for unit in d.level(4):
        assert unit.geometry.is_valid and unit.geometry.geom_type == "Polygon"
        assert grids[unit.parent].geometry.covers(unit.geometry), unit.code
    # residential areas and parks leave streets between them: pairwise disjoint
    blocks = [u.geometry for u in d.level(4) if u.kind != "metro_station"]
    tree = shapely.STRtree(blocks)
    left, right = tree.query(blocks, predicate="intersects")
    assert (left == right).all()
    covered = shapely.union_all(blocks).area
    assert covered < 0.97 * sum(g.geometry.area for g in grids.values())
    (metro,) = [u for u in d.level(4) if u.kind == "metro_station"]
    assert any(metro.geometry.intersection(r.geometry).area > 0 for r in residential)


def test_default_district_tiles_exactly_at_every_level():
    _check_district(build_district(with_pois=False))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**31 - 1))
def test_any_seed_gives_an_exact_tiling(seed):
    _check_district(build_district(seed, with_pois=False))


def test_neighbouring_grids_of_different_subdistricts_share_vertices_exactly():
    d = build_district(with_pois=False)
    vertices = {}
    for g in d.level(3):
        for xy in g.feature()["geometry"]["coordinates"][0]:
            vertices.setdefault(tuple(xy), set()).add(d.unit(g.code).parent)
    shared_across = [v for v, subs in vertices.items() if len(subs) > 1]
    assert len(shared_across) > 13  # subdistrict borders are made of vertices both sides use
    # and every unit's GeoJSON ring, as serialised, is still a valid polygon
    for u in d.units:
        assert shapely.geometry.shape(u.feature()["geometry"]).is_valid, u.code
