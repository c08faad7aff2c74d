"""What the commands do, as a library: open a project, build it, export from it.

Like cli/ this module may use every room (docs/architecture.md's layering); unlike cli/ it
prints nothing, so tests and other programs call it directly.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clinicgraph.checks import default_jobs as default_check_jobs
from clinicgraph.checks import run_checks
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.report import summary_counts
from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.derive.run import derivation, derived_graphs
from clinicgraph.exporters import exporter, incremental
from clinicgraph.exporters.jsonld import PageExporter, dumps
from clinicgraph.exporters.output import remove_tree, write_file
from clinicgraph.exporters.rdf import write_dumps
from clinicgraph.exporters.site_files import default_jobs, write_site
from clinicgraph.graph import html_import
from clinicgraph.graph.build_plan import plan_build
from clinicgraph.graph.config import (
    project_for_site as project_for_site,  # embed and audit: the default SOURCE
)
from clinicgraph.graph.pages import Page, closure
from clinicgraph.graph.project import Project, load_project, open_current
from clinicgraph.sparql.local import answer
from clinicgraph.sparql.serve.description import Dataset
from clinicgraph.vocab.vocabulary import load_vocabulary


def no_progress(items, length, label):
    """No progress bar: what tests and non-interactive runs use."""
    return nullcontext(items)


class BadUsage(ClinicgraphError):
    """Arguments that do not go together: the command line shows its usage (exit 2)."""


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
    written: int = 0  # pages made in this build (fewer than pages when incremental)

    def summary(self) -> str:
        counts = summary_counts(self.diagnostics)
        again = f" ({self.written} made again, the rest unchanged)" if self.written != self.pages else ""
        return (
            f"built {self.pages} page{'s' * (self.pages != 1)}{again}, {self.nodes} nodes, "
            f"{self.triples} triples in {self.seconds:.2f} s -> {self.output} "
            f"({counts['errors']} errors, {counts['warnings']} warnings)"
        )


def open_project(
    source: Path,
    schemaorg: Path | None = None,
    store: Path | None = None,
    changes_only: bool = False,
    content_required: bool = True,
    derive: bool = True,
) -> Project:
    """Load SOURCE and derive what ``[derive]`` asks for (nothing with ``derive=False``,
    ``--no-derive``); with ``changes_only`` and a ``store`` holding an earlier load, only
    the files that changed since (an incremental build starts so). Without content files
    it is refused unless not ``content_required``: audit reads other people's pages with a
    project that only names the site."""
    return load_project(
        Path(source),
        load_vocabulary(schemaorg),
        store,
        changes_only,
        content_required,
        derivation(Path(source), derive),
    )


def open_for_query(source: Path, store: Path | None = None, derive: bool = True) -> Project:
    """The project's graph for queries: an on-disk store is reused while it is current."""
    vocabulary = load_vocabulary(None)
    if store is None:
        return load_project(Path(source), vocabulary, derivation=derivation(Path(source), derive))
    return open_current(Path(source), vocabulary, Path(store), derivation(Path(source), derive))


def query(project: Project, text: str, format_name: str = "table", source: str | None = None) -> bytes:
    """Run a SPARQL query on the project's graph; the result in one format."""
    return answer(project.store, text, format_name, project.site.url, source)


def ask(
    source: str | None,
    text: str | None,
    query_file: Path | None,
    format_name: str = "table",
    endpoint: str | None = None,
    store: Path | None = None,
    derive: bool = True,
) -> bytes:
    """``query``'s arguments to its answer: the query as text or in a file, asked of
    SOURCE's graph or of a SPARQL endpoint (``query --endpoint URL 'SELECT ...'``: no SOURCE)."""
    if endpoint and text is None and source is not None and query_file is None:
        source, text = None, source
    if (text is None) == (query_file is None):
        raise BadUsage("give the query as an argument or with -f FILE, not both")
    label = str(query_file) if query_file else None
    if query_file is not None:
        text = query_file.read_text(encoding="utf-8")
    assert text is not None  # the query's text, or its file's: one of them, as checked above
    if endpoint:
        from clinicgraph.sparql.remote import Endpoint

        return Endpoint(endpoint).query(text, format_name, source=label)
    if source is None:
        raise BadUsage("give a SOURCE folder, or --endpoint URL")
    return query(open_for_query(Path(source), store, derive), text, format_name, label)


