"""`clinicgraph import`: the schema.org data HTML pages already carry, as one Turtle source
file a project can start from.

Every page's markup is read (``html_source``), its triples kept once, and written sorted
with the provenance as comments, so two imports of the same pages are byte-identical and
the file stays schema.org's own data. It reads the store's kind of data (quads) and the
project's configuration, which is why it lives with the graph and not with the HTML sites
(``site`` finds the files).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.config import load_site, project_for_site
from clinicgraph.graph.html_markup import Markup
from clinicgraph.graph.limits import DEFAULT, Limits, check_size
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.site.files import html_files
from clinicgraph.vocab.namespaces import PREFIXES, RDF_TYPE


@dataclass
class ImportReport:
    turtle: bytes
    pages: list[tuple[str, str, int]]  # file, page url, triples it carries
    nodes: int
    triples: int
    warnings: list[str]  # "file:line: warning: ..." lines
    seconds: float

    def summary(self, output: str) -> str:
        carrying = sum(1 for *_, count in self.pages if count)
        return (
            f"imported {len(self.pages)} page{'s' * (len(self.pages) != 1)} ({carrying} with markup): "
            f"{self.nodes} nodes, {self.triples} triples in {self.seconds:.2f} s -> {output} "
            f"({len(self.warnings)} warning{'s' * (len(self.warnings) != 1)})"
        )


def import_html(paths: list[Path], base: str | None = None, limits: Limits | None = None) -> ImportReport:
    """The schema.org data of HTML pages (files, or every HTML file under folders) as one
    Turtle source file. A page's URL: ``base`` (a folder's URL, or a file's), else its
    canonical link, else the site URL of a clinicgraph.toml above the folder plus the
    file's path, else its file: URI."""
    limits = limits or DEFAULT
    if base is not None and (urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc):
        raise ClinicgraphError(f"--base must be an absolute http(s) URL, not {base!r}")
    started = time.perf_counter()
    pages = [page for path in map(Path, paths) for page in _pages_at(path, base, limits)]
    if not pages:
        raise ClinicgraphError("no HTML files (.html, .htm) here", paths[0] if paths else ".")
    triples, pages_of, warnings = _imported(pages)
    return ImportReport(
        _import_turtle(triples, pages_of, pages),
        [(m.file, m.url, len(m.quads())) for _, m in pages],
        len(pages_of),
        len(triples),
        warnings,
        time.perf_counter() - started,
    )


def _pages_at(path: Path, base: str | None, limits: Limits) -> list[tuple[str, Markup]]:
    """The markup of a file, or of every HTML file under a folder, each with its name in
    the Turtle (the path as given, or the path under the folder)."""
    from clinicgraph.graph.html_source import read_markup, url_path  # extruct, pyRdfa: when used

    if path.is_file():
        check_size(path, path.as_posix(), limits)
        return [
            (
                path.as_posix(),
                read_markup(path.read_bytes(), path.as_posix(), base, path.resolve().as_uri(), limits),
            )
        ]
    if not path.is_dir():
        raise ClinicgraphError("no such file or folder", path)
    site_url = _folder_url(path, base)
    pages = []
    for relpath in html_files(path.resolve()):
        url = site_url + url_path(relpath) if site_url else (path.resolve() / relpath).as_uri()
        file = path / relpath
        check_size(file, file.as_posix(), limits)
        pages.append(
            (relpath, read_markup(file.read_bytes(), file.as_posix(), url if base else None, url, limits))
        )
    return pages


def _folder_url(folder: Path, base: str | None) -> str | None:
    """The URL of a folder of pages: ``base``, else the site URL of a clinicgraph.toml
    above it; None (canonical links, else file: URIs) without either."""
    try:
        site_url = base or load_site(project_for_site(folder)).url
    except ClinicgraphError:
        return None
    return site_url if site_url.endswith("/") else site_url + "/"


def _imported(pages) -> tuple[list, dict, list[str]]:
    """Every page's triples once, the pages describing each node (by their names in the
    Turtle), and the warnings: blocks and values not read, ids resolved against a file:
    URI, and a node described differently on two pages."""
    triples: set[Triple] = set()
    pages_of: dict[NamedNode | BlankNode, set[str]] = {}
    seen: dict = {}
    warnings: list[str] = []
    for name, markup in pages:
        warnings += [
            f"{markup.file}{f':{p.line}' if p.line else ''}: warning: {p.message}" for p in markup.problems
        ]
        described: dict = {}
        for quad in markup.quads():
            triples.add(Triple(quad.subject, quad.predicate, quad.object))
            pages_of.setdefault(quad.subject, set()).add(name)
            if not isinstance(quad.object, BlankNode):
                described.setdefault(quad.subject, set()).add((quad.predicate, quad.object))
        if any(isinstance(node, NamedNode) and node.value.startswith("file:") for node in described):
            warnings.append(
                f"{markup.file}: warning: no URL known for this page: its ids were resolved against "
                "its file: URI (give --base URL, or a canonical link)"
            )
        for node, pairs in described.items():
            other = seen.setdefault(node, (pairs, markup.file))
            if not isinstance(node, BlankNode) and other[0] != pairs:
                warnings.append(
                    f"{markup.file}: warning: {node.value} is described differently here than "
                    f"in {other[1]}; the import keeps both descriptions"
                )
    key = lambda term: (isinstance(term, BlankNode), term.value, str(term))  # noqa: E731
    ordered_triples = sorted(
        triples,
        key=lambda t: (key(t.subject), t.predicate.value != RDF_TYPE, str(t.predicate), key(t.object)),
    )
    return ordered_triples, pages_of, warnings


def _import_turtle(triples, pages_of: dict, pages) -> bytes:
    """Turtle, sorted, with the provenance as comments (the data stays schema.org's own):
    a header naming each page and its URL, and before each node the pages describing it.
    A page of a folder is named by its path in the folder (so the file is the same wherever
    the command runs from), a page given as a file as it was given."""

    def safe(text: str) -> str:  # a file name or URL must not end the comment line
        return "".join(" " if c in "\r\n\x0b\x0c\x85\u2028\u2029" else c for c in text)

    carrying = {name for name, m in pages if m.blocks}
    lines = ["# Imported by `clinicgraph import` from the schema.org markup (JSON-LD, Microdata, RDFa) of:"]
    lines += [f"#   {safe(name)}  <{safe(m.url)}>" for name, m in pages if m.blocks]
    lines += ["# Before each node: the pages whose markup describes it.", "", ""]
    body = []
    for subject, group in groupby(triples, key=lambda t: t.subject):
        files = sorted(pages_of[subject])
        where = (
            f"every page with markup ({len(files)})"
            if len(carrying) > 1 and set(files) == carrying
            else ", ".join(safe(file) for file in files)
        )
        # pyoxigraph escapes LF and CR inside strings, so b"\n" ends a line of its Turtle; a string's
        # U+2028, U+2029 or U+0085 is no line end in Turtle (str.splitlines would cut the string there)
        turtle = rdf_bytes(list(group), RdfFormat.TURTLE, PREFIXES).decode("utf-8")
        body.append(
            f"# on {where}\n"
            + "".join(line + "\n" for line in turtle.split("\n") if line and not line.startswith("@prefix"))
        )
    prefixes = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    return ("\n".join(lines) + prefixes + "\n" + "\n".join(body)).encode("utf-8")
