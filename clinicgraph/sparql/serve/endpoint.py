"""`clinicgraph serve`: the graph as a read-only SPARQL 1.1 endpoint, on real servers.

::

    client --> front: uvicorn + Starlette, the public address (app)
                 |  checked queries, the client's Accept header; answers kept in
                 |  memory (cache); at most --query-slots at once (lanes)
                 v
               oxigraph serve-read-only on a loopback port (child)
                 over the on-disk store loaded at start-up

Start-up: find the oxigraph program and take the public address first (so a missing
program or a taken port is one clear line before any work), then load the project into
an on-disk store and write its files into a folder inside it (the caller's ``publish``,
which reuses both while they are current, so a restart with ``--store`` is quick),
close the store, start Oxigraph over it read-only, and serve until SIGINT or SIGTERM;
then stop Oxigraph and remove the temporary folder.
"""

from __future__ import annotations

import gc
import math
import signal
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.sparql.serve.app import create_app
from clinicgraph.sparql.serve.child import Child, find_binary
from clinicgraph.sparql.serve.description import Dataset
from clinicgraph.sparql.serve.request import Limits

__all__ = ["Dataset", "Limits", "serve"]

# publish(store path, folder) loads the project into the store at that path (with the
# merge in its default graph where two files share a triple), writes build's files
# (jsonld/..., graph.ttl, graph.nt) and graph.jsonld into the folder, and returns
# (site URL, a few words on what it holds, the store's dataset).
Publish = Callable[[Path, Path], tuple[str, str, Dataset]]
SERVED = "clinicgraph-served"  # the folder of files inside the store


def serve(
    publish: Publish,
    host: str = "127.0.0.1",
    port: int = 7878,
    limits: Limits = Limits(),
    store: Path | None = None,
    say: Callable[[str], None] = print,
) -> None:
    binary = find_binary()
    listener = listen(host, port)
    restore = _sigterm_interrupts()
    try:
        with listener, tempfile.TemporaryDirectory(prefix="clinicgraph-serve-") as temp:
            work = Path(temp)
            store_path = Path(store) if store else work / "store"
            folder = store_path / SERVED
            site_url, summary, dataset = publish(store_path, folder)
            gc.collect()  # the loader's store must be closed before Oxigraph opens it
            engine = Child(binary, store_path, limits.timeout, work / "oxigraph.log")
            try:
                engine.start()
                app = create_app(engine.url, site_url, folder, limits, dataset)
                ready = (
                    f"serving {summary} at {_url(listener)} (SPARQL: {_url(listener)}sparql); Ctrl-C stops"
                )
                _run(app, listener, limits, engine, lambda: say(ready))
            finally:
                engine.stop()
    finally:
        restore()
    say("stopped")


def listen(host: str, port: int) -> socket.socket:
    """The public socket, bound and listening (connections wait until uvicorn runs)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise ClinicgraphError(f"cannot listen on {host}: {error.strerror}") from None
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once after a stop
    try:
        listener.bind(address)
        listener.listen(1024)
    except OSError as error:
        listener.close()
        reason = (error.strerror or str(error)).lower()
        raise ClinicgraphError(f"cannot listen on {host}:{port}: {reason} (choose another --port)") from None
    return listener


def _run(app, listener: socket.socket, limits: Limits, engine: Child, ready: Callable[[], None]) -> None:
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=math.ceil(limits.timeout) + 1,
        # h11 (not httptools, which refuses request lines over ~64 KB with a bare 400): a
        # GET query travels in the request line, and should meet our own size check
        http="h11",
        h11_max_incomplete_event_size=3 * limits.max_query_bytes + 65536,
    )
    server = uvicorn.Server(config)

    def watch() -> None:  # if Oxigraph dies, stop, rather than answer every query with an error
        engine.started.wait()
        server.should_exit = True

    threading.Thread(target=watch, daemon=True).start()
    try:
        ready()
        server.run(sockets=[listener])
    except KeyboardInterrupt:  # uvicorn finished its requests, then passed the signal on
        pass
    if engine.started.poll() is not None:
        raise ClinicgraphError(f"the oxigraph server stopped: {engine.last_words()}")


def _url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _sigterm_interrupts() -> Callable[[], object]:
    """SIGTERM stops the server as Ctrl-C does, so Oxigraph is stopped and the temporary
    folder removed (Python's default for SIGTERM would end the process on the spot)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    return lambda: signal.signal(signal.SIGTERM, previous)
