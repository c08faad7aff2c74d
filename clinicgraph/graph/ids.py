"""Every IRI clinicgraph makes up is made here, stable from build to build.

- a relative ``id`` resolves against the site URL: ``#clinic`` -> ``{site}#clinic``;
- a nested node without an id is named after its parent and the property holding it:
  ``{parent}/address`` (or ``{parent}#address`` when the parent has no fragment), and
  ``{parent}/cause-3`` for the third item of a list;
- a top-level node without an id is named after its file: ``{site}#content/clinic``;
- each source file is one named graph: ``urn:clinicgraph:source:content/clinic.yaml``,
  and each derivation step one of its own: ``urn:clinicgraph:derived:breadcrumbs``, each
  rule too: ``urn:clinicgraph:derived:rule:pages.rq``;
- a derived node is named after the URL it belongs to, with a fragment of the reserved
  prefix ``cg:``: ``{page-url}#cg:breadcrumb``. No name the loader makes has it (a file
  name's ``:`` is escaped, properties hold none), so only an id written so could meet it;
- an imported blank node is named after what it says (``content_labels``).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urljoin

from clinicgraph.vocab.context import prefixes
from clinicgraph.vocab.namespaces import normalize_schema_iri

SOURCE_GRAPH_PREFIX = "urn:clinicgraph:source:"
DERIVED_GRAPH_PREFIX = "urn:clinicgraph:derived:"
RULE_GRAPH_PREFIX = DERIVED_GRAPH_PREFIX + "rule:"
DERIVED_FRAGMENT = "cg:"


def resolve(reference: str, base: str) -> str:
    """An absolute IRI for an ``id`` or IRI value written in a source."""
    reference = reference.strip()
    prefix, sep, rest = reference.partition(":")
    if sep and not rest.startswith("//"):
        namespace = prefixes().get(prefix)
        if namespace is not None:
            return normalize_schema_iri(namespace + rest)
    if sep and prefix.isascii() and prefix.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return normalize_schema_iri(reference)  # already absolute (https:, urn:, mailto: ...)
    return urljoin(base, reference)


def child(parent: str, prop: str, index: int | None = None) -> str:
    """The IRI of a nested node: its parent's, plus the property and list position (1-based)."""
    step = prop if index is None else f"{prop}-{index}"
    return f"{parent}/{step}" if "#" in parent else f"{parent}#{step}"


def top_level(site: str, relpath: str, index: int | None = None) -> str:
    """The IRI of a top-level node without an id: named after its file."""
    stem = quote(str(PurePosixPath(relpath).with_suffix("")), safe="/-_.")
    return f"{site}#{stem}" if index is None else f"{site}#{stem}-{index}"


def source_graph(relpath: str) -> str:
    """The named graph holding the triples of one source file."""
    return SOURCE_GRAPH_PREFIX + quote(relpath, safe="/-_.")


def derived_graph(step: str) -> str:
    """The named graph holding what one derivation step (or rule) wrote."""
    return DERIVED_GRAPH_PREFIX + quote(step, safe="/-_.")


def rule_graph(file_name: str) -> str:
    """The named graph holding what one rule (``rules/<file_name>``) wrote."""
    return RULE_GRAPH_PREFIX + quote(file_name, safe="-_.")


def derived_node(url: str, name: str) -> str:
    """A node derived for the page (or level) at ``url``: ``{url}#cg:{name}``."""
    return f"{url.split('#')[0]}#{DERIVED_FRAGMENT}{name}"


def is_derived_node(iri: str) -> bool:
    return f"#{DERIVED_FRAGMENT}" in iri


def is_derived_graph(graph_iri: str) -> bool:
    return graph_iri.startswith(DERIVED_GRAPH_PREFIX)


def source_of_graph(graph_iri: str) -> str | None:
    if graph_iri.startswith(SOURCE_GRAPH_PREFIX):
        return unquote(graph_iri[len(SOURCE_GRAPH_PREFIX) :])
    return None


def blank_label(relpath: str, label: str) -> str:
    """A blank node label written in a file, kept apart from the same label in other files.

    Letters and digits stay, any other character becomes ``_{hex}_`` and ``-`` parts
    file from label, so two different (file, label) pairs never share a label.
    """

    def safe(text: str) -> str:
        return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in text)

    return f"f{safe(relpath)}-{safe(label)}"


