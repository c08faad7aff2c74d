"""What the commands do, as a library: open a project, build it, export from it.

Like cli.py this module may use every room (DESIGN.md's layering); unlike cli.py it
prints nothing, so tests and other programs call it directly.
"""

from __future__ import annotations

import time
from contextlib import nullcontext  # noqa: F401 (the CLI uses it too)
from dataclasses import dataclass
from pathlib import Path

from clinicgraph.errors import ClinicgraphError
from clinicgraph.exporters import exporter
from clinicgraph.exporters.jsonld import dumps, page_document
from clinicgraph.exporters.output import output_folder, write_file
from clinicgraph.exporters.script import script_tag
from clinicgraph.graph.pages import Page, closure, find_pages
from clinicgraph.graph.project import Project, load_project
from clinicgraph.vocab.vocabulary import load_vocabulary


def _no_progress(items, length, label):
    return nullcontext(items)


@dataclass
class BuildReport:
    pages: int
    nodes: int
    triples: int
    seconds: float
    output: Path

    def summary(self) -> str:
        return (f"built {self.pages} page{'s' * (self.pages != 1)}, {self.nodes} nodes, "
                f"{self.triples} triples in {self.seconds:.2f} s -> {self.output}")


def open_project(source: Path, schemaorg: Path | None = None, store: Path | None = None) -> Project:
    return load_project(Path(source), load_vocabulary(schemaorg), store)


def build(project: Project, output: Path, progress=_no_progress) -> BuildReport:
    """Write every page's JSON-LD and script snippet and the whole graph into ``output``."""
    started = time.perf_counter()
    store = project.store
    pages = find_pages(store, project.site, project.vocabulary)
    page_nodes = {page.node for page in pages}
    with output_folder(Path(output)) as folder:
        with progress(pages, len(pages), "pages") as items:
            for page in items:
                document = dumps(page_document(store, page, page_nodes))
                write_file(folder, "jsonld/" + page.file(".jsonld"), document)
                write_file(folder, "snippets/" + page.file(".html"), script_tag(document))
        write_file(folder, "graph.ttl", exporter("turtle")(store))
        write_file(folder, "graph.nt", exporter("nt")(store))
    return BuildReport(pages=len(pages), nodes=len(store.subjects()), triples=len(store),
                       seconds=time.perf_counter() - started, output=Path(output))


def find_page(project: Project, wanted: str) -> tuple[Page, list[Page]]:
    """The page whose url (or node IRI) is ``wanted``, a trailing slash aside."""
    pages = find_pages(project.store, project.site, project.vocabulary)
    candidates = {wanted, wanted.rstrip("/"), wanted.rstrip("/") + "/"}
    for page in pages:
        if page.url in candidates or page.node.value == wanted:
            return page, pages
    known = ", ".join(page.url for page in pages) or "none"
    raise ClinicgraphError(f"no page has the url {wanted} (pages: {known})")


def export(project: Project, format_name: str, page_url: str | None = None) -> bytes:
    """The whole graph, or one page's share of it, in one format."""
    members = None
    if page_url is not None:
        page, pages = find_page(project, page_url)
        members = closure(project.store, page.node, {p.node for p in pages} - {page.node})
    return exporter(format_name)(project.store, members)
