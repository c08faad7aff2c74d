"""The store: embedded Oxigraph, in memory or on disk, one named graph per source file.

Readers see the RDF merge of the source graphs: each distinct triple once, whichever
files state it. Its default graph is empty, or holds that merge:

- empty (a build's store, and any store where no two files state one triple): the
  source graphs' union is their merge, and queries read it through Oxigraph's
  union-default-graph option. That option ignores a query's FROM, so a query naming its
  own dataset runs without it (``query(..., own_dataset=True)``).
- the merge, made by ``keep_merge`` for stores that answer users' queries when two
  files do share a triple: Oxigraph repeats such a triple once per graph in a union
  (oxigraph/oxigraph#1919, fixed only after 0.5). Every change to a source graph keeps
  it in step, and queries read the default graph as it is.

Making the merge is not free (it costs time and memory in proportion to the store:
docs/benchmarks.md), so a build never makes it; the checks count with COUNT(DISTINCT ...) instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

from clinicgraph.core.errors import SourceError
from clinicgraph.core.folder_lock import lock_folder
from clinicgraph.graph.rdf_bytes import dump_bytes, rdf_bytes

Node = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal | Triple  # an object: a triple too (RDF 1.2)
NO_SHARED_TRIPLE = "clinicgraph-no-shared-triple"  # in an on-disk store: checked since its last change


class Store:
    def __init__(self, path: Path | None = None):
        self.path = path
        self._lock = lock_folder(path, "store") if path else None  # one command at a time
        try:
            self.oxigraph = pyoxigraph.Store(str(path)) if path else pyoxigraph.Store()
        except OSError as error:
            raise SourceError(f"cannot open the store: {error} (is another build using it?)", path) from None
        self._triples: list[Triple] | None = None  # the store is read-only between loads
        self._ntriples: bytes | None = None
        self._merged: bool | None = None  # whether the default graph holds the merge (asked once)
        self._checked = False  # in memory: no two source graphs share a triple, checked since the last change

    def read_only_copy(self) -> Store:
        """The same on-disk store opened again for reading, by a worker process of the
        command that holds it (so without taking its lock)."""
        copy = object.__new__(Store)
        copy.path, copy._lock = self.path, None
        copy.oxigraph = pyoxigraph.Store.read_only(str(self.path))
        copy._triples = copy._ntriples = copy._merged = None
        copy._checked = False
        return copy

    def memory_copy(self) -> Store:
        """The same source graphs in a store in memory, where checks and exports run
        several times faster than over RocksDB; not the merge (a build does without it).
        Oxigraph copies them itself unless there are blank nodes, whose names its parser
        would not keep, or a merge to leave out."""
        copy = Store()
        data = b"" if self.merged else dump_bytes(self.oxigraph, RdfFormat.N_QUADS)
        if (
            self.merged or data.startswith(b"_:") or b"\n_:" in data or b" _:" in data
        ):  # (or text that looks so)
            copy.oxigraph.extend(self.source_quads())
        else:
            copy.oxigraph.load(data, format=RdfFormat.N_QUADS)
        return copy

    def replace_all(self, quads: list[Quad]) -> None:
        """Make the store hold exactly these quads (a fresh build of every source)."""
        self.clear()
        self.add_quads(quads)
        self.flush()

    def clear(self) -> None:
        self._changing()
        self.oxigraph.clear()

    def add_quads(self, quads) -> None:
        """Add quads of source graphs (and their triples to the merge, if the store keeps one)."""
        if self._changing():
            quads = list(quads)
            self._extend(Quad(q.subject, q.predicate, q.object) for q in quads)
        self._extend(quads)

    def add_text(
        self, text: str, syntax: RdfFormat, base: str, graph: NamedNode, written_here: bool = False
    ) -> None:
        """Parse RDF text straight into one named graph (SyntaxError as pyoxigraph raises it).
        ``written_here``: text clinicgraph wrote itself from terms the store already holds
        (derivation's), parsed without checking its IRIs again: a fifth of the time of
        loading a large site's breadcrumbs."""
        merged = self._changing()
        load = self.oxigraph.load if self.path is None else self.oxigraph.bulk_load
        load(input=text, format=syntax, base_iri=base, to_graph=graph, lenient=written_here)
        if merged:
            self._extend(
                Quad(q.subject, q.predicate, q.object)
                for q in self.oxigraph.quads_for_pattern(None, None, None, graph)
            )

    def _extend(self, quads) -> None:
        if self.path is None:
            self.oxigraph.extend(quads)
        else:
            self.oxigraph.bulk_extend(quads)

    def graph_triples(self, graphs: list[str]) -> set[Triple]:
        """The triples of some source graphs (an incremental load compares them)."""
        return {
            Triple(q.subject, q.predicate, q.object)
            for graph in graphs
            for q in self.oxigraph.quads_for_pattern(None, None, None, NamedNode(graph))
        }

    def drop_graph(self, graph: NamedNode) -> None:
        """Remove a source graph (and from the merge, if the store keeps one, the triples
        no other source graph states)."""
        dropped = list(self.oxigraph.quads_for_pattern(None, None, None, graph)) if self._changing() else []
        self.oxigraph.remove_graph(graph)
        self._unmerge(dropped)

    def remove_quads(self, quads: list[Quad]) -> None:
        """Remove quads of source graphs (and from the merge, if the store keeps one, the
        triples no other source graph states)."""
        merged = self._changing()
        for quad in quads:
            self.oxigraph.remove(quad)
        self._unmerge(quads if merged else [])

    def _unmerge(self, removed: list[Quad]) -> None:
        for quad in removed:
            if next(self.source_quads(quad.subject, quad.predicate, quad.object), None) is None:
                self.oxigraph.remove(Quad(quad.subject, quad.predicate, quad.object))

    def flush(self) -> None:
        if self.path is not None:
            self.oxigraph.flush()

    def _changing(self) -> bool:
        """Before any change: what was read or checked of the store no longer holds.
        Returns whether the store keeps the merge (to keep in step)."""
        merged = self.merged
        self._triples = self._ntriples = self._merged = None
        self._checked = False
        if self.path is not None:
            (self.path / NO_SHARED_TRIPLE).unlink(missing_ok=True)
        return merged

    # --- the merge ------------------------------------------------------------------------
    @property
    def merged(self) -> bool:
        """Whether the default graph holds the merge of the source graphs."""
        if self._merged is None:
            self._merged = (
                next(iter(self.oxigraph.quads_for_pattern(None, None, None, DefaultGraph())), None)
                is not None
            )
        return self._merged

    def keep_merge(self) -> None:
        """Make the store fit to answer users' queries: where two source graphs state one
        triple, the merge goes into the default graph (see the module's docstring).
        Checked once per change of the store (on disk, remembered in its folder)."""
        marker = self.path / NO_SHARED_TRIPLE if self.path is not None else None
        if self.merged or self._checked or (marker is not None and marker.is_file()):
            return
        if not self._shares_a_triple():
            self._checked = True
            if marker is not None:
                marker.write_bytes(b"")
            return
        for graph in list(self.oxigraph.named_graphs()):  # a file at a time: memory stays flat on disk
            self._extend(
                Quad(q.subject, q.predicate, q.object)
                for q in self.oxigraph.quads_for_pattern(None, None, None, graph)
            )
        self.flush()
        self._merged = True
        self._triples = self._ntriples = None

    def _shares_a_triple(self) -> bool:
        return bool(
            self.oxigraph.query("ASK { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER (?a != ?b) }")
        )

    def source_quads(self, subject=None, predicate=None, obj=None):
        """The quads of the source graphs (not the merge): where each triple was written."""
        return (
            quad
            for quad in self.oxigraph.quads_for_pattern(subject, predicate, obj, None)
            if not isinstance(quad.graph_name, DefaultGraph)
        )

    def _graph_quads(self, subject=None, predicate=None, obj=None):
        """Quads whose triples are the graph's: the merge if kept, else every source graph."""
        return self.oxigraph.quads_for_pattern(
            subject, predicate, obj, DefaultGraph() if self.merged else None
        )

    def describe(self, subject: Node) -> tuple[tuple[NamedNode, Term], ...]:
        """The (predicate, object) pairs of a node across every source graph, sorted, once
        each. Not cached: the callers that ask again (the page exporter) keep what they
        need, so memory follows the shared graph rather than every node ever asked about."""
        pairs = {(quad.predicate, quad.object) for quad in self._graph_quads(subject)}
        return tuple(sorted(pairs, key=_pair_key))

    def count_referrers(self, node: Node) -> int:
        """How many distinct triples, other than the node's own, have ``node`` as object."""
        return len(
            {(q.subject, q.predicate) for q in self._graph_quads(None, None, node) if q.subject != node}
        )

    def referred_once(self, node: Node) -> bool:
        """Whether exactly one triple (other than the node's own) has ``node`` as object;
        stops at the second."""
        first = None
        for quad in self._graph_quads(None, None, node):
            if quad.subject == node:
                continue
            pair = (quad.subject, quad.predicate)
            if first is None:
                first = pair
            elif pair != first:
                return False
        return first is not None

    def referrers(self, node: Node) -> list[tuple[Node, NamedNode]]:
        """The (subject, predicate) pairs that have ``node`` as their object, sorted."""
        pairs = {(q.subject, q.predicate) for q in self._graph_quads(None, None, node)}
        return sorted(pairs, key=lambda pair: (_node_key(pair[0]), str(pair[1])))

    def triples(self) -> list[Triple]:
        """Every distinct triple of the union graph, in no particular order (made once per
        load: checks and counts all read it)."""
        if self._triples is None:
            self._triples = list({Triple(q.subject, q.predicate, q.object) for q in self._graph_quads()})
        return self._triples

    def ntriples(self) -> bytes:
        """Every distinct triple as N-Triples, its lines sorted: the stable order of every
        dump, made by Oxigraph's serializer and a sort of bytes (sorting two million
        Python triple objects took longer than the rest of the dump)."""
        if self._ntriples is None:
            self._ntriples = b"".join(_once(self._sorted_ntriples()))
        return self._ntriples

    def write_ntriples(self, path: Path) -> Counts:
        """What ``ntriples()`` returns, written to a file without also holding it as one
        text: the dump of a build, where memory peaks. Returns what it counted on the
        way: distinct triples and subjects (asking Oxigraph costs seconds on a large site)."""
        lines = self._sorted_ntriples(Path(path).parent)
        with open(path, "wb") as out:
            out.writelines(_once(lines))
        return count_sorted(lines)

    def _sorted_ntriples(self, scratch: Path | None = None) -> list[bytes]:
        """The union graph's N-Triples lines (with their newlines: no N-Triples line is a
        prefix of another, so the order is the same), sorted, repeats kept; Oxigraph writes them to a
        scratch file, so that the whole text and its lines are never held together."""
        import tempfile

        with tempfile.TemporaryFile(dir=scratch) as raw:
            # graph by graph: three times faster than a CONSTRUCT over the union; a triple
            # two sources state comes twice, and the caller keeps each line once
            for graph in [DefaultGraph()] if self.merged else self.oxigraph.named_graphs():
                self.oxigraph.dump(raw, format=RdfFormat.N_TRIPLES, from_graph=graph)
            raw.seek(0)
            lines = raw.readlines()
        lines.sort()
        return lines

    def nquads(self) -> bytes:
        """Every quad of the source graphs (each file's named graph kept, not the merge)
        as N-Quads, lines sorted."""
        data = (
            rdf_bytes(self.source_quads(), RdfFormat.N_QUADS)
            if self.merged
            else dump_bytes(self.oxigraph, RdfFormat.N_QUADS)
        )
        lines = data.splitlines(keepends=True)
        lines.sort()
        return b"".join(_once(lines))

    def subjects(self) -> list[Node]:
        return sorted({q.subject for q in self._graph_quads()}, key=_node_key)

    def query(self, sparql: str, own_dataset: bool = False, **options):
        """Run a query over the graph; with ``own_dataset`` (the query has FROM or FROM
        NAMED) over the dataset it names, whose graphs are the source graphs."""
        return self.oxigraph.query(
            sparql, use_default_graph_as_union=not (self.merged or own_dataset), **options
        )

    def __bool__(self) -> bool:
        return True  # a store is a store, empty or not (and len() counts, which costs)

    def __len__(self) -> int:
        """Distinct triples of the union graph (counted by Oxigraph, not in Python objects)."""
        counted = self.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        return int(next(iter(counted))["n"].value)


class Counts(NamedTuple):
    triples: int
    subjects: int


def count_sorted(lines: list[bytes]) -> Counts:
    """Distinct triples and subjects of sorted N-Triples lines (a subject is the line up
    to its first space: IRIs and blank node labels hold none)."""
    triples = subjects = 0
    previous_line = previous_subject = None
    for line in lines:
        if line == previous_line:
            continue
        previous_line = line
        triples += 1
        subject = line[: line.find(b" ")]
        if subject != previous_subject:
            subjects += 1
            previous_subject = subject
    return Counts(triples, subjects)


def _once(lines: list[bytes]):
    """Sorted lines, each once (the union graph may repeat a triple)."""
    return (line for index, line in enumerate(lines) if index == 0 or line != lines[index - 1])


def _node_key(node) -> tuple[int, str]:
    return (1 if isinstance(node, BlankNode) else 0, str(node))


def sort_key(triple: Triple) -> tuple:
    """A stable order of triples: subject, predicate, object, IRIs before blank nodes."""
    return (_node_key(triple.subject), str(triple.predicate), _node_key(triple.object))


def _pair_key(pair) -> tuple[str, bool, str]:
    """``(str(predicate), _node_key(object))`` flattened: the same order, a third faster
    (every page's node is described with it)."""
    return (str(pair[0]), isinstance(pair[1], BlankNode), str(pair[1]))


__all__ = ["Counts", "DefaultGraph", "Node", "Store", "sort_key"]
