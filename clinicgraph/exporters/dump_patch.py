"""An update's dumps, patched from the previous build's: the same bytes as a fresh dump.

Both dumps are sorted, so a change is a few splices. In graph.nt, a lost triple's line
is cut where it is and a gained one's put where it sorts; in graph.ttl, which the
serializer writes as a prefix header and then one block per subject (its first line
unindented, the rest after a tab) in the order of the N-Triples, the block of each
subject the change touches is written again where it sorts. Places are found by
binary search over the bytes: an update of a 2-million-triple graph reads no line it
does not compare.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from clinicgraph.exporters.rdf import turtle_of, write_dumps
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.graph.store import Counts, Store
from clinicgraph.vocab.namespaces import PREFIXES


def patch_dumps(store: Store, folder: Path, previous: Path, delta) -> Counts:
    """graph.nt and graph.ttl into ``folder``, from those in ``previous`` and the triples
    the graph gained and lost (``delta``). Without the previous dumps (someone removed
    them, or edited them), ``write_dumps``; with a Turtle block this cannot read back (a
    subject written in a way it does not expect), the Turtle of the new N-Triples."""
    try:
        ntriples = (Path(previous) / "graph.nt").read_bytes()
        turtle = (Path(previous) / "graph.ttl").read_bytes()
    except FileNotFoundError:
        return write_dumps(store, folder)
    gained, lost = _lines(delta.gained), _lines(delta.lost)
    try:
        ntriples = _splice(
            ntriples,
            [_line_edit(ntriples, line, cut=True) for line in lost]
            + [_line_edit(ntriples, line, cut=False) for line in gained],
        )
    except _Unreadable:  # the previous graph.nt is not the previous graph (edited by hand?)
        return write_dumps(store, folder)
    (Path(folder) / "graph.nt").write_bytes(ntriples)
    subjects = {line[: line.find(b" ")] for line in gained | lost}
    try:
        body = _body(turtle)
        body = _splice(body, [_block_edit(body, subject, _block(ntriples, subject)) for subject in subjects])
        turtle = _header() + body if body else b""
    except _Unreadable:  # the whole Turtle again
        turtle_of(Path(folder) / "graph.nt", Path(folder) / "graph.ttl")
        turtle = (Path(folder) / "graph.ttl").read_bytes()
    else:
        (Path(folder) / "graph.ttl").write_bytes(turtle)
    # every line ends with a newline; a subject's block is one line, then lines after a tab
    header_lines = _header().count(b"\n") if turtle else 0
    return Counts(ntriples.count(b"\n"), turtle.count(b"\n") - turtle.count(b"\n\t") - header_lines)


class _Unreadable(Exception):
    pass


def _lines(triples) -> set[bytes]:
    return set(rdf_bytes(list(triples), RdfFormat.N_TRIPLES).splitlines(keepends=True))


def _splice(data: bytes, edits: list[tuple[int, int, bytes, bytes]]) -> bytes:
    """``data`` with each span ``start:end`` replaced; spans do not overlap, an insertion
    goes before a cut at the same place, and insertions at one place in key order."""
    pieces, position = [], 0
    for start, end, _, replacement in sorted(edits):
        pieces += [data[position:start], replacement]
        position = end
    pieces.append(data[position:])
    return b"".join(pieces)


def _line_edit(ntriples: bytes, line: bytes, cut: bool) -> tuple[int, int, bytes, bytes]:
    """Cut ``line`` where it is, or put it where it sorts."""
    at = _search(ntriples, 0, line, _LINES)
    if ntriples.startswith(line, at) != cut:
        raise _Unreadable(line)
    return (at, at + len(line), line, b"") if cut else (at, at, line, line)


def _body(turtle: bytes) -> bytes:
    """The blocks, after the prefix header."""
    if turtle and not turtle.startswith(_header()):
        raise _Unreadable(turtle[:80])
    return turtle[len(_header()) :]


def _block_edit(body: bytes, subject: bytes, block: bytes) -> tuple[int, int, bytes, bytes]:
    """Replace the block of ``subject`` (N-Triples form) by ``block``, or put it where it sorts."""
    key = subject + b" "
    at = _search(body, 0, key, _BLOCKS)
    end = _block_span(body, at)[1] if at < len(body) and _block_key(body, at) == key else at
    return at, end, key, block


def _search(data: bytes, low: int, key: bytes, unit) -> int:
    """The first place from ``low`` whose unit (``_LINES`` or ``_BLOCKS``: how to find
    the one around a place, and its key) sorts at or after ``key``. A block's key is its
    subject and a space (no subject holds one), so blocks sort as their lines do."""
    span, key_at = unit
    high = len(data)
    while low < high:
        start, end = span(data, (low + high) // 2, low)
        if key_at(data, start) < key:
            low = end
        else:
            high = start
    return low


def _line_span(data: bytes, inside: int, low: int = 0) -> tuple[int, int]:
    start = max(data.rfind(b"\n", low, inside) + 1, low)
    return start, data.index(b"\n", start) + 1


def _block_span(data: bytes, inside: int, low: int = 0) -> tuple[int, int]:
    start, _ = _line_span(data, inside, low)
    while start > low and data[start] == 9:  # a tab: back to the block's first line
        start, _ = _line_span(data, start - 1, low)
    end = data.index(b"\n", start) + 1
    while end < len(data) and data[end] == 9:
        end = data.index(b"\n", end) + 1
    return start, end


def _line_key(data: bytes, start: int) -> bytes:
    return data[start : data.index(b"\n", start) + 1]


def _block_key(turtle: bytes, start: int) -> bytes:
    """A block's subject as N-Triples writes it, and a space."""
    token = turtle[start : turtle.index(b" ", start)]
    if not token.startswith((b"<", b"_:")):
        prefix, _, local = token.partition(b":")
        namespace = _namespaces().get(prefix)
        if namespace is None or not local or b"\\" in local:
            raise _Unreadable(token)
        token = b"<" + namespace + local + b">"
    return token + b" "


def _block(ntriples: bytes, subject: bytes) -> bytes:
    """The Turtle block of ``subject`` from its lines in the new N-Triples (none: empty)."""
    start = _search(ntriples, 0, subject + b" ", _LINES)
    end = start
    while ntriples.startswith(subject + b" ", end):
        end = ntriples.index(b"\n", end) + 1
    if start == end:
        return b""
    written = rdf_bytes(parse(ntriples[start:end], format=RdfFormat.N_TRIPLES), RdfFormat.TURTLE, PREFIXES)
    return written[len(_header()) :]


_LINES, _BLOCKS = (_line_span, _line_key), (_block_span, _block_key)


@cache
def _header() -> bytes:
    """What the serializer writes before the first triple (nothing, for no triples)."""
    one = rdf_bytes([Triple(NamedNode("x:"), NamedNode("x:"), NamedNode("x:"))], RdfFormat.TURTLE, PREFIXES)
    return one[: one.index(b"<x:>")]


@cache
def _namespaces() -> dict[bytes, bytes]:
    return {name.encode(): iri.encode() for name, iri in PREFIXES.items()}
