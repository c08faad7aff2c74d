"""A loopback HTTP listener that records every connection made to it: the witness that
a refused SERVICE (or LOAD) sent nothing. It answers each request with a 500 at once,
so an engine that does call it gets an error rather than a hang."""

from __future__ import annotations

import contextlib
import socket
import threading


class Listener:
    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.requests: list[bytes] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # closed
                return
            with connection:
                connection.settimeout(2)
                try:
                    request = connection.recv(65536)
                except OSError:
                    request = b""
                with self._lock:
                    self.requests.append(request)
                with contextlib.suppress(OSError):
                    connection.sendall(
                        b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n"
                        b"connection: close\r\n\r\n"
                    )

    def close(self) -> None:
        self.socket.close()
