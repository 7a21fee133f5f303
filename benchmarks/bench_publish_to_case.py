"""Publish → case latency: from a device publishing a red water level to the case row's creation.

    .venv/bin/python benchmarks/bench_publish_to_case.py [--crossings 200] [--rate 20] [--background 100]
        [--batch-wait 0.5 0.05] [--processes 1 2] [--db sqlite|postgres]

A scratch database with the demo district (territory, case categories, the demo's devices and rules:
water-level gauges carry the "deep-water" rule — red at 0.40 m, open a case at once), ``--crossings``
extra water-level gauges, our own Mosquitto (the configuration ``yiwang sensing broker-config`` writes)
on a spare port, and ``yiwang ingest`` as a subprocess. The demo's other devices publish normal values as
background traffic (``--background`` messages/s) while the extra gauges each publish one reading of
0.60 m, ``--rate`` a second. Latency = ``Case.created_at`` (set in the consumer's process, same clock) −
the wall time just before ``publish``. One run per ``--batch-wait`` value (the consumer's time to fill
a batch once its first message came) and ``--processes`` value, side by side.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_licences import PG_URL, ROOT, machine, say  # noqa: F401  (ROOT puts the project on sys.path)

SEED = 2014
KEY = "bench-crossing-key-{n}"


def configure(db: str) -> None:
    """A scratch database of our own (SQLite in a temporary folder, or PostgreSQL ``yiwang_bench_p2c``)."""
    import io

    os.environ["YIWANG_DATA_DIR"] = tempfile.mkdtemp(prefix=f"bench-p2c-{db}-")
    os.environ.setdefault("YIWANG_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS yiwang_bench_p2c WITH (FORCE)")
            conn.execute("CREATE DATABASE yiwang_bench_p2c")
        os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/yiwang_bench_p2c"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def setup(crossings: int) -> list:
    from yiwang.core.actor import Actor, Channel
    from yiwang.demo.seed import QUICK_STEPS, seed_demo
    from yiwang.sensing.actions import import_devices
    from yiwang.sensing.models import Device

    t0 = time.perf_counter()
    seed_demo(SEED, steps=(*QUICK_STEPS, "categories", "devices"))
    gauges = list(Device.objects.filter(type__code="water-level").values_list("lon", "lat"))
    rng = random.Random(1)
    rows = []
    for n in range(crossings):
        lon, lat = gauges[n % len(gauges)]
        lon, lat = lon + rng.uniform(-2e-4, 2e-4), lat + rng.uniform(-2e-4, 2e-4)
        rows.append({"code": f"LAT-{n:04d}", "type": "water-level", "lon": lon, "lat": lat, "key": KEY.format(n=n)})
    import_devices(Actor.system(Channel.CLI), rows)
    say(f"seeded the demo district, its devices and {crossings} extra gauges in {time.perf_counter() - t0:.1f} s")
    return rows


def start_broker(tmp: Path, port: int):
    from yiwang.sensing.broker import write_broker_config

    done = write_broker_config(tmp / "broker", port=port, bind="127.0.0.1", ingest_password="bench-pw",
                               run_as=getpass.getuser())  # fmt: skip
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen(  # noqa: S603
        [mosquitto, "-c", str(done["paths"]["conf"])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(0.5)
    return proc


def start_ingest(port: int, batch_wait: float, client_id: str, processes: int = 1):
    env = dict(os.environ, YIWANG_MQTT_PASSWORD="bench-pw", YIWANG_LOG_LEVEL="INFO")
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "yiwang.cli", "ingest", "--host", "127.0.0.1", "--port", str(port),
         "--client-id", client_id, "--batch-wait", str(batch_wait), "--processes", str(processes)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    subscribed = 0
    for line in proc.stdout:
        subscribed += "subscribed" in line
        if subscribed == processes:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("yiwang ingest did not subscribe")
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # keep draining
    time.sleep(0.5)
    return proc


def background(port: int, rate: float, stop: threading.Event, sent: list) -> None:
    """The demo's other devices publish normal values (below every threshold) at ``rate`` messages/s."""
    from tests.sensing.conftest import publisher
    from yiwang.sensing.demo import demo_key
    from yiwang.sensing.models import Device
    from yiwang.sensing.mqtt import device_topic

    codes = list(Device.objects.filter(type__code__in=["water-level", "drain-level", "manhole-tilt", "rain-gauge"],
                                       code__regex=r"^(WL|DP|MH|RG)-").values_list("code", flat=True))  # fmt: skip
    codes = codes[::2]  # 80 clients: paho's select() cannot watch file descriptors above 1023 in one process
    clients = {c: publisher("127.0.0.1", port, username=c, password=demo_key(SEED, c)) for c in codes}
    n = 0
    start = time.monotonic()
    while not stop.is_set():
        code = codes[n % len(codes)]
        body = {"ts": datetime.now(UTC).isoformat(), "value": 0.01 + (n % 7) * 0.001, "seq": n}
        clients[code].publish(device_topic(code), json.dumps(body), qos=1)
        n += 1
        sent[0] = n
        time.sleep(max(0.0, start + n / rate - time.monotonic()))
    for client in clients.values():
        client.disconnect()
        client.loop_stop()


