"""The raster-accelerated Locator gives exactly the answers of a brute-force Shapely check, boundaries included.

Tilings are Voronoi diagrams clipped to a square (level 2), split again by a second Voronoi diagram
(level 3); level-4 units are overlapping boxes, one with a hole and one identical to a grid, so that
boundaries coincide. Points are drawn uniformly, on every vertex, on edge midpoints, a hair off the
vertices and on the raster's own cell edges.
"""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPoint, Polygon, box

from yiwang.territory.spatial import Locator, UnitShape

SQUARE = box(0.0, 0.0, 1.0, 1.0)
coord = st.floats(0.0, 1.0, allow_nan=False, width=64)
seeds = st.lists(st.tuples(coord, coord), min_size=1, max_size=8, unique=True)


def polygons(g) -> list[Polygon]:
    return [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 1e-12]


def area(g):
    parts = polygons(g)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def voronoi(points, clip):
    try:
        cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(points), extend_to=SQUARE.buffer(1)))
    except shapely.errors.GEOSException:  # GEOS gives up on some degenerate seed sets: not our subject
        reject()
    if len(points) == 1:
        cells = [SQUARE.buffer(1)]
    return [a for a in (area(c.intersection(clip)) for c in cells) if a is not None]


@st.composite
def territories(draw):
    units = [UnitShape("D", 1, None, SQUARE)]
    streets = voronoi(draw(seeds), SQUARE)
    grid_cells = voronoi(draw(seeds), SQUARE)
    grids = []
    for i, street in enumerate(streets):
        units.append(UnitShape(f"D{i:02d}", 2, "D", street))
        for j, cell in enumerate(grid_cells):
            try:
                piece = area(cell.intersection(street))
            except shapely.errors.GEOSException:
                reject()
            if piece is not None and piece.is_valid:
                units.append(UnitShape(f"D{i:02d}{j:02d}", 3, f"D{i:02d}", piece))
                grids.append(piece)
    boxes = draw(st.lists(st.tuples(coord, coord, st.floats(0.02, 0.5)), max_size=6))
    l4 = [box(x, y, min(x + s, 1.2), min(y + s * 0.7, 1.2)) for x, y, s in boxes]
    if draw(st.booleans()):
        l4.append(Polygon(SQUARE.exterior.coords, [box(0.3, 0.3, 0.6, 0.6).exterior.coords]))
    if draw(st.booleans()):
        l4.append(grids[draw(st.integers(0, len(grids) - 1))])
    grid_codes = [u.code for u in units if u.level == 3]
    units += [UnitShape(f"R{k:02d}", 4, grid_codes[k % len(grid_codes)], g) for k, g in enumerate(l4)]
    shuffled = draw(st.permutations(units))  # input order must not matter
    return shuffled, draw(st.sampled_from([64, 256, 1024, 1 << 14]))


def probe_points(units, loc: Locator, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    xy = shapely.get_coordinates([u.geometry for u in units])
    mids = (xy[:-1] + xy[1:]) / 2
    near = np.concatenate([xy + d for d in (1e-12, -1e-12, 1e-9)])
    uniform = rng.uniform(-0.1, 1.1, (400, 2))
    st_ = loc.stats
    i = rng.integers(0, int(st_["grid_nx"]), 60)
    j = rng.integers(0, int(st_["grid_ny"]), 60)
    edges = np.column_stack([st_["x0"] + i * st_["cell_deg"], st_["y0"] + j * st_["cell_deg"]])
    pts = np.concatenate([xy, mids, near, uniform, edges])
    return pts[:, 0].copy(), pts[:, 1].copy()


def brute_force(units, x, y):
    """Per point: (level1, level2, level3, level4 tuple) or None — straight from shapely.intersects."""
    by_code = {u.code: u for u in units}
    parents = {v.parent for v in units if v.level <= 3}  # a level-4 unit naming a grid is no tiling child
    leaves = sorted((u for u in units if u.level <= 3 and u.code not in parents), key=lambda u: u.code)
    l4 = sorted((u for u in units if u.level == 4), key=lambda u: u.code)
    pts = shapely.points(x, y)
    leaf_hits = np.array([shapely.intersects(u.geometry, pts) for u in leaves]).reshape(len(leaves), len(x))
    l4_hits = np.array([shapely.intersects(u.geometry, pts) for u in l4]).reshape(len(l4), len(x))
    out = []
    for k in range(len(x)):
        hit = np.flatnonzero(leaf_hits[:, k])
        if not len(hit):
            out.append(None)
            continue
        names = [None, None, None]
        u = leaves[hit[0]]
        while u is not None:
            names[u.level - 1] = u.code
            u = by_code.get(u.parent)
        out.append((*names, tuple(l4[i].code for i in np.flatnonzero(l4_hits[:, k]))))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(territories(), st.integers(0, 2**32 - 1))
def test_locate_and_locate_many_equal_brute_force_shapely(territory, seed):
    units, cells = territory
    loc = Locator(units, cells=cells)
    x, y = probe_points(units, loc, np.random.default_rng(seed))
    expected = brute_force(units, x, y)

    bulk = loc.locate_many(x, y)
    names = {lvl: loc.code_array(lvl) for lvl in (1, 2, 3, 4)}
    for k, want in enumerate(expected):
        single = loc.locate(float(x[k]), float(y[k]))
        assert (tuple(single) if single else None) == want, (k, x[k], y[k])
        got_bulk = (
            names[1][bulk.level1[k]],
            names[2][bulk.level2[k]],
            names[3][bulk.level3[k]],
            tuple(names[4][i] for i in bulk.level4_all(k)),
        )
        if want is None:
            assert bulk.level1[k] == bulk.level3[k] == bulk.level4[k] == -1 and bulk.level4_all(k) == ()
        else:
            assert got_bulk == want, (k, x[k], y[k])
            assert names[4][bulk.level4[k]] == (want[3][0] if want[3] else None)


@settings(max_examples=15, deadline=None)
@given(territories(), st.integers(0, 2**32 - 1))
def test_level_1_and_2_agree_with_shapely_contains_away_from_boundaries(territory, seed):
    units, cells = territory
    loc = Locator(units, cells=cells)
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 1, 500), rng.uniform(0, 1, 500)
    pts = shapely.points(x, y)
    bulk = loc.locate_many(x, y)
    for lvl, got in ((1, bulk.level1), (2, bulk.level2), (3, bulk.level3)):
        for u in (u for u in units if u.level == lvl):
            inside = shapely.contains(u.geometry, pts) & (shapely.distance(u.geometry.boundary, pts) > 1e-9)
            assert (got[inside] == loc.codes(lvl).index(u.code)).all(), u.code
