"""MQTT → stored observations per second, beside a bare subscriber that only counts (same client library).

    .venv/bin/python benchmarks/bench_ingest_mqtt.py [--messages 100000] [--devices 100] [--db sqlite|postgres]

Starts its own Mosquitto (the configuration `yiwang sensing broker-config` writes: auth, ACL,
persistence, raised queue and in-flight limits) on a spare port in a temporary folder, and a scratch
database. Both consumers subscribe first (persistent sessions: ``yiwang-ingest`` shared group for ours,
``bench-bare`` for the bare one) and disconnect; the devices then publish ``--messages`` observations at
QoS 1 (one per message), which the broker queues for both sessions. Each consumer then reconnects and
drains its queue alone; the rate is messages from connect to the last one counted (bare) or committed
and acknowledged with the listener hook called (ours).
"""

from __future__ import annotations

import argparse
import getpass
import json
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench_ingest_http import configure
from bench_licences import ROOT, machine, say  # noqa: F401  (ROOT puts the project on sys.path)


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


def bare_client(port, connect_only=False):
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-bare", protocol=mqtt.MQTTv5)
    client.username_pw_set("yiwang-ingest", "bench-pw")
    client.max_inflight_messages_set(20000)
    state = {"n": 0, "last": 0.0, "ready": threading.Event()}

    def on_connect(c, u, f, rc, p):
        c.subscribe("$share/bench-bare/yiwang/v1/devices/+/obs", qos=1)

    def on_subscribe(c, u, mid, rcs, p):
        state["ready"].set()

    def on_message(c, u, msg):
        state["n"] += 1
        state["last"] = time.perf_counter()

    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = 4000
    client.connect("127.0.0.1", port, clean_start=False, properties=props)
    client.loop_start()
    return client, state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    configure(args.db, "yiwang_bench_ingest_mqtt")
    from tests.sensing.conftest import free_port, publisher
    from yiwang.sensing.devices import key_hash, mosquitto_hash
    from yiwang.sensing.models import Device, DeviceType, Observation
    from yiwang.sensing.mqtt import Consumer, device_topic
    from yiwang.sensing.store import register_observation_listener

    kind = DeviceType.objects.create(code="water-level", name="Water level", unit="m", interval_seconds=60)
    devices = Device.objects.bulk_create(
        Device(code=f"B{n:04d}", type=kind, lon=121.4, lat=31.2, key_hash=key_hash(f"k{n}"),
               mqtt_password_hash=mosquitto_hash(f"k{n}"))
        for n in range(args.devices)
    )  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-mqtt-"))
    port = free_port()
    broker = start_broker(tmp, port)
    try:
        say(machine())
        # 1. both sessions subscribe, then go away
        bare, state = bare_client(port)
        state["ready"].wait(5)
        bare.disconnect()
        bare.loop_stop()
        ours = Consumer(client_id="bench-ours", host="127.0.0.1", port=port, username="yiwang-ingest",
                        password="bench-pw", batch_size=args.batch_size, batch_wait=0.2)  # fmt: skip
        ours.start()
        ours.connected.wait(5)
        time.sleep(0.5)
        ours.stop()
        # 2. devices publish (queued by the broker for both sessions)
        t0 = time.perf_counter()
        per = args.messages // args.devices
        for n, device in enumerate(devices):
            pub = publisher("127.0.0.1", port, username=device.code, password=f"k{n}")
            topic = device_topic(device.code)
            infos = [pub.publish(topic, json.dumps({"ts": 1782864000000 + i * 1000, "value": i * 0.01, "seq": i}),
                                 qos=1) for i in range(per)]  # fmt: skip
            for info in infos:
                info.wait_for_publish(30)
            pub.disconnect()
            pub.loop_stop()
        total = per * args.devices
        say(f"published {total} messages in {time.perf_counter() - t0:.1f} s")
        # 3a. bare subscriber drains
        start = time.perf_counter()
        bare, state = bare_client(port)
        while state["n"] < total and time.perf_counter() - start < 300:
            time.sleep(0.01)
        bare_rate = state["n"] / (state["last"] - start)
        bare.disconnect()
        bare.loop_stop()
        say(f"bare subscriber: {state['n']} messages, {bare_rate:,.0f} messages/s")
        # 3b. ours drains: parse, store (one transaction and one audit row per batch), listener, ack
        heard = []
        register_observation_listener(lambda batch: heard.append(len(batch)))
        ours = Consumer(client_id="bench-ours", host="127.0.0.1", port=port, username="yiwang-ingest",
                        password="bench-pw", batch_size=args.batch_size, batch_wait=0.2)  # fmt: skip
        start = time.perf_counter()
        finished = {}

        def on_batch(c):
            if c.stats.messages_committed >= total:
                finished["at"] = time.perf_counter()
                c.stopping.set()

        stats = ours.run(stop_after_idle=10, on_batch=on_batch)
        ours_rate = stats.messages_committed / (finished.get("at", time.perf_counter()) - start)
        stored = Observation.objects.count()
        say(f"yiwang ingest: {stats.messages_committed} committed, {stored} stored, listener saw {sum(heard)}, "
            f"{stats.batches} batches, {ours_rate:,.0f} observations/s")  # fmt: skip
        say("")
        say("| what | figure |")
        say("|---|---|")
        say(f"| messages published (QoS 1, {args.devices} devices) | {total:,} |")
        say(f"| bare paho subscriber (counts only, auto ack) | {bare_rate:,.0f} messages/s |")
        say(f"| yiwang ingest (parse, store, audit, listener, ack after commit), {args.db} | "
            f"**{ours_rate:,.0f} observations/s** |")  # fmt: skip
        say(f"| stored / listener saw | {stored:,} / {sum(heard):,} |")
        say(f"| ratio ours / bare | **{ours_rate / bare_rate:.0%}** (goal ≥ 80 %) |")
    finally:
        broker.terminate()
        broker.wait(5)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
