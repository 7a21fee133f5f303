"""``yiwang simulate --broker``: each demo device logs in to our own Mosquitto with its own code and key,
publishes its stream at QoS 1 (the meters' history first), and the ingest consumer stores every reading;
the manhole cover the rainstorm lifts raises its red alert and opens a case at once. A device with a wrong
key is refused and counted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.demo.seed import QUICK_STEPS, seed_demo
from yiwang.sensing.alerts.models import Alert
from yiwang.sensing.models import Observation
from yiwang.sensing.mqtt import Consumer
from yiwang.sensing.simulate import generators, registry, runner
from yiwang.sensing.simulate.sinks import MqttSink

pytestmark = pytest.mark.django_db(transaction=True)
SEED = 17


def test_simulated_devices_publish_with_their_own_credentials_and_everything_is_stored(own_broker):
    seed_demo(SEED, steps=(*QUICK_STEPS, "categories", "devices"))
    everything = registry.demo_devices(SEED)
    first = {"water-level": 3, "water-meter": 2, "manhole-tilt": 1}
    devices = [d for t, n in first.items() for d in [d for d in everything if d.type == t][:n]]
    broker = own_broker()  # its passwd file holds every registered device
    consumer = Consumer(
        client_id="ingest-sim-test",
        host=broker["host"],
        port=broker["port"],
        username=broker["username"],
        password=broker["password"],
        batch_size=500,
        batch_wait=0.2,
    )
    consumer.start()
    assert consumer.connected.wait(5)

    start, end = runner.period(timedelta(hours=8), 0, timezone.now())
    sim = generators.build(devices, generators.Plan(start, end, ("rainstorm", "silent"), seed=2, history_days=3))
    sink = MqttSink(broker["host"], broker["port"], log=lambda line: None)
    report = runner.run(sim, {d.code: d.key for d in devices}, sink, speed=0, progress=lambda line: None)
    assert report.unacknowledged == 0 and sink.stats.errors == 0
    meters = sum(d.type == "water-meter" for d in devices)
    assert meters and report.history == meters * 3 * 24  # three days of hourly readings
    consumer.run(stop_after_idle=2.0)

    assert Observation.objects.count() == sim.count() == report.history + report.live
    assert consumer.stats.accepted == sim.count() and consumer.stats.dead == 0
    # the whole stream came in a few batches: the rules judge each device at its newest reading, and the
    # cover stays lifted to the end
    (lifted,) = [e.device for e in sim.events if "manhole cover" in e.what]
    alert = Alert.objects.get(condition="cover-displaced", device__code=lifted)
    assert alert.level == "red" and alert.case.category.code == "CM-ROAD-MANHOLE"

    refused = MqttSink(broker["host"], broker["port"], log=lambda line: None)
    refused.send(devices[0].code, "not-its-key", sim.readings[devices[0].code][:1])
    assert refused.close(timeout=2) == 1 and refused.stats.errors >= 1
