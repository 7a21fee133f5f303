"""The per-process look-up cache: one load per key until the time to live passes or a signal clears it."""

import time

from yiwang.core.lookups import TTLCache


def _counter():
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    return loads, load


def test_a_key_is_loaded_once_until_it_expires(monkeypatch):
    cache = TTLCache(lambda: 5)
    loads, load = _counter()
    assert cache.get("k", load) == cache.get("k", load) == 1
    later = time.monotonic() + 6
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert cache.get("k", load) == 2 and len(loads) == 2


def test_invalidate_clears_every_key_at_once():
    cache = TTLCache(lambda: 5)
    loads, load = _counter()
    cache.get("a", load)
    cache.get("b", load)
    cache.invalidate(sender=object())  # as a signal receiver
    cache.get("a", load)
    assert len(loads) == 3


def test_a_time_to_live_of_zero_turns_the_cache_off():
    cache = TTLCache(lambda: 0)
    loads, load = _counter()
    cache.get("k", load)
    cache.get("k", load)
    assert len(loads) == 2
