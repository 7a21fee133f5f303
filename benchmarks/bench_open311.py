"""Open311 POST requests through the production server: throughput, latency, and what was stored.

    .venv/bin/python benchmarks/bench_open311.py [--seconds 20] [--connections 8] [--rate 100]
                                                 [--rate-seconds 20] [--db sqlite,postgres] [--workers 2]
                                                 [--mode direct,queued] [--history] [--phone] [--smoke]

For each database (a temporary SQLite file; PostgreSQL at BENCH_PG_URL if it answers, in a scratch
database dropped at the end) it migrates, seeds the demo district (`yiwang demo --no-serve --skip-pois
--skip-history`; ``--history`` adds the year of case history; ``--phone`` gives every report a mobile
number, so each reporter is also told by SMS — a message, its audit rows and its delivery),
adds a category with one required question and issues two API keys (one answered with the request id,
one with a token), starts `yiwang serve --with-worker` (gunicorn, sync workers, its default count unless
``--workers``; ``OPEN311['INTAKE'] = "queued"``, so the token key's POSTs are queued and the worker's
drainer registers them), then measures in the same run:

1. GET /api/v1/ping — the framework ceiling of this server, closed loop, N connections;
2. direct mode: POST /open311/v2/requests.json with the id key — each POST registers its case —,
   form-encoded reports at points spread over the district, closed loop;
3. the same POST at a fixed rate (default 100/s, open loop: latency counted from the scheduled send
   time, so a stall is not hidden) — p50/p99;
4. queued mode (the token key): 2 and 3 again, END TO END — the closed loop's window and then the drain
   until the queue is empty, cases registered per second over both, the largest queue depth; at the
   fixed rate the p99 of POST → case registered too (bench_open311_queue.py);

and finally counts the cases and their `operations.case.report` audit rows against the 200 answers.
CPU per request counts the whole server session (web workers and the background worker) and, on
PostgreSQL, the database's backends; in queued mode it includes the drain.
The load generators are in ``bench_open311_load.py``.
The closed loops use `wrk` (Debian: apt-get install wrk; one thread, a Lua script for the POST body)
when present, else a multi-process Python client. gunicorn's sync workers close the connection after
each response, so clients reconnect; that is part of what is measured.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _serve import free_port, run_wrk, start_server, stop_server
from bench_open311_load import (
    LUA,
    SERVICE,
    WITH_PHONE,
    CpuMeter,
    lua_phone,
    post_body,
    run_fixed_rate,
    run_python_closed,
)
from bench_open311_queue import Probe, run_closed, run_fixed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "yiwang_bench_open311"


def say(msg: str) -> None:
    print(msg, flush=True)


# --- set-up and counting, run in a child process against the database under test -------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    import django

    django.setup()


def child_setup(out: str) -> None:
    """Migrate, seed the demo district, add the category, issue a key; write key and points to ``out``."""
    _django()
    import shapely
    from django.core.management import call_command

    from yiwang.core.actor import Actor
    from yiwang.core.models import OrgUnit
    from yiwang.core.roles import OrgKind
    from yiwang.operations.models import Category, Pillar
    from yiwang.operations.open311.keys import issue_key
    from yiwang.territory.geometry import load_geometry
    from yiwang.territory.models import Unit

    history = [] if os.environ.get("BENCH_DEMO_HISTORY") == "1" else ["--skip-history"]
    call_command("demo", "--no-serve", "--skip-pois", *history, verbosity=0, stdout=io.StringIO())
    parent, _ = Category.objects.get_or_create(
        code="BENCH", defaults={"name": "市容环境（压测）", "pillar": Pillar.CONSTRUCTION}
    )
    category, _ = Category.objects.get_or_create(
        code=SERVICE,
        defaults={
            "name": "暴露垃圾（压测）",
            "parent": parent,
            "pillar": Pillar.CONSTRUCTION,
            "public": True,
            "questions": [
                {"code": "volume", "datatype": "singlevaluelist", "required": True, "values": ["small", "large"]}
            ],
        },
    )
    department = OrgUnit.objects.filter(kind=OrgKind.DEPARTMENT).order_by("id").first()
    if department is not None:
        category.departments.add(department)
    _, key = issue_key(Actor.system(), name=f"bench-{int(time.time())}")
    _, token_key = issue_key(Actor.system(), name=f"bench-queued-{int(time.time())}", reply_with_token=True)
    rng = random.Random(7)
    points = []
    for unit in Unit.objects.filter(level=3, valid_to__isnull=True):
        geom = load_geometry(unit.geometry)
        minx, miny, maxx, maxy = geom.bounds
        found = 0
        while found < 40:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if geom.contains(shapely.Point(x, y)):
                points.append((round(y, 6), round(x, 6)))
                found += 1
    rng.shuffle(points)
    Path(out).write_text(json.dumps({"key": key, "token_key": token_key, "points": points}))


def child_count(out: str) -> None:
    _django()
    from yiwang.core.audit.models import AuditEvent
    from yiwang.operations.models import Case

    cases = Case.objects.filter(category__code=SERVICE).count()
    audited = AuditEvent.objects.filter(action="operations.case.report", channel="open311").count()
    Path(out).write_text(json.dumps({"cases": cases, "audited": audited}))


def run_child(what: str, env: dict) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        subprocess.run([sys.executable, __file__, what, out], env=env, check=True, cwd=ROOT)  # noqa: S603
        return json.loads(Path(out).read_text())
    finally:
        os.unlink(out)


# --- one database ------------------------------------------------------------------------------


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def pg_recreate(drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {PG_DB}")
    return PG_URL.rsplit("/", 1)[0] + "/" + PG_DB


def bench_database(name: str, args, use_wrk: bool) -> list[tuple]:
    data_dir = tempfile.mkdtemp(prefix=f"bench311-{name}-")
    env = {**os.environ, "YIWANG_DATA_DIR": data_dir, "YIWANG_LOG_LEVEL": "WARNING", "YIWANG_OPEN311_INTAKE": "queued"}
    env["BENCH_DEMO_HISTORY"] = "1" if args.history else "0"
    if name == "postgres":
        env["DATABASE_URL"] = pg_recreate()
    else:
        env.pop("DATABASE_URL", None)
    rows = []
    proc = None
    try:
        t = time.perf_counter()
        say(f"[{name}] migrating, seeding the demo district, issuing the keys …")
        setup = run_child("_setup", env)
        points = setup["points"]
        say(f"[{name}] ready in {time.perf_counter() - t:.0f} s ({len(points)} report locations)")
        port = free_port()
        proc = start_server(env, port, args.workers, ("--with-worker",))
        probe = Probe(env.get("DATABASE_URL"), None if name == "postgres" else str(Path(data_dir) / "yiwang.sqlite3"))
        base = f"http://127.0.0.1:{port}"
        meter = CpuMeter(proc.pid, PG_DB if name == "postgres" else None)
        warm = {"ok": 0}
        for mode in args.modes:
            key = setup["key"] if mode == "direct" else setup["token_key"]
            bodies = [post_body(key, points[i % len(points)], i) for i in range(2000)]
            w = run_python_closed(port, "/open311/v2/requests.json", 2, 2, bodies[:50])  # warm-up
            warm["ok"] += w["ok"]
            if mode == "queued":
                probe.wait_empty()
            if not rows:
                say(f"[{name}] ping, closed loop, {args.connections} connections, {args.seconds} s …")
                meter.start()
                if use_wrk:
                    ping = run_wrk(base + "/api/v1/ping", args.seconds, args.connections, "")
                else:
                    ping = run_python_closed(port, "/api/v1/ping", args.seconds, args.connections)
                ping["cpu"] = meter.per_request(ping["ok"] + ping["failed"])
                rows.append((name, "GET /api/v1/ping", "closed loop", ping))
            say(f"[{name}] {mode}: POST requests.json, closed loop …")

            def closed(key=key, bodies=bodies):
                if use_wrk:
                    lua_points = ",".join(f"{{{lat},{lon}}}" for lat, lon in points)
                    lua = LUA % {"key": key, "points": lua_points, "service": SERVICE, "phone": lua_phone()}
                    return run_wrk(base + "/open311/v2/requests.json", args.seconds, args.connections, lua)
                return run_python_closed(port, "/open311/v2/requests.json", args.seconds, args.connections, bodies)

            meter.start()
            post = closed() if mode == "direct" else run_closed(probe, closed)
            post["cpu"] = meter.per_request(post["ok"] + post["failed"])
            rows.append((name, f"POST {mode}", "closed loop", post))
            say(f"[{name}] {mode}: POST requests.json at {args.rate:g}/s for {args.rate_seconds} s …")

            def fixed(key=key, start=100_000 if mode == "direct" else 200_000):
                return run_fixed_rate(port, key, points, args.rate, args.rate_seconds, start)

            rows.append(
                (
                    name,
                    f"POST {mode}",
                    f"fixed {args.rate:g}/s",
                    fixed() if mode == "direct" else run_fixed(probe, fixed),
                )
            )
        stop_server(proc)
        proc = None
        stored = run_child("_count", env)
        answered = sum(r["ok"] for _db, endpoint, _m, r in rows if endpoint.startswith("POST")) + warm["ok"]
        say(
            f"[{name}] stored {stored['cases']} cases and {stored['audited']} report audit rows "
            f"for {answered} POSTs answered 200 (warm-up included)"
        )
    finally:
        if proc is not None:
            stop_server(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
        if name == "postgres":
            pg_recreate(drop_only=True)
    return rows


def report(rows: list[tuple]) -> None:
    say("")
    say(f"{'database':<10}{'endpoint':<18}{'mode':<14}{'req/s':>9}{'ok':>9}{'failed':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for db, endpoint, mode, r in rows:
        say(
            f"{db:<10}{endpoint:<18}{mode:<14}{r['rps']:>9.0f}{r['ok']:>9}{r['failed']:>8}"
            f"{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
        )
    queued = [(db, mode, r) for db, endpoint, mode, r in rows if endpoint == "POST queued"]
    if queued:
        say("")
        say("Queued intake end to end (cases registered and audited by the worker's drainer, same 2 cores):")
        say(f"{'database':<10}{'mode':<14}{'registered':>11}{'in window':>10}{'lag s':>7}{'cases/s':>9}"
            f"{'max queue':>10}{'POST→case p50':>15}{'p99 ms':>8}")  # fmt: skip
        for db, mode, r in queued:
            in_window = r.get("in_window", "")
            cases_s = f"{r['cases_per_s']:.0f}" if "cases_per_s" in r else ""
            e2e = f"{r['e2e_p50_ms']:>15.0f}{r['e2e_p99_ms']:>8.0f}" if "e2e_p99_ms" in r else ""
            say(f"{db:<10}{mode:<14}{r['registered']:>11}{in_window!s:>10}{r['lag_s']:>7.1f}{cases_s:>9}"
                f"{r['max_depth']:>10}{e2e}")  # fmt: skip
    say("")
    say("CPU per request in the closed loops (ms; ceiling = requests/s if every core did only this):")
    say(f"{'database':<10}{'endpoint':<18}{'server':>9}{'database':>10}{'client':>9}{'total':>9}{'ceiling/s':>11}")
    for db, endpoint, _mode, r in rows:
        if "cpu" in r:
            c = r["cpu"]
            say(
                f"{db:<10}{endpoint:<18}{c['server']:>9.2f}{c['db']:>10.2f}{c['client']:>9.2f}{c['total']:>9.2f}"
                f"{c['ceiling']:>11.0f}"
            )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("_setup", "_count"):
        (child_setup if sys.argv[1] == "_setup" else child_count)(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each closed-loop run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100, help="requests per second of the fixed-rate run")
    parser.add_argument("--rate-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn sync workers (default: serve's)")
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--mode", default="direct,queued", help="direct (id key), queued (token key) or both")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--history", action="store_true", help="seed the demo's year of case history too")
    parser.add_argument("--phone", action="store_true", help="every report gives a mobile number (an SMS each)")
    parser.add_argument("--smoke", action="store_true", help="2-second runs, to check the script works")
    args = parser.parse_args()
    WITH_PHONE["on"] = args.phone
    if args.smoke:
        args.seconds, args.rate_seconds = 2, 2
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    from _common import machine

    say(f"machine: {machine()}")
    say(f"load generator: {'wrk (1 thread)' if use_wrk else 'Python, one process per connection'}")
    args.modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    rows = []
    for name in [d.strip() for d in args.db.split(",") if d.strip()]:
        if name == "postgres" and not pg_reachable():
            say(f"[postgres] skipped: nothing answers at {PG_URL}")
            continue
        rows += bench_database(name, args, use_wrk)
    report(rows)


if __name__ == "__main__":
    main()
