"""The public front of `clinicgraph serve`: a Starlette app (run by uvicorn).

It checks each SPARQL request (request), answers it from memory if it was asked
before (cache), else waits for a free engine slot (lanes), asks Oxigraph's
server on loopback how it reads the query (graph.query_reading: SERVICE refused, schema.org's
https IRIs rewritten, FROM noticed) and forwards it with the client's Accept header (so
Oxigraph does the content negotiation, told to prefer Turtle for graphs where the client
takes anything), and holds the answer until it is complete: that is how a result over
the size limit or past the timeout becomes a clear error instead of a cut-off body.

The default graph is the merge of the source graphs: the store's default graph where
two files share a triple (Store.keep_merge), else Oxigraph's union-default-graph
option, asked for only when neither the request nor the query names a dataset (the
option would ignore them). A GET without a query gets the Service Description. It also
serves the query page, each page's JSON-LD and the whole graph from the files written
at start-up.
"""

from __future__ import annotations

import asyncio
import html
import re
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from clinicgraph.graph.query_reading import Reading, read_async
from clinicgraph.graph.query_text import QueryError
from clinicgraph.sparql.results import boolean_text
from clinicgraph.sparql.serve.cache import Answer, ResultCache
from clinicgraph.sparql.serve.description import Dataset, description
from clinicgraph.sparql.serve.lanes import Busy, Lanes
from clinicgraph.sparql.serve.request import (
    QUERY_TYPE,
    READ_ONLY,
    Limits,
    Refused,
    engine_place,
    header,
    read_query,
    refused_text,
    triples_first,
)

UI = Path(__file__).with_name("ui")
GRAPH_FILES = {
    "graph.ttl": "text/turtle; charset=utf-8",
    "graph.nt": "application/n-triples",
    "graph.jsonld": "application/ld+json",
}
PAGE_LINKS = 100  # the query page lists this many pages' JSON-LD; all are served
PAGE_HEADERS = {  # the page runs only its own script and talks only to its own server
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


UNION = ("union-default-graph", "")  # Oxigraph's own parameter: the union of the named graphs
TABLES = {"text/csv": "csv", "text/tab-separated-values": "tsv"}


def create_app(engine_url: str, site_url: str, folder: Path, limits: Limits, dataset: Dataset) -> Starlette:
    """The app over a running engine and a folder written by `build` (plus graph.jsonld)."""
    front = Front(engine_url, site_url, limits, dataset)
    page = index_page(site_url, folder / "jsonld")

    async def home(request: Request) -> Response:
        return HTMLResponse(page, headers=PAGE_HEADERS)

    routes = [
        Route("/", home),
        Route("/sparql", front.query, methods=["GET", "POST"]),
        Route("/query", front.query, methods=["GET", "POST"]),  # Oxigraph's name for it
        Route("/update", refuse_update, methods=["GET", "POST"]),
        *[Route(f"/{name}", _file(folder / name, media_type)) for name, media_type in GRAPH_FILES.items()],
        Mount("/jsonld", TypedFiles("application/ld+json", directory=folder / "jsonld")),
        Mount("/ui", StaticFiles(directory=UI)),
    ]
    # Read-only and without credentials, so any origin may read it.
    cors = Middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Cache"],
    )
    return Starlette(routes=routes, middleware=[cors], lifespan=front.lifespan)


