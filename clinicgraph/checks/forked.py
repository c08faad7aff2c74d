"""One piece of a validation in a forked child, on the second core, while this process
does the rest: the child inherits the loaded store (an in-memory Oxigraph store is
copied on write, so nothing is copied) and sends back its result, pickled."""

from __future__ import annotations

import os
import pickle
import signal
import warnings
from contextlib import contextmanager


class Child:
    def __init__(self, pid: int, reader: int):
        self.pid: int | None = pid
        self.reader: int | None = reader

    def result(self):
        """What the child's function returned; what it raised is raised here."""
        reader, self.reader = self.reader, None
        assert reader is not None, "a child's result is read once"
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        pid, self.pid = self.pid, None
        assert pid is not None
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"a validation process ended without an answer (status {status})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value


@contextmanager
def forked(function):
    """Start ``function()`` in a forked child; yield a ``Child`` whose ``result()``
    waits for it. A child still running when the block is left is killed."""
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork of a process with threads
        pid = os.fork()
    if pid == 0:  # the child: answer, then leave without running the parent's cleanups
        status = 0
        try:
            os.close(reader)
            try:
                payload = pickle.dumps((True, function()))
            except BaseException as error:
                payload = pickle.dumps((False, error))
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    child = Child(pid, reader)
    try:
        yield child
    finally:
        if child.pid is not None:
            os.kill(child.pid, signal.SIGKILL)
            os.waitpid(child.pid, 0)
        if child.reader is not None:
            os.close(child.reader)
