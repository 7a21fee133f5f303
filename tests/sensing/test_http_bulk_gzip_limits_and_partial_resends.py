"""HTTP bulk ingestion: gzip bodies, size limits, resends that overlap, exact times, one audit row per batch.

On PostgreSQL these run the COPY-into-a-staging-table path; on SQLite the multi-row insert.
"""

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest

from yiwang.core.audit.models import AuditEvent
from yiwang.sensing import api, store
from yiwang.sensing.models import DeadLetter, Observation

URL = "/api/v1/sensing/observations"
BASE_MS = 1782864000000  # 2026-07-01T00:00:00Z
BASE = datetime(2026, 7, 1, tzinfo=UTC)


def post(client, body, key, **headers):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(URL, data=data, content_type="application/json", HTTP_X_DEVICE_KEY=key, **headers)


def stored(device):
    return list(Observation.objects.filter(device=device).order_by("ts").values_list("ts", "value", "seq"))


def ingest_audits():
    return AuditEvent.objects.filter(action="sensing.observation.ingest").order_by("id")


@pytest.mark.django_db
def test_a_gzip_body_is_stored_like_the_plain_one(client, make_device):
    device = make_device()
    batch = [{"ts": BASE_MS + i * 1000, "value": i, "seq": i} for i in range(50)]
    answer = post(client, gzip.compress(json.dumps(batch).encode()), device.plain_key, HTTP_CONTENT_ENCODING="gzip")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"accepted": 50, "duplicate": 0, "rejected": 0, "errors": []}
    assert stored(device) == [(BASE + timedelta(seconds=i), float(i), i) for i in range(50)]


@pytest.mark.django_db
def test_broken_gzip_unknown_encodings_and_oversized_bodies_are_refused_whole(client, make_device, monkeypatch):
    device = make_device()
    batch = [{"ts": BASE_MS + i * 1000, "value": i} for i in range(200)]
    raw = json.dumps(batch).encode()
    broken = post(client, gzip.compress(raw)[:-12], device.plain_key, HTTP_CONTENT_ENCODING="gzip")
    assert broken.status_code == 400 and "gzip" in broken.json()["detail"]
    assert post(client, raw, device.plain_key, HTTP_CONTENT_ENCODING="br").status_code == 415
    monkeypatch.setattr(api, "MAX_BODY_BYTES", len(raw) - 1)
    too_big = post(client, raw, device.plain_key)
    assert too_big.status_code == 413 and str(len(raw) - 1) in too_big.json()["detail"]
    # a small gzip body that inflates past the limit (a "zip bomb") is refused the same way
    bomb = post(client, gzip.compress(raw + b" " * len(raw)), device.plain_key, HTTP_CONTENT_ENCODING="gzip")
    assert bomb.status_code == 413
    monkeypatch.setattr(api, "MAX_BODY_BYTES", 10 * len(raw))
    monkeypatch.setattr(api, "MAX_ENTRIES", 199)
    too_many = post(client, raw, device.plain_key)
    assert too_many.status_code == 413 and "199" in too_many.json()["detail"]
    assert not Observation.objects.exists() and not ingest_audits().exists()


