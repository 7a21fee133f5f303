"""The Open311 settings (``settings.OPEN311``), with their defaults."""

from __future__ import annotations

from django.conf import settings

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-28T00:00:00+08:00"  # when this endpoint's behaviour last changed (discovery)
DEFAULTS = {
    "JURISDICTION_ID": "yiwang",
    "CONTACT": "",
    "KEY_SERVICE": "",
    "COORD_SYSTEM": "wgs84",
    "WINDOW_DAYS": 90,  # GET requests: the default and the widest date window (the spec's 90 days)
    "PAGE_SIZE": 1000,  # GET requests: the default and the largest page (the spec's 1,000 requests)
    "PUBLIC_COORD_DECIMALS": 3,  # lat/long of non-public cases are rounded to this (~100 m)
    "INTAKE": "direct",  # or "queued": POSTs of keys that reply with a token are queued (queued.py)
    "QUEUE_BATCH": 500,  # queued reports registered per transaction by the drainer (drain.py)
    "CACHE_SECONDS": 5,  # how long a worker trusts its copy of an API key or a service (cache.py)
}


def conf(name: str):
    return getattr(settings, "OPEN311", {}).get(name, DEFAULTS[name])
