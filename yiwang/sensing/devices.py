"""Device credentials and a short-lived per-process cache of devices by code and by key."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass

from .models import Device, DeviceStatus

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MOSQUITTO_ITERATIONS = 101  # mosquitto_passwd's default for $7$
CACHE_SECONDS = 10.0


def new_device_key() -> str:
    return secrets.token_urlsafe(24)


def key_hash(key: str) -> str:
    """Device keys are 192-bit random secrets, so one SHA-256 is enough (and fast per request)."""
    return hashlib.sha256(key.encode()).hexdigest()


def mosquitto_hash(password: str, *, salt: bytes | None = None, iterations: int = MOSQUITTO_ITERATIONS) -> str:
    """A mosquitto_passwd entry hash: ``$7$<iterations>$<base64 salt>$<base64 PBKDF2-SHA512>``."""
    salt = salt if salt is not None else secrets.token_bytes(12)
    derived = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(derived).decode()}"


def check_mosquitto_hash(password: str, encoded: str) -> bool:
    _empty, kind, iterations, salt, derived = encoded.split("$")
    if kind != "7":
        return False
    again = hashlib.pbkdf2_hmac("sha512", password.encode(), base64.b64decode(salt), int(iterations), 64)
    return secrets.compare_digest(again, base64.b64decode(derived))


@dataclass(frozen=True)
class KnownDevice:
    id: int
    code: str


class _DeviceCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_code: dict[str, tuple[float, KnownDevice | None]] = {}
        self.by_key: dict[str, tuple[float, KnownDevice | None]] = {}

    def _get(self, table, key, make_query):
        now = time.monotonic()
        hit = table.get(key)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        row = make_query().exclude(status=DeviceStatus.RETIRED).values_list("id", "code").first()
        found = KnownDevice(*row) if row else None
        with self.lock:
            if len(table) > 100_000:
                table.clear()
            table[key] = (now, found)
        return found

    def by_device_code(self, code: str) -> KnownDevice | None:
        return self._get(self.by_code, code, lambda: Device.objects.filter(code=code))

    def by_device_key(self, key: str) -> KnownDevice | None:
        digest = key_hash(key)
        return self._get(self.by_key, digest, lambda: Device.objects.filter(key_hash=digest))

    def clear(self):
        with self.lock:
            self.by_code.clear()
            self.by_key.clear()


device_cache = _DeviceCache()
