"""Point → territory chain, exact and fast. Pure numpy + shapely + scipy; no Django.

A `Locator` answers "which level-1/2/3 unit and which level-4 units hold this point?".

Membership rule (the definition every answer follows, fast path or not):

* A point belongs to a unit when the unit's *closed* polygon holds it (``shapely.intersects`` of the
  point, i.e. boundary included).
* The tiling leaves are the units of levels 1–3 that have no children among levels 1–3 (normally the
  level-3 units). The point's leaf is the first leaf, in code order, whose closed polygon holds it; so
  a point on the edge shared by two grids goes to the grid with the smaller code. Levels above the
  leaf are the leaf's ancestors (never looked up geometrically, so a chain is always consistent).
  No leaf holds the point → it is outside the district (``None`` / index -1), whatever level-4 says.
* Level 4: every level-4 unit whose closed polygon holds the point, in code order (may be empty).

Speed: a uniform raster over the leaves' bounding box. A cell that no boundary touches lies wholly in
one face of the arrangement, so its answer is precomputed; points in cells a boundary may touch (found
conservatively, with a margin) are tested exactly against prepared candidate polygons.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import shapely
from scipy import ndimage

OUTSIDE = -1
_SAMPLE_STEP = 0.9  # boundary sample spacing, in cells; the marking square has half-size 0.5 → margin 0.05


class UnitShape(NamedTuple):
    code: str
    level: int  # 1..4
    parent: str | None
    geometry: Any  # shapely Polygon / MultiPolygon, lon/lat WGS-84


class Chain(NamedTuple):
    level1: str | None
    level2: str | None
    level3: str | None
    level4: tuple[str, ...]


@dataclass(frozen=True)
class BulkLocation:
    """Result of `Locator.locate_many`: per point, indices into `Locator.codes(level)` (-1 = none)."""

    level1: np.ndarray
    level2: np.ndarray
    level3: np.ndarray
    level4: np.ndarray  # the first (lowest code) level-4 unit holding the point, -1 if none
    level4_set: np.ndarray  # per point, an index into `level4_sets`
    level4_sets: tuple[tuple[int, ...], ...]  # each a sorted tuple of level-4 indices; id 0 is ()

    def level4_all(self, i: int) -> tuple[int, ...]:
        return self.level4_sets[int(self.level4_set[i])]

    def __len__(self) -> int:
        return len(self.level1)


@dataclass(frozen=True)
class _Raster:
    """Per cell: >= 0 an answer id, <= -2 a boundary cell whose candidates are cands[off[k]:off[k+1]], k = -2-v."""

    values: np.ndarray  # int32, flat, ny*nx
    off: np.ndarray  # int64 CSR offsets over boundary cells
    cands: np.ndarray  # int32 polygon indices, ascending per cell


class Locator:
    """Exact point-in-territory lookups over units of levels 1–4 (see the module docstring).

    `cells` sets the raster size: memory is two int32 rasters (8 bytes per cell: 34 MB at the default
    2^22; 2^20 gives 8 MB, ~2× more exact fallbacks, same answers). Build ~0.3 s for ~400 polygons.
    Instances are immutable apart from internal caches and safe to share between threads.
    """

    def __init__(self, units: Sequence[UnitShape], *, cells: int = 1 << 22):
        t0 = time.perf_counter()
        units = _validated(units)
        self._codes = {lvl: tuple(u.code for u in units if u.level == lvl) for lvl in (1, 2, 3, 4)}
        self._index = {lvl: {c: i for i, c in enumerate(self._codes[lvl])} for lvl in (1, 2, 3, 4)}
        by_code = {u.code: u for u in units}
        has_child = {u.parent for u in units if u.level <= 3 and u.parent is not None}
        leaves = sorted((u for u in units if u.level <= 3 and u.code not in has_child), key=lambda u: u.code)
        l4 = [u for u in units if u.level == 4]  # already in code order
        self._leaf_codes = tuple(u.code for u in leaves)
        # ancestor index per leaf and level; one extra trailing -1 so that index -1 maps to -1
        anc = np.full((4, len(leaves) + 1), OUTSIDE, dtype=np.int32)
        self._leaf_chain: list[tuple[str | None, str | None, str | None]] = []
        for i, leaf in enumerate(leaves):
            names: list[str | None] = [None, None, None]
            u: UnitShape | None = leaf
            while u is not None:
                names[u.level - 1] = u.code
                anc[u.level, i] = self._index[u.level][u.code]
                u = by_code.get(u.parent) if u.parent else None
            self._leaf_chain.append((names[0], names[1], names[2]))
        self._anc = anc
        self._leaf_geoms = _prepared_copies([u.geometry for u in leaves])
        self._l4_geoms = _prepared_copies([u.geometry for u in l4])
        self._l4_codes = self._codes[4]
        self._sets: list[tuple[int, ...]] = [()]
        self._set_ids: dict[tuple[int, ...], int] = {(): 0}
        self._chain_cache: dict[tuple[int, int], Chain] = {}
        self._grid(cells)
        if len(leaves):
            self._leaf_raster = self._rasterize(self._leaf_geoms, self._leaf_answers)
            self._l4_raster = self._rasterize(self._l4_geoms, self._l4_answers)
            self._leaf_mv = memoryview(self._leaf_raster.values).cast("B").cast("i")
            self._l4_mv = memoryview(self._l4_raster.values).cast("B").cast("i")
        self._set_first = np.array([s[0] if s else OUTSIDE for s in self._sets], dtype=np.int32)
        self.build_seconds = time.perf_counter() - t0

    # ----------------------------------------------------------------- public read API
    def codes(self, level: int) -> tuple[str, ...]:
        """The codes of one level, sorted; `locate_many` indices point into this tuple."""
        return self._codes[level]

    def code_array(self, level: int) -> np.ndarray:
        """The codes of one level as an object array with a trailing None, so `arr[indices]` maps -1 → None."""
        return np.array([*self._codes[level], None], dtype=object)

    @property
    def stats(self) -> dict[str, float]:
        n = self._nx * self._ny
        bnd_leaf = len(self._leaf_raster.off) - 1 if self._nleaf else 0
        bnd_l4 = len(self._l4_raster.off) - 1 if self._nleaf else 0
        return {
            "grid_nx": self._nx,
            "grid_ny": self._ny,
            "cell_deg": self._c,
            "x0": self._x0,
            "y0": self._y0,
            "boundary_cells_leaf_frac": bnd_leaf / n,
            "boundary_cells_level4_frac": bnd_l4 / n,
            "build_seconds": self.build_seconds,
        }

    def locate(self, lon: float, lat: float) -> Chain | None:
        """The chain holding the point, or None outside the district."""
        if not self._nleaf:
            return None
        fx = (lon - self._x0) * self._inv_c
        fy = (lat - self._y0) * self._inv_c
        if not (0.0 <= fx < self._nx and 0.0 <= fy < self._ny):  # also false for NaN
            return None
        cell = int(fy) * self._nx + int(fx)
        leaf = self._leaf_mv[cell]
        if leaf < OUTSIDE:
            leaf = self._exact_first_single(self._leaf_raster, self._leaf_geoms, -2 - leaf, lon, lat)
        if leaf == OUTSIDE:
            return None
        sid = self._l4_mv[cell]
        if sid < 0:
            sid = self._set_id(self._exact_all_single(self._l4_raster, self._l4_geoms, -2 - sid, lon, lat))
        key = (leaf, sid)
        chain = self._chain_cache.get(key)
        if chain is None:
            chain = Chain(*self._leaf_chain[leaf], tuple(self._l4_codes[i] for i in self._sets[sid]))
            self._chain_cache[key] = chain
        return chain

    def locate_many(self, lon: Any, lat: Any) -> BulkLocation:
        """Vectorised `locate` over 1-D arrays; exactly the same answers, as indices into `codes(level)`."""
        x = np.ascontiguousarray(lon, dtype=np.float64).ravel()
        y = np.ascontiguousarray(lat, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError("lon and lat must have the same length")
        n = len(x)
        if not self._nleaf or n == 0:
            empty = np.full(n, OUTSIDE, dtype=np.int32)
            return BulkLocation(empty, empty, empty, empty, np.zeros(n, np.int32), ((),))
        fx = (x - self._x0) * self._inv_c
        fy = (y - self._y0) * self._inv_c
        inside = (fx >= 0) & (fx < self._nx) & (fy >= 0) & (fy < self._ny)
        with np.errstate(invalid="ignore"):  # NaN / huge values: masked just below
            cell = fy.astype(np.int64) * self._nx + fx.astype(np.int64)
        cell[~inside] = 0  # cell 0 lies in the empty margin ring
        leaf = self._leaf_raster.values[cell]
        leaf[~inside] = OUTSIDE
        fb = np.flatnonzero(leaf < OUTSIDE)
        if fb.size:
            leaf[fb] = self._exact_first_bulk(self._leaf_raster, self._leaf_geoms, -2 - leaf[fb], x[fb], y[fb])
        sid = self._l4_raster.values[cell]
        sets = list(self._sets)  # a snapshot: concurrent `locate` calls may append to self._sets
        snapshot = len(sets)
        fb = np.flatnonzero((sid < 0) & (leaf >= 0))
        if fb.size:
            sid[fb] = self._exact_sets_bulk(-2 - sid[fb], x[fb], y[fb], sets)
        sid[leaf < 0] = 0
        first = self._set_first  # grows only by appending, and ids never change meaning
        if len(sets) > snapshot or len(first) < len(sets):  # sets new to this call: use our own table
            first = np.array([s[0] if s else OUTSIDE for s in sets], dtype=np.int32)
        return BulkLocation(
            level1=self._anc[1][leaf],
            level2=self._anc[2][leaf],
            level3=self._anc[3][leaf],
            level4=first[sid],
            level4_set=sid,
            level4_sets=tuple(sets),
        )

    # ----------------------------------------------------------------- raster build
    def _grid(self, cells: int) -> None:
        self._nleaf = len(self._leaf_geoms)
        if not self._nleaf:
            self._x0 = self._y0 = self._c = self._inv_c = 1.0
            self._nx = self._ny = 0
            return
        minx, miny, maxx, maxy = shapely.total_bounds(self._leaf_geoms)
        w, h = max(maxx - minx, 1e-9), max(maxy - miny, 1e-9)
        c = math.sqrt(w * h / max(cells, 16))
        c = max(c, w / 8192, h / 8192)  # keep very elongated territories bounded
        self._c, self._inv_c = c, 1.0 / c
        # two empty cell rings on every side: the leaf boundaries never mark cell 0
        self._nx, self._ny = int(w / c) + 5, int(h / c) + 5
        self._x0, self._y0 = minx - 2 * c, miny - 2 * c

    def _mark(self, geoms: np.ndarray) -> np.ndarray:
        """Boolean raster: True for every cell whose closed box a boundary of `geoms` may touch."""
        marked = np.zeros(self._ny * self._nx, dtype=bool)
        if not len(geoms):
            return marked
        rings = shapely.get_rings(shapely.get_parts(geoms))
        xy, ring = shapely.get_coordinates(rings, return_index=True)
        gx = (xy[:, 0] - self._x0) * self._inv_c
        gy = (xy[:, 1] - self._y0) * self._inv_c
        same = ring[1:] == ring[:-1]
        ax, ay, bx, by = gx[:-1][same], gy[:-1][same], gx[1:][same], gy[1:][same]
        nseg = np.floor(np.hypot(bx - ax, by - ay) / _SAMPLE_STEP).astype(np.int64) + 2
        seg = np.repeat(np.arange(len(ax)), nseg)
        start = np.cumsum(nseg) - nseg
        t = (np.arange(len(seg)) - start[seg]) / (nseg[seg] - 1)
        px = ax[seg] + t * (bx[seg] - ax[seg])
        py = ay[seg] + t * (by[seg] - ay[seg])
        for dx in (-0.5, 0.5):
            ix = np.clip(np.floor(px + dx), 0, self._nx - 1).astype(np.int64)
            for dy in (-0.5, 0.5):
                iy = np.clip(np.floor(py + dy), 0, self._ny - 1).astype(np.int64)
                marked[iy * self._nx + ix] = True
        return marked

    def _rasterize(self, geoms: np.ndarray, classify) -> _Raster:
        nx, ny = self._nx, self._ny
        marked = self._mark(geoms)
        labels, nlab = ndimage.label(~marked.reshape(ny, nx))
        labels = labels.ravel()
        rep = np.zeros(nlab + 1, dtype=np.int64)
        rep[labels] = np.arange(len(labels))  # any cell of each component will do
        rep = rep[1:]
        cx = self._x0 + (rep % nx + 0.5) * self._c
        cy = self._y0 + (rep // nx + 0.5) * self._c
        answer = np.empty(nlab + 1, dtype=np.int32)
        answer[1:] = classify(cx, cy)
        bcells = np.flatnonzero(marked)
        answer[0] = 0
        values = answer[labels]
        values[bcells] = -2 - np.arange(len(bcells), dtype=np.int32)
        # candidates of each boundary cell: every polygon whose (cell-rounded) bounding box covers it
        m2 = marked.reshape(ny, nx)
        pair_cell, pair_poly = [], []
        for p, (x0, y0, x1, y1) in enumerate(shapely.bounds(geoms)):
            i0 = max(int((x0 - self._x0) * self._inv_c) - 1, 0)
            j0 = max(int((y0 - self._y0) * self._inv_c) - 1, 0)
            i1 = min(int((x1 - self._x0) * self._inv_c) + 2, nx)
            j1 = min(int((y1 - self._y0) * self._inv_c) + 2, ny)
            if i0 >= i1 or j0 >= j1:
                continue
            jj, ii = np.nonzero(m2[j0:j1, i0:i1])
            pair_cell.append((jj + j0) * nx + (ii + i0))
            pair_poly.append(np.full(len(jj), p, dtype=np.int32))
        if pair_cell:
            pc, pp = np.concatenate(pair_cell), np.concatenate(pair_poly)
        else:
            pc, pp = np.zeros(0, np.int64), np.zeros(0, np.int32)
        order = np.argsort(pc, kind="stable")  # polygons stay ascending within a cell
        pc, pp = pc[order], pp[order]
        k = np.searchsorted(bcells, pc)
        off = np.zeros(len(bcells) + 1, dtype=np.int64)
        np.add.at(off, k + 1, 1)
        return _Raster(values=values, off=np.cumsum(off), cands=pp)

    def _leaf_answers(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        pt, poly = _tree_hits(self._leaf_geoms, x, y)
        out = np.full(len(x), OUTSIDE, dtype=np.int32)
        uniq, first = np.unique(pt, return_index=True)
        out[uniq] = poly[first]
        return out

    def _l4_answers(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        pt, poly = _tree_hits(self._l4_geoms, x, y)
        out = np.zeros(len(x), dtype=np.int32)
        bounds = np.flatnonzero(np.diff(pt, prepend=-1, append=-1))
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            out[pt[a]] = self._set_id(tuple(poly[a:b].tolist()))
        return out

    def _set_id(self, s: tuple[int, ...]) -> int:
        sid = self._set_ids.get(s)
        if sid is None:
            sid = self._set_ids[s] = len(self._sets)
            self._sets.append(s)
            if hasattr(self, "_set_first"):
                self._set_first = np.append(self._set_first, np.int32(s[0]))
        return sid

    # ----------------------------------------------------------------- exact tests
    @staticmethod
    def _exact_first_single(r: _Raster, geoms: np.ndarray, k: int, x: float, y: float) -> int:
        for p in r.cands[r.off[k] : r.off[k + 1]].tolist():
            if shapely.intersects_xy(geoms[p], x, y):
                return p
        return OUTSIDE

    @staticmethod
    def _exact_all_single(r: _Raster, geoms: np.ndarray, k: int, x: float, y: float) -> tuple[int, ...]:
        return tuple(p for p in r.cands[r.off[k] : r.off[k + 1]].tolist() if shapely.intersects_xy(geoms[p], x, y))

    @staticmethod
    def _pairs(r: _Raster, geoms: np.ndarray, k: np.ndarray, x: np.ndarray, y: np.ndarray):
        start, count = r.off[k], r.off[k + 1] - r.off[k]
        pt = np.repeat(np.arange(len(k)), count)
        pos = np.arange(len(pt)) - np.repeat(np.cumsum(count) - count, count) + np.repeat(start, count)
        poly = r.cands[pos]
        hit = shapely.intersects_xy(geoms[poly], x[pt], y[pt])
        return pt[hit], poly[hit]

    def _exact_first_bulk(self, r: _Raster, geoms, k, x, y) -> np.ndarray:
        pt, poly = self._pairs(r, geoms, k, x, y)
        out = np.full(len(k), OUTSIDE, dtype=np.int32)
        uniq, first = np.unique(pt, return_index=True)  # pairs are grouped by point, polygons ascending
        out[uniq] = poly[first]
        return out

    def _exact_sets_bulk(self, k, x, y, sets: list[tuple[int, ...]]) -> np.ndarray:
        pt, poly = self._pairs(self._l4_raster, self._l4_geoms, k, x, y)
        out = np.zeros(len(k), dtype=np.int32)
        if not len(pt):
            return out
        words = (len(self._l4_geoms) + 63) // 64
        bits = np.zeros((len(k), words), dtype=np.uint64)
        np.bitwise_or.at(bits, (pt, poly // 64), np.left_shift(np.uint64(1), (poly % 64).astype(np.uint64)))
        has = np.unique(pt)
        rows, inv = np.unique(bits[has], axis=0, return_inverse=True)
        ids = np.empty(len(rows), dtype=np.int32)
        local = {s: i for i, s in enumerate(sets)}
        for j, row in enumerate(rows):
            s = tuple(int(w * 64 + b) for w in range(words) for b in range(64) if (int(row[w]) >> b) & 1)
            if s not in local:
                local[s] = len(sets)
                sets.append(s)
            ids[j] = local[s]
        out[has] = ids[inv.ravel()]
        return out


def _tree_hits(geoms: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, polygon) pairs where the polygon's closure holds the point, sorted by point then polygon."""
    if not len(geoms) or not len(x):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pt, poly = shapely.STRtree(geoms).query(shapely.points(x, y), predicate="intersects")
    order = np.lexsort((poly, pt))
    return pt[order], poly[order]


