"""Points of interest within 300 m, nearest first: yiwang's PoiIndex vs shapely dwithin (brute-force reference).

    .venv/bin/python benchmarks/bench_poi.py [--cameras 100000] [--queries 20000] [--radius 300]

Two scenes, 100,000 cameras each, scattered uniformly: over the synthetic ~53 km² district
(benchmarks/_common.py; ~1,900 per km², so a 300 m circle holds ~500 — a dense worst case) and over an
80 km square, about Shanghai's area (~16 per km², ~4–5 per circle). Every hit is returned as an
(id, metres) pair, nearest first.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely
from _common import KM_PER_DEG_LAT, KM_PER_DEG_LON, area_km2, machine, say, shanghai_district, timed

from yiwang.territory.poi_index import PoiIndex, distance_m


def per_query(fn, lon, lat) -> dict[str, float]:
    wall = np.empty(len(lon), dtype=np.int64)
    cpu = np.empty(len(lon), dtype=np.int64)
    pc, tt = time.perf_counter_ns, time.thread_time_ns
    hits = 0
    for i, (x, y) in enumerate(zip(lon.tolist(), lat.tolist(), strict=True)):
        c0, t0 = tt(), pc()
        out = fn(x, y)
        wall[i], cpu[i] = pc() - t0, tt() - c0
        hits += len(out)
    return {
        "median_us": float(np.median(wall)) / 1e3,
        "p99_us": float(np.percentile(wall, 99)) / 1e3,
        "cpu_median_us": float(np.median(cpu)) / 1e3,
        "hits": hits / len(lon),
    }


def shapely_reference(cam_lon, cam_lat, radius):
    """Shapely's dwithin on a local equirectangular projection in metres, then sorted by planar distance."""
    x0, y0 = float(cam_lon.mean()), float(cam_lat.mean())
    kx, ky = KM_PER_DEG_LON * 1000, KM_PER_DEG_LAT * 1000
    pts = shapely.points((cam_lon - x0) * kx, (cam_lat - y0) * ky)
    tree = shapely.STRtree(pts)

    def query(lon, lat):
        q = shapely.Point((lon - x0) * kx, (lat - y0) * ky)
        idx = tree.query(q, predicate="dwithin", distance=radius)
        d = shapely.distance(pts[idx], q)
        order = np.argsort(d)
        return list(zip(idx[order].tolist(), d[order].tolist(), strict=True))

    return query


def fmt(r: dict[str, float]) -> str:
    return f"median {r['median_us']:.1f} µs, p99 {r['p99_us']:.1f} µs (CPU median {r['cpu_median_us']:.1f} µs)"


def scatter(rng, n, region):
    minx, miny, maxx, maxy = region.bounds
    lon, lat = np.empty(0), np.empty(0)
    while len(lon) < n:
        x, y = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
        keep = shapely.contains_xy(region, x, y)
        lon, lat = np.concatenate([lon, x[keep]]), np.concatenate([lat, y[keep]])
    return lon[:n], lat[:n]


