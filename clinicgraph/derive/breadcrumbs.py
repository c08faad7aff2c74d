"""Breadcrumbs: each page's BreadcrumbList, from the site's home down to the page along
its URL path (``Home > Conditions > Back Spasms`` for ``/conditions/back-spasms/``).

**Levels.** The trail of ``/a/b/page`` has the levels ``/``, ``/a/``, ``/a/b/`` and the page.
A folder level is the page at that folder's URL (``/a/``, or ``/a``, ``/a.html``,
``/a/index.html``, first found in that order) if there is one. Its name is, first found:
the folder's key in ``[derive.breadcrumbs] names`` (or the page's own path there); the
page's ``name`` (every one, so each language keeps its own), else its ``headline``; for
the home level, ``[site] name``. A level with no name is left out (the positions close
up) and an info finding names its path. The page itself always ends its trail, named
or not (Google's breadcrumb rules then say what is missing).

**Every item carries ``item``.** Google allows the last ListItem without ``item`` (it
then takes the page's URL), but the graph is read without a containing page too (dumps,
SPARQL, other pages); with ``item`` on every level a ListItem means the same wherever it
is read, so one ListItem per level serves every trail through it: ``/a/``'s item is
shared by all the pages below ``/a/``, and a page's own item by its children's trails.
That halves what is written (a page costs its list, its links to the items and its own
item: 9 triples at depth 3, not 17), which is what the store's indexing time follows.

**Names of nodes.** ``{page-url}#cg:breadcrumb`` for a page's list, ``{level-url}#cg:breadcrumb-item``
for a level's ListItem (graph/ids.py: ``cg:`` fragments are reserved for derived nodes).

**Cost.** One query for the pages that have a breadcrumb of their own, one for the
pages' names, then one pass over the pages: each folder's trail is made once and kept.
"""

from __future__ import annotations

from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, QueryResultsFormat

from clinicgraph.derive import Derived, Finding, step_graph
from clinicgraph.graph import ids
from clinicgraph.graph.config import Site
from clinicgraph.graph.pages import Page
from clinicgraph.graph.store import Store
from clinicgraph.vocab.namespaces import SCHEMA

GRAPH = step_graph("breadcrumbs")
BREADCRUMB, NAME, HEADLINE = (
    NamedNode(SCHEMA + "breadcrumb"),
    NamedNode(SCHEMA + "name"),
    NamedNode(SCHEMA + "headline"),
)
LEVEL_UNNAMED = "derive/breadcrumb-level-unnamed"  # the rules of its findings (checks.notes declares them)
NAME_UNUSED = "derive/breadcrumb-name-unused"
FOLDER_PAGES = ("", "-", "-.html", "-.htm", "index.html", "index.htm")  # "-": the folder without its "/"


def derive_breadcrumbs(store: Store, site: Site, pages: list[Page]) -> Derived:
    """The breadcrumbs of the pages that have none of their own (in a graph other than
    this step's own)."""
    own = _with_breadcrumb(store)
    trails = _Trails(site, pages, _labels(store, pages))
    for page in pages:
        if page.node not in own:
            trails.add(page)
    return Derived({GRAPH: "".join(trails.turtle)}, trails.findings())


def _with_breadcrumb(store: Store) -> set[NamedNode]:
    query = (
        f"SELECT DISTINCT ?page WHERE {{ GRAPH ?g {{ ?page <{BREADCRUMB.value}> ?list }} "
        f"FILTER (?g != <{GRAPH.value}>) }}"
    )
    return {row[0] for row in store.query(query)}


def _labels(store: Store, pages: list[Page]) -> dict[str, str]:
    """Each page's names, else its headlines, as Turtle (``"A"@en, "B"@fr``, sorted),
    by the page's node as Turtle: one query for each, over every node, its results
    read as TSV (whose terms are Turtle's), not made into Python terms one by one."""
    nodes = {str(page.node) for page in pages}
    labels: dict[str, str] = {}
    for predicate in (NAME, HEADLINE):
        query = f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{predicate.value}> ?o FILTER (isLiteral(?o)) }}"
        found: dict[str, list[str]] = {}
        for row in (
            store.query(query).serialize(format=QueryResultsFormat.TSV).decode("utf-8").split("\n")[1:]
        ):
            node, _, label = row.partition("\t")
            if node in nodes and node not in labels:
                found.setdefault(node, []).append(label)
        labels |= {node: ", ".join(sorted(values)) for node, values in found.items()}
        if len(labels) == len(nodes):
            break
    return labels


def folder_of(path: str) -> str:
    """The folder a path lies in: ``a/b/`` -> ``a/``, ``a/b.html`` -> ``a/``, ``a/`` -> ``""``."""
    return path[: path.rstrip("/").rfind("/") + 1]


def own_folder(path: str) -> str | None:
    """The folder a page stands for (``a/``, ``a/index.html``, ``""``), or None."""
    if path == "" or path.endswith("/"):
        return path
    folder = folder_of(path)
    return folder if path[len(folder) :] in ("index.html", "index.htm") else None


