"""`yiwang sensing import-devices`: CSV or GeoJSON, validated, placed on the grid, all or nothing, audited."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.territory.builders import small_territory
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.sensing.devices import check_mosquitto_hash, key_hash
from yiwang.sensing.models import Device, DeviceType
from yiwang.territory.actions import import_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory():
    import_territory(Actor.system(), small_territory())
    DeviceType.objects.create(code="water-meter", name="Smart water meter", unit="m³", interval_seconds=900)


def test_csv_import_places_devices_and_returns_keys_once(territory, tmp_path):
    path = tmp_path / "devices.csv"
    path.write_text(
        "code,type,lon,lat,belongs_to,address\nWM-1,water-meter,121.405,31.205,household 3-201,No. 3\n"
        "WM-2,water-meter,121.45,31.23,,\n"
    )
    keys = tmp_path / "keys.csv"
    call_command("sensing", "import-devices", str(path), "--keys-out", str(keys))
    wm1 = Device.objects.get(code="WM-1")
    assert (wm1.subdistrict_code, wm1.grid_code, sorted(wm1.level4_codes)) == ("S1", "G1a", ["M1", "R1"])
    assert Device.objects.get(code="WM-2").grid_code == "G3b"
    lines = dict(line.split(",") for line in keys.read_text().splitlines()[1:])
    assert wm1.key_hash == key_hash(lines["WM-1"]) and check_mosquitto_hash(lines["WM-1"], wm1.mqtt_password_hash)
    assert lines["WM-1"] not in json.dumps(list(AuditEvent.objects.values("summary")))
    assert AuditEvent.objects.filter(action="sensing.device.import", batch_count=2).count() == 1


def test_geojson_with_one_bad_feature_imports_nothing_and_names_every_problem(territory, tmp_path):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [121.41, 31.21]},
            "properties": {"code": "ok-1", "type": "water-meter"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [121.42, 31.22]},
            "properties": {"code": "bad code", "type": "rain-gauge"},
        },
        {"type": "Feature", "geometry": None, "properties": {"code": "ok-1", "type": "water-meter"}},
    ]
    path = tmp_path / "devices.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(CommandError) as err:
        call_command("sensing", "import-devices", str(path))
    message = str(err.value)
    assert "row 2: code 'bad code'" in message and "unknown device type 'rain-gauge'" in message
    assert "row 3: code ok-1 appears twice" in message and "row 3: lon/lat" in message
    assert not Device.objects.exists()
    assert not AuditEvent.objects.filter(action="sensing.device.import").exists()
