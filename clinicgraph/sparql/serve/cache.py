"""The endpoint's answers kept in memory: while `serve` runs the graph cannot change, so
the answer to a (query, dataset, Accept) never goes stale.

Least recently used out first, bounded by the bytes of the answers kept. Clients asking
the same question while it runs wait for that one run instead of starting their own
(on a large graph fifty clients asking one slow question at once would otherwise run it
fifty times). Only complete 200 answers are kept; an error is asked again.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

HIT, SHARED, MISS = "hit", "shared", "miss"  # the X-Cache header: kept, joined a run, ran


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class ResultCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.kept: OrderedDict[Hashable, Answer] = OrderedDict()
        self.bytes = 0
        self.running: dict[Hashable, asyncio.Future] = {}
        self.counts = {HIT: 0, SHARED: 0, MISS: 0}

    async def answer(self, key: Hashable, run: Callable[[], Awaitable[Answer]]) -> tuple[Answer, str]:
        """The kept answer for ``key``, the one being made for it, or a new one from ``run``
        (whose exceptions reach every client waiting for it); and which of those it was."""
        kept = self.kept.get(key)
        if kept is not None:
            self.kept.move_to_end(key)
            return self._count(kept, HIT)
        running = self.running.get(key)
        if running is not None:
            return self._count(await asyncio.shield(running), SHARED)
        future = asyncio.get_running_loop().create_future()
        self.running[key] = future
        try:
            made = await run()
        except Exception as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waited
            raise
        except BaseException:  # cancelled (the server stopping): so are those waiting
            future.cancel()
            raise
        else:
            future.set_result(made)
            self._keep(key, made)
        finally:
            del self.running[key]
        return self._count(made, MISS)

    def _keep(self, key: Hashable, answer: Answer) -> None:
        size = len(answer.body) + len(answer.content_type) + 64  # a little for the entry itself
        if answer.status != 200 or size > self.max_bytes // 4:  # one answer must not empty the cache
            return
        self.kept[key] = answer
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, dropped = self.kept.popitem(last=False)
            self.bytes -= len(dropped.body) + len(dropped.content_type) + 64

    def _count(self, answer: Answer, how: str) -> tuple[Answer, str]:
        self.counts[how] += 1
        return answer, how
