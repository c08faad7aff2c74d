"""An incremental build that changes a few pages updates the previous build in place
(its plan, ``graph.build_plan``, says when).

Replacing the whole output folder (``output.output_folder``) keeps it whole at every
moment, but costs a new tree of links and the removal of the old one: two operations
per file of the site, seconds on 20,000 pages, whatever the change. An update writes
only the files that change, into a folder beside the target, and after everything is
written and checked moves them into place, one rename per file, the marker last:

1. the target's marker is rewritten without a build id ("being updated");
2. each new file replaces its old version (a rename: readers see old or new bytes);
3. the files of pages that are gone are removed, and folders left empty;
4. the new marker, naming the new build, takes the place of the old one.

A build killed before step 1 leaves the target as it was (its new files are removed
by the next build); one killed during steps 1 to 4 leaves a target whose marker names
no build, which the next build does not trust: it replaces it whole.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from clinicgraph.core.atomic import write_atomic
from clinicgraph.core.build_marker import BUILD_MARKER, MARKER_TEXT
from clinicgraph.core.errors import OutputError
from clinicgraph.core.folder_lock import lock_folder
from clinicgraph.exporters.output import UPDATE, remove_stale_staging, remove_tree


@contextmanager
def update_in_place(target: Path, removed: list[str]):
    """Yield a folder to write the changed files into (paths as in ``target``); on
    success they replace their old versions in ``target`` and the files ``removed``
    (paths in ``target``) are removed. ``target`` must be an earlier build."""
    target = Path(target)
    lock = lock_folder(target, "output folder")
    try:
        remove_stale_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{UPDATE}", dir=target.parent))
    except OSError as error:
        lock.release()
        raise OutputError(f"cannot write here: {error.strerror}", target.parent) from None
    try:
        (staging / BUILD_MARKER).write_text(MARKER_TEXT)
        yield staging
        _commit(staging, target, removed)
    except OSError as error:
        raise OutputError(f"cannot write the output: {error.strerror}", target) from None
    finally:
        remove_tree(staging)
        lock.release()


def _commit(staging: Path, target: Path, removed: list[str]) -> None:
    write_atomic(target / BUILD_MARKER, MARKER_TEXT.encode("utf-8"))  # 1: no build id from here on
    made: set[str] = set()
    for directory, _, names in os.walk(staging):
        relative = os.path.relpath(directory, staging)
        if relative != "." and relative not in made:
            os.makedirs(target / relative, exist_ok=True)
            made.add(relative)
        for name in names:
            if relative == "." and name == BUILD_MARKER:
                continue
            os.replace(os.path.join(directory, name), target / relative / name)  # 2
    for relpath in removed:  # 3
        with suppress(FileNotFoundError):
            os.unlink(target / relpath)
        _remove_empty_parents(target, relpath)
    os.replace(staging / BUILD_MARKER, target / BUILD_MARKER)  # 4


def _remove_empty_parents(target: Path, relpath: str) -> None:
    parent = Path(relpath).parent
    while parent != Path("."):
        try:
            os.rmdir(target / parent)
        except OSError:
            return  # not empty (or gone): so are the folders above it
        parent = parent.parent
