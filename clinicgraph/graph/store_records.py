"""What an on-disk store's folder keeps beside the graph, as typed records:

- ``clinicgraph-sources.json``, the load's fingerprint (``LoadFingerprint``): what the
  store was loaded from. A load removes it first and writes it last, so a store whose
  load was cut short has none and is loaded whole again;
- ``clinicgraph-notes.json``: what the loaders left out of those sources (``Note``s by
  file), which an incremental load keeps for the files it does not read again;
- ``clinicgraph-build.json``, the build it last wrote (``BuildRecord``), which the next
  build may start from; the build's marker names it back;
- ``clinicgraph-checks.json``: the findings of its last validation (typed in
  ``checks.record``: they are the checks' own);
- ``clinicgraph-derived.json``: the Turtle each derivation step's graph was last
  loaded from, so that an incremental load patches those graphs by the statements
  that changed instead of replacing them (a large site's breadcrumbs are over a
  million triples). Written after the graphs, before the fingerprint.

On disk they stay compact JSON (a large site's record lists 150,000 pages); in code each
is a dataclass whose fields say what the positions mean. A record that cannot be read
(removed, cut short, edited by hand) is as none: what depends on it is done whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from clinicgraph.core.atomic import write_atomic
from clinicgraph.graph.loaded import Loaded, Note

FINGERPRINT = "clinicgraph-sources.json"
NOTES = "clinicgraph-notes.json"
BUILD_RECORD = "clinicgraph-build.json"
CHECKS_RECORD = "clinicgraph-checks.json"
DERIVED = "clinicgraph-derived.json"
UNREADABLE = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError)  # as no record


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_json(folder: Path, name: str):
    """A record's JSON (what a reader makes of it may still fail: see ``UNREADABLE``)."""
    return json.loads((folder / name).read_text(encoding="utf-8"))


def write_json(folder: Path, name: str, data) -> None:
    """Replace a record whole: readers never see one half-written."""
    write_atomic(folder / name, json.dumps(data).encode("utf-8"))


class Stamp(NamedTuple):
    """A source file as a load saw it."""

    relpath: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class LoadFingerprint:
    """What a load depends on: every source's name, size and modification time, the
    site configuration, the vocabulary (which types are pages), the version of
    clinicgraph that read them, and what derivation depends on besides (whether it ran,
    its rules' files: ``derive.run.derivation_key``)."""

    version: str
    vocabulary: tuple  # Vocabulary.identity()
    config: Stamp  # clinicgraph.toml
    sources: tuple[Stamp, ...]
    derivation: str = ""

    @classmethod
    def taken(
        cls, root: Path, config: Path, files: list[Path], vocabulary, derivation: str = ""
    ) -> LoadFingerprint:
        from clinicgraph import __version__

        stamps = [
            Stamp(path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns)
            for path in [config, *files]
            for stat in [path.stat()]
        ]
        return cls(__version__, tuple(vocabulary.identity()), stamps[0], tuple(stamps[1:]), derivation)

    @classmethod
    def read(cls, folder: Path) -> LoadFingerprint | None:
        try:
            data = read_json(folder, FINGERPRINT)
            config, *sources = (Stamp(*entry) for entry in data["sources"])
            return cls(
                data["clinicgraph"], tuple(data["vocabulary"]), config, tuple(sources), data["derivation"]
            )
        except UNREADABLE:
            return None

    @cached_property
    def text(self) -> str:
        """As the store's folder keeps it."""
        return (
            json.dumps(
                {
                    "clinicgraph": self.version,
                    "vocabulary": list(self.vocabulary),
                    "sources": [self.config, *self.sources],
                    "derivation": self.derivation,
                },
                indent=1,
            )
            + "\n"
        )

    @cached_property
    def digest(self) -> str:
        """What the records made from this load name it by."""
        return digest(self.text)

    def write(self, folder: Path) -> None:
        (folder / FINGERPRINT).write_text(self.text, encoding="utf-8")

    def files(self) -> set[str]:
        return {stamp.relpath for stamp in self.sources}

    def unchanged_since(self, earlier: LoadFingerprint | None) -> set[str]:
        """The sources whose name, size and time are as in the earlier load, when that load
        was of the same configuration and vocabulary by the same clinicgraph (else none:
        load everything)."""
        if earlier is None or (earlier.version, earlier.vocabulary, earlier.config) != (
            self.version,
            self.vocabulary,
            self.config,
        ):
            return set()
        return {stamp.relpath for stamp in set(self.sources) & set(earlier.sources)}


def forget_load(folder: Path) -> None:
    """Before a load changes the store: one cut short must not look current."""
    (folder / FINGERPRINT).unlink(missing_ok=True)


def read_derived(folder: Path) -> dict[str, str] | None:
    """The Turtle of each derivation step's graph (by the graph's IRI) as last loaded."""
    try:
        found = read_json(folder, DERIVED)
        return {str(graph): str(text) for graph, text in found.items()}
    except UNREADABLE:
        return None


def write_derived(folder: Path, graphs: dict[str, str]) -> None:
    write_json(folder, DERIVED, graphs)


def read_notes(folder: Path) -> dict[str, list[Note]] | None:
    """The notes of the sources of the store's last load, by file (None if unreadable)."""
    try:
        return {relpath: [Note(*row) for row in notes] for relpath, notes in read_json(folder, NOTES).items()}
    except UNREADABLE:
        return None


def write_notes(folder: Path, loaded: list[Loaded]) -> None:
    notes = {item.relpath: [astuple(note) for note in item.notes] for item in loaded if item.notes}
    (folder / NOTES).write_text(json.dumps(notes), encoding="utf-8")


class KnownPage(NamedTuple):
    """A page of a build, as its record keeps it."""

    node: str  # the page node's IRI
    url: str
    stem: str  # its files' name without suffix (``Page.file("")``)


@dataclass(frozen=True)
class BuildRecord:
    """The build a store last wrote: where, named how in its marker, from which load
    and vocabulary, and its pages."""

    output: str  # the output folder, resolved
    build: str  # the build's id, which its marker names too
    vocabulary: tuple
    load: str  # the digest of the load's fingerprint
    pages: tuple[KnownPage, ...]

    @classmethod
    def read(cls, folder: Path) -> BuildRecord | None:
        try:
            data = read_json(folder, BUILD_RECORD)
            return cls(
                data["output"],
                data["build"],
                tuple(data["vocabulary"]),
                data["load"],
                tuple(KnownPage(*row) for row in data["pages"]),
            )
        except UNREADABLE:
            return None

    def write(self, folder: Path) -> None:
        write_json(
            folder,
            BUILD_RECORD,
            {
                "output": self.output,
                "build": self.build,
                "vocabulary": list(self.vocabulary),
                "load": self.load,
                "pages": list(self.pages),
            },
        )

    @staticmethod
    def forget(folder: Path) -> None:
        """Before a build starts writing: the record must not outlive what it describes."""
        (folder / BUILD_RECORD).unlink(missing_ok=True)
