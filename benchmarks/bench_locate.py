"""Locating points in the four-level territory: yiwang's Locator vs a plain STRtree vs PostGIS ST_Contains.

    .venv/bin/python benchmarks/bench_locate.py [--points 1000000] [--single 100000] [--no-postgis]

The district is synthetic and deterministic (benchmarks/_common.py): ~53 km² near Shanghai, 1 level-1,
13 level-2, 63 level-3 and 300 level-4 polygons (some overlapping). PostGIS runs in a scratch database
`yiwang_bench` (dropped at the end) at postgres://postgres@127.0.0.1:5432; it is skipped with a message
where PostgreSQL or PostGIS is absent. Set BENCH_PG_URL to point elsewhere.
"""

from __future__ import annotations

import argparse
import io
import os
import time

import numpy as np
import shapely
from _common import area_km2, machine, say, shanghai_district, timed

from yiwang.territory.spatial import Locator

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def brute_force_pairs(units, lon, lat):
    """(point, unit code) pairs the locator should report: a plain STRtree query per level, no raster."""
    parents = {v.parent for v in units if v.level <= 3}
    leaves = sorted((u for u in units if u.level <= 3 and u.code not in parents), key=lambda u: u.code)
    l4 = sorted((u for u in units if u.level == 4), key=lambda u: u.code)
    pts = shapely.points(lon, lat)
    lp, lg = shapely.STRtree([u.geometry for u in leaves]).query(pts, predicate="intersects")
    first = {}
    for p, g in sorted(zip(lp.tolist(), lg.tolist(), strict=True)):
        first.setdefault(p, leaves[g].code)
    fp, fg = shapely.STRtree([u.geometry for u in l4]).query(pts, predicate="intersects")
    sets: dict[int, list[str]] = {}
    for p, g in sorted(zip(fp.tolist(), fg.tolist(), strict=True)):
        if p in first:
            sets.setdefault(p, []).append(l4[g].code)
    return first, sets


def check_exact(loc: Locator, units, lon, lat) -> int:
    first, sets = brute_force_pairs(units, lon, lat)
    res = loc.locate_many(lon, lat)
    codes3, codes4 = loc.code_array(3), loc.codes(4)
    bad = 0
    for i in range(len(lon)):
        want3 = first.get(i)
        want4 = tuple(sets.get(i, ()))
        got4 = tuple(codes4[j] for j in res.level4_all(i))
        bad += (codes3[res.level3[i]] != want3) or (got4 != want4)
    return bad


def bench_single(loc: Locator, lon, lat) -> dict[str, float]:
    wall = np.empty(len(lon), dtype=np.int64)
    cpu = np.empty(len(lon), dtype=np.int64)
    locate, pc, tt = loc.locate, time.perf_counter_ns, time.thread_time_ns
    xs, ys = lon.tolist(), lat.tolist()
    for i in range(len(xs)):
        c0, t0 = tt(), pc()
        locate(xs[i], ys[i])
        wall[i], cpu[i] = pc() - t0, tt() - c0
    return {
        "median_us": float(np.median(wall)) / 1e3,
        "p99_us": float(np.percentile(wall, 99)) / 1e3,
        "cpu_median_us": float(np.median(cpu)) / 1e3,
        "cpu_p99_us": float(np.percentile(cpu, 99)) / 1e3,
    }


def bench_strtree(units, lon, lat) -> dict[str, float]:
    geoms = [u.geometry for u in units]
    tree = shapely.STRtree(geoms)
    pts = shapely.points(lon, lat)
    secs, pairs = timed(lambda: tree.query(pts, predicate="intersects"), repeat=1)
    single = []
    for p in pts[:20000]:
        t0 = time.perf_counter_ns()
        tree.query(p, predicate="intersects")
        single.append(time.perf_counter_ns() - t0)
    return {
        "bulk_pps": len(lon) / secs,
        "pairs": int(len(pairs[0])),
        "single_median_us": float(np.median(single)) / 1e3,
    }


