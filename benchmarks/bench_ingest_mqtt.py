"""MQTT → stored observations per second with the alert rules evaluated, beside a bare subscriber that only
counts (same client library), in alternating rounds.

    .venv/bin/python benchmarks/bench_ingest_mqtt.py [--messages 40000] [--devices 40] [--rounds 3]
                                                     [--db sqlite|postgres] [--batch-size 2000]

Starts its own Mosquitto (the configuration `yiwang sensing broker-config` writes: auth, ACL,
persistence, raised queue and in-flight limits) on a spare port in a temporary folder, and a scratch
database with the devices (type ``water-level``) and the demo's two threshold rules of that type
(``waterlogging`` graded from 0.05 m, ``deep-water`` at 0.40 m), so the alert engine's listener — registered
as in production — wants every batch and judges every device; the values published (0–0.04 m) raise no
alert. Each round: every consumer subscribes first (plain persistent subscriptions, the same filter), the
devices publish ``--messages`` new observations at QoS 1 (one per message, the devices taking turns), which
the broker queues for every session; then each consumer reconnects and drains its queue alone, the order
alternating between rounds. Consumers:

* **bare** — a paho-mqtt 2 client in its network thread (``loop_start``), counting in ``on_message``,
  paho's automatic acknowledgement: the reference of the goal;
* **ours** — ``yiwang.sensing.mqtt.Consumer`` (parse, one transaction per batch with its audit row,
  the listeners — the alert engine and a counter — then the acknowledgements after the commit);
* **loop only** (``--loop-only``) — the same Consumer acknowledging each batch without parsing or storing:
  the transport part of ours;
* **before** (``--before FILE``) — the Consumer of an older ``mqtt.py`` (``git show COMMIT:yiwang/sensing/mqtt.py``).

Rate = messages from connect to the last one counted (bare) or committed with its listeners called
(ours). Also per message: CPU of this process (all its threads) and of Mosquitto, from /proc — figures
that do not depend on the machine's load as much as the rates do. The ratio is per round; the summary
gives the median.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench_ingest_http import configure
from bench_licences import ROOT, machine, say  # noqa: F401  (ROOT puts the project on sys.path)

TICKS = os.sysconf("SC_CLK_TCK")
TOPIC_FILTER = "yiwang/v1/devices/+/obs"


def start_broker(tmp: Path, port: int):
    from yiwang.sensing.broker import write_broker_config

    done = write_broker_config(tmp / "broker", port=port, bind="127.0.0.1", ingest_password="bench-pw",
                               run_as=getpass.getuser())  # fmt: skip
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen(
        [mosquitto, "-c", str(done["paths"]["conf"])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )  # noqa: S603
    time.sleep(0.5)
    return proc


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def bare_client(port, receive_maximum, on_count=None):
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-bare", protocol=mqtt.MQTTv5)
    client.username_pw_set("yiwang-ingest", "bench-pw")
    client.max_inflight_messages_set(receive_maximum)
    state = {"n": 0, "last": 0.0, "ready": threading.Event()}

    def on_connect(c, u, f, rc, p):
        c.subscribe(TOPIC_FILTER, qos=1)

    def on_subscribe(c, u, mid, rcs, p):
        state["ready"].set()

    def on_message(c, u, msg):
        state["n"] += 1
        state["last"] = time.perf_counter()

    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = receive_maximum
    client.connect("127.0.0.1", port, clean_start=False, properties=props)
    client.loop_start()
    return client, state


BEFORE: dict = {}  # the namespace of --before's module


def load_before(path: str) -> None:
    """Run an older ``mqtt.py`` (e.g. ``git show COMMIT:yiwang/sensing/mqtt.py > /tmp/mqtt_before.py``)."""
    source = Path(path).read_text().replace("from .", "from yiwang.sensing.")
    exec(compile(source, path, "exec"), BEFORE)  # noqa: S102  (a benchmark loading the developer's own file)


def make_consumer(name, port, batch_size):
    from yiwang.sensing.mqtt import Consumer

    class LoopOnly(Consumer):
        def process(self, batch):  # acknowledge without parsing or storing
            for mid, qos, *_ in batch:
                self.client.ack(mid, qos)
            self.client.loop_write()
            self.stats.messages_committed += len(batch)
            self.stats.batches += 1

    cls = {"loop only": LoopOnly, "before": BEFORE.get("Consumer")}.get(name, Consumer)
    return cls(client_id=f"bench-{name.replace(' ', '-')}", host="127.0.0.1", port=port, username="yiwang-ingest",
               password="bench-pw", batch_size=batch_size, batch_wait=0.05)  # fmt: skip


def subscribe(name, port, batch_size):
    if name == "bare":
        client, state = bare_client(port, batch_size * 2)
        state["ready"].wait(5)
        client.disconnect()
        client.loop_stop()
        return
    consumer = make_consumer(name, port, batch_size)
    consumer.start()
    time.sleep(0.3)  # the SUBACK
    consumer.stop()


def drain(name, port, total, batch_size) -> tuple[int, float]:
    """Messages taken, and the moment the last was counted (bare) or committed (ours)."""
    if name == "bare":
        start = time.perf_counter()
        client, state = bare_client(port, batch_size * 2)
        while state["n"] < total and time.perf_counter() - start < 300:
            time.sleep(0.01)
        client.disconnect()
        client.loop_stop()
        return state["n"], state["last"]
    consumer = make_consumer(name, port, batch_size)
    finished = {}

    def on_batch(c):
        if c.stats.messages_committed >= total:
            finished["at"] = time.perf_counter()
            c.stopping.set()

    stats = consumer.run(stop_after_idle=10, on_batch=on_batch)
    return stats.messages_committed, finished.get("at", time.perf_counter())


def publish(devices, port, total, round_no):
    from tests.sensing.conftest import publisher
    from yiwang.sensing.mqtt import device_topic

    per = total // len(devices)
    base = 1782864000000 + round_no * per * 1000  # new observations every round
    pubs = [publisher("127.0.0.1", port, username=d.code, password=f"k{n}") for n, d in enumerate(devices)]
    topics = [device_topic(d.code) for d in devices]
    infos = []
    for i in range(per):  # interleaved, as devices report: every batch holds every device
        body = json.dumps({"ts": base + i * 1000, "value": (i % 5) * 0.01, "seq": i})
        infos += [pub.publish(topic, body, qos=1) for pub, topic in zip(pubs, topics, strict=True)]
    for info in infos:
        info.wait_for_publish(30)
    for pub in pubs:
        pub.disconnect()
        pub.loop_stop()
    return per * len(devices)


def setup_devices(count):
    from yiwang.sensing.alerts.models import Rule
    from yiwang.sensing.demo import WATER_LEVELS
    from yiwang.sensing.devices import key_hash, mosquitto_hash
    from yiwang.sensing.models import Device, DeviceType

    kind = DeviceType.objects.create(code="water-level", name="Water level", unit="m", interval_seconds=300)
    devices = Device.objects.bulk_create(
        Device(code=f"B{n:04d}", type=kind, lon=121.4, lat=31.2, key_hash=key_hash(f"k{n}"),
               mqtt_password_hash=mosquitto_hash(f"k{n}"))
        for n in range(count)
    )  # fmt: skip
    graded = {k: v for k, v in WATER_LEVELS.items() if k != "red"}
    Rule.objects.create(name="waterlogging", device_type=kind, kind="threshold", condition="waterlogging",
                        params={"levels": graded, "hysteresis": 0.02}, category_code="CM-GREEN-FLOOD",
                        escalation="notify_first")  # fmt: skip
    Rule.objects.create(name="deep-water", device_type=kind, kind="threshold", condition="deep-water",
                        params={"levels": {"red": WATER_LEVELS["red"]}, "hysteresis": 0.05},
                        category_code="CM-GREEN-FLOOD", escalation="case_now")  # fmt: skip
    return devices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=40_000)
    parser.add_argument("--devices", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--loop-only", action="store_true", help="also the consumer's loop without storing")
    parser.add_argument("--before", metavar="MQTT_PY", help="also an older yiwang/sensing/mqtt.py's Consumer")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    configure(args.db, "yiwang_bench_ingest_mqtt")
    from tests.sensing.conftest import free_port
    from yiwang.sensing import store
    from yiwang.sensing.alerts import engine
    from yiwang.sensing.alerts.models import Alert
    from yiwang.sensing.models import Observation

    devices = setup_devices(args.devices)
    assert engine.on_batch in store._listeners and engine.wants({d.id for d in devices}), "rules not evaluated"
    now = {"draining": ""}
    heard = {"ours": [], "before": []}  # observations the listeners saw, devices the alert engine judged
    judged = {"ours": [], "before": []}
    store.register_observation_listener(lambda batch: heard[now["draining"]].append(len(batch)))
    original = engine.evaluate_device
    engine.evaluate_device = lambda device, *a, **kw: judged[now["draining"]].append(1) or original(device, *a, **kw)
    if args.before:
        load_before(args.before)
    names = ["bare", "ours"] + (["loop only"] if args.loop_only else []) + (["before"] if args.before else [])
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-mqtt-"))
    port = free_port()
    broker = start_broker(tmp, port)
    results: dict[str, list] = {name: [] for name in names}
    stored = {"ours": 0, "before": 0}
    try:
        say(machine())
        for name in names:
            subscribe(name, port, args.batch_size)
        for round_no in range(args.rounds):
            t0 = time.perf_counter()
            total = publish(devices, port, args.messages, round_no)
            load = Path("/proc/loadavg").read_text().split()[0]
            say(f"round {round_no + 1}: published {total} messages in {time.perf_counter() - t0:.1f} s, load {load}")
            for name in names if round_no % 2 == 0 else names[::-1]:
                now["draining"] = name
                broker_cpu, cpu, start = cpu_of(broker.pid), time.process_time(), time.perf_counter()
                taken, end = drain(name, port, total, args.batch_size)
                cpu, broker_cpu = time.process_time() - cpu, cpu_of(broker.pid) - broker_cpu
                rate = taken / (end - start)
                results[name].append(rate)
                say(f"  {name:9s} {taken:,} messages, {rate:8,.0f}/s, CPU {1e6 * cpu / taken:5.1f} µs a message, "
                    f"Mosquitto {1e6 * broker_cpu / taken:4.1f} µs")  # fmt: skip
                if name in ("ours", "before"):
                    stored[name] += Observation.objects.count()
                    Observation.objects.all().delete()  # the next storing consumer stores the round's rows as new
            say(f"  ratio ours / bare {results['ours'][-1] / results['bare'][-1]:.0%}")
        alerts = Alert.objects.count()
        ratios = [o / b for o, b in zip(results["ours"], results["bare"], strict=True)]
        say("")
        say(f"| {args.db}, {args.messages:,} messages × {args.rounds} rounds | per round | median |")
        say("|---|---|---|")
        for name in names:
            say(f"| {name} messages/s | {' / '.join(f'{r:,.0f}' for r in results[name])} | "
                f"{statistics.median(results[name]):,.0f} |")  # fmt: skip
        say(f"| ratio ours / bare | {' / '.join(f'{r:.0%}' for r in ratios)} | **{statistics.median(ratios):.0%}** |")
        if args.before:
            say(f"| before: stored / listeners saw | {stored['before']:,} / {sum(heard['before']):,} | |")
        counts = f"{stored['ours']:,} / {sum(heard['ours']):,} / {len(judged['ours']):,} / {alerts}"
        say(f"| ours: stored / listeners saw / devices judged / alerts | {counts} | |")
    finally:
        broker.terminate()
        broker.wait(5)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
