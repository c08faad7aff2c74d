"""A client for any SPARQL 1.1 store, through the standard protocols only.

Queries go by the SPARQL 1.1 Protocol (an HTML-form POST), graphs by the Graph Store
HTTP Protocol (GSP), changes by SPARQL 1.1 Update. Results come back as JSON (or
N-Triples for CONSTRUCT/DESCRIBE), are parsed by pyoxigraph and rendered like a local
query's, so the same query prints the same bytes here and there.

Where the update and graph-store URLs are not given they follow the query URL by the
conventions of common stores (see ``companion_urls``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit

from pyoxigraph import NamedNode, Quad, QueryResultsFormat, RdfFormat, Triple, parse, parse_query_results

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.query_reading import local_stop, read
from clinicgraph.graph.query_text import QueryError, keywords, missing_prefixes
from clinicgraph.graph.store import Store
from clinicgraph.sparql.results import render

RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
NOT_SUPPORTED = (404, 405, 415, 501)  # a URL that does not speak this protocol


class EndpointError(ClinicgraphError):
    """The store could not be reached, or refused a request: exit 2, one line."""

    status: int | None = None  # the HTTP status, when the store answered
    detail: str = ""  # the server's own message


class Unsupported(EndpointError):
    """The URL does not offer this protocol (404, 405, 415, 501): another may work."""


def companion_urls(query_url: str) -> tuple[str, str]:
    """(update URL, graph-store URL) by the conventions of common stores:

    ``.../query``            Oxigraph server: ``.../update``, ``.../store``
    ``.../sparql[-auth]``    Virtuoso: the same URL, ``.../sparql-graph-crud[-auth]``
    ``.../repositories/R``   GraphDB, RDF4J: ``.../statements``, ``.../rdf-graphs/service``
    anything else            the same URL for both (Fuseki's dataset URL, for one)
    """
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urlunsplit(parts._replace(path=new_path, query="", fragment=""))

    if path.endswith("/query"):
        return at(path[: -len("query")] + "update"), at(path[: -len("query")] + "store")
    match = re.search(r"/sparql(-auth)?$", path)
    if match:
        return query_url, at(path[: match.start()] + "/sparql-graph-crud" + (match[1] or ""))
    if re.search(r"/repositories/[^/]+$", path):
        return at(path + "/statements"), at(path + "/rdf-graphs/service")
    return query_url, query_url


class Endpoint:
    """A SPARQL 1.1 store. Credentials come from the arguments, else from the URL
    (``http://user:password@host/...``), else from CLINICGRAPH_ENDPOINT_USER,
    CLINICGRAPH_ENDPOINT_PASSWORD and CLINICGRAPH_ENDPOINT_AUTH. ``auth="basic"``
    (the default) sends the password with every request; ``"digest"`` answers the
    server's Digest challenge and never sends the password itself (Virtuoso's
    ``/sparql-auth`` wants digest, and answers a basic attempt with a bare 401)."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = None,
        timeout: float = 60,
        update_url: str | None = None,
        graph_store_url: str | None = None,
    ):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointError(f"the endpoint must be an http(s) URL, not {url!r}")
        if parts.username is not None:  # credentials in the URL: use them, never print them
            user = user if user is not None else unquote(parts.username)
            password = password if password is not None else unquote(parts.password or "")
            parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
        self.url = urlunsplit(parts)
        guessed_update, guessed_store = companion_urls(self.url)
        self.update_url = update_url or guessed_update
        self.graph_store_url = graph_store_url or guessed_store
        self.user = user if user is not None else os.environ.get("CLINICGRAPH_ENDPOINT_USER")
        self.password = password if password is not None else os.environ.get("CLINICGRAPH_ENDPOINT_PASSWORD")
        self.auth = auth or os.environ.get("CLINICGRAPH_ENDPOINT_AUTH") or "basic"
        if self.auth not in ("basic", "digest"):
            raise EndpointError(f"auth must be basic or digest, not {self.auth!r}")
        self.timeout = timeout
        self._challenge: dict[str, str] | None = None  # the server's last Digest challenge
        self._count = 0  # requests answering it (the digest's nonce count)

    # --- SPARQL 1.1 Protocol: queries -------------------------------------------------
    def query(self, text: str, format_name: str = "table", source: str | None = None) -> bytes:
        """Run a query on the store; its result rendered as a local query's would be."""
        return render(self.results(text, source), format_name)

    def results(self, text: str, source: str | None = None):
        """A bool (ASK), QuerySolutions (SELECT) or a list of Triples, as ``run_query`` gives."""
        form = next((word for word in keywords(text) if word in FORMS), "SELECT")
        body = urlencode(
            {"query": with_prefixes(read(text, local_stop(None), source, elsewhere=True).text)}
        ).encode()
        accept = GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
        try:
            content_type, data = self._send(
                "POST", self.url, body, accept, "application/x-www-form-urlencoded"
            )
        except EndpointError as error:
            if error.status == 400:  # the server's own word on the query, where it is written
                raise QueryError(
                    f"the endpoint refused the query: {error.detail or error.message}", source
                ) from None
            raise
        if form in ("CONSTRUCT", "DESCRIBE"):
            return _triples(data, content_type, self.url)
        return _solutions(data, content_type, form, self.url)

    # --- Graph Store HTTP Protocol --------------------------------------------------
    def get_graph(self, graph: str) -> list[Triple]:
        """Every triple of a named graph: GSP GET, or a CONSTRUCT where GSP is missing."""
        check_iri(graph)
        try:
            content_type, data = self._send("GET", self._graph_url(graph), None, GRAPH_ACCEPT)
            return _triples(data, content_type, self.graph_store_url)
        except Unsupported:  # also GSP's answer for a graph that does not exist
            return self.results(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    def put_graph(self, graph: str, turtle: bytes) -> None:
        """Replace a named graph with this Turtle, in one request."""
        check_iri(graph)
        self._send("PUT", self._graph_url(graph), turtle, "*/*", "text/turtle")

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.graph_store_url else "?"
        return f"{self.graph_store_url}{separator}graph={quote(graph, safe='')}"

    # --- SPARQL 1.1 Update ------------------------------------------------------------
    def update(self, text: str) -> None:
        self._send(
            "POST",
            self.update_url,
            urlencode({"update": text}).encode(),
            "*/*",
            "application/x-www-form-urlencoded",
        )

    # --- HTTP ---------------------------------------------------------------------------
    def _send(
        self, method: str, url: str, body: bytes | None, accept: str, content_type: str | None = None
    ) -> tuple[str, bytes]:
        """(content type, body) of a 2xx answer; anything else is one clear line."""
        digest = self.user is not None and self.auth == "digest"
        if digest and self._challenge is None and body:
            # Learn the challenge without the body: a server refusing a request for want of
            # credentials may close the connection before reading a large body (Virtuoso does).
            self._probe(url)
        for attempt in (1, 2):
            try:
                return self._open(method, url, body, accept, content_type)
            except urllib.error.HTTPError as error:
                if not (digest and attempt == 1 and self._learn(error)):
                    raise self._refused(method, url, error) from None
            except EndpointError:
                if digest and body and self._probe(url) == 401:  # the connection dropped: why?
                    raise self._unauthorized(url) from None
                raise
        raise AssertionError("not reached: the second attempt returns or raises")

    def _open(
        self, method: str, url: str, body: bytes | None, accept: str, content_type: str | None
    ) -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=body, method=method, headers={"Accept": accept})
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.user is not None and self.auth == "basic":
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        elif self.user is not None and self._challenge is not None:
            self._count += 1
            request.add_header(
                "Authorization",
                digest_authorization(
                    self._challenge, method, url, self.user, self.password or "", self._count
                ),
            )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError:  # an answer (a URLError too): the caller reads it
            raise
        except TimeoutError:
            raise EndpointError(f"{url.split('?')[0]} did not answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            reason = getattr(reason, "strerror", None) or str(reason)
            raise EndpointError(
                f"cannot reach {url.split('?')[0]}: {reason[:1].lower()}{reason[1:]}"
            ) from None

    def _probe(self, url: str) -> int:
        """HEAD ``url`` (answering the challenge, once known): the status; a 401's challenge is kept."""
        try:
            self._open("HEAD", url, None, "*/*", None)
            return 200
        except urllib.error.HTTPError as error:
            self._learn(error)
            return error.code

    def _learn(self, error: urllib.error.HTTPError) -> bool:
        """Keep a 401's Digest challenge; whether there was one."""
        challenges = (error.headers.get_all("WWW-Authenticate") or []) if error.code == 401 else []
        for header in challenges:
            scheme, _, fields = header.partition(" ")
            if scheme.lower() == "digest":
                self._challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(fields))
                self._count = 0
                return True
        return False

    def _unauthorized(self, url: str) -> EndpointError:
        where = url.split("?")[0]
        if self.user is None:
            return EndpointError(
                f"{where} asks for a user and password (HTTP 401): give --user and "
                "--password (or CLINICGRAPH_ENDPOINT_USER and _PASSWORD)"
            )
        other = "digest" if self.auth == "basic" else "basic"
        return EndpointError(
            f"{where} refused the user {self.user!r} with {self.auth} authentication "
            f"(HTTP 401): check the password, or try --auth {other}"
        )

    def _refused(self, method: str, url: str, error: urllib.error.HTTPError) -> EndpointError:
        if error.code == 401:
            return self._unauthorized(url)
        message = server_message(error.read() if error.fp else b"")
        where = url.split("?")[0]
        kind = Unsupported if error.code in NOT_SUPPORTED else EndpointError
        refused = kind(
            f"{where} answered {method} with HTTP {error.code} {error.reason}"
            + (f": {message}" if message else "")
        )
        refused.status, refused.detail = error.code, message
        return refused