def bench_postgis(units, lon, lat) -> dict[str, float] | None:
    try:
        import psycopg
    except ImportError:
        say("  PostGIS: skipped (psycopg is not installed)")
        return None
    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:  # noqa: BLE001
        say(f"  PostGIS: skipped (cannot connect to PostgreSQL at {PG_URL}: {exc.__class__.__name__})")
        return None
    with admin:
        admin.execute("DROP DATABASE IF EXISTS yiwang_bench")
        admin.execute("CREATE DATABASE yiwang_bench")
    bench_url = PG_URL.rsplit("/", 1)[0] + "/yiwang_bench"
    try:
        with psycopg.connect(bench_url, autocommit=True) as conn:
            try:
                conn.execute("CREATE EXTENSION postgis")
            except psycopg.Error as exc:
                say(f"  PostGIS: skipped (CREATE EXTENSION postgis failed: {str(exc).strip()[:100]})")
                return None
            conn.execute("CREATE TABLE units (code text, level int, geom geometry(MultiPolygon, 4326))")
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO units VALUES (%s, %s, ST_Multi(ST_GeomFromWKB(%s, 4326)))",
                    [(u.code, u.level, shapely.to_wkb(u.geometry)) for u in units],
                )
            conn.execute("CREATE INDEX ON units USING gist (geom)")
            conn.execute("CREATE UNLOGGED TABLE raw (id int, lon float8, lat float8)")
            t0 = time.perf_counter()
            buf = io.StringIO()
            np.savetxt(
                buf, np.column_stack([np.arange(len(lon)), lon, lat]), fmt=["%d", "%.15g", "%.15g"], delimiter="\t"
            )
            with conn.cursor() as cur, cur.copy("COPY raw FROM STDIN") as copy:
                copy.write(buf.getvalue())
            conn.execute(
                "CREATE UNLOGGED TABLE pts AS SELECT id, "
                "ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geometry(Point, 4326) AS geom FROM raw"
            )
            load_s = time.perf_counter() - t0
            conn.execute("ANALYZE units")
            conn.execute("ANALYZE pts")
            join = "SELECT count(*) FROM pts p JOIN units u ON ST_Contains(u.geom, p.geom)"
            say("  PostGIS: join with a GiST index on the polygons …")
            t0 = time.perf_counter()
            pairs = conn.execute(join).fetchone()[0]
            join_poly_s = time.perf_counter() - t0
            conn.execute("CREATE INDEX ON pts USING gist (geom)")
            conn.execute("ANALYZE pts")
            say("  PostGIS: join with GiST indexes on both tables …")
            t0 = time.perf_counter()
            pairs_both = conn.execute(join).fetchone()[0]
            join_both_s = time.perf_counter() - t0
            workers = conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0]
            version = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS yiwang_bench")
    return {
        "load_s": load_s,
        "pps_gist_polygons": len(lon) / join_poly_s,
        "pps_gist_both": len(lon) / join_both_s,
        "pairs": pairs,
        "pairs_both": pairs_both,
        "parallel_workers": workers,
        "postgis": version,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--single", type=int, default=100_000)
    ap.add_argument("--check", type=int, default=50_000, help="points checked against brute force")
    ap.add_argument("--no-postgis", action="store_true")
    args = ap.parse_args()

    say(f"machine: {machine()}")
    say("building the synthetic district …")
    units = shanghai_district()
    by_level = {lvl: sum(u.level == lvl for u in units) for lvl in (1, 2, 3, 4)}
    say(f"  {by_level} units, district {area_km2(units[0].geometry):.1f} km²")

    build_s, loc = timed(lambda: Locator(units), repeat=3)
    st = loc.stats
    say(
        f"Locator build: {build_s * 1e3:.0f} ms (median of 3) for {len(units)} polygons; "
        f"grid {st['grid_nx']}×{st['grid_ny']}, boundary cells {st['boundary_cells_leaf_frac']:.1%} (levels 1–3) / "
        f"{st['boundary_cells_level4_frac']:.1%} (level 4)"
    )

    rng = np.random.default_rng(2026)
    minx, miny, maxx, maxy = units[0].geometry.bounds
    lon, lat = rng.uniform(minx, maxx, args.points), rng.uniform(miny, maxy, args.points)

    say(f"checking {args.check:,} points against a brute-force STRtree …")
    bad = check_exact(loc, units, lon[: args.check], lat[: args.check])
    say(f"  mismatches: {bad}")

    say(f"bulk locate_many over {args.points:,} points (full chain, median of 3) …")
    bulk_s, res = timed(lambda: loc.locate_many(lon, lat), repeat=3)
    inside = int((res.level1 >= 0).sum())
    say(f"  {args.points / bulk_s:,.0f} points/s ({bulk_s * 1e3:.0f} ms); {inside:,} inside the district")

    say(f"single locate over {args.single:,} points …")
    single = bench_single(loc, lon[: args.single], lat[: args.single])
    say(
        f"  median {single['median_us']:.2f} µs, p99 {single['p99_us']:.2f} µs "
        f"(CPU time: median {single['cpu_median_us']:.2f}, p99 {single['cpu_p99_us']:.2f})"
    )

    say("baseline: one shapely STRtree over all polygons …")
    base = bench_strtree(units, lon, lat)
    say(f"  bulk {base['bulk_pps']:,.0f} points/s, single median {base['single_median_us']:.2f} µs")

    ours_pairs = int(3 * inside + sum(len(s) * int((res.level4_set == k).sum()) for k, s in enumerate(res.level4_sets)))
    pg = None if args.no_postgis else bench_postgis(units, lon, lat)
    if args.no_postgis:
        say("  PostGIS: skipped (--no-postgis)")
    say("")
    say("| what | figure |")
    say("|---|---|")
    say(f"| Locator build, {len(units)} polygons | {build_s * 1e3:.0f} ms |")
    say(f"| bulk, full chain, {args.points:,} points | **{args.points / bulk_s:,.0f} points/s** |")
    say(f"| single lookup, median / p99 | **{single['median_us']:.2f} µs** / {single['p99_us']:.2f} µs |")
    say(f"| exactness vs brute force ({args.check:,} points) | {bad} mismatches |")
    say(
        f"| shapely STRtree, one query over all polygons: bulk / single median | "
        f"{base['bulk_pps']:,.0f} points/s / {base['single_median_us']:.2f} µs |"
    )
    if pg:
        say(f"| PostGIS {pg['postgis']} ST_Contains join, GiST on polygons | {pg['pps_gist_polygons']:,.0f} points/s |")
        say(f"| PostGIS ST_Contains join, GiST on both | {pg['pps_gist_both']:,.0f} points/s |")
        say(f"| PostGIS loading the points (COPY + make points) | {pg['load_s']:.1f} s |")
        say(
            f"| (point, unit) pairs: Locator / STRtree / PostGIS | "
            f"{ours_pairs:,} / {base['pairs']:,} / {pg['pairs']:,} |"
        )
        say(
            f"| ratio Locator bulk / PostGIS (GiST both; parallel workers per gather: {pg['parallel_workers']}) "
            f"| {args.points / bulk_s / pg['pps_gist_both']:.1f}× |"
        )
    say(f"| ratio Locator bulk / STRtree bulk | {args.points / bulk_s / base['bulk_pps']:.1f}× |")


if __name__ == "__main__":
    main()
