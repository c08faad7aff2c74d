"""Filling the user's cache with the schema.org release (``clinicgraph vocab fetch``).

This is the one place that touches the network, and only when the user asks. A file
reaches the cache only once it has been read as a schema.org release, and it arrives
whole (a temporary file renamed into place), so a failed fetch leaves the cache as it
was and a reader never sees half a release.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from clinicgraph import __version__
from clinicgraph.core.errors import SourceError
from clinicgraph.vocab.locate import RELEASE_NAMES, cache_dir
from clinicgraph.vocab.vocabulary import read_terms

CURRENT_URL = "https://schema.org/version/latest/schemaorg-current-https.ttl"
MAX_BYTES = 50 * 1024 * 1024  # the current release is ~1 MB in Turtle, ~1.5 MB in JSON-LD
TIMEOUT = 60.0  # seconds without progress before giving up
_CHUNK = 64 * 1024
# The cache holds one release, named so that locate.release_in finds it.
_NAME_BY_SUFFIX = {
    ".ttl": "schemaorg-current-https.ttl",
    ".jsonld": "schemaorg-current-https.jsonld",
    ".json": "schemaorg-current-https.jsonld",
}
_SUFFIX_BY_TYPE = {
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/json": ".jsonld",
}


def fetch_release(
    source: str | os.PathLike | None = None, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES
) -> Path:
    """Store a schema.org release in ``cache_dir()`` and return where it now is.

    ``source`` is a file path, an http(s) URL, or None for the current release on
    schema.org. Raises SourceError with one message when it cannot be done.
    """
    source = CURRENT_URL if source is None else os.fspath(source)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source):
        return _from_url(source, timeout, max_bytes)
    return _from_file(Path(source).expanduser())


def _from_file(path: Path) -> Path:
    if not path.is_file():
        raise SourceError("no such file", path)
    name = _release_name(path.name, path.suffix, path)
    _validate(path, origin=path)  # before anything is written: errors name the user's file
    folder = _cache_folder()
    with _scratch(folder) as scratch:
        staged = scratch / name
        with _writing(staged) as out:
            try:
                with path.open("rb") as src:
                    shutil.copyfileobj(src, out, _CHUNK)
            except OSError as err:
                raise SourceError(f"cannot read the file: {err.strerror or err}", path) from None
        return _install(staged, folder / name)


def _from_url(url: str, timeout: float, max_bytes: int) -> Path:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(f"cannot download from {parts.scheme}: URLs (only http and https)", url)
    folder = _cache_folder()
    with _scratch(folder) as scratch:
        download = scratch / "download"
        with _writing(download) as out:
            content_type = _download(url, out, timeout, max_bytes)
        leaf = PurePosixPath(urllib.parse.unquote(parts.path)).name
        suffix = PurePosixPath(leaf).suffix.lower()
        if suffix not in _NAME_BY_SUFFIX:  # e.g. a URL ending in /latest/: trust the media type
            suffix = _SUFFIX_BY_TYPE.get(content_type, suffix)
        name = _release_name(leaf, suffix, url)
        staged = scratch / name  # read_terms picks the syntax by the suffix
        try:
            download.rename(staged)
        except OSError as err:
            raise _disk_error(err, folder) from None
        _validate(staged, origin=url)
        return _install(staged, folder / name)


def _release_name(leaf: str, suffix: str, origin) -> str:
    if leaf in RELEASE_NAMES:
        return leaf
    if suffix.lower() in _NAME_BY_SUFFIX:
        return _NAME_BY_SUFFIX[suffix.lower()]
    raise SourceError("a schema.org release must be Turtle (.ttl) or JSON-LD (.jsonld)", origin)


def _validate(path: Path, origin) -> None:
    """Refuse what does not read as a schema.org release."""
    try:
        terms = read_terms(path)
    except SourceError as err:
        raise SourceError(err.message, origin, err.line, err.column) from None
    if terms.get("Thing", {}).get("kind") != "type":
        raise SourceError("not a schema.org release: it does not define schema:Thing", origin)


def _download(url: str, out: _DiskWriter, timeout: float, max_bytes: int) -> str:
    """Write the body of ``url`` to ``out``; returns the response's media type."""
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"clinicgraph/{__version__}",
            "Accept": "text/turtle, application/ld+json;q=0.9, */*;q=0.1",
        },
    )
    too_large = f"download refused: larger than {max_bytes:,} bytes"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise SourceError(too_large, url)
            received = 0
            while chunk := response.read(_CHUNK):
                received += len(chunk)
                if received > max_bytes:  # the server may not say, or may lie
                    raise SourceError(too_large, url)
                out.write(chunk)
            return response.headers.get_content_type()
    except urllib.error.HTTPError as err:
        raise SourceError(f"download failed: HTTP {err.code} {err.reason}", url) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise SourceError(f"download timed out after {timeout:g} s", url) from None
        host = urllib.parse.urlsplit(url).hostname
        raise SourceError(
            f"cannot reach {host}: {getattr(reason, 'strerror', None) or reason}", url
        ) from None
    except TimeoutError:
        raise SourceError(f"download timed out after {timeout:g} s", url) from None
    except (OSError, http.client.HTTPException) as err:
        raise SourceError(f"download interrupted: {err}", url) from None


# -- the cache folder: everything is written in a scratch folder inside it first


def _cache_folder() -> Path:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SourceError(f"cannot create the cache folder: {err.strerror or err}", folder) from None
    return folder


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A temporary folder beside the cache (same file system, so rename is atomic),
    removed with whatever is left in it."""
    try:
        scratch = tempfile.TemporaryDirectory(dir=folder, prefix=".fetch-", ignore_cleanup_errors=True)
    except OSError as err:
        raise _disk_error(err, folder) from None
    with scratch as name:
        yield Path(name)


@contextmanager
def _writing(path: Path) -> Iterator[_DiskWriter]:
    """A file open for writing whose OSErrors (disk full...) become one SourceError."""
    folder = path.parent.parent  # the cache folder, above the scratch folder
    try:
        with path.open("wb") as out:
            yield _DiskWriter(out, folder)
            out.flush()
            os.fsync(out.fileno())  # on disk before a rename makes it visible
    except OSError as err:
        raise _disk_error(err, folder) from None


class _DiskWriter:
    """Marks write errors as the disk's, so a network OSError is not mistaken for one."""

    def __init__(self, out: BinaryIO, folder: Path):
        self._out, self._folder = out, folder

    def write(self, data: bytes) -> int:
        try:
            return self._out.write(data)
        except OSError as err:
            raise _disk_error(err, self._folder) from None


def _install(staged: Path, dest: Path) -> Path:
    """Rename into place, then drop any other release so the new one is the one found."""
    try:
        os.replace(staged, dest)
        for name in RELEASE_NAMES:
            if name != dest.name:
                (dest.parent / name).unlink(missing_ok=True)
    except OSError as err:
        raise _disk_error(err, dest.parent) from None
    return dest


def _disk_error(err: OSError, folder: Path) -> SourceError:
    return SourceError(f"cannot write to the cache folder: {err.strerror or err}", folder)
