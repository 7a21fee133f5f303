"""Shared helpers for the benchmark scripts: machine facts, timing, a synthetic district near Shanghai."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Polygon

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from yiwang.territory.spatial import UnitShape  # noqa: E402

CENTRE = (121.47, 31.23)  # near People's Square, Shanghai
KM_PER_DEG_LAT = 110.9
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(CENTRE[1]))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"nproc={os.cpu_count()}, CPU={cpu}, Python {platform.python_version()}, "
        f"shapely {shapely.__version__}, numpy {np.__version__}, load(1m)={load:.2f}, "
        f"date={dt.datetime.now().astimezone().isoformat(timespec='minutes')}"
    )


def say(msg: str) -> None:
    print(msg, flush=True)


def timed(fn, *args, repeat: int = 3):
    """(median seconds, last result) over `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), result


def _deg(dx_km: np.ndarray, dy_km: np.ndarray) -> np.ndarray:
    return np.column_stack([CENTRE[0] + dx_km / KM_PER_DEG_LON, CENTRE[1] + dy_km / KM_PER_DEG_LAT])


def _polygons(g) -> list[Polygon]:
    return [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0]


def _as_area(g):
    parts = _polygons(g)
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _voronoi_split(region, n: int, rng: np.random.Generator) -> list:
    minx, miny, maxx, maxy = region.bounds
    seeds: list[tuple[float, float]] = []
    while len(seeds) < n:
        p = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if region.contains(shapely.Point(p)):
            seeds.append(p)
    cells = shapely.get_parts(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=region.envelope.buffer(0.01)))
    return [_as_area(c.intersection(region)) for c in cells if _polygons(c.intersection(region))]


def shanghai_district(seed: int = 7, n2: int = 13, n3: int = 63, n4: int = 300) -> list[UnitShape]:
    """A deterministic ~55 km² district: 1 level-1, `n2` level-2, `n3` level-3 and ~`n4` level-4 units."""
    rng = np.random.default_rng(seed)
    ang = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    rad = 4.18 * (1 + 0.12 * np.sin(3 * ang + 0.5) + 0.05 * rng.standard_normal(len(ang)))
    district = Polygon(_deg(rad * np.cos(ang) * 1.1, rad * np.sin(ang) / 1.1))
    units = [UnitShape("310101", 1, None, district)]
    streets = _voronoi_split(district, n2, rng)
    areas = np.array([s.area for s in streets])
    counts = np.maximum(2, np.round(areas / areas.sum() * n3)).astype(int)
    while counts.sum() != n3:  # adjust the largest / smallest to hit n3 exactly
        i = int(np.argmax(counts)) if counts.sum() > n3 else int(np.argmin(counts))
        counts[i] += -1 if counts.sum() > n3 else 1
    leaves = []
    for i, street in enumerate(streets):
        code2 = f"310101{i + 1:03d}"
        units.append(UnitShape(code2, 2, "310101", street))
        for j, grid in enumerate(_voronoi_split(street, int(counts[i]), rng)):
            units.append(UnitShape(f"{code2}{j + 1:03d}", 3, code2, grid))
            leaves.append(units[-1])
    # level 4: residential compounds (rotated rectangles), parks (blobs), one metro station (small disc)
    minx, miny, maxx, maxy = district.bounds
    made = 0
    while made < n4:
        cx, cy = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not district.contains(shapely.Point(cx, cy)):
            continue
        if made == 0:
            shape = shapely.Point(0, 0).buffer(0.08, 8)
        elif made % 10 == 0:
            a = np.linspace(0, 2 * np.pi, 14, endpoint=False)
            r = rng.uniform(0.1, 0.3) * (1 + 0.25 * rng.random(len(a)))
            shape = Polygon(np.column_stack([r * np.cos(a), r * np.sin(a)]))
        else:
            w, h = rng.uniform(0.06, 0.3, 2)
            shape = shapely.affinity.rotate(shapely.box(-w / 2, -h / 2, w / 2, h / 2), rng.uniform(0, 90))
        xy = shapely.get_coordinates(shape)
        poly = Polygon(_deg(xy[:, 0], xy[:, 1]) - np.array(CENTRE) + np.array([cx, cy]))
        poly = poly.intersection(district)
        if not _polygons(poly):
            continue
        parent = next((u.code for u in leaves if u.geometry.contains(shapely.Point(cx, cy))), None)
        units.append(UnitShape(f"{'M' if made == 0 else 'R'}{made:04d}", 4, parent, _as_area(poly)))
        made += 1
    return units


def area_km2(geom) -> float:
    return geom.area * KM_PER_DEG_LON * KM_PER_DEG_LAT