def one_run(port: int, rows: list, batch_wait: float, rate: float, background_rate: float, processes: int) -> dict:
    from django.db import connection

    from tests.sensing.conftest import publisher
    from yiwang.operations.models import Case
    from yiwang.sensing.alerts.models import Alert
    from yiwang.sensing.mqtt import device_topic

    Alert.objects.all().delete()  # a fresh alert (and case) per gauge and run
    Case.objects.filter(external_ref__startswith="alert:").delete()
    ingest = start_ingest(port, batch_wait, f"bench-p2c-{batch_wait}-{processes}", processes)
    stop, sent = threading.Event(), [0]
    noise = threading.Thread(target=background, args=(port, background_rate, stop, sent), daemon=True)
    noise.start()
    time.sleep(2)  # background traffic settles
    clients = {r["code"]: publisher("127.0.0.1", port, username=r["code"], password=r["key"]) for r in rows}
    published: dict[str, float] = {}
    start = time.monotonic()
    for n, row in enumerate(rows):
        time.sleep(max(0.0, start + n / rate - time.monotonic()))
        body = json.dumps({"ts": datetime.now(UTC).isoformat(), "value": 0.60, "seq": 1})
        published[row["code"]] = time.time()
        clients[row["code"]].publish(device_topic(row["code"]), body, qos=1)
    deadline = time.monotonic() + 120
    cases = {}
    while len(cases) < len(rows) and time.monotonic() < deadline:
        time.sleep(0.5)
        connection.close()
        cases = dict(
            Alert.objects.filter(device__code__in=published, case__isnull=False).values_list(
                "device__code", "case__created_at"
            )
        )
    stop.set()
    noise.join(10)
    for client in clients.values():
        client.disconnect()
        client.loop_stop()
    ingest.terminate()
    ingest.wait(30)
    latencies = [cases[c].timestamp() - t for c, t in published.items() if c in cases]
    return {"batch_wait": batch_wait, "processes": processes, "cases": len(cases), "crossings": len(rows),
            "background": sent[0], "latencies": latencies}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crossings", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="crossing observations a second")
    parser.add_argument("--background", type=float, default=100.0, help="background messages a second")
    parser.add_argument("--batch-wait", type=float, nargs="+", default=[0.5, 0.05])
    parser.add_argument("--processes", type=int, nargs="+", default=[1], help="yiwang ingest --processes")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    configure(args.db)
    from tests.sensing.conftest import free_port

    say(machine())
    rows = setup(args.crossings)
    tmp = Path(tempfile.mkdtemp(prefix="bench-p2c-"))
    port = free_port()
    broker = start_broker(tmp, port)
    results = []
    try:
        for wait, processes in [(w, p) for p in args.processes for w in args.batch_wait]:
            result = one_run(port, rows, wait, args.rate, args.background, processes)
            lat = result["latencies"]
            say(f"batch-wait {wait:g} s, {processes} processes: {result['cases']}/{result['crossings']} cases, "
                f"{result['background']} background messages, load(1m)={os.getloadavg()[0]:.2f}")  # fmt: skip
            if lat:
                say("  latency p50 {:.3f} s, p95 {:.3f} s, p99 {:.3f} s, max {:.3f} s".format(
                    *(percentile(lat, p) for p in (50, 95, 99)), max(lat)))  # fmt: skip
            results.append(result)
    finally:
        broker.terminate()
        broker.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    say("")
    say("| yiwang ingest | cases | p50 | p95 | p99 | max |")
    say("|---|---|---|---|---|---|")
    for r in results:
        lat = r["latencies"] or [float("nan")]
        say(f"| --batch-wait {r['batch_wait']:g} --processes {r['processes']} | {r['cases']}/{r['crossings']} | "
            + " | ".join(f"{percentile(lat, p):.3f} s" for p in (50, 95, 99)) + f" | {max(lat):.3f} s |")  # fmt: skip


if __name__ == "__main__":
    main()
