"""``policy.rateLimit``: a pluggable limiter, and the in-memory default.

A limiter counts the calls of one operation per key (the caller for ``user``,
the caller's organization for ``org``, everyone for ``global``) and says how
many seconds the caller must wait when the operation's requests-per-minute
are spent. The runtime answers RATE_LIMITED (HTTP 429, ``Retry-After``) on
every transport alike.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from .. import Context

WINDOW = 60.0


class Limiter(Protocol):
    """Counts a call; returns None when it may go ahead, else the seconds to wait."""

    async def hit(self, bucket: str, rpm: int) -> float | None: ...


@dataclass
class InMemoryLimiter:
    """A sliding one-minute window per bucket, in this process (the default)."""

    clock: Callable[[], float] = time.monotonic
    _calls: dict[str, deque[float]] = field(default_factory=dict[str, deque[float]])

    async def hit(self, bucket: str, rpm: int) -> float | None:
        now = self.clock()
        calls = self._calls.setdefault(bucket, deque())
        while calls and calls[0] <= now - WINDOW:
            calls.popleft()
        if len(calls) >= rpm:
            return calls[0] + WINDOW - now
        calls.append(now)
        return None


def bucket(key: str, version: str, per: str, ctx: Context) -> str:
    """Which count a call goes to: the operation, and who it is counted for: the caller
    (``user``), the caller's organization (``org``) or everyone (``global``). Callers
    without an id count as one, and so do callers without an organization."""
    if per == "global":
        who = "*"
    elif per == "org":
        who = ctx.org_id or "-"
    else:
        who = ctx.subject_id or "-"
    return f"{key}@{version}:{per}:{who}"


def retry_after(seconds: float) -> int:
    """Whole seconds for the Retry-After header (at least 1)."""
    return max(1, math.ceil(seconds))
