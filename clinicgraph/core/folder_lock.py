"""One clinicgraph command at a time on a store or an output folder.

The lock is ``flock`` on the folder itself: the kernel drops it when the process ends,
however it ends (a killed build never leaves a folder locked), and no lock file is left
behind. A second command is refused at once rather than made to wait: two builds at
once are almost always a mistake, and a store can be held for hours by ``serve``.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from clinicgraph.core.errors import ClinicgraphError


class FolderBusy(ClinicgraphError):
    """Another clinicgraph process holds the folder: exit 2, nothing done."""


class FolderLock:
    """Held while this object lives (or until ``release``)."""

    def __init__(self, fd: int):
        self.fd: int | None = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the last descriptor drops the flock
            self.fd = None

    def __del__(self):
        self.release()


def lock_folder(path: Path, what: str) -> FolderLock:
    """Lock the folder ``path`` (made if absent) for this process, or refuse.

    A build replaces its output folder by another one, so after locking, the lock must
    still be on the folder the path names; if not (a build swapped it meanwhile), try again.
    """
    path = Path(path)
    for _ in range(100):
        try:
            path.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue  # swapped away between mkdir and open
        except OSError as error:
            raise ClinicgraphError(f"cannot use this folder as the {what}: {error.strerror}", path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise FolderBusy(
                f"another clinicgraph command is using this {what}: "
                "nothing was done, run it again when that one has finished",
                path,
            ) from None
        try:
            now = os.stat(path)
        except FileNotFoundError:
            now = None
        held = os.fstat(fd)
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            return FolderLock(fd)
        os.close(fd)
    raise FolderBusy(f"this {what} keeps being replaced by another process", path)