def folder_key(path: str) -> str:
    """The folder level a page's path would stand for: ``a/``, ``a``, ``a.html`` and
    ``a/index.html`` all give ``a/`` (so ``names`` can name it either way)."""
    folder = own_folder(path)
    if folder is not None:
        return folder
    for ending in (".html", ".htm"):
        path = path.removesuffix(ending)
    return path + "/"


class _Trails:
    """The trails of one site's pages as Turtle, each folder's made once. Text, not quads:
    Oxigraph parses it into the store for less than a third of what making the same
    quads one Python object at a time costs."""

    def __init__(self, site: Site, pages: list[Page], labels: dict[str, str]):
        self.site, self.labels, self.names = site, labels, dict(site.derive.names)
        self.by_path: dict[str, Page] = {}
        for page in pages:  # sorted by url: the first of a path (urls that differ by query) stands for it
            self.by_path.setdefault(page.path, page)
        self.chains: dict[str, tuple[str, ...]] = {}  # folder -> its trail's items, as Turtle
        self.items: dict[str, str] = {}  # a level's url -> its item, as Turtle
        self.left_out: dict[str, Finding] = {}
        self.used: set[str] = set()
        self.turtle: list[str] = [f"@prefix s: <{SCHEMA}> .\n"]

    def add(self, page: Page) -> None:
        """The page's list: the trail of the folder above it, then the page's own item."""
        folder = own_folder(page.path)
        above = () if folder == "" else self.chain(folder_of(page.path if folder is None else folder))
        crumbs = ", ".join((*above, self.item(page.url, self.label(page.path, page), len(above) + 1)))
        trail = f"<{ids.derived_node(page.url, 'breadcrumb')}>"
        self.turtle.append(
            f"{page.node} s:breadcrumb {trail} .\n{trail} a s:BreadcrumbList ; s:itemListElement {crumbs} .\n"
        )

    def chain(self, folder: str) -> tuple[str, ...]:
        """The items from the home level down to ``folder``'s (levels without a name left
        out), made once per folder: the folders above first, top down."""
        missing = []
        while folder not in self.chains:
            missing.append(folder)
            if folder == "":
                break
            folder = folder_of(folder)
        for folder in reversed(missing):
            above = self.chains[folder_of(folder)] if folder else ()
            page = self.folder_page(folder)
            label = self.label(page.path if page else folder, page)
            if label:
                self.chains[folder] = (
                    *above,
                    self.item(page.url if page else self.site.url + folder, label, len(above) + 1),
                )
            else:
                self.chains[folder] = above
                self.leave_out(folder, page)
        return self.chains[folder]

    def folder_page(self, folder: str) -> Page | None:
        stem = folder.rstrip("/")
        for ending in FOLDER_PAGES:
            path = stem + ending[1:] if ending.startswith("-") else folder + ending
            if (page := self.by_path.get(path)) is not None:
                return page
        return None

    def label(self, path: str, page: Page | None) -> str:
        """The names of the level at ``path`` (a page's own path, or a folder without a
        page), as Turtle: ``names``' for the path or for the folder a page stands for
        (``/a/`` for ``/a``, ``/a.html``, ``/a/index.html``), the page's own, or (at home)
        the site's; "" if it has none."""
        folder = path if page is None else folder_key(path)
        for key in dict.fromkeys((unquote(path), unquote(folder))):
            if (name := self.names.get(key)) is not None:
                self.used.add(key)
                return str(Literal(name))
        if page is not None and (own := self.labels.get(str(page.node))):
            return own
        return str(Literal(self.site.name)) if folder == "" and self.site.name else ""

    def item(self, url: str, label: str, position: int) -> str:
        """The ListItem of the level at ``url`` (written the first time it is asked for)."""
        item = self.items.get(url)
        if item is None:
            item = self.items[url] = f"<{ids.derived_node(url, 'breadcrumb-item')}>"
            name = f" ; s:name {label}" if label else ""
            self.turtle.append(f"{item} a s:ListItem ; s:position {position}{name} ; s:item <{url}> .\n")
        return item

    def leave_out(self, folder: str, page: Page | None) -> None:
        shown = "/" + folder
        if page is None:
            message = (
                f"{shown} is no page and [derive.breadcrumbs] names gives it no name: it is left "
                "out of the breadcrumbs of the pages below it"
            )
            hint = f'Name it in clinicgraph.toml: [derive.breadcrumbs] names = {{ "{shown}" = "..." }}, or add its page.'
        else:
            message = (
                f"the page at {shown} has no name: it is left out of the breadcrumbs of the pages below it"
            )
            hint = f"Give {page.node.value} a name (or name {shown} in [derive.breadcrumbs] names)."
        node = page.node.value if page is not None else None
        self.left_out[folder] = Finding(LEVEL_UNNAMED, "info", message, hint, shown, node)

    def findings(self) -> list[Finding]:
        unused = [
            Finding(
                NAME_UNUSED,
                "info",
                f"[derive.breadcrumbs] names /{path}, which is no level of any page's breadcrumb",
                'Write the path as it appears in the pages\' URLs below the site URL, e.g. "/conditions/".',
                "/" + path,
            )
            for path in sorted(set(self.names) - self.used)
        ]
        return [self.left_out[folder] for folder in sorted(self.left_out)] + unused
