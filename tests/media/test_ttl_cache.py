"""The grant cache: entries expire after their TTL and the oldest go first when full."""

from __future__ import annotations

from media.ttl_cache import TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_the_ttl() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(ttl_seconds=10, max_entries=10, clock=clock)
    cache.put("a", 1)
    clock.now = 9.9
    assert cache.get("a") == 1
    clock.now = 10.0
    assert cache.get("a") is None and len(cache) == 0


def test_least_recently_used_entries_are_evicted_first() -> None:
    cache: TTLCache[str, int] = TTLCache(ttl_seconds=10, max_entries=2, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3


def test_a_zero_ttl_caches_nothing() -> None:
    cache: TTLCache[str, int] = TTLCache(ttl_seconds=0, max_entries=2)
    cache.put("a", 1)
    assert cache.get("a") is None