def explain(project: Project, iri: str, format_name: str = "text") -> bytes:
    """Every triple of the node ``iri`` (absolute, or relative to the site URL:
    ``#clinic``, ``conditions/x/#webpage``) with where it comes from: its source's file
    and line, or the rule (file, line, the solutions that made it) or step that derived it."""
    from urllib.parse import urljoin

    from clinicgraph.derive import explain as explaining

    node = urljoin(project.site.url, iri)
    explained = explaining.explain(project, node)
    writer = explaining.as_json if format_name == "json" else explaining.as_text
    return writer(node, explained).encode("utf-8")


def page_documents(project: Project) -> tuple[list[Page], PageExporter]:
    """The site's pages and the one source of their JSON-LD that build, embed and audit
    share, so the three can never disagree about a page's document."""
    pages = project.site_pages()
    return pages, PageExporter(project.store, {page.node for page in pages})


def validate(
    project: Project,
    shape_files: Sequence[Path] = (),
    remember: bool = False,
    jobs: int | None = None,
    today: date | None = None,
) -> list[Diagnostic]:
    """Every finding, date rules judged against ``today`` (default: ``[checks] today``,
    else the day of the run); ``jobs`` processes (default: two for a large site, if
    there are two cores)."""
    jobs = default_check_jobs(project) if jobs is None else jobs
    return run_checks(project, shape_files, remember, jobs, today)


def validated(
    project: Project,
    shape_files,
    allow_errors: bool,
    consequence: str,
    command: str,
    remember: bool = False,
    jobs: int | None = None,
    today: date | None = None,
) -> list[Diagnostic]:
    """Validate before publishing: data with errors is refused unless the user allows it."""
    diagnostics = validate(project, shape_files, remember, jobs, today)
    errors = summary_counts(diagnostics)["errors"]
    if errors and not allow_errors:
        raise DataHasErrors(
            f"{errors} error(s) in the data: {consequence} "
            f"(see `clinicgraph validate`, or {command} with --allow-errors)"
        )
    return diagnostics


def build(
    project: Project,
    output: Path,
    progress=no_progress,
    shape_files: Sequence[Path] = (),
    allow_errors: bool = False,
    jobs: int | None = None,
    today: date | None = None,
) -> BuildReport:
    """Validate, and write every page's JSON-LD and script snippet and the whole graph
    into ``output``, with ``jobs`` processes (default: one per CPU, for a site large
    enough to gain from it). With several processes the checks run while the pages
    are written, into a staging folder: data with errors is not published (the folder
    is removed) unless ``allow_errors``. From an on-disk store, only what changed since
    the last build (``graph.build_plan``)."""
    started = time.perf_counter()
    plan = plan_build(project, Path(output))
    project, make = plan.project, plan.make
    documents = PageExporter(project.store, {page.node for page in plan.pages})
    jobs = default_jobs(len(make)) if jobs is None else jobs
    plan.forget_previous()
    with incremental.output(plan) as folder:
        plan.mark(folder)
        checked: list[Diagnostic] = []

        def check() -> None:  # while the pages are written, into a folder removed if it raises
            # remembered in the store, in one process: the page workers have the other cores
            checked.extend(
                validated(project, shape_files, allow_errors, "nothing was written", "build", True, 1, today)
            )

        with progress(range(len(make)), len(make), "pages") as bar:
            counts = write_site(
                project.store,
                documents,
                make,
                folder,
                jobs,
                getattr(bar, "update", lambda n: None),
                meanwhile=check,
                dumps=incremental.dumps(plan),
            )
    plan.remember()
    assert counts is not None  # with the dumps, as a build writes them, write_site counts the graph
    return BuildReport(
        pages=len(plan.pages),
        nodes=counts.subjects,
        triples=counts.triples,
        seconds=time.perf_counter() - started,
        output=Path(output),
        diagnostics=checked,
        written=len(make),
    )


def find_page(project: Project, wanted: str) -> tuple[Page, list[Page]]:
    """The page whose url (or node IRI) is ``wanted``, a trailing slash aside."""
    pages = project.site_pages()
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


def push(
    project: Project,
    endpoint,
    graph: str | None = None,
    method: str = "auto",
    shape_files: Sequence[Path] = (),
    allow_errors: bool = False,
    today: date | None = None,
):
    """Validate, then replace the site's named graph (default: the site URL) in a SPARQL
    1.1 store (a ``sparql.remote.Endpoint``) with the project's whole graph."""
    from clinicgraph.sparql.push import push as push_graph

    validated(project, shape_files, allow_errors, "nothing was pushed", "push", today=today)
    return push_graph(endpoint, project.store.triples(), graph or project.site.url, method)


