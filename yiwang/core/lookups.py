"""A per-process cache of look-ups with a time to live, cleared at once by signals in its own process.

A context keeps what its hot paths read on every request (categories, rules, catalogue rows) in one::

    CACHE = TTLCache(lambda: settings.OPERATIONS.get("LOOKUP_SECONDS", 5))
    rules = CACHE.get(("rules",), load_rules)      # loads once, then serves for the TTL
    CACHE.invalidate()                             # from a post_save/post_delete receiver

Other processes see a change when their entry expires (the TTL; 0 turns the cache off). Values are
shared between requests: read them, never change them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable


class TTLCache:
    def __init__(self, seconds: Callable[[], float]):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, load: Callable[[], object]):
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        seconds = float(self.seconds())
        if seconds > 0:
            with self._lock:
                self._entries[key] = (now + seconds, value)
        return value

    def invalidate(self, **_signal_kwargs) -> None:
        with self._lock:
            self._entries.clear()
