"""Oxigraph's own server (the `oxigraph` package on PyPI) as a child process on loopback.

It answers the SPARQL protocol over the on-disk store; the public front forwards checked
queries to it. The child lives in its own process group, so a Ctrl-C in the terminal
reaches only the front, which finishes its requests and then stops the child; on Linux
the child is also told to stop if the front dies without cleaning up.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from clinicgraph.core.errors import ClinicgraphError

ENV_BINARY = "CLINICGRAPH_OXIGRAPH"  # names another oxigraph binary
READY_SECONDS = 60.0


def find_binary() -> str:
    """The oxigraph program: $CLINICGRAPH_OXIGRAPH, beside this Python (a venv not on
    PATH), or on PATH."""
    named = os.environ.get(ENV_BINARY)
    if named:
        found = shutil.which(named)
        if found:
            return found
        raise ClinicgraphError(f"{ENV_BINARY}={named} is not an oxigraph program")
    for candidate in (Path(sys.executable).parent / "oxigraph", shutil.which("oxigraph")):
        if candidate and shutil.which(str(candidate)):
            return str(candidate)
    raise ClinicgraphError(
        "oxigraph is not installed: `pip install oxigraph` gives the server that `clinicgraph serve` runs"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Child:
    """`oxigraph serve-read-only` over ``store`` on a free loopback port."""

    def __init__(self, binary: str, store: Path, timeout: float, log: Path):
        self.binary, self.store, self.log = binary, store, log
        # A backstop only: the front enforces the query timeout itself, because on timeout
        # Oxigraph ends a 200 response early with an error text inside the results.
        self.timeout_s = math.ceil(timeout) + 1
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> None:
        for _ in range(3):  # another program may take the free port before the child does
            port = free_port()
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen(
                    [
                        self.binary,
                        "serve-read-only",
                        "--location",
                        str(self.store),
                        "--bind",
                        f"127.0.0.1:{port}",  # not --union-default-graph: it ignores FROM
                        "--timeout-s",
                        str(self.timeout_s),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    process_group=0,
                    preexec_fn=_die_with_parent,
                )
            self.url = f"http://127.0.0.1:{port}"
            if self._wait_ready():
                return
        raise ClinicgraphError(f"the oxigraph server did not start: {self.last_words()}")

    def _wait_ready(self) -> bool:
        """True once the child answers; False if it exited (a port taken, a bad store)."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.started.poll() is not None:
                return False
            try:
                if httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise ClinicgraphError(
            f"the oxigraph server did not answer within {READY_SECONDS:.0f} s: {self.last_words()}"
        )

    @property
    def started(self) -> subprocess.Popen:
        """The child's process, which ``start`` made."""
        assert self.process is not None, "not started"
        return self.process

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def last_words(self) -> str:
        """Why the child stopped: its error line, else its exit status."""
        try:
            lines = [line for line in self.log.read_text("utf-8", "replace").splitlines() if line.strip()]
        except OSError:
            lines = []
        error = next((line for line in lines if line.startswith("Error")), None)
        if error:
            return error
        code = self.process.poll() if self.process else None
        if code is None:
            return lines[-1] if lines else "no output"
        return f"killed by signal {-code}" if code < 0 else f"exit status {code}"


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends it SIGTERM when the front dies."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl  # looked up before any fork
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()
