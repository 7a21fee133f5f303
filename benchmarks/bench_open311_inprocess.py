"""Open311 POST in-process: the whole Django request (middleware, view, report_case, rendering), no server.

    .venv/bin/python benchmarks/bench_open311_inprocess.py [--n 1000] [--db sqlite|postgres] [--queued]
                                                          [--profile FILE] [--cprofile] [-v]

Prepares a scratch database (``bench_operations_common.prepare``), issues an API key and sends ``--n``
form-encoded POSTs to ``/open311/v2/requests.json`` straight into Django's WSGI handler (what gunicorn
calls), at points spread over every grid. Prints the median, p90 and p99 per request, the queries of
one request and, with ``--queued`` (a token key, ``OPEN311['INTAKE'] = "queued"``), then registers the
queue with the drainer and prints its time, CPU and statements per case; with ``--profile FILE``
(pyinstrument HTML) or ``--cprofile``, where the time goes.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_operations_common import configure, grid_points, machine, prepare, say  # noqa: E402

CATEGORY = "CM-ENV-GARBAGE"
PATH = "/open311/v2/requests.json"


def environ_for(body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": PATH,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--profile", default=None, help="pyinstrument HTML profile of the loop")
    parser.add_argument("--cprofile", action="store_true", help="print cProfile's top functions")
    parser.add_argument("-v", action="store_true", help="print the queries of one request")
    parser.add_argument("--queued", action="store_true", help="queued intake: POSTs, then the drainer")
    parser.add_argument("--batch", type=int, default=500, help="--queued: reports per drainer transaction")
    args = parser.parse_args()
    configure(args.db, args.data_dir, pg_name="yiwang_bench_open311_inproc")
    prepare()

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.core.actor import Actor
    from yiwang.operations.open311.keys import issue_key

    if args.queued:
        from django.conf import settings

        settings.OPEN311 = {**settings.OPEN311, "INTAKE": "queued"}
    _, key = issue_key(Actor.system(), name=f"bench-inproc-{int(time.time())}", reply_with_token=args.queued)
    app = get_wsgi_application()
    points = grid_points()

    def one(i: int) -> None:
        lon, lat = points[i % len(points)]
        body = urllib.parse.urlencode(
            {
                "api_key": key,
                "service_code": CATEGORY,
                "lat": lat,
                "long": lon,
                "description": f"bench report {i}",
                "attribute[volume]": "large",
            }
        ).encode()
        status = []
        chunks = app(environ_for(body), lambda s, h, *a: status.append(s))
        b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"request {i} answered {status[0]}: {b''.join(chunks)[:300]!r}")

    for i in range(50):
        one(i)
    if args.queued:
        drain_queue(args.batch, quiet=True)
    with CaptureQueriesContext(connection) as ctx:
        one(50)
        queries = list(ctx.captured_queries)  # read before the next request resets the log
    kinds = Counter(q["sql"].split()[0].upper() for q in queries)
    say(f"one request: {len(queries)} queries ({dict(kinds)})")
    if args.v:
        for q in queries:
            say("   " + q["sql"][:220])
    profiler = cprof = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    if args.cprofile:
        import cProfile

        cprof = cProfile.Profile()
        cprof.enable()
    times = []
    cpu0 = time.process_time()
    t_all = time.perf_counter()
    for i in range(100, 100 + args.n):
        t0 = time.perf_counter()
        one(i)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    cpu_ms = (time.process_time() - cpu0) * 1000 / args.n
    if cprof is not None:
        import pstats

        cprof.disable()
        pstats.Stats(cprof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(cprof).sort_stats("tottime").print_stats(30)
    if profiler is not None:
        profiler.stop()
        Path(args.profile).write_text(profiler.output_html())
        say(profiler.output_text(unicode=False, color=False, show_all=False)[:8000])
    ms = sorted(t * 1000 for t in times)
    say(machine())
    say(
        f"[{args.db}] Open311 POST x {args.n} in-process: median {statistics.median(ms):.2f} ms, "
        f"p90 {ms[int(0.9 * len(ms))]:.2f} ms, p99 {ms[int(0.99 * len(ms))]:.2f} ms, "
        f"{args.n / total:.0f} requests/s in one process, CPU {cpu_ms:.2f} ms per request (this process)"
    )
    if args.queued:
        drain_queue(args.batch)


def drain_queue(batch: int, quiet: bool = False) -> None:
    """Register what is queued; print wall time, this process's CPU and statements per case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.operations.open311 import drain

    cpu0, t0 = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        done = drain.drain_all(batch)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    n = max(1, done.registered)
    if not quiet:
        kinds = Counter(q["sql"].split()[0].upper() for q in ctx.captured_queries)
        say(
            f"drained {done.registered} cases in batches of {batch}: {wall * 1000 / n:.2f} ms per case "
            f"({n / wall:.0f} cases/s), CPU {cpu * 1000 / n:.2f} ms per case (this process), "
            f"{len(ctx.captured_queries) / n:.1f} statements per case ({dict(kinds)})"
        )


if __name__ == "__main__":
    main()
