"""Sensing fixtures: devices, the shared broker at 127.0.0.1:1883, and our own Mosquitto instances."""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
import uuid

import pytest

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
SHARED_BROKER = ("127.0.0.1", 1883)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def device_type(db):
    from yiwang.sensing.models import DeviceType

    return DeviceType.objects.create(code="water-level", name="Water level gauge", unit="m", interval_seconds=60)


@pytest.fixture
def make_device(device_type):
    from yiwang.sensing.devices import key_hash, mosquitto_hash
    from yiwang.sensing.models import Device

    def make(code=None, key=None, **fields):
        code = code or f"dev-{uuid.uuid4().hex[:8]}"
        key = key or f"key-{code}"
        fields.setdefault("type", device_type)
        device = Device.objects.create(
            code=code, lon=121.41, lat=31.21, key_hash=key_hash(key), mqtt_password_hash=mosquitto_hash(key), **fields
        )
        device.plain_key = key
        return device

    return make


@pytest.fixture
def shared_broker():
    if not reachable(*SHARED_BROKER):
        print(f"skip: no MQTT broker at {SHARED_BROKER[0]}:{SHARED_BROKER[1]}")
        pytest.skip(f"no MQTT broker reachable at {SHARED_BROKER[0]}:{SHARED_BROKER[1]}")
    return SHARED_BROKER


@pytest.fixture
def own_broker(tmp_path, db):
    """Start Mosquitto with the configuration `yiwang sensing broker-config` writes (auth, ACL, persistence)."""
    if not shutil.which(MOSQUITTO):
        print(f"skip: mosquitto not installed ({MOSQUITTO})")
        pytest.skip(f"mosquitto is not installed ({MOSQUITTO})")
    from yiwang.sensing.broker import write_broker_config

    port = free_port()

    def start(ingest_password="ingest-pw"):
        done = write_broker_config(
            tmp_path / "broker", port=port, bind="127.0.0.1", ingest_password=ingest_password, run_as=getpass.getuser()
        )
        proc = subprocess.Popen(  # noqa: S603
            [MOSQUITTO, "-c", str(done["paths"]["conf"])], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(100):
            if reachable("127.0.0.1", port):
                break
            time.sleep(0.05)
        else:
            proc.kill()
            raise RuntimeError(proc.stdout.read().decode())
        procs.append(proc)
        return {
            "host": "127.0.0.1", "port": port, "username": "yiwang-ingest", "password": ingest_password, "proc": proc
        }  # fmt: skip

    procs: list = []
    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(5)


def publisher(host, port, *, username=None, password=None, client_id=None):
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=client_id or f"pub-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5
    )
    if username:
        client.username_pw_set(username, password)
    client.connect(host, port)
    client.loop_start()
    return client


def publish_all(client, messages):
    """Publish (topic, payload) at QoS 1 and wait until the broker acknowledged each."""
    infos = [client.publish(topic, payload, qos=1) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(10)
    return infos


def database_url() -> str:
    """The URL of the test database, for subprocesses (yiwang ingest) that must write into it."""
    from django.db import connection

    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or ""
    auth = f"{user}:{conf['PASSWORD']}@" if conf.get("PASSWORD") else (f"{user}@" if user else "")
    return f"postgres://{auth}{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{conf['NAME']}"
