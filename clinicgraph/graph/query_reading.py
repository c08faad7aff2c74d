"""How the engine reads a query, asked of the engine's own parser rather than scanned.

SPARQL text is easy to scan differently from Oxigraph: a comment ends at a carriage
return as well as a line feed, ``<`` opens an IRI or compares, ``\\u0022`` is a quote
inside a string and an error outside one. Each such difference was a way round a check
built on a scanner (``# x\\rSERVICE <...>`` hid SERVICE from a token check while
Oxigraph called the service), so every question about a query is put to Oxigraph.

A probe is a text followed by a line that no SPARQL can continue or contain (a
backslash before a letter that is no escape), so Oxigraph always refuses it as a syntax
error, before evaluating anything, and says where its parse stopped: at that last line
if it read the whole text, else earlier. Probes are made by changing letters for
letters, or a character for a space, so every probe has the query's layout, and two
probes stop at the same place exactly when Oxigraph reads the two texts alike up to
where the query's own reading stops:

- SERVICE: each ``service`` (in any case) gets its last letter changed. Inside a string,
  an IRI, a name or a comment that changes nothing Oxigraph reads; the keyword becomes
  nonsense. So the changed text stops where the query stops if and only if Oxigraph
  reads no SERVICE up to there (and a query whose parse stops before its end is refused
  by Oxigraph before it runs). Oxigraph reads keywords as written: a ``\\u`` escape
  outside strings and IRIs is a syntax error to it.
- FROM, the query naming its own dataset: the same with ``from``.
- schema.org's https spelling: each ``https://schema.org/`` in turn gets a space for its
  colon, which breaks an IRI and nothing else; where that probe stops earlier the
  spelling is an IRI, rewritten to ``http://schema.org/``; in a string or a comment it
  stays as written.

A query that mentions none of the three costs no probe. The questions are asked through
a ``stop`` function (the probe -> where the parse stopped), so the library asks
pyoxigraph in this process and the endpoint asks its own Oxigraph server.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Generator
from typing import NamedTuple

import pyoxigraph

from clinicgraph.graph.query_text import QueryError
from clinicgraph.vocab.namespaces import PREFIXES, SCHEMA, SCHEMA_HTTPS

PROBE_END = "\n\\q"  # read by no SPARQL rule, inside or outside a string: every probe fails here or sooner
SERVICE_REFUSED = "SERVICE is refused: clinicgraph does not query other endpoints"
PLACE = re.compile(r"error at (\d+):(\d+)")
_SERVICE = re.compile("service", re.IGNORECASE)  # wider than Oxigraph's ASCII case folding: safe
_FROM = re.compile("from", re.IGNORECASE)
_CHANGED = {"e": "q", "E": "Q", "m": "q", "M": "Q"}  # no SPARQL keyword or escape holds a q

Stop = str  # where a probe's parse stopped: "error at LINE:COLUMN", or the whole message


class Reading(NamedTuple):
    text: str  # the query as the engine runs it (schema.org's https IRIs rewritten)
    own_dataset: bool  # it has FROM or FROM NAMED: its dataset replaces the default one


def read(
    query: str, stop: Callable[[str], Stop], source: str | None = None, elsewhere: bool = False
) -> Reading:
    """The engine's reading of ``query``; QueryError (at its place in ``source``) if it
    calls SERVICE. ``elsewhere``: another engine runs the query (a remote endpoint), so
    one that mentions ``service`` and that Oxigraph cannot read to its end is refused:
    its SERVICE could be past where Oxigraph stopped reading."""
    questions = _questions(query, source or "query", elsewhere)
    try:
        probe = next(questions)
        while True:
            probe = questions.send(stop(probe + PROBE_END))
    except StopIteration as answered:
        return answered.value


async def read_async(query: str, stop: Callable[[str], Awaitable[Stop]]) -> Reading:
    """``read`` with a ``stop`` that awaits (the endpoint's Oxigraph server)."""
    questions = _questions(query, "query", False)
    try:
        probe = next(questions)
        while True:
            probe = questions.send(await stop(probe + PROBE_END))
    except StopIteration as answered:
        return answered.value


def stop_place(message: str) -> Stop:
    """Where a syntax error says the parse stopped (its list of expected tokens varies
    from run to run; the place does not)."""
    found = PLACE.search(message)
    return found[0] if found else message


_NOTHING = pyoxigraph.Store()  # probes fail before they run, so they never touch a store


def local_stop(base: str | None) -> Callable[[str], Stop]:
    """Ask pyoxigraph, with the base and prefixes queries run with. Without a base (a
    remote endpoint has its own), any absolute IRI will do: only the reading matters."""

    def stop(probe: str) -> Stop:
        try:
            _NOTHING.query(probe, base_iri=base or "http://clinicgraph.invalid/", prefixes=dict(PREFIXES))
        except SyntaxError as error:
            return stop_place(str(error))
        raise AssertionError("a probe is never valid SPARQL")

    return stop


def _questions(query: str, source: str, elsewhere: bool) -> Generator[str, Stop, Reading]:
    """Yield probes, receive where each stopped; return the reading."""
    services = [match.start() for match in _SERVICE.finditer(query)]
    froms = [match.start() for match in _FROM.finditer(query)]
    https = [match.start() for match in re.finditer(re.escape(SCHEMA_HTTPS), query)]
    if not (services or froms or https):
        return Reading(query, False)
    whole = yield query
    if services and elsewhere and not _read_to_end(query, whole):
        raise QueryError(
            f"{SERVICE_REFUSED}, and this query mentions the word where Oxigraph cannot read it ({whole})",
            source,
        )
    if services:
        stopped = yield _changed(query, services, len("service"))
        if stopped != whole:
            raise QueryError(
                SERVICE_REFUSED, source, *line_column(query, _stopped_at(query, services, stopped))
            )
    own_dataset = bool(froms) and (yield _changed(query, froms, len("from"))) != whole
    iris = []
    for start in https:
        colon = start + len("https")
        if (yield query[:colon] + " " + query[colon + 1 :]) != whole:
            iris.append(start)
    for start in reversed(iris):
        query = query[:start] + SCHEMA + query[start + len(SCHEMA_HTTPS) :]
    return Reading(query, own_dataset)


def _read_to_end(query: str, stopped: Stop) -> bool:
    """Whether the parse stopped on the probe's last line (Oxigraph counts lines by LF)."""
    found = PLACE.search(stopped)
    return found is not None and int(found[1]) == query.count("\n") + 2


def _changed(text: str, starts: list[int], length: int) -> str:
    """The text with the last letter of each word starting at ``starts`` changed to a q."""
    letters = list(text)
    for start in starts:
        letters[start + length - 1] = _CHANGED.get(letters[start + length - 1], "q")
    return "".join(letters)


def _stopped_at(text: str, starts: list[int], stopped: Stop) -> int:
    """Of the SERVICE words, the one the parse stopped at: the last one starting at or
    before that place (the keyword is where Oxigraph's reading and the probe's part)."""
    found = PLACE.search(stopped)
    if not found:
        return starts[0]
    lines = text.split("\n")
    line = min(int(found[1]), len(lines))
    offset = sum(len(each) + 1 for each in lines[: line - 1]) + int(found[2]) - 1
    return max([start for start in starts if start <= offset] or starts[:1])


def line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
