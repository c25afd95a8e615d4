"""A sliding-window rate limiter for login and the report form, in this process's memory."""

from __future__ import annotations

import threading
import time
from collections import deque

from leaktrace.server.config import RateLimit

_MAX_KEYS = 100_000  # beyond this, forget the oldest clients rather than grow without bound


class RateLimiter:
    """Counts attempts per key; :meth:`hit` says how long to wait when over the limit."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Record one attempt; 0 when allowed, else the seconds until the next one is."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.limit.seconds:
                hits.popleft()
            if len(hits) >= self.limit.count:
                return hits[0] + self.limit.seconds - now
            hits.append(now)
            if len(self._hits) > _MAX_KEYS:
                self._hits.pop(next(iter(self._hits)))
            return 0.0
