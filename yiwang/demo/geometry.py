"""Pure geometry of the demo district: outline, exact tilings, blocks (numpy + shapely, no Django).

Shapes are built in local metres (x east, y north, around ``ORIGIN``) and converted to WGS-84
lon/lat at the end. Tilings are made exact by noding every boundary together and rebuilding each
cell from the faces of that one arrangement, so neighbours share their vertices exactly.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import MultiPoint, Point, Polygon

ORIGIN = (121.45, 31.22)  # lon, lat the district is centred on (invented geometry)
KX = 111_320.0 * math.cos(math.radians(ORIGIN[1]))  # metres per degree of longitude here
KY = 110_574.0  # metres per degree of latitude
GRID_DEG = 1e-7  # precision of output coordinates (about 1 cm)


def to_lonlat(geom):
    return shapely.transform(geom, lambda xy: xy / np.array([KX, KY]) + np.array(ORIGIN))


def to_metres(geom):
    return shapely.transform(geom, lambda xy: (xy - np.array(ORIGIN)) * np.array([KX, KY]))


def polygons_of(geom) -> list[Polygon]:
    """The polygon parts of any geometry (drops points and lines an overlay may leave)."""
    return [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]


# --- outline -------------------------------------------------------------------------------------


def district_outline(rng: np.random.Generator, area_m2: float, vertices: int = 96) -> Polygon:
    """An irregular, star-shaped (hence simple) polygon of exactly ``area_m2``."""
    theta = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    r = np.ones_like(theta)
    for k in range(2, 7):
        r += rng.uniform(0.02, 0.16) / (k - 1) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    r *= 1 + rng.uniform(-0.006, 0.006, vertices)
    stretch = rng.uniform(1.1, 1.35)
    xy = np.column_stack([r * np.cos(theta) * stretch, r * np.sin(theta) / stretch])
    angle = rng.uniform(0, np.pi)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    poly = Polygon(xy @ rot.T)
    scale = math.sqrt(area_m2 / poly.area)
    return shapely.affinity.scale(poly, scale, scale, origin=(0, 0))


# --- tiling --------------------------------------------------------------------------------------


def random_points_in(poly: Polygon, n: int, rng: np.random.Generator) -> list[Point]:
    minx, miny, maxx, maxy = poly.bounds
    points: list[Point] = []
    while len(points) < n:
        xs = rng.uniform(minx, maxx, 4 * n + 8)
        ys = rng.uniform(miny, maxy, 4 * n + 8)
        inside = shapely.contains_xy(poly, xs, ys)
        points.extend(Point(x, y) for x, y in zip(xs[inside], ys[inside], strict=True))
    return points[:n]


def voronoi_cells(parent: Polygon, seeds: list[Point]) -> list[Polygon]:
    """Voronoi cells of ``seeds`` clipped to ``parent``, each one polygon (stray parts go to a neighbour)."""
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=parent, ordered=True))
    pieces = [polygons_of(shapely.intersection(c, parent)) for c in cells]
    kept: list[Polygon] = []
    strays: list[Polygon] = []
    for seed, parts in zip(seeds, pieces, strict=True):
        parts.sort(key=lambda p: (not p.covers(seed), -p.area))
        kept.append(parts[0])
        strays.extend(parts[1:])
    while strays:
        stray = strays.pop()
        shared = [stray.boundary.intersection(k.boundary).length for k in kept]
        j = int(np.argmax(shared))
        merged = polygons_of(shapely.union(kept[j], stray))
        merged.sort(key=lambda p: -p.area)
        kept[j] = merged[0]
        strays.extend(merged[1:])
    return kept


def tile(parent: Polygon, n: int, rng: np.random.Generator, relax: int = 3) -> list[Polygon]:
    """``n`` cells tiling ``parent`` (Voronoi with a few Lloyd relaxations, for even, compact cells)."""
    seeds = random_points_in(parent, n, rng)
    for _ in range(relax):
        cells = voronoi_cells(parent, seeds)
        seeds = [c.centroid if parent.contains(c.centroid) else c.representative_point() for c in cells]
    cells = voronoi_cells(parent, seeds)
    # reading order (north to south, then west to east) so numbering looks natural on the map
    order = sorted(range(n), key=lambda i: (-round(cells[i].centroid.y / 800), cells[i].centroid.x))
    return [cells[i] for i in order]


def exact_coverage(outline: Polygon, cells: list[Polygon], grid: float = GRID_DEG) -> list[Polygon]:
    """Rebuild ``cells`` (approximately tiling ``outline``) as an exact coverage of it.

    Every boundary is noded together on a fixed precision grid and polygonised; each face goes to
    the cell that holds it (or, for slivers between cells, the one it shares most boundary with).
    Neighbouring results then share vertices exactly and their union is the outline.
    """
    lines = [shapely.boundary(c) for c in cells] + [shapely.boundary(outline)]
    noded = shapely.union_all(lines, grid_size=grid)
    faces = polygons_of(shapely.polygonize(shapely.get_parts(noded)))
    snapped_outline = shapely.set_precision(outline, grid)
    tree = shapely.STRtree(cells)
    members: list[list[Polygon]] = [[] for _ in cells]
    for face in faces:
        inside = face.representative_point()
        if not snapped_outline.covers(inside):
            continue
        hits = [int(i) for i in tree.query(inside, predicate="within")]
        if hits:
            members[hits[0]].append(face)
        else:
            near = tree.query(face, predicate="intersects")
            best = max(near, key=lambda i: face.boundary.intersection(cells[i].boundary).length)
            members[int(best)].append(face)
    result = [shapely.coverage_union_all(m) for m in members]
    return _single_parts(result)


def _single_parts(cells: list) -> list[Polygon]:
    """Give the small detached parts of a multi-part cell to the neighbour sharing most boundary."""
    cells = list(cells)
    for i, cell in enumerate(cells):
        parts = sorted(polygons_of(cell), key=lambda p: -p.area)
        if len(parts) <= 1:
            continue
        cells[i] = parts[0]
        for part in parts[1:]:
            shared = [
                -1.0 if j == i else part.boundary.intersection(other.boundary).length for j, other in enumerate(cells)
            ]
            j = int(np.argmax(shared))
            cells[j] = shapely.coverage_union_all([cells[j], part])
    return cells


# --- blocks (level-4 shapes) ----------------------------------------------------------------------


def blocks(grid_m: Polygon, n: int, rng: np.random.Generator, min_area: float = 15_000) -> list[Polygon]:
    """Up to ``n`` city blocks inside ``grid_m`` (metres), separated by streets 12–28 m wide."""
    out = []
    for cell in tile(grid_m, n, rng, relax=2):
        street = float(rng.uniform(6, 14))
        block = cell.buffer(-street, join_style="mitre").simplify(1.5)
        parts = sorted(polygons_of(block), key=lambda p: -p.area)
        if parts and parts[0].area >= min_area:
            out.append(parts[0])
    return out


def rectangle(centre: Point, length: float, width: float, angle_deg: float) -> Polygon:
    box = shapely.box(-length / 2, -width / 2, length / 2, width / 2)
    box = shapely.affinity.rotate(box, angle_deg, origin=(0, 0))
    return shapely.affinity.translate(box, centre.x, centre.y)


def finish(geom_m):
    """Metres → lon/lat on the output precision grid."""
    return shapely.set_precision(to_lonlat(geom_m), GRID_DEG)
