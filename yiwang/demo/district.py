"""The demo district, "1 + 13 + 63 + X": a pure, seeded generator (no Django models).

``build_district(seed)`` returns the four-level territory (district, 13 subdistricts/towns tiling it
exactly, 63 grids tiling those exactly, 300+ residential areas, 5 parks and one underground metro
station) with invented names, about 1.1 million residents, and a few thousand points of interest.
``District.territory_geojson()`` / ``poi_geojson()`` give the agreed import format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import mapping

from . import geometry as geo
from . import names
from .codes import OPS_CENTRE, grid_centre_code, grid_team_code, neighbourhood_code

GENERATOR_VERSION = 1
DEFAULT_SEED = 2014  # the year the district's digital transformation began
DISTRICT_CODE = "XD"
DISTRICT_AREA_M2 = 54.93e6
SUBDISTRICTS = 13
TOWNS = 2  # of the 13, the last two are towns (镇), the rest subdistricts (街道)
GRIDS = 63
GRIDS_PER_SUBDISTRICT = (3, 7)
PARKS = 5
POPULATION = 1_100_000
BLOCK_AREA_M2 = 140_000  # typical block (level-4 area) size the grids are cut into
GAP_SHARE = 0.08  # blocks left without a unit: schools, markets, green space


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    name_en: str
    level: int
    kind: str
    parent: str | None
    geometry: object  # shapely Polygon in lon/lat (WGS-84)
    population: int | None = None
    org_unit: str = ""

    def feature(self) -> dict:
        props = {
            "code": self.code,
            "name": self.name,
            "name_en": self.name_en,
            "level": self.level,
            "kind": self.kind,
            "parent": self.parent,
        }
        if self.org_unit:
            props["org_unit"] = self.org_unit
        if self.population is not None:
            props["population"] = self.population
        return {"type": "Feature", "geometry": _rounded(mapping(self.geometry)), "properties": props}


@dataclass(frozen=True)
class Poi:
    code: str
    kind: str
    name: str
    name_en: str
    lon: float
    lat: float
    extra: dict = field(default_factory=dict)

    def feature(self) -> dict:
        props = {"code": self.code, "kind": self.kind, "name": self.name, "name_en": self.name_en, **self.extra}
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(self.lon, 7), round(self.lat, 7)]},
            "properties": props,
        }


@dataclass
class District:
    seed: int
    units: list[Unit]
    pois: list[Poi] = field(default_factory=list)
    gaps: list = field(default_factory=list)  # lon/lat blocks without a unit (used to place POIs)
    version: int = GENERATOR_VERSION

    def level(self, level: int) -> list[Unit]:
        return [u for u in self.units if u.level == level]

    def unit(self, code: str) -> Unit:
        return next(u for u in self.units if u.code == code)

    def children(self, code: str) -> list[Unit]:
        return [u for u in self.units if u.parent == code]

    def territory_geojson(self) -> dict:
        return {
            "type": "FeatureCollection",
            "coordinate_system": "wgs84",
            "features": [u.feature() for u in self.units],
        }

    def poi_geojson(self) -> dict:
        return {"type": "FeatureCollection", "coordinate_system": "wgs84", "features": [p.feature() for p in self.pois]}


def _rounded(geojson_geometry: dict) -> dict:
    def walk(c):
        if isinstance(c[0], float | int):
            return [round(c[0], 7), round(c[1], 7)]
        return [walk(x) for x in c]

    return {"type": geojson_geometry["type"], "coordinates": walk(geojson_geometry["coordinates"])}


def allocate(total: int, weights, rng: np.random.Generator | None = None) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder; sums exactly)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - out), kind="stable")[: total - int(out.sum())]:
        out[i] += 1
    return [int(x) for x in out]


def _grid_counts(areas: list[float], rng: np.random.Generator) -> list[int]:
    low, high = GRIDS_PER_SUBDISTRICT
    counts = [low] * len(areas)
    weights = np.asarray(areas) / sum(areas)
    for _ in range(GRIDS - low * len(areas)):
        open_ = np.array([c < high for c in counts])
        p = np.where(open_, weights, 0.0)
        counts[int(rng.choice(len(areas), p=p / p.sum()))] += 1
    return counts


def build_district(seed: int = DEFAULT_SEED, *, with_pois: bool = True) -> District:
    rng = np.random.default_rng(seed)
    book = names.NameBook(rng)
    outline_m = geo.district_outline(rng, DISTRICT_AREA_M2)
    subs_m = geo.tile(outline_m, SUBDISTRICTS, rng)
    counts = _grid_counts([s.area for s in subs_m], rng)
    raw_grids_m, grid_sub = [], []
    for i, (sub_m, n) in enumerate(zip(subs_m, counts, strict=True)):
        raw_grids_m.extend(geo.tile(sub_m, n, rng))
        grid_sub.extend([i] * n)

    # exact coverage in lon/lat; subdistricts and the district are unions of their grids
    outline = geo.to_lonlat(outline_m)
    grids = geo.exact_coverage(outline, [geo.to_lonlat(g) for g in raw_grids_m])
    subs = [
        shapely.coverage_union_all([g for g, s in zip(grids, grid_sub, strict=True) if s == i])
        for i in range(SUBDISTRICTS)
    ]
    district_geom = shapely.coverage_union_all(subs)

    units: list[Unit] = []
    sub_codes = [f"{DISTRICT_CODE}-S{i + 1:02d}" for i in range(SUBDISTRICTS)]
    sub_names = [names.subdistrict_name(book, town=i >= SUBDISTRICTS - TOWNS) for i in range(SUBDISTRICTS)]
    grid_codes, grid_names, number = [], [], {}
    for s in grid_sub:
        number[s] = number.get(s, 0) + 1
        grid_codes.append(f"{sub_codes[s]}-G{number[s]:02d}")
        grid_names.append(names.grid_name(sub_names[s], number[s]))

    level4, gaps = _level4(grids, grid_codes, grid_sub, book, rng)
    grid_pop = {c: 0 for c in grid_codes}
    for u in level4:
        if u.population:
            grid_pop[u.parent] += u.population
    sub_pop = [sum(grid_pop[c] for c, s in zip(grid_codes, grid_sub, strict=True) if s == i) for i in range(13)]

    units.append(Unit(DISTRICT_CODE, "X区", "X District", 1, "district", None, district_geom, sum(sub_pop), OPS_CENTRE))
    for i in range(SUBDISTRICTS):
        kind = "town" if i >= SUBDISTRICTS - TOWNS else "subdistrict"
        units.append(
            Unit(
                sub_codes[i], sub_names[i].zh, sub_names[i].en, 2, kind, DISTRICT_CODE, subs[i], sub_pop[i],
                grid_centre_code(sub_codes[i]),
            )
        )  # fmt: skip
    for k, code in enumerate(grid_codes):
        units.append(
            Unit(
                code, grid_names[k].zh, grid_names[k].en, 3, "grid", sub_codes[grid_sub[k]], grids[k], grid_pop[code],
                grid_team_code(code),
            )
        )  # fmt: skip
    units.extend(level4)
    district = District(seed=seed, units=units, gaps=gaps)
    if with_pois:
        from .pois import build_pois

        district.pois = build_pois(district, np.random.default_rng([seed, 1]))
    return district


def _level4(grids, grid_codes, grid_sub, book, rng):
    """Residential areas, parks and the metro station, each inside one grid, with streets between."""
    found = []  # (grid index, block in metres)
    for k, grid in enumerate(grids):
        grid_m = geo.to_metres(grid)
        n = max(3, round(grid_m.area / BLOCK_AREA_M2))
        found.extend((k, b) for b in geo.blocks(grid_m, n, rng))
    # five parks: the largest block of five different subdistricts
    park_subs = rng.choice(SUBDISTRICTS, size=PARKS, replace=False)
    parks = set()
    for s in park_subs:
        candidates = [i for i, (k, b) in enumerate(found) if grid_sub[k] == s]
        parks.add(max(candidates, key=lambda i: found[i][1].area))
    rest = [i for i in range(len(found)) if i not in parks]
    gap_set = set(rng.choice(rest, size=round(GAP_SHARE * len(rest)), replace=False).tolist())
    residential = [i for i in rest if i not in gap_set]
    weights = [found[i][1].area * rng.lognormal(0.0, 0.3) for i in residential]
    total = round(POPULATION * rng.uniform(0.995, 1.01))
    pops = dict(zip(residential, allocate(total, weights), strict=True))

    units, per_grid = [], {}
    for i, (k, block) in enumerate(found):
        if i in gap_set:
            continue
        gcode = grid_codes[k]
        per_grid[gcode] = per_grid.get(gcode, 0) + 1
        if i in parks:
            name = names.park_name(book)
            code, kind = f"{gcode}-P{per_grid[gcode]:02d}", "park"
        else:
            name = names.residential_name(book)
            code, kind = f"{gcode}-R{per_grid[gcode]:02d}", "residential"
        org = neighbourhood_code(code) if kind == "residential" else ""
        units.append(Unit(code, name.zh, name.en, 4, kind, gcode, geo.finish(block), pops.get(i), org))
    units.append(_metro(found, residential, grids, grid_codes, book, rng))
    gaps = [geo.finish(found[i][1]) for i in sorted(gap_set)]
    return units, gaps


def _metro(found, residential, grids, grid_codes, book, rng) -> Unit:
    """One underground station, under (overlapping) the residential area nearest the district centre."""
    centre = shapely.centroid(shapely.union_all([geo.to_metres(g) for g in grids]))
    i = min(residential, key=lambda i: found[i][1].distance(centre))
    k, block = found[i]
    grid_m = geo.to_metres(grids[k])
    rect = geo.rectangle(block.representative_point(), 240, 36, float(rng.uniform(0, 180)))
    parts = sorted(geo.polygons_of(rect.intersection(grid_m.buffer(-2))), key=lambda p: -p.area)
    name = names.metro_name(book, line=int(rng.integers(19, 24)))
    code = f"{grid_codes[k]}-M01"
    return Unit(code, name.zh, name.en, 4, "metro_station", grid_codes[k], geo.finish(parts[0]), None, "")