def scenario(name, region, args, rng) -> dict:
    r = args.radius
    say(f"[{name}] scattering {args.cameras:,} cameras over {area_km2(region):,.0f} km² …")
    lon, lat = scatter(rng, args.cameras, region)
    ids = list(range(1, args.cameras + 1))
    build_s, index = timed(lambda: PoiIndex(ids, lon, lat), repeat=3)
    say(f"  PoiIndex build: {build_s * 1e3:.0f} ms (median of 3)")
    qlon, qlat = scatter(rng, args.queries, region)

    say(f"  checking {args.check} queries against an exhaustive exact scan of all cameras …")
    bad = 0
    for x, y in zip(qlon[: args.check].tolist(), qlat[: args.check].tolist(), strict=True):
        d = distance_m(x, y, lon, lat)
        want = sorted((float(d[i]), ids[i]) for i in np.flatnonzero(d <= r))
        got = index.within(x, y, r)
        same = len(got) == len(want) and {g[0] for g in got} == {w[1] for w in want}
        bad += not (same and all(abs(g[1] - w[0]) < 1e-6 for g, w in zip(got, want, strict=True)))
    say(f"    mismatches: {bad}")

    out = {"name": name, "area": area_km2(region), "build_ms": build_s * 1e3, "bad": bad, "check": args.check}
    say(f"  within {r:.0f} m, {args.queries:,} single queries …")
    out["within"] = per_query(lambda x, y: index.within(x, y, r), qlon, qlat)
    say(f"    PoiIndex.within: {fmt(out['within'])}; {out['within']['hits']:.0f} hits per query")
    out["positions"] = per_query(lambda x, y: index.within_positions(x, y, r)[0], qlon, qlat)
    say(f"    PoiIndex.within_positions (arrays, no Python tuples): {fmt(out['positions'])}")
    n = min(args.queries, 5000)
    out["kdtree"] = per_query(lambda x, y: index.within_kdtree(x, y, r), qlon[:n], qlat[:n])
    say(f"    PoiIndex.within_kdtree (cKDTree ball + exact distances): {fmt(out['kdtree'])}")
    out["nearest"] = per_query(lambda x, y: index.nearest(x, y, 10), qlon[:n], qlat[:n])
    say(f"    PoiIndex.nearest(k=10): {fmt(out['nearest'])}")
    n = min(args.queries, 3000)
    out["shapely"] = per_query(shapely_reference(lon, lat, r), qlon[:n], qlat[:n])
    say(f"    shapely STRtree dwithin (planar, sorted): {fmt(out['shapely'])}")
    bulk_s, (offsets, _, _) = timed(lambda: index.within_many(qlon, qlat, r), repeat=1)
    out["bulk_us"] = bulk_s / args.queries * 1e6
    say(f"    bulk within_many: {out['bulk_us']:.1f} µs per query, {offsets[-1]:,} hits")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cameras", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=20_000)
    ap.add_argument("--radius", type=float, default=300.0)
    ap.add_argument("--check", type=int, default=500, help="queries checked against an exhaustive scan")
    args = ap.parse_args()

    say(f"machine: {machine()}")
    district = shanghai_district()[0].geometry
    half_lon, half_lat = 40.0 / KM_PER_DEG_LON, 40.0 / KM_PER_DEG_LAT  # an 80 km square ≈ Shanghai's area
    cx, cy = district.centroid.x, district.centroid.y
    city = shapely.box(cx - half_lon, cy - half_lat, cx + half_lon, cy + half_lat)
    rng = np.random.default_rng(2026)
    results = [scenario("dense district", district, args, rng), scenario("city-wide", city, args, rng)]

    say("")
    cols = " | ".join(f"{o['name']}: {args.cameras:,} cameras over {o['area']:,.0f} km²" for o in results)
    say(f"| {args.radius:.0f} m around a point, per query (median / p99) | {cols} |")
    say("|---|" + "---|" * len(results))

    def row(label, key, bold=False):
        cells = []
        for o in results:
            v = o[key]
            txt = f"{v['median_us']:.1f} µs / {v['p99_us']:.1f} µs"
            cells.append(f"**{txt}**" if bold else txt)
        say(f"| {label} | " + " | ".join(cells) + " |")

    say("| hits per query | " + " | ".join(f"{o['within']['hits']:.0f}" for o in results) + " |")
    row("PoiIndex.within → list of (id, metres), nearest first", "within", bold=True)
    row("PoiIndex.within_positions → arrays", "positions")
    row("PoiIndex.within_kdtree (cKDTree ball, exact distances)", "kdtree")
    row("PoiIndex.nearest(k=10)", "nearest")
    row("shapely STRtree dwithin, planar metres, sorted (reference)", "shapely")
    say("| bulk within_many, per query | " + " | ".join(f"{o['bulk_us']:.1f} µs" for o in results) + " |")
    say("| PoiIndex build | " + " | ".join(f"{o['build_ms']:.0f} ms" for o in results) + " |")
    say(
        "| exactness vs exhaustive scan | "
        + " | ".join(f"{o['bad']} mismatches / {o['check']}" for o in results)
        + " |"
    )
    ratios = " | ".join(f"{o['shapely']['median_us'] / o['within']['median_us']:.1f}×" for o in results)
    say(f"| ratio shapely dwithin / PoiIndex.within (median) | {ratios} |")


if __name__ == "__main__":
    main()
