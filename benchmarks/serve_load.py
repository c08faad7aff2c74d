"""Load on `clinicgraph serve`: N concurrent clients for S seconds, against a server this
script starts on 127.0.0.1 (or --url). Prints the start-up time, requests, failures,
the median and 99th-percentile latency, and how many answers came from the cache.

The mix, so that the cache is not all that is measured: one request in three is one of
the example queries (examples/queries/*.rq), the rest are point questions about a
random page or condition taken from the graph (its name, topic, publisher and review
date; its causes' names). Each in JSON, XML, CSV or TSV at random. Each client waits for
its answer before it asks again, as separate programs would.

    python benchmarks/serve_load.py                         # 50 clients, 60 s, the example
    python benchmarks/serve_load.py --clients 20 --seconds 10 --source /tmp/site --store /tmp/site.store
    python benchmarks/serve_load.py --cache-bytes 0         # the same without the cache

Client and server share the machine, so the figures include the client's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import csv
import io
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
ACCEPT = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
EXAMPLE_SHARE = 1 / 3
SAMPLE = 100_000  # pages and conditions the point questions choose from
PREFIX = "PREFIX schema: <http://schema.org/>\n"
PAGES = PREFIX + f"SELECT ?page WHERE {{ ?page a schema:MedicalWebPage }} LIMIT {SAMPLE}"
CONDITIONS = PREFIX + f"SELECT ?condition WHERE {{ ?condition a schema:MedicalCondition }} LIMIT {SAMPLE}"
ABOUT_PAGE = (
    PREFIX
    + """SELECT ?name ?about ?publisher ?reviewed WHERE {{
  <{0}> schema:name ?name .
  OPTIONAL {{ <{0}> schema:about/schema:name ?about }}
  OPTIONAL {{ <{0}> schema:publisher/schema:name ?publisher }}
  OPTIONAL {{ <{0}> schema:lastReviewed ?reviewed }}
}}"""
)
CAUSES = PREFIX + "SELECT ?cause WHERE {{ <{0}> schema:cause/schema:name ?cause }} ORDER BY ?cause"


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"example": [], "point": []})
    failures: collections.Counter = field(default_factory=collections.Counter)
    cache: collections.Counter = field(default_factory=collections.Counter)  # X-Cache values
    seconds: float = 0.0

    @property
    def all_latencies(self) -> list[float]:
        return self.latencies["example"] + self.latencies["point"]

    @property
    def requests(self) -> int:
        return len(self.all_latencies) + sum(self.failures.values())


def start_server(source: Path, options: list[str]) -> tuple[subprocess.Popen, str, float]:
    """`clinicgraph serve` on a free port: its process, base URL and start-up seconds."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "clinicgraph", "serve", str(source), "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    if not match:
        process.kill()
        sys.exit(f"the server did not start: {line.strip() or 'no output'}")
    return process, match[1], time.monotonic() - started


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=300)  # a large site's temporary store takes a while to remove
    except subprocess.TimeoutExpired:
        process.kill()


def sample(http: httpx.Client, sparql: str, query: str) -> list[str]:
    """The IRIs a one-variable SELECT finds, read as CSV."""
    answer = http.post(sparql, data={"query": query}, headers={"accept": "text/csv"})
    answer.raise_for_status()
    return [row[0] for row in list(csv.reader(io.StringIO(answer.text)))[1:]]


def workload(sparql: str) -> tuple[list[str], list[str], list[str]]:
    """(example queries, page IRIs, condition IRIs)."""
    examples = [path.read_text("utf-8") for path in sorted((REPO / "examples" / "queries").glob("*.rq"))]
    with httpx.Client(timeout=300) as http:
        return examples, sample(http, sparql, PAGES), sample(http, sparql, CONDITIONS)