def open_remote(
    source: Path, endpoint, graph: str | None = None, schemaorg: Path | None = None, derive: bool = True
) -> Project:
    """A project whose graph is read from a SPARQL 1.1 store (a ``sparql.remote.Endpoint``):
    the site's named graph (default: the site URL), derived from as a load is; SOURCE
    gives clinicgraph.toml. What a pushed graph holds already derived counts as written
    (a page pushed with its breadcrumb keeps it)."""
    from clinicgraph.graph.config import load_site
    from clinicgraph.sparql.remote import load_graph

    site = load_site(Path(source))
    store = load_graph(endpoint, graph or site.url)
    project = Project(Path(source), site, store, load_vocabulary(schemaorg), sources=[graph or site.url])
    derivation(Path(source), derive).run(project)
    return project


# --- embed: the graph's JSON-LD into the HTML files of a static site -----------------


@dataclass
class EmbedReport:
    site: Path
    files: list[tuple[str, str, bool]]  # file under the site, page url, changed
    missing: list[tuple[str, list[str]]]  # page url, files looked for
    unclaimed: list[str]  # HTML files no page claims
    written: bool  # False for --check and --dry-run
    diff: bytes
    seconds: float
    diagnostics: list[Diagnostic]

    @property
    def changed(self) -> int:
        return sum(changed for _, _, changed in self.files)

    def lines(self) -> list[str]:
        """One line per page file, page without a file and file without a page."""
        done = "updated" if self.written else "would change"
        out = [
            f"{(self.site / relpath).as_posix()}: {done if changed else 'unchanged'}"
            for relpath, _, changed in self.files
        ]
        out += [
            f"{url}: no HTML file for this page (looked for {', '.join(looked)})"
            for url, looked in self.missing
        ]
        out += [
            f"{(self.site / relpath).as_posix()}: no page of the graph claims this file"
            for relpath in self.unclaimed
        ]
        return out

    def summary(self) -> str:
        counts = summary_counts(self.diagnostics)
        pages = len(self.files)
        verb = "embedded" if self.written else "checked"
        what = "updated" if self.written else "would change"
        return (
            f"{verb} {pages} page{'s' * (pages != 1)} in {self.seconds:.2f} s: {self.changed} {what}, "
            f"{pages - self.changed} unchanged, {len(self.missing)} without a file, "
            f"{len(self.unclaimed)} file{'s' * (len(self.unclaimed) != 1)} without a page "
            f"({counts['errors']} errors, {counts['warnings']} warnings)"
        )


def embed(
    project: Project,
    site_dir: Path,
    write: bool = True,
    map_file: Path | None = None,
    shape_files: Sequence[Path] = (),
    allow_errors: bool = False,
    want_diff: bool = False,
    today: date | None = None,
) -> EmbedReport:
    """Put each page's JSON-LD (the document build writes) into its HTML file under
    ``site_dir``; with ``write=False`` only say what would change. Data with errors is
    not published unless ``allow_errors``."""
    from clinicgraph.exporters import embed as embedding

    started = time.perf_counter()
    diagnostics = validated(project, shape_files, allow_errors, "no page was changed", "embed", today=today)
    pages, exporter_ = page_documents(project)
    documents = {page.url: dumps(exporter_.document(page)) for page in pages}
    plan = embedding.plan(Path(site_dir), pages, documents, project.site.url, map_file)
    if write:
        embedding.apply(plan)
    return EmbedReport(
        site=Path(site_dir),
        files=[(change.relpath, change.url, change.changed) for change in plan.files],
        missing=plan.missing,
        unclaimed=plan.unclaimed,
        written=write,
        diff=embedding.unified_diff(plan) if want_diff else b"",
        seconds=time.perf_counter() - started,
        diagnostics=diagnostics,
    )


# --- import and audit: the structured data HTML pages already carry ------------------


def import_html(paths: list[Path], base: str | None = None, limits=None) -> html_import.ImportReport:
    """The schema.org data of HTML pages (files, or every HTML file under folders) as one
    Turtle source file (``graph.html_import``)."""
    return html_import.import_html(paths, base, limits)