class Front:
    def __init__(self, engine_url: str, site_url: str, limits: Limits, dataset: Dataset):
        self.engine_url, self.site_url, self.limits, self.dataset = engine_url, site_url, limits, dataset
        self.lanes = Lanes(limits.query_slots, limits.max_wait)
        self.cache = ResultCache(limits.cache_bytes) if limits.cache_bytes > 0 else None
        self.idle: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()

    @asynccontextmanager
    async def lifespan(self, app):
        # One single-connection client per slot, handed out first come, first served:
        # httpx's own pool scans every connection for every request, which cost more CPU
        # than the rest of the front put together under 50 concurrent clients. No read
        # timeout here: the query timeout covers the whole answer.
        clients = [
            httpx.AsyncClient(
                base_url=self.engine_url,
                timeout=httpx.Timeout(None, connect=5),
                limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            )
            for _ in range(self.lanes.slots)
        ]
        for client in clients:
            self.idle.put_nowait(client)
        try:
            yield
        finally:
            for client in clients:
                await client.aclose()

    async def query(self, request: Request) -> Response:
        if request.method == "GET" and not request.url.query:
            endpoint = str(request.url.replace(query="", fragment=""))
            return Response(
                description(endpoint, self.dataset), headers={"content-type": "text/turtle; charset=utf-8"}
            )
        try:
            query, dataset = await read_query(request, self.limits)
            accept = triples_first(request.headers.get("accept", ""))
            if self.cache is None:
                answer, how = await self.run(query, dataset, accept), "off"
            else:
                answer, how = await self.cache.answer(
                    (query, tuple(dataset), accept), lambda: self.run(query, dataset, accept)
                )
        except Refused as refusal:
            return PlainTextResponse(refusal.message + "\n", refusal.status, headers={"vary": "Accept"})
        return Response(
            answer.body,
            answer.status,
            headers={"content-type": answer.content_type, "vary": "Accept", "x-cache": how},
        )

    async def run(self, query: str, dataset: list[tuple[str, str]], accept: str) -> Answer:
        """The engine's complete answer, once a slot is free."""
        try:
            async with self.lanes.slot(query):
                return await self.forward(query, dataset, accept)
        except Busy:
            raise Refused(
                503,
                f"busy: the query waited {self.limits.max_wait:g} s for one of the "
                f"{self.lanes.slots} query slots (--max-wait, --query-slots); ask again later",
            ) from None

    async def forward(self, query: str, dataset: list[tuple[str, str]], accept: str) -> Answer:
        limit = self.limits.max_results_bytes
        before = header(query, self.site_url)
        body = bytearray()
        try:
            async with asyncio.timeout(self.limits.timeout), self._client() as client:
                reading = await self.read(client, before, query)
                if not (dataset or reading.own_dataset or self.dataset.merged):
                    dataset = [*dataset, UNION]
                async with client.stream(
                    "POST",
                    "/query",
                    params=dataset,
                    content=f"{before}\n{reading.text}".encode(),
                    headers={
                        "content-type": f"{QUERY_TYPE}; charset=utf-8",
                        "accept": accept,
                        "accept-encoding": "identity",
                    },
                ) as answer:
                    async for chunk in answer.aiter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise Refused(
                                422,
                                f"the result is larger than {limit:,} bytes "
                                "(--max-results-bytes): ask for less, e.g. with LIMIT",
                            )
        except TimeoutError:
            raise Refused(
                503, f"the query ran past the {self.limits.timeout:g} s limit (--timeout): make it narrower"
            ) from None
        except httpx.HTTPError as error:
            raise Refused(502, f"the query engine did not answer: {error}") from None
        text = body.decode("utf-8", "replace")
        if answer.status_code == 400:
            raise refused_text(query, text)
        if answer.status_code >= 500:  # the engine could not evaluate it (a function it does not know)
            raise Refused(
                answer.status_code, f"query: the query cannot be evaluated: {' '.join(text.split())}"
            )
        content_type = answer.headers.get("content-type", "text/plain")
        return Answer(answer.status_code, content_type, _boolean_table(bytes(body), content_type))

    async def read(self, client: httpx.AsyncClient, before: str, query: str) -> Reading:
        """The engine's reading of the query, asked of the engine itself."""

        async def stop(probe: str) -> str:
            answer = await client.post(
                "/query",
                content=f"{before}\n{probe}".encode(),
                headers={"content-type": f"{QUERY_TYPE}; charset=utf-8"},
            )
            if answer.status_code != 400:
                raise Refused(502, f"the query engine did not read the query (HTTP {answer.status_code})")
            return engine_place(answer.text)

        try:
            return await read_async(query, stop)
        except QueryError as error:
            raise Refused(403, str(error)) from None

    @asynccontextmanager
    async def _client(self):
        client = await self.idle.get()
        try:
            yield client
        finally:
            self.idle.put_nowait(client)


async def refuse_update(request: Request) -> Response:
    return PlainTextResponse(READ_ONLY + "\n", 403)


def _boolean_table(body: bytes, content_type: str) -> bytes:
    """An ASK answer as CSV or TSV in the form SELECT tables have (a header naming
    _askResult), which rdflib and Jena read; Oxigraph sends the bare word."""
    media = content_type.split(";")[0].strip().lower()
    if media in TABLES and body in (b"true", b"false"):
        return boolean_text(body == b"true", TABLES[media])
    return body


class TypedFiles(StaticFiles):
    """Static files of one media type, whatever the platform's mime table says."""

    def __init__(self, media_type: str, **options):
        super().__init__(**options)
        self.media_type = media_type

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["content-type"] = self.media_type
        return response


def _file(path: Path, media_type: str):
    async def send(request: Request) -> Response:
        return FileResponse(path, media_type=media_type)

    return send


def index_page(site_url: str, jsonld: Path) -> str:
    """The query page, with every example query one click away and links to the pages."""
    examples = sorted((UI / "queries").glob("*.rq"))
    buttons = [
        f'      <li><button type="button" data-query="{html.escape(text)}">{html.escape(title)}</button></li>'
        for title, text in map(_example, examples)
    ]
    files = sorted(path.relative_to(jsonld).as_posix() for path in jsonld.rglob("*.jsonld"))
    links = [
        f'      <li><a href="jsonld/{html.escape(quote(name))}">{html.escape(name)}</a></li>'
        for name in files[:PAGE_LINKS]
    ]
    if len(files) > PAGE_LINKS:
        links.append(f"      <li>and {len(files) - PAGE_LINKS:,} more under jsonld/</li>")
    first = _example(examples[0])[1] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10\n"
    values = {
        "examples": "\n".join(buttons),
        "pages": "\n".join(links),
        "site": html.escape(site_url),
        "query": html.escape(first),
    }
    # one pass, so nothing filled in is read again as a placeholder
    return re.sub(
        r"<!-- (examples|pages) -->|\{(site|query)\}",
        lambda match: values[match[1] or match[2]],
        (UI / "index.html").read_text("utf-8"),
    )


def _example(path: Path) -> tuple[str, str]:
    """(title, query): the title is the first line's comment."""
    text = path.read_text("utf-8")
    first = text.splitlines()[0] if text else ""
    return (first.lstrip("#").strip() if first.startswith("#") else path.stem), text
