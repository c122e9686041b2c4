"""A token bucket per connection: a burst of ``capacity`` events, refilled at ``rate`` per second.

Over the limit the event is answered with an error acknowledgement (the client retries later); the
connection is kept. Buckets live in this process, as connections do.
"""

from __future__ import annotations

import threading
import time


class TokenBuckets:
    """Token buckets by key (a connection id).

    >>> buckets = TokenBuckets(rate=1, capacity=2, clock=lambda: 0.0)
    >>> [buckets.allow("a") for _ in range(3)]
    [True, True, False]
    >>> buckets.allow("b")
    True
    """

    def __init__(self, *, rate: float, capacity: float, clock=time.monotonic):
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, cost: float = 1.0) -> bool:
        """Take ``cost`` tokens from ``key``'s bucket if it has them."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self._buckets[key] = (tokens, now)
        return allowed

    def forget(self, key: str) -> None:
        """Drop a closed connection's bucket."""
        with self._lock:
            self._buckets.pop(key, None)