@pytest.mark.django_db
def test_a_resend_overlapping_stored_data_across_chunks_stores_only_the_new_rows(
    client, make_device, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(store, "CHUNK", 7)  # several chunks: all new, mixed, all old
    device = make_device()
    seen = []

    def listener(batch):
        seen.extend((o.device_id, o.ts, o.value) for o in batch)

    store.register_observation_listener(listener)
    try:
        first = post(client, [{"ts": BASE_MS + i * 1000, "value": i} for i in range(0, 20, 2)], device.plain_key)
        assert first.json()["accepted"] == 10
        seen.clear()
        # 0..29 (even ones up to 18 exist already), out of order, one repeated inside the batch (first wins)
        batch = [{"ts": BASE_MS + i * 1000, "value": 100 + i, "seq": i} for i in reversed(range(30))]
        batch.append({"ts": BASE_MS + 29 * 1000, "value": -1})
        with django_capture_on_commit_callbacks(execute=True):
            answer = post(client, batch, device.plain_key).json()
    finally:
        store.unregister_observation_listener(listener)
    new = [i for i in range(30) if i % 2 or i >= 20]
    assert answer == {"accepted": len(new), "duplicate": 31 - len(new), "rejected": 0, "errors": []}
    expected = {i: (float(i), None) if i < 20 and i % 2 == 0 else (100.0 + i, i) for i in range(30)}
    assert stored(device) == [(BASE + timedelta(seconds=i), *expected[i]) for i in range(30)]
    assert sorted(seen) == [(device.id, BASE + timedelta(seconds=i), 100.0 + i) for i in new]
    audits = list(ingest_audits())
    assert [a.batch_count for a in audits] == [10, len(new)]
    assert audits[0].digest != audits[1].digest and all(len(a.digest) == 64 for a in audits)


@pytest.mark.django_db
def test_times_in_any_zone_and_millisecond_precision_are_stored_as_the_same_instant(client, make_device):
    device = make_device()
    batch = [
        {"ts": "2026-07-01T08:00:00.250+08:00", "value": 1},  # 00:00:00.25 UTC
        {"ts": BASE_MS + 1_001, "value": 2},  # 00:00:01.001 UTC
        {"ts": "2026-06-30T20:00:02-04:00", "value": 3},  # 00:00:02 UTC
        {"ts": "2026-07-01T00:00:03.000123Z", "value": 4.5, "seq": 9},
    ]
    assert post(client, batch, device.plain_key).json()["accepted"] == 4
    ms = timedelta(milliseconds=1)
    assert stored(device) == [
        (BASE + 250 * ms, 1.0, None),
        (BASE + 1001 * ms, 2.0, None),
        (BASE + 2000 * ms, 3.0, None),
        (BASE + timedelta(seconds=3, microseconds=123), 4.5, 9),
    ]
    # the same instants written another way are duplicates, not new rows
    again = [{"ts": BASE_MS + 250, "value": 7}, {"ts": "2026-07-01T00:00:01.001Z", "value": 7}]
    assert post(client, again, device.plain_key).json() == {"accepted": 0, "duplicate": 2, "rejected": 0, "errors": []}


@pytest.mark.django_db
def test_bad_entries_are_dead_lettered_and_the_valid_ones_of_the_same_gzip_batch_kept(client, make_device):
    device = make_device()
    batch = [{"ts": BASE_MS + i * 1000, "value": i} for i in range(5)]
    batch[2] = {"ts": BASE_MS + 2000, "value": "high"}
    batch[3] = {"ts": True, "value": 1}
    raw = gzip.compress(json.dumps(batch).encode())
    answer = post(client, raw, device.plain_key, HTTP_CONTENT_ENCODING="gzip").json()
    assert answer["accepted"] == 3 and answer["rejected"] == 2
    assert {(e["index"], e["field"]) for e in answer["errors"]} == {(2, "value"), (3, "ts")}
    letter = DeadLetter.objects.get(source="http", device_code=device.code)
    assert "[2] value" in letter.reason and '"high"' in letter.payload  # the decompressed body is kept


@pytest.mark.django_db
def test_a_listener_that_wants_none_of_the_devices_is_not_called(make_device, django_capture_on_commit_callbacks):
    from yiwang.core.actor import Actor, Channel

    device, other = make_device(), make_device()
    calls = []

    def listener(batch):
        calls.append({o.device_id for o in batch})

    store.register_observation_listener(listener, wants=lambda ids: other.id in ids)
    try:
        actor = Actor(user=None, channel=Channel.API)
        with django_capture_on_commit_callbacks(execute=True):
            store.store_rows(actor, [("2026-07-01 00:00:00", device.id, 1.0, None)])
        assert calls == [] and Observation.objects.filter(device=device).count() == 1
        with django_capture_on_commit_callbacks(execute=True):
            store.store_rows(actor, [("2026-07-01 00:00:00", other.id, 1.0, None)])
        assert calls == [{other.id}]
    finally:
        store.unregister_observation_listener(listener)
