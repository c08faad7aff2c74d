"""How many queries the engine runs at once, and who waits.

Oxigraph runs every query it is sent at once, each on its own thread: fifty clients on
two cores made every query fifty times slower, until the quick ones ran past the
timeout too. So at most ``slots`` queries run, the rest wait their turn (first come,
first served), and only the waiting is bounded by ``max_wait``; a query's own timeout
starts when it runs. A query that took HEAVY_SECONDS or more last time it ran takes at
most half the slots, so slow questions cannot hold every slot while quick ones wait.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import OrderedDict
from contextlib import asynccontextmanager

HEAVY_SECONDS = 0.5
REMEMBERED = 10_000  # queries whose last running time is kept
ENGINE_SLOTS = max(2, 2 * (os.cpu_count() or 1))


class Busy(Exception):
    """No slot came free within max_wait."""


class Lanes:
    def __init__(self, slots: int = ENGINE_SLOTS, max_wait: float = 60.0):
        self.slots, self.max_wait = slots, max_wait
        self.any = asyncio.Semaphore(slots)
        self.heavy = asyncio.Semaphore(max(1, slots // 2))
        self.seconds: OrderedDict[str, float] = OrderedDict()

    def is_heavy(self, query: str) -> bool:
        return self.seconds.get(query, 0.0) >= HEAVY_SECONDS

    @asynccontextmanager
    async def slot(self, query: str):
        """Run the body in a slot, once one is free (Busy after max_wait seconds)."""
        lanes = [self.heavy, self.any] if self.is_heavy(query) else [self.any]
        taken = []
        try:
            async with asyncio.timeout(self.max_wait):
                for lane in lanes:
                    await lane.acquire()
                    taken.append(lane)
        except BaseException as error:  # out of time, or cancelled: give back what was taken
            for lane in taken:
                lane.release()
            if isinstance(error, TimeoutError):
                raise Busy() from None
            raise
        started = time.monotonic()
        try:
            yield
        finally:
            for lane in reversed(taken):
                lane.release()
            self._remember(query, time.monotonic() - started)

    def _remember(self, query: str, seconds: float) -> None:
        self.seconds[query] = seconds
        self.seconds.move_to_end(query)
        if len(self.seconds) > REMEMBERED:
            self.seconds.popitem(last=False)
