"""Shared set-up of the operations benchmarks: a scratch database with the demo district and categories.

Not a benchmark itself. ``prepare(db)`` points Django at a scratch SQLite file (in a temporary folder, or
``--data-dir``) or a scratch PostgreSQL database (``BENCH_PG_URL``), migrates it and seeds the demo
district's org units, users and territory, plus the operations category tree.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def say(msg: str) -> None:
    print(msg, flush=True)


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (
        f"nproc={os.cpu_count()}, CPU={cpu}, Python {platform.python_version()}, "
        f"load={load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}, date={time.strftime('%Y-%m-%d %H:%M %z')}"
    )


def pg_recreate(name: str, drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {name}")
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def configure(db: str, data_dir: str | None = None, pg_name: str = "yiwang_bench_ops") -> str:
    """Set the environment for ``db`` ("sqlite" or "postgres") before Django loads; returns the data dir."""
    data_dir = data_dir or tempfile.mkdtemp(prefix=f"bench-ops-{db}-")
    os.environ["YIWANG_DATA_DIR"] = data_dir
    os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    if db == "postgres":
        os.environ["DATABASE_URL"] = pg_recreate(pg_name)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return data_dir


def prepare(*, categories: bool = True, district: bool = True) -> None:
    """Migrate; seed the demo district (no POIs) and the category tree (both idempotent)."""
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    if district:
        from yiwang.demo.seed import QUICK_STEPS, seed_demo

        seed_demo(steps=QUICK_STEPS)
    if categories:
        from yiwang.core.actor import Actor
        from yiwang.operations.seed_categories import seed_categories

        seed_categories(Actor.system())
    say(f"prepared the database in {time.perf_counter() - t:.1f} s")


def grid_points(per_grid: int = 40, seed: int = 7) -> list[tuple[float, float]]:
    """(lon, lat) points spread over every current grid (level 3) of the territory."""
    import random

    import shapely

    from yiwang.territory.geometry import load_geometry
    from yiwang.territory.models import Unit

    rng = random.Random(seed)
    points = []
    for unit in Unit.objects.filter(level=3, valid_to__isnull=True):
        geom = load_geometry(unit.geometry)
        minx, miny, maxx, maxy = geom.bounds
        found = 0
        while found < per_grid:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if geom.contains(shapely.Point(x, y)):
                points.append((round(x, 6), round(y, 6)))
                found += 1
    rng.shuffle(points)
    return points
