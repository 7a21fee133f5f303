"""Actions of the sensing context: registering devices (import), status changes."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yiwang.core import permissions
from yiwang.core.actions import ActionError, BatchDigest, action, record_batch, record_event, require
from yiwang.core.actor import Actor
from yiwang.territory.services import locate

from .devices import CODE_RE, device_cache, key_hash, mosquitto_hash, new_device_key
from .models import Device, DeviceStatus, DeviceType

FIELDS = ("code", "type", "lon", "lat", "name", "belongs_to", "address", "status", "key")


@dataclass
class ImportResult:
    created: int
    updated: int
    keys: dict[str, str]  # device code -> the key generated now (shown once, never stored)


def read_rows(text: str, filename: str = "") -> list[dict]:
    """Rows from CSV (header line with FIELDS) or GeoJSON (Point features, properties as FIELDS)."""
    stripped = text.lstrip("\ufeff").lstrip()
    if filename.lower().endswith((".geojson", ".json")) or stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ActionError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
        rows = []
        for feature in data.get("features", []) if isinstance(data, dict) else []:
            props = dict(feature.get("properties") or {})
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Point" and len(geometry.get("coordinates", [])) >= 2:
                props["lon"], props["lat"] = geometry["coordinates"][:2]
            rows.append(props)
        return rows
    return list(csv.DictReader(io.StringIO(stripped)))


def _validate(rows: list[dict], types: dict[str, DeviceType]) -> list[str]:
    problems, seen = [], set()
    for n, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()
        if not CODE_RE.match(code):
            problems.append(
                _("row %(n)d: code %(code)r must be 1–64 letters, digits, '-' or '_'") % {"n": n, "code": code}
            )
        elif code in seen:
            problems.append(_("row %(n)d: code %(code)s appears twice") % {"n": n, "code": code})
        seen.add(code)
        if str(row.get("type") or "").strip() not in types:
            problems.append(_("row %(n)d: unknown device type %(t)r") % {"n": n, "t": row.get("type")})
        try:
            lon, lat = float(row.get("lon")), float(row.get("lat"))
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(_("row %(n)d: lon/lat must be numbers in range") % {"n": n})
        status = str(row.get("status") or DeviceStatus.ACTIVE).strip()
        if status not in DeviceStatus.values:
            problems.append(_("row %(n)d: status must be one of %(s)s") % {"n": n, "s": ", ".join(DeviceStatus.values)})
    return problems


@action
def import_devices(actor: Actor, rows: list[dict], *, system: str = "wgs84") -> ImportResult:
    """Create or update devices from rows; all or nothing; one batch audit row.

    A new device gets a generated key unless the row gives one (``key``); the key is returned once,
    only its SHA-256 and its mosquitto PBKDF2 hash are stored. The device uses it as X-Device-Key and
    as its MQTT password (user name: the device code).
    """
    require(permissions.may_manage_devices(actor.user) or actor.user is None, _("You may not manage devices."))
    if not rows:
        raise ActionError(_("The file holds no devices."))
    types = {t.code: t for t in DeviceType.objects.all()}
    problems = _validate(rows, types)
    if problems:
        raise ActionError("\n".join(problems))
    existing = {d.code: d for d in Device.objects.filter(code__in=[str(r["code"]).strip() for r in rows])}
    digest, keys, created, updated = BatchDigest(), {}, 0, 0
    for row in rows:
        code = str(row["code"]).strip()
        lon, lat = float(row["lon"]), float(row["lat"])
        placement = locate(lon, lat, system)
        device = existing.get(code) or Device(code=code)
        device.type = types[str(row["type"]).strip()]
        device.lon, device.lat = placement.lon, placement.lat
        for name in ("name", "belongs_to", "address"):
            setattr(device, name, str(row.get(name) or "").strip())
        device.status = str(row.get("status") or device.status or DeviceStatus.ACTIVE).strip()
        for name, value in placement.as_fields().items():
            setattr(device, name, value)
        key = str(row.get("key") or "").strip()
        if device.pk is None or key:
            key = key or new_device_key()
            device.key_hash, device.mqtt_password_hash = key_hash(key), mosquitto_hash(key)
            keys[code] = key
        if device.pk is None:
            created += 1
        else:
            updated += 1
        device.save()
        digest.add(
            {"code": code, "type": device.type.code, "lon": device.lon, "lat": device.lat, "status": device.status}
        )
    record_batch(actor, "sensing.device.import", "sensing.device", digest)
    device_cache.clear()
    return ImportResult(created=created, updated=updated, keys=keys)


@action
def set_device_status(actor: Actor, device: Device, status: str) -> Device:
    require(permissions.may_manage_devices(actor.user), _("You may not manage devices."))
    if status not in DeviceStatus.values:
        raise ActionError(_("Unknown status."), field="status")
    before = {"status": device.status}
    device.status = status
    device.save(update_fields=["status"])
    record_event(actor, "sensing.device.status", device, before=before, after={"status": status})
    device_cache.clear()
    return device