def digest_authorization(
    challenge: dict[str, str], method: str, url: str, user: str, password: str, count: int
) -> str:
    """The Authorization header answering an HTTP Digest challenge (RFC 7616: MD5 or
    SHA-256, qop auth or none)."""
    algorithm = challenge.get("algorithm", "MD5")
    name = {"MD5": "md5", "SHA-256": "sha256"}.get(algorithm.upper().removesuffix("-SESS"))
    if name is None:
        raise EndpointError(
            f"{url.split('?')[0]} asks for the digest algorithm {algorithm}, which clinicgraph does not know"
        )

    def h(text: str) -> str:
        return hashlib.new(name, text.encode()).hexdigest()

    parts = urlsplit(url)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")
    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce, nc = os.urandom(8).hex(), f"{count:08x}"
    ha1 = h(f"{user}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qop = "auth" in [each.strip() for each in challenge.get("qop", "").split(",")]
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}") if qop else h(f"{ha1}:{nonce}:{ha2}")
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": uri, "response": response}
    if "opaque" in challenge:
        fields["opaque"] = challenge["opaque"]
    header = ", ".join(f'{key}="{value}"' for key, value in fields.items()) + f", algorithm={algorithm}"
    return f"Digest {header}" + (f', qop=auth, nc={nc}, cnonce="{cnonce}"' if qop else "")


