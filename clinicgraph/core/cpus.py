"""How many CPUs this process may use (its affinity, where the system says), for the
rooms that split work between processes: the build's page writers, validation."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
