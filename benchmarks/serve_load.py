"""Load on `clinicgraph serve`: N concurrent clients, each sending the example queries
(examples/queries/*.rq) in turn, in JSON, XML, CSV and TSV, one after the other for S
seconds, against a server this script starts on 127.0.0.1 (or --url). Prints requests,
failures, and the median and 99th-percentile latency.

    python benchmarks/serve_load.py                       # 50 clients, 60 s, the example
    python benchmarks/serve_load.py --clients 20 --seconds 10 --source /tmp/site

Client and server share the machine, so the figures include the client's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
ACCEPT = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
          "text/tab-separated-values"]


def start_server(source: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "clinicgraph", "serve", str(source), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    if not match:
        process.kill()
        sys.exit(f"the server did not start: {line.strip() or 'no output'}")
    return process, match[1]


async def one_client(number: int, url: str, work: list, deadline: float, latencies: list,
                     failures: collections.Counter) -> None:
    # each client has its own connection, as separate programs would
    async with httpx.AsyncClient(timeout=30) as http:
        await requests(number, http, url, work, deadline, latencies, failures)


async def requests(number: int, http: httpx.AsyncClient, url: str, work: list, deadline: float,
                   latencies: list, failures: collections.Counter) -> None:
    turn = number  # clients start at different queries, so the mix is even at every moment
    while time.monotonic() < deadline:
        query, accept = work[turn % len(work)]
        turn += 1
        started = time.perf_counter()
        try:
            answer = await http.post(url, data={"query": query}, headers={"accept": accept})
            if answer.status_code != 200:
                failures[f"HTTP {answer.status_code}: {answer.text.strip()[:80]}"] += 1
                continue
        except httpx.HTTPError as error:
            failures[type(error).__name__] += 1
            continue
        latencies.append(time.perf_counter() - started)


async def load(url: str, clients: int, seconds: float) -> tuple[list, collections.Counter, float]:
    queries = [path.read_text("utf-8") for path in sorted((REPO / "examples" / "queries").glob("*.rq"))]
    work = [(query, accept) for query in queries for accept in ACCEPT]
    latencies: list[float] = []
    failures: collections.Counter = collections.Counter()
    started = time.monotonic()
    await asyncio.gather(*(one_client(n, url, work, started + seconds, latencies, failures)
                           for n in range(clients)))
    return latencies, failures, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--source", type=Path, default=REPO / "examples" / "back-spasms")
    parser.add_argument("--url", help="a running server's base URL, e.g. http://127.0.0.1:7878/")
    options = parser.parse_args()
    process, url = (None, options.url) if options.url else start_server(options.source)
    try:
        latencies, failures, elapsed = asyncio.run(load(url.rstrip("/") + "/sparql", options.clients,
                                                        options.seconds))
        report(options.clients, url, latencies, failures, elapsed)  # before the server stops
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=300)  # a large site's temporary store takes a while to remove
            except subprocess.TimeoutExpired:
                process.kill()
    sys.exit(1 if failures or not latencies else 0)


def report(clients: int, url: str, latencies: list[float], failures, elapsed: float) -> None:
    requests = len(latencies) + sum(failures.values())
    print(f"{clients} clients for {elapsed:.1f} s against {url}sparql")
    print(f"requests {requests} ({requests / elapsed:.0f}/s), failures {sum(failures.values())}")
    if latencies:
        p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else latencies[0]
        print(f"latency median {statistics.median(latencies) * 1000:.1f} ms, 99th percentile {p99 * 1000:.1f} ms")
    for reason, count in failures.most_common():
        print(f"  {count} x {reason}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
