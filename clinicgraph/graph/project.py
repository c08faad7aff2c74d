"""A project folder -> a loaded store: ``clinicgraph.toml`` plus every source file in it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from clinicgraph.core.build_marker import BUILD_MARKER
from clinicgraph.core.errors import SourceError
from clinicgraph.graph import ids
from clinicgraph.graph.config import CONFIG_NAME, Site, load_site
from clinicgraph.graph.loaded import Loaded, Note
from clinicgraph.graph.pages import Page, find_pages
from clinicgraph.graph.rdf_source import insert, scan_lines
from clinicgraph.graph.source_formats import source_format, suffixes_named
from clinicgraph.graph.store import Store
from clinicgraph.graph.store_records import LoadFingerprint, forget_load, read_notes, write_notes
from clinicgraph.graph.terms import TermResolver
from clinicgraph.vocab.context import ID, coercion
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA, schema_term
from clinicgraph.vocab.vocabulary import Vocabulary

SCHEMA_URL = SCHEMA + "url"


@dataclass
class Delta:
    """What an incremental load changed in the union graph, since the load before."""

    gained: set[Triple]  # triples the union graph holds now and did not before
    lost: set[Triple]  # and the other way round
    files: set[str]  # sources read again, or gone
    file_subjects: set  # subjects of those sources' triples, before and after
    nodes: set = field(default_factory=set)  # whose page documents the change may alter
    # of the triples the graphs read again gained or lost, whatever other graphs say
    # (what a rule reads: a rule does not read every graph of the union)
    predicates: set[str] = field(default_factory=set)
    since: LoadFingerprint | None = None  # the load the store held before


@dataclass(frozen=True)
class Derivation:
    """What runs between the load and everything that reads the graph (the derive room,
    which the graph room cannot import: ``pipeline`` hands it in). ``key`` is what its
    result depends on besides the sources and clinicgraph.toml (whether it runs, the
    rules' files), kept in the load's fingerprint so a store derived otherwise is not
    taken for current."""

    key: str
    run: Callable[[Project], None]


@dataclass
class Project:
    root: Path
    site: Site
    store: Store
    vocabulary: Vocabulary
    sources: list[str] = field(default_factory=list)
    node_lines: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    value_lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    notes: list[tuple[str, Note]] = field(default_factory=list)  # (file, note) of the sources read

    unscanned: list[Path] = field(default_factory=list)  # RDF files whose lines are not read yet
    fingerprint: LoadFingerprint | None = None  # what the store was loaded from
    delta: Delta | None = None  # what the load changed: None after a full load
    disk: Store | None = None  # the on-disk store, when ``store`` is its copy in memory
    page_nodes: dict[str, str] = field(default_factory=dict)  # page url -> its node, once derived
    # The pages as derivation found them, after the rules (what runs later writes no type
    # and no url, so they stay the site's pages): None until a derivation found them.
    pages: list[Page] | None = None

    @property
    def store_home(self) -> Path | None:
        """The folder of the on-disk store the project was loaded into, if any."""
        return (self.disk if self.disk is not None else self.store).path

    def in_memory(self) -> Project:
        """This project over a copy of its on-disk store in memory (kept open, and so
        locked, beside it); a project already in memory as it is."""
        if self.store.path is None:
            return self
        return replace(self, store=self.store.memory_copy(), disk=self.store)

    def site_pages(self) -> list[Page]:
        """The site's pages: derivation's, else found now (a large site's take seconds)."""
        if self.pages is None:
            self.pages = find_pages(self.store, self.site, self.vocabulary)
        return self.pages

    def where(self, iri: str, predicate: str | None = None) -> tuple[str | None, int | None]:
        """The file and line where a node, or one of its properties, was written."""
        if predicate is not None and (iri, predicate) in self.value_lines:
            return self.value_lines[(iri, predicate)]
        if ids.is_derived_node(iri) and iri not in self.node_lines:  # where its page is written
            page = self.page_nodes.get(iri.split("#")[0])
            return self.where(page) if page is not None else (None, None)
        found = self.node_lines.get(iri, (None, None))
        if found[1] is None and self.unscanned:
            self._scan_rdf_files()
            return self.where(iri, predicate)
        return found

    def _scan_rdf_files(self) -> None:
        """Read RDF sources for line numbers: on the first diagnostic that needs one, not at
        every load (a large Turtle file takes seconds to scan)."""
        for path in self.unscanned:
            file = path.as_posix()
            nodes, values = scan_lines(path, path.relative_to(self.root).as_posix(), self.site)
            for iri, line in nodes.items():
                if self.node_lines.get(iri, (None, None))[1] is None:
                    self.node_lines[iri] = (file, line)
            for key, line in values.items():
                self.value_lines.setdefault(key, (file, line))
        self.unscanned = []


def source_files(root: Path, skip: AbstractSet[Path] = frozenset()) -> list[Path]:
    """Source files under the project, in a stable order, leaving out hidden folders,
    build outputs and the store."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if any(
            (root / Path(*relative.parts[:i]) / BUILD_MARKER).exists()
            or (root / Path(*relative.parts[:i])).resolve() in skip
            for i in range(1, len(relative.parts))
        ):
            continue
        if path.is_file() and source_format(path) is not None:
            found.append(path)
    return found


def load_project(
    root: Path,
    vocabulary: Vocabulary,
    store_path: Path | None = None,
    changes_only: bool = False,
    content_required: bool = True,
    derivation: Derivation | None = None,
) -> Project:
    """Load every source into the store, then run ``derivation`` on it. With
    ``changes_only`` and an on-disk store that holds an earlier load of this project,
    only the graphs of the files that changed are replaced (unchanged YAML files are
    still read, for their line numbers) and ``Project.delta`` says what the change did.
    A project without content files is refused unless not ``content_required`` (an
    audit of other people's pages)."""
    site = load_site(root)
    files = source_files(root, {store_path.resolve()} if store_path else set())
    if not files and content_required:
        raise SourceError(f"no content files: add {suffixes_named()} files beside {CONFIG_NAME}", root)
    fingerprint = _fingerprint(root, files, vocabulary, derivation)  # before reading, once
    earlier, kept, kept_notes = _reusable(store_path if changes_only else None, fingerprint)
    loaded = _read_sources(root, site, files, TermResolver(vocabulary), kept, kept_notes)
    project = _project(root, site, Store(store_path), vocabulary, loaded, fingerprint)
    if store_path is not None:
        forget_load(store_path)
    changed = [item for item in loaded if item.relpath not in kept]
    project.delta = _fill_store(project, loaded, changed, earlier)
    _check_references(project, changed)
    _check_page_urls(project, loaded)
    if derivation is not None:
        derivation.run(project)
    if store_path is not None:
        write_notes(store_path, loaded)
        fingerprint.write(store_path)
    return project


def _fingerprint(
    root: Path, files: list[Path], vocabulary: Vocabulary, derivation: Derivation | None
) -> LoadFingerprint:
    key = derivation.key if derivation is not None else ""
    return LoadFingerprint.taken(root, root / CONFIG_NAME, files, vocabulary, key)


def _reusable(
    store_path: Path | None, fingerprint: LoadFingerprint
) -> tuple[LoadFingerprint | None, set[str], dict[str, list[Note]]]:
    """What a load can keep of the store's last one: that load (None: load everything),
    the sources unchanged since, and their notes."""
    if store_path is None:
        return None, set(), {}
    earlier = LoadFingerprint.read(store_path)
    kept = fingerprint.unchanged_since(earlier)
    notes = read_notes(store_path) if kept else None
    if notes is None:
        return None, set(), {}
    return earlier, kept, notes


def _read_sources(
    root: Path,
    site: Site,
    files: list[Path],
    terms: TermResolver,
    kept: set[str],
    kept_notes: dict[str, list[Note]],
) -> list[Loaded]:
    """Every source read, but the unchanged RDF files, whose graphs the store holds."""
    loaded: list[Loaded] = []
    for path in files:
        relpath = path.relative_to(root).as_posix()
        known = source_format(path)
        assert known is not None, "source_files lists sources only"
        if relpath in kept and not known.read_again:  # its graph is in the store already
            loaded.append(Loaded(relpath, lines_later=path, notes=kept_notes.get(relpath, [])))
            continue
        try:
            loaded.append(known.load(path, relpath, site, terms))
        except SourceError as error:
            error.path = (root / relpath).as_posix()  # name the file as the user can open it
            raise
    return loaded


def _project(
    root: Path,
    site: Site,
    store: Store,
    vocabulary: Vocabulary,
    loaded: list[Loaded],
    fingerprint: LoadFingerprint,
) -> Project:
    """The project of these sources: where each node and value is written, the loaders' notes."""
    project = Project(
        root, site, store, vocabulary, sources=[item.relpath for item in loaded], fingerprint=fingerprint
    )
    for item in loaded:
        file = (root / item.relpath).as_posix()
        for iri, line in item.node_lines.items():
            project.node_lines.setdefault(iri, (file, line))
        for key, line in item.value_lines.items():
            project.value_lines.setdefault(key, (file, line))
        project.notes += [(file, note) for note in item.notes]
        if item.lines_later is not None:
            project.unscanned.append(root / item.relpath)
    return project


def _fill_store(
    project: Project, loaded: list[Loaded], changed: list[Loaded], earlier: LoadFingerprint | None
) -> Delta | None:
    """Put the graphs of the sources read into the store: into an empty store after a
    full load (None), else in place of their earlier graphs, the graphs of files gone
    dropped; and what that changed."""
    store = project.store
    if earlier is None:
        store.replace_all([])
        _add_graphs(project, changed)
        store.flush()
        return None
    gone = earlier.files() - {item.relpath for item in loaded}
    files = [*gone, *(item.relpath for item in changed)]
    before = store.graph_triples([ids.source_graph(relpath) for relpath in files])
    for relpath in gone:
        store.drop_graph(NamedNode(ids.source_graph(relpath)))
    _add_graphs(project, changed, replacing=True)
    store.flush()
    reread = {ids.source_graph(item.relpath) for item in changed}
    delta = delta_of(store, before, store.graph_triples(sorted(reread)), reread)
    delta.files, delta.since = set(files), earlier
    return delta


def _add_graphs(project: Project, items: list[Loaded], replacing: bool = False) -> None:
    for item in items:
        if replacing:
            project.store.drop_graph(NamedNode(ids.source_graph(item.relpath)))
        project.store.add_quads(item.quads)
        if item.as_written is not None:
            try:
                insert(project.store, item, project.site)
            except SourceError as error:
                error.path = (project.root / item.relpath).as_posix()
                raise


def delta_of(store: Store, before: set, after: set, reloaded: set[str]) -> Delta:
    """What a reload changed: the triples the union graph gained or lost, and the nodes
    whose page documents it may have changed (the subjects of those triples, and the
    objects whose being referred to exactly once, what decides embedding, flipped)."""
    gained: set[Triple] = set()
    lost: set[Triple] = set()
    referrals: Counter = Counter()
    for triple in before ^ after:
        if any(
            quad.graph_name.value not in reloaded
            for quad in store.source_quads(triple.subject, triple.predicate, triple.object)
        ):
            continue  # another source still says it: the union did not change
        (gained if triple in after else lost).add(triple)
        if not isinstance(triple.object, Literal) and triple.object != triple.subject:
            referrals[triple.object] += 1 if triple in after else -1
    flipped = {
        node
        for node, delta in referrals.items()
        if delta and (store.count_referrers(node) == 1) != (store.count_referrers(node) - delta == 1)
    }
    subjects = {triple.subject for triple in before | after}
    nodes = {triple.subject for triple in gained | lost} | flipped
    return Delta(gained, lost, set(), subjects, nodes, predicates={t.predicate.value for t in before ^ after})


def open_current(
    root: Path, vocabulary: Vocabulary, store_path: Path, derivation: Derivation | None = None
) -> Project:
    """The project's graph from an on-disk store, loading the sources again only when
    they changed since the store was filled (for queries, which need no line numbers)."""
    site = load_site(root)
    files = source_files(root, {store_path.resolve()})
    fingerprint = _fingerprint(root, files, vocabulary, derivation)
    if fingerprint == LoadFingerprint.read(store_path):
        return Project(
            root,
            site,
            Store(store_path),
            vocabulary,
            sources=[path.relative_to(root).as_posix() for path in files],
            fingerprint=fingerprint,
        )
    return load_project(root, vocabulary, store_path, derivation=derivation)


def _check_references(project: Project, loaded: list[Loaded]) -> None:
    """An id under the site that a source uses as a node must be defined by some source (be
    the subject of a triple, or a node a YAML file names): else it is a typo. A link is
    not held to that (see ``may_be_link``), so markup's links to the site's pages, images and
    menus load as they are."""
    site = project.site.url
    for item in loaded:
        written_at = dict(item.references)  # YAML's {id: ...}, with their lines
        for iri, line in _node_references(project, item):
            path = project.root / item.relpath
            line = written_at.get(iri) or line or _line_naming(path, iri, site)
            raise SourceError(
                f"{iri} is referred to, but no source defines it (a typo in the id?)", path.as_posix(), line
            )


def _node_references(project: Project, item: Loaded) -> list[tuple[str, int | None]]:
    """In one source, the site IRIs used as nodes (not as links) that nothing describes,
    asked of Oxigraph rather than walked in Python (which leaves out url, the link of every
    page, in the query: 150,000 rows on a large site)."""
    query = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
      GRAPH <{ids.source_graph(item.relpath)}> {{ ?s ?p ?o }}
      FILTER(?p != <{SCHEMA_URL}> && isIRI(?o) && STRSTARTS(STR(?o), {_string(project.site.url)})
             && CONTAINS(STR(?o), "#"))
      FILTER NOT EXISTS {{ ?o ?anyPredicate ?anyObject }} }}"""
    found = []
    for row in project.store.query(query):
        subject, predicate, obj = row["s"], row["p"].value, row["o"].value
        if obj not in project.node_lines and not may_be_link(project.vocabulary, predicate, obj):
            found.append((obj, item.value_lines.get((subject.value, predicate))))
    return sorted(found)


def may_be_link(vocabulary: Vocabulary, predicate: str, iri: str) -> bool:
    """Whether an IRI may be a mere link rather than a node the graph must describe: a page,
    image or file (an IRI without fragment: ids name things inside a page, ``#clinic``, as
    clinicgraph mints them and markup writes them), or any IRI where the property takes a
    URL (the schema.org context reads it as an IRI, or its range has URL, or is unknown)."""
    local = schema_term(predicate)
    if "#" not in iri or local is None or coercion(local) == ID:
        return True
    ranges = vocabulary.ranges(local)
    return not ranges or any(name == "URL" or vocabulary.is_subtype(name, "URL") for name in ranges)


_SHARED_URLS = """SELECT (GROUP_CONCAT(DISTINCT STR(?page); separator=" ") AS ?pages) WHERE {{
  ?page <{url}> ?url FILTER(isIRI(?page))
  BIND(REPLACE(STR(?url), "#.*$", "") AS ?key) FILTER(STRSTARTS(?key, {site})) }}
GROUP BY ?key HAVING (COUNT(DISTINCT ?page) > 1)"""


def _check_page_urls(project: Project, loaded: list[Loaded]) -> None:
    """No two pages (WebPage nodes with a url under the site) may claim the same url.

    pages.find_pages refuses this too; here the error can say where it is written.
    Oxigraph finds the nodes sharing a url (almost always none); only those are judged.
    """
    site, store = project.site.url, project.store
    sharing = _sharing_a_url(project)
    order = {ids.source_graph(item.relpath): index for index, item in enumerate(loaded)}
    claims: list[tuple[int, str, str, Loaded]] = []  # (source order, node, url, source)
    for node in sharing:
        types = {
            schema_term(obj.value)
            for predicate, obj in store.describe(node)
            if predicate.value == RDF_TYPE and isinstance(obj, NamedNode)
        }
        if not any(project.vocabulary.is_subtype(t, "WebPage") for t in types if t):
            continue
        for quad in store.source_quads(node, NamedNode(SCHEMA_URL)):
            url = quad.object.value.split("#")[0]
            if isinstance(quad.object, (NamedNode, Literal)) and url.startswith(site):
                index = order.get(quad.graph_name.value, len(loaded))
                claims.append((index, node.value, url, loaded[min(index, len(loaded) - 1)]))
    first: dict[str, tuple[str, Loaded]] = {}
    for _, iri, url, item in sorted(claims, key=lambda claim: claim[:3]):
        other = first.setdefault(url, (iri, item))
        if other[0] != iri:
            path = project.root / item.relpath
            line = item.value_lines.get((iri, SCHEMA_URL)) or _line_naming(path, url, project.site.url)
            file, at = project.where(other[0])
            raise SourceError(
                f"two pages claim the url {url} (the other is {other[0]} in "
                f"{file}{f':{at}' if at else ''}): give each page its own url",
                path.as_posix(),
                line,
            )


_CLAIMS = """SELECT ?page ?url WHERE {{ ?page <{url}> ?url FILTER(isIRI(?page) && ({starts})) }}"""
_FEW = 64  # changed urls looked up one by one: more, and one query over all is quicker


def _sharing_a_url(project: Project) -> list[NamedNode]:
    """The nodes that share a url under the site with another node. After an
    incremental load only the urls the change claims can be shared (the last load had
    none shared): the nodes claiming those, or a url beginning so (``url#part``)."""
    site, store = project.site.url, project.store
    keys = _claimed_by_change(project, project.delta) if project.delta is not None else None
    if keys is not None and len(keys) <= _FEW:
        if not keys:
            return []
        starts = " || ".join(f"STRSTARTS(STR(?url), {_string(key)})" for key in sorted(keys))
        claims: dict[str, set[str]] = {}
        for row in store.query(_CLAIMS.format(url=SCHEMA_URL, starts=starts)):
            key = row["url"].value.split("#")[0]
            if key in keys:
                claims.setdefault(key, set()).add(row["page"].value)
        shared = {iri for pages in claims.values() if len(pages) > 1 for iri in pages}
    else:
        shared = {
            iri
            for row in store.query(_SHARED_URLS.format(url=SCHEMA_URL, site=_string(site)))
            for iri in row["pages"].value.split()
        }
    return sorted(map(NamedNode, shared), key=str)


def _claimed_by_change(project: Project, delta: Delta) -> set[str]:
    """The urls (fragment cut) under the site of the url triples the load gained, and
    of the nodes that gained a type."""
    site, store = project.site.url, project.store.oxigraph
    url, retyped = NamedNode(SCHEMA_URL), {t.subject for t in delta.gained if t.predicate.value == RDF_TYPE}
    objects = [t.object for t in delta.gained if t.predicate == url] + [
        quad.object for node in retyped for quad in store.quads_for_pattern(node, url, None, None)
    ]
    return {
        obj.value.split("#")[0]
        for obj in objects
        if isinstance(obj, (NamedNode, Literal)) and obj.value.startswith(site)
    }


def _string(text: str) -> str:
    """A SPARQL string literal."""
    return json.dumps(text)


def _line_naming(path: Path, iri: str, base: str) -> int | None:
    """The first line of an RDF file that writes ``iri`` (in full, or relative to the site)."""
    spellings = [f"<{iri}>", f'"{iri}"']
    if iri.startswith(base) and len(iri) > len(base):
        spellings += [f"<{iri[len(base) :]}>", f'"{iri[len(base) :]}"']
    try:
        lines = path.read_text("utf-8-sig").split("\n")  # not splitlines: a string's U+2028 ends no line
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, 1):
        if any(spelling in line for spelling in spellings):
            return number
    return None