def _prepared_copies(geoms: list) -> np.ndarray:
    arr = shapely.from_wkb(shapely.to_wkb(np.array(geoms, dtype=object))) if geoms else np.array([], dtype=object)
    shapely.prepare(arr)
    return arr


def _validated(units: Sequence[UnitShape]) -> list[UnitShape]:
    units = [u if isinstance(u, UnitShape) else UnitShape(*u) for u in units]
    seen: dict[str, UnitShape] = {}
    for u in units:
        if u.code in seen:
            raise ValueError(f"duplicate unit code {u.code!r}")
        if u.level not in (1, 2, 3, 4):
            raise ValueError(f"unit {u.code!r}: level must be 1..4, not {u.level!r}")
        if shapely.get_type_id(u.geometry) not in (3, 6) or shapely.is_empty(u.geometry):
            raise ValueError(f"unit {u.code!r}: geometry must be a non-empty Polygon or MultiPolygon")
        if not shapely.is_valid(u.geometry):
            raise ValueError(f"unit {u.code!r}: invalid geometry ({shapely.is_valid_reason(u.geometry)})")
        seen[u.code] = u
    for u in units:
        if u.level == 1 and u.parent is not None:
            raise ValueError(f"unit {u.code!r}: a level-1 unit has no parent")
        if u.level in (2, 3) and (u.parent not in seen or seen[u.parent].level != u.level - 1):
            raise ValueError(f"unit {u.code!r}: parent must be an existing level-{u.level - 1} unit")
        if u.level == 4 and u.parent is not None and (u.parent not in seen or seen[u.parent].level > 3):
            raise ValueError(f"unit {u.code!r}: parent must be an existing unit of level 1..3")
    return sorted(units, key=lambda u: (u.level, u.code))
