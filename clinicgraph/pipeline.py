"""What the commands do, as a library: open a project, build it, export from it.

Like cli.py this module may use every room (DESIGN.md's layering); unlike cli.py it
prints nothing, so tests and other programs call it directly.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from clinicgraph.checks import run_checks
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.report import summary_counts
from clinicgraph.errors import ClinicgraphError
from clinicgraph.exporters import exporter
from clinicgraph.exporters.jsonld import PageExporter, dumps
from clinicgraph.exporters.output import output_folder, write_file
from clinicgraph.exporters.script import script_tag
from clinicgraph.graph.pages import Page, closure, find_pages
from clinicgraph.graph.project import Project, load_project, open_current
from clinicgraph.sparql.local import run_query
from clinicgraph.sparql.results import render
from clinicgraph.vocab.vocabulary import load_vocabulary


def no_progress(items, length, label):
    """No progress bar: what tests and non-interactive runs use."""
    return nullcontext(items)


class DataHasErrors(ClinicgraphError):
    """Validation found errors and the user did not allow publishing them: exit 1."""

    exit_code = 1


@dataclass
class BuildReport:
    pages: int
    nodes: int
    triples: int
    seconds: float
    output: Path
    diagnostics: list[Diagnostic]

    def summary(self) -> str:
        counts = summary_counts(self.diagnostics)
        return (f"built {self.pages} page{'s' * (self.pages != 1)}, {self.nodes} nodes, "
                f"{self.triples} triples in {self.seconds:.2f} s -> {self.output} "
                f"({counts['errors']} errors, {counts['warnings']} warnings)")


def open_project(source: Path, schemaorg: Path | None = None, store: Path | None = None) -> Project:
    return load_project(Path(source), load_vocabulary(schemaorg), store)


def open_for_query(source: Path, store: Path | None = None) -> Project:
    """The project's graph for queries: an on-disk store is reused while it is current."""
    vocabulary = load_vocabulary(None)
    if store is None:
        return load_project(Path(source), vocabulary)
    return open_current(Path(source), vocabulary, Path(store))


def query(project: Project, text: str, format_name: str = "table", source: str | None = None) -> bytes:
    """Run a SPARQL query on the project's graph; the result in one format."""
    return render(run_query(project.store, text, project.site.url, source), format_name)


def validate(project: Project, shape_files: list[Path] = ()) -> list[Diagnostic]:
    return run_checks(project, shape_files)


def validated(project: Project, shape_files, allow_errors: bool, consequence: str,
              command: str) -> list[Diagnostic]:
    """Validate before publishing: data with errors is refused unless the user allows it."""
    diagnostics = validate(project, shape_files)
    errors = summary_counts(diagnostics)["errors"]
    if errors and not allow_errors:
        raise DataHasErrors(f"{errors} error(s) in the data: {consequence} "
                            f"(see `clinicgraph validate`, or {command} with --allow-errors)")
    return diagnostics


def build(project: Project, output: Path, progress=no_progress, shape_files: list[Path] = (),
          allow_errors: bool = False) -> BuildReport:
    """Validate, then write every page's JSON-LD and script snippet and the whole graph
    into ``output``. Data with errors is not published unless ``allow_errors``."""
    started = time.perf_counter()
    diagnostics = validated(project, shape_files, allow_errors, "nothing was written", "build")
    store = project.store
    pages = find_pages(store, project.site, project.vocabulary)
    documents = PageExporter(store, {page.node for page in pages})
    with output_folder(Path(output)) as folder:
        with progress(pages, len(pages), "pages") as items:
            for page in items:
                document = dumps(documents.document(page))
                write_file(folder, "jsonld/" + page.file(".jsonld"), document)
                write_file(folder, "snippets/" + page.file(".html"), script_tag(document))
        write_file(folder, "graph.ttl", exporter("turtle")(store))
        write_file(folder, "graph.nt", exporter("nt")(store))
    return BuildReport(pages=len(pages), nodes=len(store.subjects()), triples=len(store),
                       seconds=time.perf_counter() - started, output=Path(output),
                       diagnostics=diagnostics)


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
        members = closure(project.store, page.node, {p.node for p in pages})
    return exporter(format_name)(project.store, members)