def jsonld_terms(expanded):
    """``(holder, key, value)`` for every ``@id``, ``@type`` and ``@language`` string of an
    expanded JSON-LD document that names a node, a type or a language (not a blank node,
    nor a value's datatype)."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@id", "@type", "@language") and not (key == "@type" and "@value" in item):
                    for term in value if isinstance(value, list) else [value]:
                        if isinstance(term, str) and not term.startswith("_:"):
                            yield item, key, term
                elif isinstance(value, (dict, list)):
                    stack.append(value)


def is_iri(text: str) -> bool:
    from pyoxigraph import NamedNode

    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


def not_iris(expanded) -> list[str]:
    """The ``@id`` and ``@type`` values of an expanded JSON-LD document that are not IRIs
    (``http://a b/``): pyld drops their triples without a word, so they are looked for first."""
    return [iri for _, key, iri in jsonld_terms(expanded) if key != "@language" and not is_iri(iri)]


def content_labels(triples: list[tuple]) -> list[tuple]:
    """The triples with their blank nodes named after what they say, so that a label depends
    on the content alone (not on a file, a run, or the order a parser numbered them in) and a
    description repeated on several pages (a clinic's address in every footer) is one node.

    Blank nodes linked to each other form a group. Colour refinement gives each node of a
    group a colour from what it says and what it is linked to, until the colours part the
    group no further; the nodes are then numbered breadth first from the node of least
    colour, neighbours by link and colour (ties, nodes nothing tells apart, in the order
    first met), and each is named after a hash of the group's triples so numbered, plus its
    number. Two groups get the same names only if they are the same triples, so merging
    them is safe; inside a group no two nodes are merged. For a group without cycles (what
    markup's nesting makes, up to ``_ROUNDS`` deep) the names are canonical: tied nodes there
    are alike subtrees, and either order gives the same triples. Polynomial, unlike RDFC-1.0,
    which took exponential time on small symmetric graphs a page may hold."""
    from pyoxigraph import BlankNode

    names: dict = {}
    for group, touching in _blank_groups(triples):
        colours, links = _refined(group, touching)
        numbered = _numbered(group, colours, links)
        lines = sorted(
            " ".join(f"_:{numbered[term]}" if term in numbered else str(term) for term in triple)
            for triple in touching
        )
        digest = _digest("\n".join(lines))[:24]
        names.update((node, BlankNode(f"b{digest}_{n}")) for node, n in numbered.items())
    return [tuple(names.get(term, term) for term in triple) for triple in triples]


def _numbered(group: list, colours: dict, links: dict) -> dict:
    """The group's nodes numbered breadth first from the node of least colour."""
    order = {node: index for index, node in enumerate(group)}
    key = lambda node: (colours[node], order[node])  # noqa: E731
    numbered: dict = {}
    queue = [min(group, key=key)]
    for node in queue:  # grows as it goes; a group is connected, so it reaches every node
        if node in numbered:
            continue
        numbered[node] = len(numbered)
        queue += [
            other for _, _, other in sorted(links[node], key=lambda link: (link[0], link[1], *key(link[2])))
        ]
    return numbered


def _blank_groups(triples: list[tuple]) -> list[tuple[list, list]]:
    """The groups of blank nodes linked to each other (in the order first met), each with the
    triples that touch it."""
    from pyoxigraph import BlankNode

    parent: dict = {}

    def root(node):
        while parent[node] != node:
            parent[node] = node = parent[parent[node]]
        return node

    for subject, _, obj in triples:
        for term in (subject, obj):
            if isinstance(term, BlankNode):
                parent.setdefault(term, term)
        if isinstance(subject, BlankNode) and isinstance(obj, BlankNode):
            parent[root(subject)] = root(obj)
    groups: dict = {}
    for node in parent:
        groups.setdefault(root(node), ([], []))[0].append(node)
    for triple in triples:
        blank = triple[0] if isinstance(triple[0], BlankNode) else triple[2]
        if isinstance(blank, BlankNode):
            groups[root(blank)][1].append(triple)
    return list(groups.values())


_ROUNDS = 32  # markup nests less deep; a chain of n look-alike nodes needs n/2 rounds (of n nodes)


def _refined(group: list, touching: list[tuple]) -> tuple[dict, dict]:
    """Colour refinement over one group: a node's colour is first what it says of IRIs and
    literals, then that with its neighbours' colours, until no colour class splits (or for
    ``_ROUNDS``: beyond, ties are numbered in the order met). The colours, and each node's
    links to other blank nodes."""
    from pyoxigraph import BlankNode

    said: dict = {node: [] for node in group}
    links: dict = {node: [] for node in group}
    for subject, predicate, obj in touching:
        for node, direction, other in ((subject, ">", obj), (obj, "<", subject)):
            if isinstance(node, BlankNode):
                if isinstance(other, BlankNode):
                    links[node].append((direction, str(predicate), other))
                else:
                    said[node].append(f"{direction} {predicate} {other}")
    colours = {node: _digest("\n".join(sorted(said[node]))) for node in group}
    classes = len(set(colours.values()))
    for _ in range(_ROUNDS):
        refined = {
            node: _digest(
                colours[node]
                + "\n"
                + "\n".join(
                    sorted(
                        f"{direction} {predicate} {colours[other]}"
                        for direction, predicate, other in links[node]
                    )
                )
            )
            for node in group
        }
        if len(set(refined.values())) == classes:
            break
        colours, classes = refined, len(set(refined.values()))
    return colours, links


def _digest(text: str) -> str:
    from hashlib import sha256

    return sha256(text.encode("utf-8")).hexdigest()