def load_graph(endpoint: Endpoint, graph: str) -> Store:
    """A named graph of a remote store in an in-memory Store, under the same name."""
    triples = endpoint.get_graph(graph)
    if not triples:
        raise EndpointError(
            f"the graph <{graph}> at {endpoint.url} is empty or missing "
            "(push it first: clinicgraph push SOURCE --endpoint URL)"
        )
    # Some stores cut every result at a row limit without a word (Virtuoso's ResultSetMaxRows,
    # 10,000 in Debian's virtuoso.ini, applies to graph store reads too): count to be sure.
    (row,) = endpoint.results(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    if len(set(triples)) < int(row["n"].value):
        raise EndpointError(
            f"{endpoint.url} sent {len(set(triples))} of the {row['n'].value} triples of "
            f"<{graph}>: it cuts results short (Virtuoso: raise ResultSetMaxRows in the "
            "[SPARQL] section of virtuoso.ini)"
        )
    store = Store()
    name = NamedNode(graph)
    store.replace_all([Quad(t.subject, t.predicate, t.object, name) for t in triples])
    return store


def with_prefixes(query: str) -> str:
    """The query with PREFIX lines for the predeclared prefixes it does not declare,
    all on its first line so the server's line numbers still point into the query."""
    missing = missing_prefixes(query)
    return " ".join(missing + [query]) if missing else query


def server_message(body: bytes, limit: int = 300) -> str:
    """A server's error page as one line: its first paragraph, HTML tags and head removed."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<head.*?</head>|<script.*?</script>|<style.*?</style>", "", text)
    text = unescape(re.sub(r"<[^>]+>", "", text)).strip()
    paragraph = re.split(r"\n\s*\n", text, maxsplit=1)[0]
    line = " ".join(paragraph.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _solutions(data: bytes, content_type: str, form: str, url: str):
    media = content_type.split(";")[0].strip().lower()
    results_format: QueryResultsFormat | None
    if media in ("application/sparql-results+json", "application/json"):
        data = _standard_json(data, form)
        if isinstance(data, bool):
            return data
        results_format = QueryResultsFormat.JSON
    else:
        results_format = QueryResultsFormat.from_media_type(media)
        if results_format is None:
            raise EndpointError(f"{url} answered {media or 'without a content type'}, not SPARQL results")
    try:
        result = parse_query_results(data, format=results_format)
    except (SyntaxError, ValueError) as error:
        raise EndpointError(f"{url} answered unreadable SPARQL results: {error}") from None
    return bool(result) if type(result).__name__ == "QueryBoolean" else result


def _standard_json(data: bytes, form: str):
    """Results JSON with Virtuoso 7's departures from the standard undone: ASK answered
    as a one-row SELECT of ``__ASK_RETVAL``, blank nodes named ``nodeID://b1`` (not a
    valid label), booleans written 1 and 0."""
    try:
        document = json.loads(data)
    except ValueError as error:
        raise EndpointError(f"the endpoint answered unreadable JSON results: {error}") from None
    bindings = document.get("results", {}).get("bindings", [])
    if form == "ASK" and "boolean" not in document:
        return any(value.get("value") not in ("0", "false") for row in bindings for value in row.values())
    for row in bindings:
        for value in row.values():
            if value.get("type") == "bnode":
                value["value"] = re.sub(r"\W", "_", value["value"])
            elif value.get("datatype") == XSD_BOOLEAN and value.get("value") in ("0", "1"):
                value["value"] = "true" if value["value"] == "1" else "false"
    return json.dumps(document).encode()


def _triples(data: bytes, content_type: str, url: str) -> list[Triple]:
    media = content_type.split(";")[0].strip().lower()
    rdf_format = RdfFormat.from_media_type(media) if media else RdfFormat.N_TRIPLES
    if rdf_format is None:
        raise EndpointError(f"{url} answered {media}, not RDF")
    try:
        return [Triple(q.subject, q.predicate, q.object) for q in parse(data, format=rdf_format)]
    except (SyntaxError, ValueError) as error:
        raise EndpointError(f"{url} answered unreadable {rdf_format.name}: {error}") from None


def check_iri(graph: str) -> None:
    """Refuse a graph name that is no absolute IRI, before anything is sent."""
    try:
        NamedNode(graph)
    except ValueError as error:
        raise EndpointError(f"the graph must be an absolute IRI, not {graph!r} ({error})") from None
