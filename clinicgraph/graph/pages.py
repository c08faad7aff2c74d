"""Pages: the graph's WebPage nodes (any subtype) whose ``url`` lies under the site URL.

A page's share of the graph is every node reachable from it, except other pages
(those are only referred to), since search engines read each page alone.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pyoxigraph import BlankNode, NamedNode

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.config import Site
from clinicgraph.graph.store import Node, Store
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA
from clinicgraph.vocab.vocabulary import Vocabulary

_PAGES = (
    """SELECT DISTINCT ?page ?url WHERE {{
  VALUES ?type {{ {types} }} ?page <"""
    + RDF_TYPE
    + "> ?type ; <"
    + SCHEMA
    + """url> ?url . FILTER(isIRI(?page)) }}"""
)


@dataclass(frozen=True)
class Page:
    node: NamedNode
    url: str
    path: str  # the URL's path below the site URL, "" for the home page
    stem: str = ""  # the page's output file without its suffix (set by find_pages)

    def file(self, suffix: str) -> str:
        """The page's output file: ``conditions/back-spasms/`` -> ``conditions/back-spasms{suffix}``,
        ``about.html`` -> ``about{suffix}``, the home page ``index{suffix}``. One file per
        page and no folder of its own: a folder is one more inode per file, and making
        inodes was half of a large build's time (static hosts call these "ugly URLs")."""
        return (self.stem or file_stem(self.path)) + suffix


def file_stem(path: str) -> str:
    stem = unquote(path).rstrip("/") or "index"
    for ending in (".html", ".htm"):
        if stem.endswith(ending):
            return stem[: -len(ending)]
    return stem


def find_pages(
    store: Store,
    site: Site,
    vocabulary: Vocabulary,
    known: dict[str, tuple[str, str]] | None = None,
    changed=(),
) -> list[Page]:
    """The site's pages, sorted by url. With ``known`` (node IRI -> url and file stem,
    the pages of the previous build), only the nodes in ``changed`` (those whose types
    or url changed) are asked of the store again, and only their paths judged again."""
    by_node: dict[NamedNode, set[str]] = {}
    types = " ".join(f"<{SCHEMA}{name}>" for name in sorted(vocabulary.subtypes("WebPage")))
    query = _PAGES.format(types=types)
    kept: list[Page] = []
    if known is not None:
        again = {node for node in changed if isinstance(node, NamedNode)}
        kept = [
            Page(node, url, _path_of(url, site.url), stem)
            for iri, (url, stem) in known.items()
            if (node := NamedNode(iri)) not in again
        ]
        query = query.replace("VALUES ?type", "VALUES ?page { %s } VALUES ?type" % " ".join(map(str, again)))
    for node, url in store.query(query) if known is None or again else ():
        url = url.value.split("#")[0]
        if url.startswith(site.url):
            by_node.setdefault(node, set()).add(url)
    pages, claimed = kept, {page.url: page.node for page in kept}
    site_path = urlsplit(site.url).path
    for node, urls in by_node.items():
        if len(urls) > 1:
            raise SourceError(f"page {node.value} has several urls under the site: {', '.join(sorted(urls))}")
        url = urls.pop()
        if url in claimed:
            raise SourceError(f"two pages claim the url {url}: {claimed[url].value} and {node.value}")
        claimed[url] = node
        path = _safe_path(site_path + url[len(site.url) :].split("?")[0], site_path, url)  # urlsplit's path
        pages.append(Page(node, url, path, file_stem(path)))
    pages.sort(key=lambda page: page.url)
    _refuse_file_clashes(pages)
    return pages


def _refuse_file_clashes(pages: list[Page]) -> None:
    """Two urls whose output files would clash (``/x`` and ``/x.html``, or ``/x.jsonld``
    and ``/x.jsonld/``): refused before anything is written."""
    files: dict[str, Page] = {}
    for page in pages:
        other = files.setdefault(page.file(""), page)
        if other is not page:
            raise SourceError(
                f"pages {other.url} and {page.url} would be written to the same file: "
                "give one of them another url"
            )
    folders = {parent for name in files for parent in _folders(name)}
    for name, page in files.items():
        if name + ".jsonld" in folders or name + ".html" in folders:
            raise SourceError(
                f"page {page.url} would be written where another page's folder is: "
                "give one of them another url"
            )


def _folders(name: str):
    """The folders a file name lies in: ``a/b/c`` -> ``a``, ``a/b``."""
    index = name.find("/")
    while index != -1:
        yield name[:index]
        index = name.find("/", index + 1)


def _path_of(url: str, site_url: str) -> str:
    """What ``_safe_path`` gives for a url it let pass in an earlier build."""
    return url[len(site_url) :].split("?")[0]


def _safe_path(path: str, site_path: str, url: str) -> str:
    relative = path[len(site_path) :] if path.startswith(site_path) else path.lstrip("/")
    parts = unquote(relative).split("/") if relative else ()
    if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts) or "//" in relative:
        raise SourceError(f"page url {url} has a path that cannot be a file name")
    return relative


def closure(store: Store, root: Node, stop: set[NamedNode]) -> list[Node]:
    """The nodes of ``root``'s document, breadth first: ``root``, then what it reaches.

    Nodes with no triples of their own (links, enumeration members) are not members;
    nodes in ``stop`` (the pages; ``root`` itself may be among them) are not entered.
    """
    members, queue = [root], deque([root])
    seen = {root}
    while queue:
        for _, obj in store.describe(queue.popleft()):
            if isinstance(obj, (NamedNode, BlankNode)) and obj not in seen:
                seen.add(obj)
                if obj not in stop and store.describe(obj):
                    members.append(obj)
                    queue.append(obj)
    return members
