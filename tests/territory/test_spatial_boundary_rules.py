"""The Locator's documented rules: closed polygons, smaller code wins on shared edges, chains follow parents."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from yiwang.territory.spatial import Chain, Locator, UnitShape


def two_by_two() -> list[UnitShape]:
    """District D = [0,2]x[0,1]; streets A (x<1) and B (x>1); grids A1, A2 (split at y=0.5), B1."""
    return [
        UnitShape("D", 1, None, box(0, 0, 2, 1)),
        UnitShape("A", 2, "D", box(0, 0, 1, 1)),
        UnitShape("B", 2, "D", box(1, 0, 2, 1)),
        UnitShape("A1", 3, "A", box(0, 0, 1, 0.5)),
        UnitShape("A2", 3, "A", box(0, 0.5, 1, 1)),
        UnitShape("B1", 3, "B", box(1, 0, 2, 1)),
        UnitShape("P", 4, "A1", box(0.2, 0.1, 1.5, 0.4)),  # a park across the street boundary
        UnitShape("Q", 4, "A1", box(0.3, 0.2, 0.6, 0.3)),  # a compound inside the park
        UnitShape("M", 4, "A2", Polygon([(0.125, 0.625), (0.375, 0.625), (0.375, 0.875)])),
    ]


@pytest.fixture(scope="module")
def loc() -> Locator:
    return Locator(two_by_two(), cells=400)


def test_interior_point_gets_full_chain_and_all_level4_in_code_order(loc):
    assert loc.locate(0.5, 0.25) == Chain("D", "A", "A1", ("P", "Q"))
    assert loc.locate(1.2, 0.25) == Chain("D", "B", "B1", ("P",))
    assert loc.locate(1.2, 0.8) == Chain("D", "B", "B1", ())


def test_point_on_shared_edge_goes_to_the_smaller_code(loc):
    assert loc.locate(0.5, 0.5).level3 == "A1"  # edge A1|A2
    assert loc.locate(1.0, 0.8).level3 == "A2"  # edge A2|B1
    assert loc.locate(1.0, 0.5).level3 == "A1"  # corner of A1, A2, B1


def test_points_on_the_outer_and_level4_boundaries_are_inside(loc):
    assert loc.locate(0.0, 0.0) == Chain("D", "A", "A1", ())
    assert loc.locate(2.0, 1.0).level3 == "B1"
    assert loc.locate(0.25, 0.75).level4 == ("M",)  # on M's hypotenuse y = x + 0.5 (all exact binary fractions)
    assert loc.locate(0.3, 0.25).level4 == ("P", "Q")  # on Q's left edge


def test_outside_points_and_nan_are_none_and_minus_one(loc):
    xs = np.array([-0.001, 2.0000001, 1.0, math.nan, 1e9])
    ys = np.array([0.5, 0.5, 1.0000001, 0.5, 0.5])
    for x, y in zip(xs, ys, strict=True):
        assert loc.locate(x, y) is None
    bulk = loc.locate_many(xs, ys)
    for arr in (bulk.level1, bulk.level2, bulk.level3, bulk.level4):
        assert (arr == -1).all()
    assert all(bulk.level4_all(i) == () for i in range(len(xs)))


def test_level4_outside_the_district_does_not_make_a_point_inside():
    units = [*two_by_two(), UnitShape("Z", 4, None, box(1.5, 0.5, 3, 2))]
    loc = Locator(units, cells=400)
    assert loc.locate(2.5, 0.8) is None
    assert loc.locate(1.8, 0.8).level4 == ("Z",)


def test_street_without_grids_is_its_own_leaf_with_no_level3():
    units = [u for u in two_by_two() if u.code != "B1"]
    loc = Locator(units, cells=400)
    assert loc.locate(1.5, 0.9) == Chain("D", "B", None, ())
    bulk = loc.locate_many(np.array([1.5]), np.array([0.9]))
    assert bulk.level2[0] == loc.codes(2).index("B") and bulk.level3[0] == -1


def test_bulk_indices_map_to_codes(loc):
    bulk = loc.locate_many([0.5, 1.2, 5.0], [0.25, 0.25, 5.0])
    codes3 = loc.code_array(3)
    assert list(codes3[bulk.level3]) == ["A1", "B1", None]
    assert [loc.codes(4)[i] for i in bulk.level4_all(0)] == ["P", "Q"]
    assert loc.codes(4)[bulk.level4[1]] == "P"


def test_rebuilding_after_a_change_moves_the_point():
    units = two_by_two()
    before = Locator(units, cells=400)
    moved = [u._replace(geometry=box(0, 0, 1, 0.7)) if u.code == "A1" else u for u in units]
    moved = [u._replace(geometry=box(0, 0.7, 1, 1)) if u.code == "A2" else u for u in moved]
    after = Locator(moved, cells=400)
    assert before.locate(0.5, 0.6).level3 == "A2"
    assert after.locate(0.5, 0.6).level3 == "A1"


def test_multipolygon_units_and_holes():
    ring = Polygon(box(0, 0, 3, 3).exterior.coords, [box(1, 1, 2, 2).exterior.coords])
    units = [
        UnitShape("D", 1, None, box(0, 0, 3, 3)),
        UnitShape("S", 2, "D", box(0, 0, 3, 3)),
        UnitShape("G1", 3, "S", ring),
        UnitShape("G2", 3, "S", shapely.MultiPolygon([box(1, 1, 2, 2)])),
    ]
    loc = Locator(units, cells=100)
    assert loc.locate(1.5, 1.5).level3 == "G2"
    assert loc.locate(0.5, 1.5).level3 == "G1"
    assert loc.locate(1.0, 1.5).level3 == "G1"  # on the hole's edge: both hold it, G1 < G2


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([UnitShape("D", 1, None, box(0, 0, 1, 1))] * 2, "duplicate"),
        ([UnitShape("D", 1, None, Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]))], "invalid geometry"),
        ([UnitShape("D", 1, None, shapely.Point(0, 0))], "Polygon"),
        ([UnitShape("A", 2, "nope", box(0, 0, 1, 1))], "parent"),
        ([UnitShape("D", 5, None, box(0, 0, 1, 1))], "level"),
    ],
)
def test_bad_input_is_refused_with_the_unit_named(units, message):
    with pytest.raises(ValueError, match=message):
        Locator(units)


def test_empty_territory_locates_nothing():
    loc = Locator([])
    assert loc.locate(0, 0) is None
    assert (loc.locate_many([0.0], [0.0]).level3 == -1).all()


def test_caller_geometries_are_not_prepared_in_place():
    units = two_by_two()
    Locator(units, cells=100)
    assert not any(shapely.is_prepared(u.geometry) for u in units)
