"""Where a node, or one of its properties, was written: file and line for diagnostics."""

from __future__ import annotations

from collections.abc import Sequence

from pyoxigraph import BlankNode, NamedNode

from clinicgraph.graph import ids
from clinicgraph.graph.project import Project
from clinicgraph.graph.rdf_source import source_lines


class Locator:
    """``Project.where``, without reading every token of the RDF sources: their lines are
    found lazily (``TurtleLines``, ``JsonLdLines``), one file at a time, on the first
    diagnostic that needs them. Answers are those of ``Project.where`` once the sources
    are scanned: what the loaders recorded first, then the RDF files in order (for a
    blank node, the one file that holds it). Make one per validation and share it
    between the checks: the index of a large file is built once.

    ``places`` holds every answer about an IRI (``iri, predicate -> file, line``); it
    may start with a previous validation's, for IRIs no changed source mentions (their
    place cannot have moved): an update then reads no source to place a finding kept."""

    def __init__(self, project: Project, places: dict | None = None):
        self.project = project
        self.places: dict[tuple[str, str | None], tuple[str | None, int | None]] = places or {}
        self._files: dict[int, tuple[str, object]] = {}
        self._blank_files: dict[str, int] | None = None  # a file's blank label prefix -> its index

    def __call__(self, node, predicate: NamedNode | str | None = None) -> tuple[str | None, int | None]:
        if not isinstance(node, (NamedNode, BlankNode)):
            return None, None
        if isinstance(predicate, NamedNode):
            predicate = predicate.value
        if isinstance(node, NamedNode):
            key = (node.value, predicate)
            if key not in self.places:
                self.places[key] = self.where(node.value, predicate)
            return self.places[key]
        found = self.where(_key(node), predicate)
        if found[1] is None:
            # Not placed (a labelled node never described, say): where the property holding it is.
            for parent, via in self.project.store.referrers(node):
                return self(parent, via)
        return found

    def where(self, iri: str, predicate: str | None = None) -> tuple[str | None, int | None]:
        project = self.project
        if not project.unscanned:
            return project.where(iri, predicate)
        if predicate is not None:
            if (iri, predicate) in project.value_lines:
                return project.value_lines[(iri, predicate)]
            for file, lines in self._rdf_files(iri):
                line = lines.value_line(iri, predicate)
                if line is not None:
                    return file, line
        found = project.node_lines.get(iri, (None, None))
        if found[1] is None:
            for file, lines in self._rdf_files(iri):
                line = lines.node_line(iri)
                if line is not None:
                    return file, line
        return found

    def _rdf_files(self, iri: str):
        """The RDF sources' lines in load order, each read when first needed; for a blank
        node, only those of the file its label names (ids.blank_label)."""
        project = self.project
        indexes: Sequence[int] = range(len(project.unscanned))
        if iri.startswith("_:"):
            if self._blank_files is None:
                self._blank_files = {
                    ids.blank_label(self._relpath(path), ""): index
                    for index, path in enumerate(project.unscanned)
                }
            found = self._blank_files.get(iri[2 : iri.find("-") + 1])
            indexes = [] if found is None else [found]
        for index in indexes:
            if index not in self._files:
                path = project.unscanned[index]
                self._files[index] = (path.as_posix(), source_lines(path, self._relpath(path), project.site))
            yield self._files[index]

    def _relpath(self, path) -> str:
        return path.relative_to(self.project.root).as_posix()


def _key(node) -> str:
    if isinstance(node, NamedNode):
        return node.value
    return f"_:{node.value}" if isinstance(node, BlankNode) else str(node)
