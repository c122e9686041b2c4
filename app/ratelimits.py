"""Rate limits that every process of the platform shares.

The ``limits`` library (what Flask-Limiter and Indico use) with a moving window. Its storage is Redis
when ``REDIS_URL`` is set, so two gunicorn processes count the same failures; without Redis (the
embedded default and most tests) it is this process's memory. Keys carry ``RATELIMIT_KEY_PREFIX``,
so two installations sharing one Redis do not count each other's requests.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

_EXTENSION = "aee_ratelimits"
log = logging.getLogger(__name__)


def window(amount: int, per: timedelta) -> RateLimitItemPerSecond:
    """A rule: at most ``amount`` hits in any ``per`` (a moving window).

    >>> window(30, timedelta(minutes=15))
    30 per 900 second
    """
    return RateLimitItemPerSecond(amount, max(1, int(per.total_seconds())))


class RateLimits:
    """One storage and one moving-window limiter for the application."""

    def __init__(self, redis_url: str | None, *, prefix: str) -> None:
        self.storage: Storage = RedisStorage(redis_url, key_prefix=prefix) if redis_url else MemoryStorage()
        self.limiter = MovingWindowRateLimiter(self.storage)

    def allows(self, rule: RateLimitItemPerSecond, *key: str) -> bool:
        """Whether one more hit of ``key`` stays within ``rule`` (counts nothing).

        If the storage cannot be reached (Redis down), the limit lets the request through rather
        than answer a 500: the per-account lockout, kept in the database, still holds.
        """
        try:
            return self.limiter.test(rule, *key)
        except Exception:  # the storage's own errors (redis.ConnectionError, timeouts...)
            log.warning("límite %s no disponible: se deja pasar", key[0] if key else rule, exc_info=True)
            return True

    def hit(self, rule: RateLimitItemPerSecond, *key: str) -> bool:
        """Count one hit of ``key``; false when it went over ``rule`` (true if it cannot count)."""
        try:
            return self.limiter.hit(rule, *key)
        except Exception:
            log.warning("límite %s no disponible: no se contó", key[0] if key else rule, exc_info=True)
            return True

    def clear(self, rule: RateLimitItemPerSecond, *key: str) -> None:
        """Forget the hits of ``key`` (a person who finally typed the right password starts afresh)."""
        try:
            self.limiter.clear(rule, *key)
        except Exception:
            log.warning("límite %s no disponible: no se borró", key[0] if key else rule, exc_info=True)

    def reset(self) -> None:
        """Forget every count (tests, or an administrator after an incident)."""
        self.storage.reset()


def init_app(app) -> None:
    """Give ``app`` its shared rate limits (Redis from ``REDIS_URL``, else memory)."""
    app.extensions[_EXTENSION] = RateLimits(
        app.config["REDIS_URL"], prefix=app.config["RATELIMIT_KEY_PREFIX"]
    )


def limits() -> RateLimits:
    """The current application's rate limits."""
    return current_app.extensions[_EXTENSION]
