"""Where ``yiwang simulate`` sends readings: the MQTT broker (one client per device, its own credentials)
or the HTTP bulk endpoint (one request per device and tick, its own X-Device-Key)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from yiwang.sensing.mqtt import device_topic

MAX_PER_MESSAGE = 500  # entries per MQTT message / HTTP request (well under the broker's packet limit)
HTTP_PATH = "/api/v1/sensing/observations"


def payload(rows: list[tuple[datetime, float]], seq0: int = 0) -> list[dict]:
    return [{"ts": ts.isoformat(), "value": value, "seq": seq0 + i} for i, (ts, value) in enumerate(rows)]


@dataclass
class SinkStats:
    messages: int = 0
    readings: int = 0
    accepted: int = 0  # HTTP only: newly stored as the server answered
    duplicate: int = 0
    rejected: int = 0
    errors: int = 0


class MqttSink:
    """One paho client per device (user name = device code, password = its key), QoS 1.

    paho keeps unacknowledged QoS 1 messages and sends them again after reconnecting, so a broker
    restart while simulating loses nothing; :meth:`close` waits for the broker's acknowledgements.
    """

    def __init__(self, host: str, port: int, *, client_prefix: str | None = None, log: Callable = print):
        self.host, self.port = host, port
        self.prefix = client_prefix or f"sim-{uuid.uuid4().hex[:6]}"
        self.clients: dict[str, object] = {}
        self.acked = 0  # PUBACKs received (paho calls on_publish once per message, after any resend)
        self.lock = threading.Lock()
        self.stats = SinkStats()
        self.log = log

    def _client(self, code: str, key: str):
        client = self.clients.get(code)
        if client is None:
            import paho.mqtt.client as mqtt
            from paho.mqtt.enums import CallbackAPIVersion

            client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"{self.prefix}-{code}", protocol=mqtt.MQTTv5)
            if key:
                client.username_pw_set(code, key)
            client.max_queued_messages_set(0)
            client.max_inflight_messages_set(100)
            client.reconnect_delay_set(0.2, 5)
            client.on_connect = self._on_connect
            client.on_publish = self._on_publish
            client.connect_async(self.host, self.port, keepalive=30)
            client.loop_start()
            self.clients[code] = client
        return client

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            self.stats.errors += 1
            self.log(f"MQTT connection refused for {client._client_id.decode()}: {reason_code}")

    def _on_publish(self, client, userdata, mid, reason_code, properties):
        with self.lock:
            self.acked += 1

    def send(self, code: str, key: str, rows: list[tuple[datetime, float]], seq0: int = 0) -> None:
        """Queue the readings as QoS 1 messages (paho sends them once connected and again after a reconnect)."""
        client = self._client(code, key)
        for start in range(0, len(rows), MAX_PER_MESSAGE):
            chunk = rows[start : start + MAX_PER_MESSAGE]
            body = json.dumps(payload(chunk, seq0 + start), separators=(",", ":"))
            client.publish(device_topic(code), body, qos=1)  # rc "no connection": queued, sent on connect
            self.stats.messages += 1
            self.stats.readings += len(chunk)

    def unacknowledged(self) -> int:
        with self.lock:
            return self.stats.messages - self.acked

    def flush(self, timeout: float = 60.0) -> int:
        """Wait until the broker acknowledged every message; returns how many are still unacknowledged."""
        deadline = time.monotonic() + timeout
        while self.unacknowledged() > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.unacknowledged()

    def close(self, timeout: float = 60.0) -> int:
        left = self.flush(timeout)
        for client in self.clients.values():
            client.disconnect()
            client.loop_stop()
        return left


class HttpSink:
    """POST each device's readings of a tick to the bulk endpoint with its X-Device-Key.

    ``post(url, body, headers) -> (status, json)`` is injectable (tests); by default a requests session
    with keep-alive. A refused connection is retried (the server may be restarting).
    """

    def __init__(self, url: str, *, post: Callable | None = None, log: Callable = print, retries: int = 5):
        url = url.rstrip("/")
        self.url = url if url.endswith(HTTP_PATH) else url + HTTP_PATH
        self.stats = SinkStats()
        self.log = log
        self.retries = retries
        if post is None:
            import requests

            session = requests.Session()

            def post(url, body, headers):
                response = session.post(url, data=body, headers=headers, timeout=60)
                return response.status_code, (response.json() if response.content else {})

        self.post = post

    def send(self, code: str, key: str, rows: list[tuple[datetime, float]], seq0: int = 0) -> None:
        headers = {"X-Device-Key": key, "Content-Type": "application/json"}
        for start in range(0, len(rows), MAX_PER_MESSAGE):
            chunk = rows[start : start + MAX_PER_MESSAGE]
            body = json.dumps(payload(chunk, seq0 + start), separators=(",", ":")).encode()
            status, answer = self._post(body, headers)
            self.stats.messages += 1
            self.stats.readings += len(chunk)
            if status != 200:
                self.stats.errors += 1
                self.log(f"{code}: HTTP {status} {answer}")
                continue
            self.stats.accepted += answer.get("accepted", 0)
            self.stats.duplicate += answer.get("duplicate", 0)
            self.stats.rejected += answer.get("rejected", 0)

    def _post(self, body: bytes, headers: dict):
        for attempt in range(self.retries + 1):
            try:
                return self.post(self.url, body, headers)
            except OSError as exc:  # requests' ConnectionError is an OSError too
                if attempt == self.retries:
                    return 0, {"detail": str(exc)}
                time.sleep(min(5, 0.2 * 2**attempt))
        return 0, {}

    def flush(self, timeout: float = 0) -> int:
        return 0

    def close(self, timeout: float = 0) -> int:
        return 0
