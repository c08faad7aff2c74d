"""The endpoint under load, reduced from benchmarks/serve_load.py (50 clients for 60 s)
to 50 clients for 5 s on the example, so it runs with every `python -m pytest`: the same
mix of example queries and point questions, and not one request may fail."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import REPO
from serving import start, stop

CLIENTS, SECONDS = 50, 5


def benchmark():
    spec = importlib.util.spec_from_file_location("serve_load", REPO / "benchmarks" / "serve_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_50_clients_for_5_seconds_without_one_failed_request():
    process, url = start()
    try:
        outcome = benchmark().run(url, CLIENTS, SECONDS)
    finally:
        assert stop(process) == 0
    assert dict(outcome.failures) == {}
    assert outcome.latencies["example"] and outcome.latencies["point"]
    # the same questions come back: from the cache, or shared with the same question in flight
    # (on a busy machine the 5 s may end before a question is asked again after its answer)
    assert outcome.cache["hit"] + outcome.cache["shared"] > 0
