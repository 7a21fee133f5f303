"""deploy/mosquitto/mosquitto.conf is what `broker-config` writes for /etc/mosquitto/yiwang, limits included."""

from pathlib import Path

from yiwang.sensing.broker import DEFAULT_DIR, acl_text, conf_text

SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto" / "mosquitto.conf"


def settings_of(text: str) -> dict:
    lines = [line.split(None, 1) for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {parts[0]: parts[1] if len(parts) > 1 else "" for parts in lines}


def test_shipped_config_equals_the_generated_one_and_keeps_messages():
    assert SHIPPED.read_text() == conf_text(DEFAULT_DIR)
    conf = settings_of(SHIPPED.read_text())
    assert conf["allow_anonymous"] == "false" and conf["persistence"] == "true"
    assert int(conf["max_queued_messages"]) >= 100 * 1000  # the default 1000 drops messages of a slow consumer
    assert int(conf["max_inflight_messages"]) >= 2 * 2000  # a whole default batch in flight before its ack


def test_acl_confines_devices_to_their_topic_and_lets_ingest_read():
    acl = acl_text("yiwang-ingest").splitlines()
    assert "pattern write yiwang/v1/devices/%u/obs" in acl
    assert acl.index("user yiwang-ingest") < acl.index("topic read yiwang/v1/devices/+/obs")
