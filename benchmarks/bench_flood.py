"""The flood scene (防汛防台) at demo scale: cameras within 300 m of an alert, the scene page and its map
data, the post-flood report over a season.

    .venv/bin/python benchmarks/bench_flood.py [--db sqlite|postgres] [--data-dir DIR]
                                               [--history 300000] [--alerts 3000] [--repeat 30]

Prepares a scratch database with the demo (district, its 3,000 cameras and other points of interest, the
category tree, the sensing devices, ``--history`` cases over the year before today — the demo's own
generator — and the flood step: season, roster, warning, a checklist round), then adds ``--alerts`` cleared
flood alerts over this year's season (Apr–Sep) on the demo's water-level, drain and manhole devices, a
third of them linked to a flood case reported 5–60 min after the alert (bench data, written with
``bulk_create``). ``--data-dir`` keeps the database between runs (the demo steps are idempotent; alerts
are added only once).

Measures, in process (no HTTP server; Django's test client for the pages, logged in as the demo's
``opscentre``):

* ``cameras_for_alert``: the cold call (the camera index built from the database, after
  ``territory.queries.invalidate_pois``) and warm calls over every bench alert;
* ``GET /flood/`` and ``GET /flood/map.json``: median / p90 and queries per request;
* ``build_report`` for the season (prep → end), and ``GET /flood/report/`` and ``/flood/report.csv``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_operations_common import configure, machine, say  # noqa: E402

STEPS = ("org_units", "users", "territory", "pois", "categories", "devices", "history", "flood")


def ms(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[max(0, int(round(0.9 * len(values))) - 1)]
    return f"median {statistics.median(values) * 1e3:.2f} ms, p90 {p90 * 1e3:.2f} ms (n={len(values)})"


def seed(history: int) -> None:
    from yiwang.demo.seed import seed_demo

    os.environ["YIWANG_DEMO_HISTORY_CASES"] = str(history)
    t = time.perf_counter()
    report = seed_demo(steps=STEPS, progress=say)
    say(f"demo steps done in {time.perf_counter() - t:.1f} s (skipped: {', '.join(report.skipped) or 'none'})")


def season_period():
    from django.utils import timezone

    from yiwang.sensing.flood.queries import season_for
    from yiwang.sensing.flood.report import Period

    season, _phase = season_for(timezone.localdate())
    tz = timezone.get_current_timezone()
    return Period(
        start=dt.datetime.combine(season.prep_from, dt.time(), tzinfo=tz),
        end=dt.datetime.combine(season.last_day + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


def add_alerts(n: int, period) -> list:
    """``n`` cleared flood alerts over ``period`` (bench data, bulk-created), a third linked to a flood case."""
    from yiwang.sensing.alerts.models import Alert
    from yiwang.sensing.flood.conf import flood_setting
    from yiwang.sensing.flood.queries import flood_alerts, flood_cases
    from yiwang.sensing.models import Device

    existing = list(flood_alerts().filter(raised_at__gte=period.start, raised_at__lt=period.end))
    if len(existing) >= n:
        return existing
    rng = random.Random(11)
    devices = list(Device.objects.filter(type__code__in=flood_setting("DEVICE_TYPES")).order_by("pk"))
    cases = list(
        flood_cases().filter(created_at__gte=period.start, created_at__lt=period.end).values_list("pk", "created_at")
    )
    say(f"{len(devices)} flood devices, {len(cases)} flood cases in the season")
    span = int((period.end - period.start).total_seconds())
    rows = []
    for i in range(n - len(existing)):
        levels = rng.choices(["blue", "yellow", "orange", "red"], [50, 30, 15, 5])[0]
        case_id = None
        if cases and i % 3 == 0:
            case_id, created = rng.choice(cases)
            raised = created - dt.timedelta(minutes=rng.randint(5, 60))
        else:
            raised = period.start + dt.timedelta(seconds=rng.randrange(span))
        cleared = raised + dt.timedelta(minutes=rng.randint(20, 600))
        rows.append(
            Alert(
                device=rng.choice(devices),
                condition="water-level",
                level="blue",
                peak_level=levels,
                state="cleared",
                value=0.05,
                raised_at=raised,
                updated_at=cleared,
                cleared_at=cleared,
                case_id=case_id,
            )  # fmt: skip
        )
    Alert.objects.bulk_create(rows, batch_size=1000)
    return list(flood_alerts().filter(raised_at__gte=period.start, raised_at__lt=period.end).select_related("device"))


def bench_cameras(alerts: list) -> None:
    from yiwang.sensing.flood.cameras import cameras_for_alert
    from yiwang.territory.models import PointOfInterest
    from yiwang.territory.queries import invalidate_pois

    say(f"cameras: {PointOfInterest.objects.filter(kind='camera').count()} in the district")
    cold = []
    for alert in alerts[:5]:
        invalidate_pois()
        t = time.perf_counter()
        cameras_for_alert(alert)
        cold.append(time.perf_counter() - t)
    warm, hits = [], 0
    for alert in alerts:
        t = time.perf_counter()
        found = cameras_for_alert(alert)
        warm.append(time.perf_counter() - t)
        hits += len(found)
    say(f"cameras_for_alert cold (index built): {ms(cold)}")
    say(f"cameras_for_alert warm: {ms(warm)}; {hits / len(alerts):.1f} cameras per alert on average")


def bench_pages(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yiwang.core.models import User

    client = Client()
    client.force_login(User.objects.get(username="opscentre"))
    for url in ("/flood/", "/flood/map.json", "/flood/report/", "/flood/report.csv"):
        times = []
        n = repeat if "report" not in url else max(3, repeat // 6)
        for i in range(n + 1):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - t
            assert response.status_code == 200, (url, response.status_code)
            if i:  # the first request warms caches
                times.append(elapsed)
        size = len(response.content)
        say(f"GET {url}: {ms(times)}; {len(ctx.captured_queries)} queries, {size / 1024:.1f} KiB")


def bench_report(period, repeat: int) -> None:
    from yiwang.sensing.flood.report import build_report

    times, report = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        report = build_report(period)
        times.append(time.perf_counter() - t)
    say(
        f"build_report {period.start:%Y-%m-%d} → {period.end:%Y-%m-%d}: {ms(times)}; alerts {report['alerts']}, "
        f"cases {report['cases']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--history", type=int, default=300_000, help="cases of the demo's year of history")
    parser.add_argument("--alerts", type=int, default=3000, help="flood alerts over the season")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    data_dir = configure(args.db, args.data_dir, pg_name="yiwang_bench_flood")
    say(machine())
    say(f"database: {args.db}, data dir {data_dir}")
    from io import StringIO

    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
    say(f"migrated in {time.perf_counter() - t:.1f} s")
    seed(args.history)
    period = season_period()
    alerts = add_alerts(args.alerts, period)
    say(f"{len(alerts)} flood alerts in the season")
    bench_cameras(alerts)
    bench_pages(args.repeat)
    bench_report(period, max(3, args.repeat // 6))
    say(machine())


if __name__ == "__main__":
    main()