@dataclass
class AuditReport:
    site: Path
    files: int  # HTML files read
    pages: int  # pages of the graph
    diagnostics: list[Diagnostic]
    seconds: float

    def summary(self) -> str:
        return (
            f"audited {self.files} HTML file{'s' * (self.files != 1)} ({self.pages} page"
            f"{'s' * (self.pages != 1)} of the graph) in {self.seconds:.2f} s"
        )


def audit(
    project: Project,
    site_dir: Path,
    map_file: Path | None = None,
    shape_files: Sequence[Path] = (),
    today: date | None = None,
) -> AuditReport:
    """Every HTML file of a built site: its markup read, checked with the validate rules
    (date rules against one ``today`` for every page), and, for the graph's pages (found
    as ``embed`` finds them), compared with the graph."""
    from clinicgraph.checks import audit as rules
    from clinicgraph.checks.report import ordered
    from clinicgraph.graph.html_source import read_markup, url_path
    from clinicgraph.site.files import map_site

    started = time.perf_counter()
    site_dir = Path(site_dir)
    pages, documents = page_documents(project)
    by_url = {page.url: page for page in pages}
    site = map_site(site_dir, pages, project.site.url, map_file)
    found, today = [], project.site.checks.day(today)
    for target in site.targets:
        markup = read_markup(
            target.path.read_bytes(), (site_dir / target.relpath).as_posix(), base=target.url
        )
        found += rules.audit_page(
            markup,
            documents.document(by_url[target.url]),
            project.site,
            project.vocabulary,
            list(shape_files),
            today,
        )
    for relpath in site.unclaimed:
        markup = read_markup(
            (site_dir / relpath).read_bytes(),
            (site_dir / relpath).as_posix(),
            fallback=project.site.url + url_path(relpath),
        )
        found += rules.audit_page(markup, None, project.site, project.vocabulary, list(shape_files), today)
    for url, looked in site.missing:
        found.append(rules.missing_file(url, looked, project.where(by_url[url].node.value)))
    return AuditReport(
        site_dir,
        len(site.targets) + len(site.unclaimed),
        len(pages),
        ordered(rules.merge_repeats(found)),
        time.perf_counter() - started,
    )


# --- serve: the files the endpoint serves, kept beside its store ------------------------

SERVED_MARKER = "clinicgraph-served.json"  # in serve's folder: the load it was written from


def publish_for_serve(
    source: Path, store: Path, folder: Path, derive: bool = True
) -> tuple[str, str, Dataset]:
    """Load SOURCE into the on-disk ``store`` (reused while current) and write into
    ``folder`` what `serve` sends as files: each page's JSON-LD at the paths build uses,
    and the whole graph as Turtle, N-Triples and JSON-LD. A folder written from the same
    load is kept as it is, so a restart over a current store takes seconds, not the
    minutes of writing two million triples' pages again.

    Not validated: serve answers questions about the graph as it is, errors included
    (`clinicgraph validate` says what is wrong), and on a large site the checks cost
    a minute at every start. Returns (site URL, a few words on what is served, the
    dataset: its source graphs, and whether the store keeps their merge)."""
    import json

    from clinicgraph.graph.ids import source_graph

    project = open_for_query(source, store, derive)
    project.store.keep_merge()  # before the files: pages and dumps then read the merge, if kept
    assert project.fingerprint is not None  # a project from an on-disk store knows its load
    load = project.fingerprint.text
    folder, marker = Path(folder), Path(folder) / SERVED_MARKER
    try:
        kept = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if kept.get("load") != load:
        remove_tree(folder)  # written by an earlier serve from another load
        pages, documents = page_documents(project)
        write_site(
            project.store,
            documents,
            pages,
            folder,
            default_jobs(len(pages)),
            with_dumps=False,
            snippets=False,
        )  # serve sends JSON-LD files, not snippets
        (folder / "jsonld").mkdir(parents=True, exist_ok=True)  # a site without pages
        counts = write_dumps(project.store, folder)  # graph.nt and graph.ttl, as build writes them
        write_file(folder, "graph.jsonld", exporter("jsonld")(project.store))
        kept = {
            "load": load,
            "summary": f"{len(pages)} page{'s' * (len(pages) != 1)}, {counts.triples} triples",
        }
        marker.write_text(json.dumps(kept), encoding="utf-8")  # last: a folder cut short is written again
    graphs = [source_graph(relpath) for relpath in project.sources] + derived_graphs(project.store)
    dataset = Dataset(tuple(graphs), project.store.merged)
    return project.site.url, kept["summary"], dataset
