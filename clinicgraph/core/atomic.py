"""Replacing one file whole or not at all: whoever reads it (a user, the next build, a
process started meanwhile) finds the old bytes or the new ones, never a file cut short.
The data is written beside the target, under a hidden name, and renamed over it.

Every room writes its single files so (an export's output, a build's marker, the
records an on-disk store keeps of its last build and its findings), which is why it
lives here and not with the exporters' folders.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from clinicgraph.core.errors import OutputError


def write_atomic(target: Path, data: bytes) -> None:
    """Replace one file: write beside it, then rename over it. A device or a pipe
    (``/dev/stdout``, a FIFO) is written into instead: renaming over it would replace it."""
    shown, target = target, Path(os.path.realpath(target))  # a symlink stays; its file is replaced
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(target, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise OutputError(f"cannot write: {error.strerror}", shown) from None
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".clinicgraph", dir=target.parent)
    except OSError as error:
        raise OutputError(f"cannot write here: {error.strerror}", shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"cannot write: {error.strerror}", shown) from None