def next_request(chance: random.Random, examples, pages, conditions) -> tuple[str, str, str]:
    """(kind, query, Accept) of one request of the mix."""
    accept = chance.choice(ACCEPT)
    if chance.random() < EXAMPLE_SHARE or not (pages or conditions):
        return "example", chance.choice(examples), accept
    if conditions and (not pages or chance.random() < 0.5):
        return "point", CAUSES.format(chance.choice(conditions)), accept
    return "point", ABOUT_PAGE.format(chance.choice(pages)), accept


async def one_client(
    number: int, sparql: str, work: tuple, deadline: float, outcome: Outcome, seed: int
) -> None:
    chance = random.Random(seed * 1000 + number)
    # its own connection, as a separate program would have
    async with httpx.AsyncClient(timeout=180) as http:
        while time.monotonic() < deadline:
            kind, query, accept = next_request(chance, *work)
            started = time.perf_counter()
            try:
                answer = await http.post(sparql, data={"query": query}, headers={"accept": accept})
            except httpx.HTTPError as error:
                outcome.failures[type(error).__name__] += 1
                continue
            if answer.status_code != 200:
                outcome.failures[f"HTTP {answer.status_code}: {answer.text.strip()[:80]}"] += 1
                continue
            outcome.latencies[kind].append(time.perf_counter() - started)
            outcome.cache[answer.headers.get("x-cache", "none")] += 1


async def load(sparql: str, work: tuple, clients: int, seconds: float, seed: int = 1) -> Outcome:
    outcome = Outcome()
    started = time.monotonic()
    await asyncio.gather(
        *(one_client(n, sparql, work, started + seconds, outcome, seed) for n in range(clients))
    )
    outcome.seconds = time.monotonic() - started
    return outcome


def run(url: str, clients: int, seconds: float, seed: int = 1) -> Outcome:
    sparql = url.rstrip("/") + "/sparql"
    return asyncio.run(load(sparql, workload(sparql), clients, seconds, seed))


def percentile(values: list[float], n: int) -> float:
    return statistics.quantiles(values, n=100)[n - 1] if len(values) > 1 else values[0]


def report(clients: int, url: str, outcome: Outcome) -> None:
    elapsed, requests = outcome.seconds, outcome.requests
    print(f"{clients} clients for {elapsed:.1f} s against {url}sparql")
    print(f"requests {requests} ({requests / elapsed:.0f}/s), failures {sum(outcome.failures.values())}")
    for kind, values in [("all", outcome.all_latencies), *outcome.latencies.items()]:
        if values:
            print(
                f"  {kind:8} {len(values):6} answers, median {statistics.median(values) * 1000:7.1f} ms, "
                f"99th percentile {percentile(values, 99) * 1000:7.1f} ms"
            )
    answered = sum(outcome.cache.values())
    if answered:
        print(
            "cache: "
            + ", ".join(
                f"{how} {count} ({count / answered:.0%})" for how, count in outcome.cache.most_common()
            )
        )
    for reason, count in outcome.failures.most_common():
        print(f"  {count} x {reason}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", type=Path, default=REPO / "examples" / "back-spasms")
    parser.add_argument("--store", type=Path, help="serve's --store (a restart over it is quick)")
    parser.add_argument("--cache-bytes", type=int, help="serve's --cache-bytes (0: no cache)")
    parser.add_argument("--url", help="a running server's base URL, e.g. http://127.0.0.1:7878/")
    options = parser.parse_args()
    serve_options = [
        *(["--store", str(options.store)] if options.store else []),
        *(["--cache-bytes", str(options.cache_bytes)] if options.cache_bytes is not None else []),
    ]
    process = None
    if options.url:
        url = options.url
    else:
        process, url, startup = start_server(options.source, serve_options)
        print(f"serve {options.source} {' '.join(serve_options)}: ready in {startup:.1f} s")
    try:
        outcome = run(url, options.clients, options.seconds, options.seed)
        report(options.clients, url, outcome)  # before the server stops
    finally:
        if process is not None:
            stop_server(process)
    sys.exit(1 if outcome.failures or not outcome.all_latencies else 0)


if __name__ == "__main__":
    main()
