"""A per-process cache of what every POST looks up (its API key, its service), a few seconds long.

Saving an ``ApiKey`` or a ``Category`` clears this process's cache at once (signals); other processes
see the change within ``OPEN311['CACHE_SECONDS']`` (default 5 s) — a revoked key is refused by every
worker after at most that long. The case action re-checks the category under its own transaction.
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save

from .conf import conf

_lock = threading.Lock()
_entries: dict[tuple, tuple[float, object]] = {}
MISSING = object()


def cached(kind: str, key: str, load):
    """``load()`` for ``(kind, key)``, reused for CACHE_SECONDS (None results are cached too)."""
    ttl = float(conf("CACHE_SECONDS"))
    now = time.monotonic()
    with _lock:
        hit = _entries.get((kind, key), MISSING)
    if hit is not MISSING and hit[0] > now:
        return hit[1]
    value = load()
    if ttl > 0:
        with _lock:
            if len(_entries) > 10_000:
                _entries.clear()
            _entries[(kind, key)] = (now + ttl, value)
    return value


def clear(**_kwargs) -> None:
    with _lock:
        _entries.clear()


def connect() -> None:
    from yiwang.operations.models import Category

    from .models import ApiKey

    for model in (ApiKey, Category):
        post_save.connect(clear, sender=model, dispatch_uid=f"open311-cache-{model.__name__}-save")
        post_delete.connect(clear, sender=model, dispatch_uid=f"open311-cache-{model.__name__}-delete")
