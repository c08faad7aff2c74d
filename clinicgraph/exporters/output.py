"""Writing outputs so that a failure never leaves anything half-written.

A build is written into a fresh folder beside the target, then moved into place; a
single file is written beside its target and renamed over it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from clinicgraph.errors import OutputError

from clinicgraph.graph.project import BUILD_MARKER


@contextmanager
def output_folder(target: Path):
    """Yield a fresh folder to write into; on success it replaces ``target``.

    ``target`` must be absent, empty, or an earlier build (it holds BUILD_MARKER):
    clinicgraph never deletes a folder it did not make.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or (
            any(target.iterdir()) and not (target / BUILD_MARKER).exists())):
        raise OutputError("refusing to replace a folder that is not an earlier clinicgraph build "
                          "(choose an empty or new folder)", target)
    blocking = next((p for p in reversed(target.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise OutputError("is a file, not a folder: choose another output folder", blocking)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as error:
        raise OutputError(f"cannot write here: {error.strerror}", target.parent) from None
    try:
        (staging / BUILD_MARKER).write_text("written by clinicgraph build; safe to delete\n")
        yield staging
        _swap(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the output: {error.strerror}", error.filename or target) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.rename(target, old / target.name)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_file(folder: Path, relpath: str, data: bytes) -> None:
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_atomic(target: Path, data: bytes) -> None:
    """Replace one file: write beside it, then rename over it."""
    target = Path(target)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as error:
        raise OutputError(f"cannot write here: {error.strerror}", target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError as error:
        os.unlink(temporary)
        raise OutputError(f"cannot write: {error.strerror}", target) from None
