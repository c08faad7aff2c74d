"""Writing outputs so that a failure never leaves anything half-written.

A build is written into a fresh folder beside the target, then swapped with it in one
step (a single file is replaced by ``core.atomic.write_atomic``). A build killed
part-way leaves at most a hidden staging folder, which the next build into the same
target removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

from clinicgraph.core.build_marker import BUILD_MARKER, MARKER_TEXT
from clinicgraph.core.errors import OutputError
from clinicgraph.core.folder_lock import lock_folder

STAGING = "clinicgraph-"  # staging folders: .{target}.clinicgraph-xxxxxxxx
UPDATE = "clinicgraph-update-"  # an in-place update's new files: .{target}.clinicgraph-update-xxxxxxxx


@contextmanager
def output_folder(target: Path):
    """Yield a fresh folder to write into; on success it replaces ``target``.

    ``target`` must be absent, empty, or an earlier build (it holds BUILD_MARKER):
    clinicgraph never deletes a folder it did not make. One build at a time per target.
    """
    target = Path(target)
    if target.exists() and (
        not target.is_dir() or (any(target.iterdir()) and not (target / BUILD_MARKER).exists())
    ):
        raise OutputError(
            "refusing to replace a folder that is not an earlier clinicgraph build "
            "(choose an empty or new folder)",
            target,
        )
    blocking = next((p for p in reversed(target.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise OutputError("is a file, not a folder: choose another output folder", blocking)
    created = not target.exists()
    lock = lock_folder(target, "output folder")  # makes an absent target: it is what is locked
    try:
        remove_stale_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{STAGING}", dir=target.parent))
    except OSError as error:
        _clean_up(None, target, created)
        lock.release()
        raise OutputError(f"cannot write here: {error.strerror}", target.parent) from None
    try:
        (staging / BUILD_MARKER).write_text(MARKER_TEXT)
        yield staging
        _swap(staging, target)
    except OSError as error:
        _clean_up(staging, target, created)
        # named after the target: the staging folder the error names is gone
        raise OutputError(f"cannot write the output: {error.strerror}", target) from None
    except BaseException:
        _clean_up(staging, target, created)
        raise
    finally:
        lock.release()


def _clean_up(staging: Path | None, target: Path, created: bool) -> None:
    if staging is not None:
        remove_tree(staging)
    if created:
        with contextlib.suppress(OSError):
            os.rmdir(target)  # only if still empty: the folder we made to lock


def remove_stale_staging(target: Path) -> None:
    """Staging folders of builds into ``target`` that were killed (perhaps while removing
    the previous build: then only part of it is left), and the new files of killed
    in-place updates (see ``update``). Called with the target locked, so
    none of them belongs to a running build. Names without the ``clinicgraph-`` tag are
    earlier versions' staging folders, removed only when they hold a build."""
    ours = re.compile(rf"\.{re.escape(target.name)}\.{STAGING}(?:update-)?[a-z0-9_]{{8}}")
    earlier = re.compile(rf"\.{re.escape(target.name)}\.(?:old\.)?[a-z0-9_]{{8}}")
    for entry in os.scandir(target.parent):
        if not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        if ours.fullmatch(entry.name) or (
            earlier.fullmatch(entry.name)
            and ((folder / BUILD_MARKER).exists() or (folder / target.name / BUILD_MARKER).exists())
        ):
            remove_tree(folder)


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target``: in one step where the system can
    exchange two names, so there is never a moment without ``target``."""
    if not _exchange(staging, target):
        old = target.parent / f".{target.name}.{STAGING}{secrets.token_hex(4)}"
        os.rename(target, old)
        os.rename(staging, target)
        staging = old
    remove_tree(staging)  # now the previous build


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE); False where it is not available."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot
        return False
    raise OSError(error, os.strerror(error), str(b))


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def remove_tree(folder: Path) -> None:
    """``shutil.rmtree(folder, ignore_errors=True)``, with the folders removed by many
    threads: a build has a folder per page, and removing a folder waits on the disk (on a
    file system mounted with ``discard``, minutes for a large build one folder at a time:
    docs/benchmarks.md). Files go first, then folders,
    deepest first. What cannot be removed stays; the next build tries again."""
    levels: dict[int, list[str]] = {}
    for directory, subfolders, files in os.walk(folder):
        for name in files + [sub for sub in subfolders if os.path.islink(os.path.join(directory, sub))]:
            with suppress(OSError):
                os.unlink(os.path.join(directory, name))
        levels.setdefault(directory.count(os.sep), []).append(directory)
    for depth in sorted(levels, reverse=True):
        in_threads(_remove_folder, levels[depth])


def _remove_folder(directory: str) -> None:
    with suppress(OSError):
        os.rmdir(directory)


def in_threads(function, items: list, threads: int = 32) -> None:
    """``function`` on every item, by many threads, each looping over its own share: for
    file system calls that wait on the disk (one task per item cost more than the calls)."""
    if len(items) < 2 * threads:
        for item in items:
            function(item)
        return

    def share(index: int) -> None:
        for item in items[index::threads]:
            function(item)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(share, range(threads)))  # list(): raise what a thread raised


class FileWriter:
    """Writes many files under one folder (a build's pages), making each folder once:
    plain system calls, no Path objects, since a large build writes 300,000 files."""

    def __init__(self, folder: Path):
        self.root = os.fspath(folder)
        self.made: set[str] = set()

    def write(self, relpath: str, data: bytes) -> None:
        parent = relpath.rpartition("/")[0]
        if parent and parent not in self.made:
            os.makedirs(os.path.join(self.root, parent), exist_ok=True)
            self.made.add(parent)
        fd = os.open(
            os.path.join(self.root, relpath), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666
        )
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


def write_file(folder: Path, relpath: str, data: bytes) -> None:
    FileWriter(folder).write(relpath, data)
