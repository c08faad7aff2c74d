"""A SPARQL 1.1 Protocol query request -> the query to run, or a clear refusal.

Accepted: GET ?query=..., POST of a ``query=`` form, POST of an
``application/sparql-query`` body; ``default-graph-uri`` and ``named-graph-uri`` are
passed on (they replace the query's own FROM and FROM NAMED, as the protocol says).
Refused: every update (``update=``, ``application/sparql-update``, or an update sent
as a query), ``SERVICE``, queries over the size limit, anything else malformed. Whether
a query calls SERVICE is asked of Oxigraph's parser (graph.query_reading). An update sent
as a query never runs (the engine's query endpoint reads it as a query, and refuses
it): its first word only chooses the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request

from clinicgraph.graph.query_reading import PLACE, stop_place
from clinicgraph.graph.query_text import keywords, missing_prefixes, syntax_error
from clinicgraph.sparql.serve.lanes import ENGINE_SLOTS

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
DATASET = ("default-graph-uri", "named-graph-uri")
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
DRAIN_BYTES = 64 * 2**20  # a client still sending when refused misses the answer: read on, to a point
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds a query may run, from when it starts running
    max_results_bytes: int = 10_000_000
    max_query_bytes: int = 1_000_000
    max_wait: float = 60.0  # seconds a query may wait for a free engine slot
    cache_bytes: int = 100_000_000  # answers kept in memory; 0: none
    query_slots: int = ENGINE_SLOTS  # queries the engine runs at once


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


async def read_query(request: Request, limits: Limits) -> tuple[str, list[tuple[str, str]]]:
    """The query text and the dataset parameters of a protocol request."""
    params = _pairs(request.scope.get("query_string", b"").decode("latin-1"), "query string")
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type == UPDATE_TYPE:
            await _drain(request)
            raise Refused(403, READ_ONLY)
        if media_type not in (FORM, QUERY_TYPE):
            await _drain(request)
            raise Refused(
                415,
                f"send the query as {FORM} (query=...) or as {QUERY_TYPE}, "
                f"not {media_type or 'a body without Content-Type'}",
            )
        # %-escapes may triple a form's size; the query itself is checked below
        cap = limits.max_query_bytes * (3 if media_type == FORM else 1) + 4096
        body = _text(await _read_body(request, cap, limits.max_query_bytes))
        params += _pairs(body, "form") if media_type == FORM else [("query", body)]
    names = [name for name, _ in params]
    if "update" in names:
        raise Refused(403, READ_ONLY)
    if names.count("query") != 1:
        raise Refused(
            400,
            "give exactly one SPARQL query: GET /sparql?query=..., or POST it as "
            f"query=... ({FORM}) or as {QUERY_TYPE}",
        )
    query = params[names.index("query")][1]
    if not query.strip():
        raise Refused(400, "the query is empty")
    if len(query.encode("utf-8")) > limits.max_query_bytes:
        raise _too_large(len(query.encode("utf-8")), limits.max_query_bytes)
    return query, [(name, value) for name, value in params if name in DATASET]


def header(query: str, base: str) -> str:
    """The line the engine reads before the query: the site URL as base and the common
    prefixes the query does not declare (engine errors are moved back one line, see
    engine_error)."""
    return " ".join([f"BASE <{base}>", *missing_prefixes(query)])


def refused_text(query: str, engine_message: str) -> Refused:
    """A text the engine refused as a query: the read-only refusal if it begins as an
    update does (its first word after PREFIX and BASE; a guess that only words the
    refusal: the text is never run), else the engine's syntax error."""
    words = [word for word in keywords(query) if word not in ("PREFIX", "BASE")]
    if words and words[0] in UPDATE_WORDS:
        return Refused(403, READ_ONLY)
    return Refused(400, engine_error(engine_message))


def engine_place(message: str) -> str:
    """Where the engine's parse of a probe stopped, in the query as the user wrote it."""
    place = stop_place(message)
    found = PLACE.fullmatch(place)
    return f"error at {max(int(found[1]) - 1, 1)}:{found[2]}" if found else place


def triples_first(accept: str) -> str:
    """The client's Accept header with Turtle offered where it takes any type, and
    N-Triples where it takes any application/ type, each at that entry's quality and
    just before it: Oxigraph takes the first best match, so a CONSTRUCT or DESCRIBE
    answers a triples format (as other stores do), N-Quads only when asked for, and a
    client that lists only results formats and */* gets Turtle rather than N-Quads.
    SELECT and ASK are unchanged (neither type is a results format). No header is */*."""
    entries = []
    for entry in (accept or "*/*").split(","):
        media, _, parameters = entry.partition(";")
        offered = {"*/*": "text/turtle", "application/*": "application/n-triples"}.get(media.strip().lower())
        if offered:
            entries.append(f"{offered};{parameters}" if parameters else offered)
        entries.append(entry.strip())
    return ", ".join(entries)


def engine_error(message: str) -> str:
    """Oxigraph's "error at 3:14: ..." for the query as the user wrote it."""
    match = _ERROR_AT.match(message.strip())
    if not match:
        return message.strip()
    line = max(int(match[1]) - 1, 1)
    return str(syntax_error(SyntaxError(f"error at {line}:{match[2]}: {match[3]}"), "query"))


async def _read_body(request: Request, cap: int, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        await _drain(request)
        raise _too_large(int(declared), limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            await _drain(request)
            raise _too_large(len(body), limit)
    return bytes(body)


async def _drain(request: Request) -> None:
    """Read what the client is still sending (to DRAIN_BYTES), so it sees the refusal
    instead of a connection reset."""
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > DRAIN_BYTES:
                return
    except Exception:  # the body was read already, or the client went away
        return


def _too_large(size: int, limit: int) -> Refused:
    return Refused(
        413, f"the query is {size:,} bytes; this endpoint takes at most {limit:,} (--max-query-bytes)"
    )


def _pairs(encoded: str, where: str) -> list[tuple[str, str]]:
    """name=value pairs; %-escapes must decode to UTF-8 (not be replaced by U+FFFD, which
    would reach the engine as a puzzling syntax error)."""
    try:
        return parse_qsl(encoded, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, f"the {where} is not UTF-8 once its %-escapes are decoded") from None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the request body is not UTF-8") from None
