"""The pipelines clinicgraph is measured against, on a fixed sample of pages, and the
floor (serialising and writing documents already made). Run in a child by run.py.

    (a) rdflib: parse the graph, CONSTRUCT each page's share, rdflib's JSON-LD serializer;
    (b) pyld: from_rdf of each page's triples, then frame on the page;
    (c) floor: orjson.dumps and write of every final page document, already in memory,
        as the files a build writes (the JSON-LD and its script snippet), one process.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from clinicgraph import pipeline
from clinicgraph.exporters.jsonld import PageExporter, dumps
from clinicgraph.exporters.output import FileWriter
from clinicgraph.exporters.rdf import triples_of
from clinicgraph.exporters.site_files import write_page_files
from clinicgraph.graph.pages import closure, find_pages
from clinicgraph.vocab.context import schema_context

SAMPLE = 30


def sample(pages: list) -> list:
    step = max(1, len(pages) // SAMPLE)
    return pages[::step][:SAMPLE]


def rdflib_peer(nt: bytes, chosen: list) -> dict:
    import rdflib

    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(data=nt, format="nt")
    parse = time.perf_counter() - started
    context = schema_context()["@context"]
    started = time.perf_counter()
    for page in chosen:
        share = graph.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ <{page.node.value}> (<urn:x:nothing>|!<urn:x:nothing>)* ?s . ?s ?p ?o }}"
        )
        rdflib.Graph().__iadd__(share.graph).serialize(format="json-ld", context=context, auto_compact=True)
    return {"parse": parse, "per_page": (time.perf_counter() - started) / len(chosen)}


def pyld_peer(project, pages: list, chosen: list) -> dict:
    from pyld import jsonld
    from pyoxigraph import RdfFormat, serialize

    loader = _loader()
    stop = {page.node for page in pages}
    shares = [
        serialize(
            triples_of(project.store, closure(project.store, page.node, stop)), format=RdfFormat.N_TRIPLES
        ).decode()
        for page in chosen
    ]
    started = time.perf_counter()
    for page, nquads in zip(chosen, shares, strict=True):
        expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
        jsonld.frame(
            expanded, {"@context": "https://schema.org", "@id": page.node.value}, {"documentLoader": loader}
        )
    return {"per_page": (time.perf_counter() - started) / len(chosen)}


def floor(project, pages: list, scratch: Path) -> dict:
    """The same files as a build's pages, from documents already made: what is left
    of the export when making documents costs nothing."""
    documents = PageExporter(project.store, {page.node for page in pages})
    made = [(page, documents.document(page)) for page in pages]
    started = time.perf_counter()
    files = FileWriter(scratch / "floor")  # the writer a build uses; run.py removes the files
    for page, document in made:
        write_page_files(page, dumps(document), files)  # orjson, clinicgraph's own options
    return {"total": time.perf_counter() - started}


def _loader():
    from clinicgraph.vocab.context import offline_loader

    return offline_loader()


def main(source: Path, which: str, scratch: Path) -> dict:
    project = pipeline.open_project(source)
    pages = find_pages(project.store, project.site, project.vocabulary)
    chosen = sample(pages)
    if which == "rdflib":
        result = rdflib_peer(pipeline.export(project, "nt"), chosen)
    elif which == "pyld":
        result = pyld_peer(project, pages, chosen)
    else:
        result = floor(project, pages, scratch)
    result.update(
        pages=len(pages),
        sample=len(chosen),
        peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    return result


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))))
