"""POST /api/v1/sensing/observations: per-device key, counts accepted/duplicate/rejected, precise errors."""

import json

import pytest

from yiwang.sensing.models import DeadLetter, Observation

URL = "/api/v1/sensing/observations"


def post(client, body, key):
    headers = {"HTTP_X_DEVICE_KEY": key} if key else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


@pytest.mark.django_db
def test_batch_is_stored_and_resending_counts_duplicates(client, make_device):
    device = make_device()
    batch = [{"ts": f"2026-07-01T08:00:{s:02d}+08:00", "value": s, "seq": s} for s in range(20)]
    batch.append({"ts": 1782864000000 + 3_600_000, "value": 2.5})  # epoch ms, 09:00+08:00
    first = post(client, {"observations": batch}, device.plain_key).json()
    assert first == {"accepted": 21, "duplicate": 0, "rejected": 0, "errors": []}
    again = post(client, batch[:10] + [{"ts": "2026-07-01T09:00:00Z", "value": 1}], device.plain_key).json()
    assert again["accepted"] == 1 and again["duplicate"] == 10
    assert Observation.objects.filter(device=device).count() == 22


@pytest.mark.django_db
def test_each_bad_entry_is_named_and_the_good_ones_kept(client, make_device):
    device = make_device()
    body = [
        {"ts": "2026-07-01T08:00:00Z", "value": 1},
        {"value": 1},
        {"ts": "2026-07-01 08:00", "value": 1},
        {"ts": "2026-07-01T08:00:01Z", "value": True},
        {"ts": "2026-07-01T08:00:02Z", "value": 3, "seq": "x"},
        {"ts": "2999-01-01T00:00:00Z", "value": 3},
        "nonsense",
    ]
    answer = post(client, body, device.plain_key).json()
    assert answer["accepted"] == 1 and answer["rejected"] == 6
    fields = {(e["index"], e["field"]) for e in answer["errors"]}
    assert fields == {(1, "ts"), (2, "ts"), (3, "value"), (4, "seq"), (5, "ts"), (6, "")}
    messages = {e["index"]: e["message"] for e in answer["errors"]}
    assert "time zone" in messages[2] and "future" in messages[5]
    assert DeadLetter.objects.filter(source="http", device_code=device.code).count() == 1


@pytest.mark.django_db
def test_unknown_or_missing_key_and_unusable_bodies_are_refused(client, make_device):
    device = make_device()
    assert post(client, [], None).status_code == 401
    assert post(client, [], "wrong-key").status_code == 401
    assert post(client, "{nope", device.plain_key).status_code == 400
    assert post(client, {"value": 1}, device.plain_key).status_code == 400
    retired = make_device(status="retired")
    assert post(client, [{"ts": 0, "value": 1}], retired.plain_key).status_code == 401
    assert not Observation.objects.exists()
