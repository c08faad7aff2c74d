"""Real SPARQL 1.1 servers for the integration tests, started on free 127.0.0.1 ports.

- Oxigraph server (PyPI ``oxigraph``): ``oxigraph serve`` with ``--union-default-graph``,
  so a query without GRAPH sees the pushed named graph, as a local query sees its sources.
- OpenLink Virtuoso (Debian ``virtuoso-opensource``): ``virtuoso-t`` on a fresh database
  in a temporary folder, from a generated virtuoso.ini. Its ``/sparql-auth`` and
  ``/sparql-graph-crud-auth`` take digest auth (dba/dba on a new database); the
  anonymous ``/sparql`` may write only once the SPARQL user is granted SPARQL_UPDATE,
  which ``start_virtuoso`` does through isql.

tests/conftest.py turns these into session fixtures; they skip only when the binary
is missing (.ci/run installs both).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from clinicgraph.sparql.remote import Endpoint


@dataclass
class Server:
    name: str
    url: str  # the SPARQL query endpoint
    process: subprocess.Popen
    log: Path
    user: str | None = None
    password: str | None = None
    auth: str | None = None
    extra: dict = field(default_factory=dict)

    def endpoint(self, **options) -> Endpoint:
        credentials = {"user": self.user, "password": self.password, "auth": self.auth}
        return Endpoint(self.url, **{**credentials, **options})

    def auth_options(self) -> list[str]:
        """Command-line options for ``push``."""
        if self.user is None:
            return []
        return ["--user", self.user, "--password", self.password, "--auth", self.auth]

    def auth_env(self) -> dict[str, str]:
        """The environment for ``query --endpoint`` and ``build --endpoint``."""
        if self.user is None:
            return {}
        return {
            "CLINICGRAPH_ENDPOINT_USER": self.user,
            "CLINICGRAPH_ENDPOINT_PASSWORD": self.password,
            "CLINICGRAPH_ENDPOINT_AUTH": self.auth,
        }

    def stop(self) -> None:
        self.process.terminate()  # Virtuoso checkpoints and exits on SIGTERM
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def binary(name: str) -> str | None:
    """A program on PATH, or beside this Python (a venv's bin/ that is not activated)."""
    found = shutil.which(name)
    beside = Path(sys.executable).parent / name
    return found or (str(beside) if beside.is_file() else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    """Until ``url`` answers an ASK; fail with the server's log if it dies or takes too long."""
    probe = url + "?query=ASK%7B%7D"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode}):\n{_tail(log)}")
        try:
            with urllib.request.urlopen(probe, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"{url}: the server did not start within {seconds} s:\n{_tail(log)}")


def start_oxigraph(folder: Path) -> Server:
    port = free_port()
    log = folder / "oxigraph.log"
    process = subprocess.Popen(
        [
            binary("oxigraph"),
            "serve",
            "--location",
            str(folder / "data"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_until_up(url, process, log)
    return Server("oxigraph", url, process, log)


VIRTUOSO_INI = """\
; A fresh database in this folder, on the ports the tests chose.
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 4
[SPARQL]
; Debian's default is 10000: it cuts every result, graph store reads too
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


def start_virtuoso(folder: Path, max_rows: int = 1_000_000) -> Server:
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port, max_rows=max_rows)
    )
    log = folder / "virtuoso-t.log"
    process = subprocess.Popen(
        [binary("virtuoso-t"), "+foreground", "+configfile", "virtuoso.ini"],
        cwd=folder,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http_port}"
    wait_until_up(f"{base}/sparql", process, log)
    # The anonymous /sparql runs as the SQL user "SPARQL", who may only read until granted:
    isql = subprocess.run(
        [binary("isql-vt"), f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if isql.returncode != 0 or "Error" in isql.stdout + isql.stderr:
        process.kill()
        raise RuntimeError(f"isql could not grant SPARQL_UPDATE:\n{isql.stdout}{isql.stderr}")
    return Server(
        "virtuoso",
        f"{base}/sparql-auth",
        process,
        log,
        user="dba",
        password="dba",
        auth="digest",
        extra={"anonymous": f"{base}/sparql"},
    )


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
