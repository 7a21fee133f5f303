"""Points of interest of the demo district (pure, seeded): cameras, shelters, depots, schools, …

Cameras, shops and sensor sites stand along the streets (just outside the blocks); residential
buildings inside residential areas; schools, shelters and depots on the open blocks between them.
"""

from __future__ import annotations

import numpy as np
import shapely

from . import geometry as geo
from . import names

CAMERAS = 3000
SHOPS = 800
SENSOR_SITES = 150
SCHOOLS = 120
SHELTERS = 40
DEPOTS_PER_SUBDISTRICT = 2
BUILDINGS_PER_RESIDENTIAL = (2, 5)
STREET_OFFSET_M = 5.0
STREAM_BASE = "rtsp://cams.demo.yiwang"


def build_pois(district, rng: np.random.Generator) -> list:
    from .district import Poi

    book = names.NameBook(rng)
    level4 = [u for u in district.level(4) if u.kind != "metro_station"]
    grid_of = {u.code: u.parent for u in level4}
    grids = {u.code: u for u in district.level(3)}
    subs = {u.code: u for u in district.level(2)}
    pois: list[Poi] = []

    # --- along the streets -----------------------------------------------------------------------
    rings_m = [shapely.get_exterior_ring(geo.to_metres(u.geometry).buffer(STREET_OFFSET_M)) for u in level4]
    perimeter = np.array([r.length for r in rings_m])

    def street_points(n):
        idx = rng.choice(len(rings_m), size=n, p=perimeter / perimeter.sum())
        pts = shapely.line_interpolate_point(np.take(rings_m, idx), rng.uniform(0, 1, n), normalized=True)
        return idx, geo.to_lonlat(pts)

    idx, pts = street_points(CAMERAS)
    for k, (i, p) in enumerate(zip(idx, pts, strict=True), start=1):
        grid = grids[grid_of[level4[i].code]]
        code = f"CAM-{k:05d}"
        pois.append(
            Poi(
                code, "camera", f"{grid.name}视频监控{k:05d}", f"{grid.name_en} camera {k:05d}", p.x, p.y,
                {"stream_url": f"{STREAM_BASE}/{code.lower()}/main"},
            )
        )  # fmt: skip
    idx, pts = street_points(SHOPS)
    for k, p in enumerate(pts, start=1):
        stem = book.stem()
        zh, en = book.pick(names.SHOP_KINDS)
        pois.append(Poi(f"SHOP-{k:04d}", "shop", stem.zh + zh, f"{stem.en} {en}", p.x, p.y))
    idx, pts = street_points(SENSOR_SITES)
    for k, p in enumerate(pts, start=1):
        sensor, zh, en = book.pick(names.SENSOR_KINDS)
        grid = grids[grid_of[level4[idx[k - 1]].code]]
        pois.append(
            Poi(
                f"SNS-{k:04d}", "sensor_site", f"{grid.name}{zh}{k:03d}", f"{grid.name_en} {en.lower()} {k:03d}",
                p.x, p.y, {"sensor_type": sensor},
            )
        )  # fmt: skip

    # --- inside residential areas ----------------------------------------------------------------
    k = 0
    low, high = BUILDINGS_PER_RESIDENTIAL
    for u in level4:
        if u.kind != "residential":
            continue
        n = int(rng.integers(low, high + 1))
        for j, p in enumerate(geo.random_points_in(geo.to_metres(u.geometry), n, rng), start=1):
            k += 1
            ll = geo.to_lonlat(p)
            pois.append(
                Poi(
                    f"BLD-{k:05d}", "residential_building", f"{u.name}{j}号楼", f"{u.name_en} Building {j}", ll.x, ll.y,
                    {"residential": u.code},
                )
            )  # fmt: skip

    # --- open blocks (gaps) and parks -------------------------------------------------------------
    open_blocks = list(district.gaps) + [u.geometry for u in level4 if u.kind == "park"]
    spots = _spots(open_blocks, SCHOOLS + SHELTERS, rng)
    for k, p in enumerate(spots[:SCHOOLS], start=1):
        stem = book.stem()
        zh, en = book.pick(names.SCHOOL_KINDS)
        pois.append(Poi(f"SCH-{k:04d}", "school", stem.zh + zh, f"{stem.en} {en}", p.x, p.y))
    for k, p in enumerate(spots[SCHOOLS:], start=1):
        capacity = int(rng.integers(6, 100)) * 50
        pois.append(
            Poi(
                f"SHL-{k:03d}",
                "shelter",
                f"应急避难场所{k:03d}",
                f"Emergency shelter {k:03d}",
                p.x,
                p.y,
                {"capacity": capacity},
            )
        )
    k = 0
    for sub in subs.values():
        for p in geo.random_points_in(sub.geometry, DEPOTS_PER_SUBDISTRICT, rng):
            k += 1
            pois.append(
                Poi(
                    f"DEP-{k:03d}", "material_depot", f"{sub.name}防汛物资仓库{k:02d}",
                    f"{sub.name_en} flood materials depot {k:02d}", p.x, p.y,
                    {"capacity": int(rng.integers(10, 100)) * 100},
                )
            )  # fmt: skip
    return pois


def _spots(blocks: list, n: int, rng: np.random.Generator) -> list:
    """``n`` points spread over ``blocks`` (lon/lat polygons), weighted by area."""
    areas = np.array([b.area for b in blocks])
    which = rng.choice(len(blocks), size=n, p=areas / areas.sum())
    out = []
    for i in which:
        out.extend(geo.to_lonlat(p) for p in geo.random_points_in(geo.to_metres(blocks[i]), 1, rng))
    return out
