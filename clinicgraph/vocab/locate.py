"""Finding the schema.org release file on this machine.

The package carries only a small built-in subset of schema.org (licence and size);
the full release is looked for, in order: an explicit path, the environment variable
``CLINICGRAPH_SCHEMAORG`` (a file or a folder), then the user cache folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from clinicgraph.core.errors import SourceError

ENV_VAR = "CLINICGRAPH_SCHEMAORG"

# File names a folder may hold, best first; http variants are accepted too since
# IRIs are normalised on load anyway.
RELEASE_NAMES = (
    "schemaorg-current-https.ttl",
    "schemaorg-current-https.jsonld",
    "schemaorg-current-http.ttl",
    "schemaorg-current-http.jsonld",
)


def cache_dir() -> Path:
    """The user cache folder for the release: ``$XDG_CACHE_HOME/clinicgraph/schemaorg``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says relative values are invalid and must be ignored.
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "clinicgraph" / "schemaorg"


def release_in(folder: Path) -> Path | None:
    """The release file inside ``folder``, or None."""
    for name in RELEASE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _resolve(path: str | Path, origin: str) -> Path:
    """A release file from a path the user gave (a file or a folder), or SourceError."""
    path = Path(path).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        found = release_in(path)
        if found is None:
            names = " or ".join(RELEASE_NAMES[:2])
            raise SourceError(f"no schema.org release file ({names}) in this folder ({origin})", path)
        return found
    raise SourceError(f"schema.org release not found ({origin})", path)


def find_release(explicit: str | Path | None = None) -> Path | None:
    """The schema.org release file to use, or None when there is none.

    A path the user named (``explicit`` or the environment variable) must exist;
    the cache folder is only a place to look.
    """
    if explicit is not None and str(explicit) != "":
        return _resolve(explicit, "given path")
    env = os.environ.get(ENV_VAR, "")
    if env:
        return _resolve(env, f"from ${ENV_VAR}")
    cached = cache_dir()
    return release_in(cached) if cached.is_dir() else None
