"""`clinicgraph serve` as a user runs it, for the tests: a real server on a free
127.0.0.1 port, started and stopped."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO


def start(*options: str, env: dict | None = None, source: Path = EXAMPLE) -> tuple[subprocess.Popen, str]:
    """Start `clinicgraph serve` on a free port; its process and base URL once it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "clinicgraph", "serve", str(source), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + 120
    while True:
        try:
            line = lines.get(timeout=0.2)
            break
        except queue.Empty:
            if process.poll() is not None or time.monotonic() > deadline:  # it stopped, or never got ready
                process.kill()
                pytest.fail(f"the server did not start: {process.stderr.read()}")
    match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    assert match, line
    process.lines = lines
    return process, match[1]


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)
