"""Embed every page's JSON-LD into the HTML files of a static site.

Everything is read and worked out first (``plan``), so a refused file stops the run
before any file is touched. ``apply`` then writes every changed file beside itself
(fsynced, with the old file's permissions) and only when all are written renames them
into place: a failure part-way leaves each file either old or new, never broken. One
embed at a time per site; a killed embed's files beside the pages (``.NAME.xxxxxxxx.
clinicgraph``) are removed by the next.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from clinicgraph.core.errors import ClinicgraphError, OutputError
from clinicgraph.core.folder_lock import lock_folder
from clinicgraph.graph.pages import Page
from clinicgraph.site.blocks import embed_block
from clinicgraph.site.files import map_site


@dataclass
class FileChange:
    url: str
    relpath: str
    path: Path
    old: bytes
    new: bytes
    stat: os.stat_result

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class EmbedPlan:
    files: list[FileChange]
    missing: list[tuple[str, list[str]]]  # page url, files looked for
    unclaimed: list[str]  # HTML files no page claims
    site: Path | None = None

    @property
    def changed(self) -> list[FileChange]:
        return [change for change in self.files if change.changed]


def plan(
    site_dir: Path,
    pages: list[Page],
    documents: dict[str, bytes],
    site_url: str,
    map_file: Path | None = None,
) -> EmbedPlan:
    """What embedding would change; ``documents`` maps a page url to its JSON-LD (as build writes it)."""
    site_dir = Path(site_dir)
    site = map_site(site_dir, pages, site_url, map_file)
    files = []
    for target in site.targets:
        shown = site_dir / target.relpath
        stat = os.stat(target.path)
        old = target.path.read_bytes()
        try:
            new = embed_block(old, documents[target.url].decode("utf-8"))
        except ClinicgraphError as error:
            error.path = str(shown)
            raise
        files.append(FileChange(target.url, target.relpath, target.path, old, new, stat))
    return EmbedPlan(files, site.missing, site.unclaimed, site_dir)


def apply(embed_plan: EmbedPlan) -> None:
    """Write every changed file atomically, keeping its permissions."""
    lock = lock_folder(embed_plan.site, "site") if embed_plan.site is not None else None
    staged: list[tuple[str, FileChange]] = []
    try:
        _remove_stale_temporaries(embed_plan.files)
        for change in embed_plan.changed:
            if _moved_on(change):
                raise OutputError(
                    "changed while clinicgraph was embedding: nothing written, run it again", change.path
                )
            fd, temporary = tempfile.mkstemp(
                prefix=f".{change.path.name}.", suffix=".clinicgraph", dir=change.path.parent
            )
            staged.append((temporary, change))
            with os.fdopen(fd, "wb") as handle:
                handle.write(change.new)
                handle.flush()
                os.fchmod(handle.fileno(), change.stat.st_mode & 0o7777)
                _keep_owner(handle.fileno(), change.stat)
                os.fsync(handle.fileno())
        for temporary, change in staged:
            os.replace(temporary, change.path)
        for folder in sorted({change.path.parent for _, change in staged}):
            _fsync_folder(folder)
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", error.filename or "site") from None
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
        if lock is not None:
            lock.release()


def _remove_stale_temporaries(files: list[FileChange]) -> None:
    """What a killed embed left beside the pages. Called with the site locked, so no
    running embed owns them."""
    names: dict[Path, set[str]] = {}
    for change in files:
        names.setdefault(change.path.parent, set()).add(change.path.name)
    for folder, pages in names.items():
        stale = re.compile(r"\.(%s)\.[a-z0-9_]{8}\.clinicgraph" % "|".join(map(re.escape, pages)))
        for entry in os.scandir(folder):
            if stale.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _moved_on(change: FileChange) -> bool:
    now = os.stat(change.path)
    return (now.st_mtime_ns, now.st_size, now.st_ino) != (
        change.stat.st_mtime_ns,
        change.stat.st_size,
        change.stat.st_ino,
    )


def _keep_owner(fd: int, stat: os.stat_result) -> None:
    with contextlib.suppress(PermissionError):  # only root may give a file away: it is then the embedder's
        os.fchown(fd, stat.st_uid, stat.st_gid)


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable; some file systems cannot open a folder for this."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def unified_diff(embed_plan: EmbedPlan) -> bytes:
    """The changes as a unified diff, a/ and b/ relative to the site (``git apply`` reads it).

    Bytes throughout: the files keep their own encoding and line endings."""
    out = []
    for change in embed_plan.changed:
        name = change.relpath.encode("utf-8")
        lines = difflib.diff_bytes(
            difflib.unified_diff,
            change.old.splitlines(keepends=True),
            change.new.splitlines(keepends=True),
            b"a/" + name,
            b"b/" + name,
        )
        for line in lines:
            out.append(line if line.endswith((b"\n", b"\r")) else line + b"\n\\ No newline at end of file\n")
    return b"".join(out)