def push(project: Project, endpoint, graph: str | None = None, method: str = "auto",
         shape_files: list[Path] = (), allow_errors: bool = False):
    """Validate, then replace the site's named graph (default: the site URL) in a SPARQL
    1.1 store (a ``sparql.remote.Endpoint``) with the project's whole graph."""
    from clinicgraph.sparql.push import push as push_graph

    validated(project, shape_files, allow_errors, "nothing was pushed", "push")
    return push_graph(endpoint, project.store.triples(), graph or project.site.url, method)


def open_remote(source: Path, endpoint, graph: str | None = None,
                schemaorg: Path | None = None) -> Project:
    """A project whose graph is read from a SPARQL 1.1 store (a ``sparql.remote.Endpoint``):
    the site's named graph (default: the site URL); SOURCE gives clinicgraph.toml."""
    from clinicgraph.graph.config import load_site
    from clinicgraph.sparql.remote import load_graph

    site = load_site(Path(source))
    store = load_graph(endpoint, graph or site.url)
    return Project(Path(source), site, store, load_vocabulary(schemaorg), sources=[graph or site.url])


# --- embed: the graph's JSON-LD into the HTML files of a static site -----------------

@dataclass
class EmbedReport:
    site: Path
    files: list[tuple[str, str, bool]]      # file under the site, page url, changed
    missing: list[tuple[str, list[str]]]    # page url, files looked for
    unclaimed: list[str]                    # HTML files no page claims
    written: bool                           # False for --check and --dry-run
    diff: bytes
    seconds: float
    diagnostics: list[Diagnostic]

    @property
    def changed(self) -> int:
        return sum(changed for _, _, changed in self.files)

    def lines(self) -> list[str]:
        """One line per page file, page without a file and file without a page."""
        done = "updated" if self.written else "would change"
        out = [f"{(self.site / relpath).as_posix()}: {done if changed else 'unchanged'}"
               for relpath, _, changed in self.files]
        out += [f"{url}: no HTML file for this page (looked for {', '.join(looked)})"
                for url, looked in self.missing]
        out += [f"{(self.site / relpath).as_posix()}: no page of the graph claims this file"
                for relpath in self.unclaimed]
        return out

    def summary(self) -> str:
        counts = summary_counts(self.diagnostics)
        pages = len(self.files)
        verb = "embedded" if self.written else "checked"
        what = "updated" if self.written else "would change"
        return (f"{verb} {pages} page{'s' * (pages != 1)} in {self.seconds:.2f} s: {self.changed} {what}, "
                f"{pages - self.changed} unchanged, {len(self.missing)} without a file, "
                f"{len(self.unclaimed)} file{'s' * (len(self.unclaimed) != 1)} without a page "
                f"({counts['errors']} errors, {counts['warnings']} warnings)")


def project_for_site(site_dir: Path) -> Path:
    """``embed``'s default SOURCE: the nearest folder holding clinicgraph.toml, SITE_DIR
    itself or one above it (the example's site lives inside its project)."""
    from clinicgraph.graph.config import CONFIG_NAME

    start = Path(site_dir).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ClinicgraphError(f"no {CONFIG_NAME} in the site folder or above it: "
                           "give the project with --source PROJECT", site_dir)


def embed(project: Project, site_dir: Path, write: bool = True, map_file: Path | None = None,
          shape_files: list[Path] = (), allow_errors: bool = False, want_diff: bool = False) -> EmbedReport:
    """Put each page's JSON-LD (the document build writes) into its HTML file under
    ``site_dir``; with ``write=False`` only say what would change. Data with errors is
    not published unless ``allow_errors``."""
    from clinicgraph.exporters import embed as embedding

    started = time.perf_counter()
    diagnostics = validated(project, shape_files, allow_errors, "no page was changed", "embed")
    pages = find_pages(project.store, project.site, project.vocabulary)
    page_documents = PageExporter(project.store, {page.node for page in pages})  # as build does
    documents = {page.url: dumps(page_documents.document(page)) for page in pages}
    plan = embedding.plan(Path(site_dir), pages, documents, project.site.url, map_file)
    if write:
        embedding.apply(plan)
    return EmbedReport(site=Path(site_dir),
                       files=[(change.relpath, change.url, change.changed) for change in plan.files],
                       missing=plan.missing, unclaimed=plan.unclaimed, written=write,
                       diff=embedding.unified_diff(plan) if want_diff else b"",
                       seconds=time.perf_counter() - started, diagnostics=diagnostics)
