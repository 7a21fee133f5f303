"""With the generated password and ACL files, a device publishes only to its own topic."""

import json
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from tests.sensing.conftest import publish_all, publisher
from yiwang.sensing.devices import check_mosquitto_hash
from yiwang.sensing.models import Observation
from yiwang.sensing.mqtt import Consumer, device_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_device_cannot_publish_to_another_devices_topic(own_broker, make_device):
    alice, bob = make_device("alice"), make_device("bob")
    broker = own_broker()
    consumer = Consumer(
        client_id=f"acl-{uuid.uuid4().hex[:6]}",
        host=broker["host"],
        port=broker["port"],
        username=broker["username"],
        password=broker["password"],
        batch_size=50,
        batch_wait=0.2,
    )
    consumer.start()
    assert consumer.connected.wait(5)
    time.sleep(0.3)
    pub = publisher(broker["host"], broker["port"], username="alice", password=alice.plain_key)
    publish_all(
        pub,
        [
            (device_topic("alice"), json.dumps({"ts": "2026-07-01T00:00:00Z", "value": 1})),
            (device_topic("bob"), json.dumps({"ts": "2026-07-01T00:00:01Z", "value": 666})),
        ],
    )
    pub.disconnect()
    pub.loop_stop()
    consumer.run(stop_after_idle=1.0)
    assert list(Observation.objects.values_list("device_id", "value")) == [(alice.id, 1.0)]
    assert not Observation.objects.filter(device=bob).exists()


def test_wrong_password_is_refused_and_hashes_match_the_key(own_broker, make_device):
    device = make_device("carol")
    assert check_mosquitto_hash(device.plain_key, device.mqtt_password_hash)
    assert not check_mosquitto_hash("wrong", device.mqtt_password_hash)
    broker = own_broker()
    results = {}
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="carol-x", protocol=mqtt.MQTTv5)
    client.on_connect = lambda c, u, f, rc, p: results.setdefault("rc", rc)
    client.username_pw_set("carol", "not-the-key")
    client.connect(broker["host"], broker["port"])
    client.loop_start()
    for _ in range(50):
        if "rc" in results:
            break
        time.sleep(0.05)
    client.loop_stop()
    assert results["rc"].is_failure
