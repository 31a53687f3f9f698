"""Per-client rate limiting (token buckets), shared by the HTTP API and the Slack bot.

A client is an authenticated identity (an API key's name, a Slack user) or, without keys, the
client address: never a value the client chooses freely. Buckets are bounded: a bucket that has
refilled is dropped (a fresh one is the same), and past ``max_clients`` the least recently
seen client's bucket goes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

MAX_CLIENTS = 10_000


class RateLimiter:
    """``per_minute`` requests per client, with bursts of up to ``burst`` (default: a quarter
    of a minute's worth, at least 5); 0 disables it."""

    def __init__(self, per_minute: float, burst: int | None = None,
                 max_clients: int = MAX_CLIENTS) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst if burst is not None else max(5, int(per_minute // 4)))
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def allow(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait before retrying."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)  # most recently seen last
            if len(self._buckets) > self.max_clients:
                self._evict(now)
            return wait

    def _evict(self, now: float) -> None:
        """Drop refilled buckets; then, while still over the bound, the least recent."""
        full = [c for c, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.rate >= self.capacity]
        for client in full:
            del self._buckets[client]
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)


def limiter_for(db: Any, per_minute: float) -> Any:
    """Buckets in this process for the embedded default; in the shared database when it is
    PostgreSQL, so a client's limit holds across replicas."""
    if getattr(db, "dialect", "") == "postgres":
        from ui.state import SharedRateLimiter

        return SharedRateLimiter(db, per_minute)
    return RateLimiter(per_minute)
