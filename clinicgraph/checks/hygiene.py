"""Graph hygiene: what is legal RDF but almost always a mistake in a site's data.

``check_hygiene`` asks the store for the few triples each rule can fire on (SPARQL);
``check_each_triple`` walks every triple, the reference the tests compare it with.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from clinicgraph.checks.context import EMPTY_TEXT, CheckContext, type_name
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.registry import rule
from clinicgraph.graph.project import Project, may_be_link
from clinicgraph.graph.store import Node
from clinicgraph.vocab.namespaces import SCHEMA, schema_term

_URL = SCHEMA + "url"
URL = NamedNode(_URL)
EMPTY_STRING = rule("hygiene/empty-string", "warning", "an empty text value")
UNDESCRIBED_NODE = rule("hygiene/undescribed-node", "warning", "a blank node referred to but never described")
# A finding names two nodes having one url: a change to either, or to who has the url, alters it.
DUPLICATE_URL = rule(
    "hygiene/duplicate-url", "warning", "one thing described twice under one url", reach="url"
)
PAGE_OUTSIDE_SITE = rule("hygiene/page-outside-site", "warning", "a page whose url is outside the site")


class _Rules:
    def __init__(self, project: Project, context: CheckContext):
        self.site, self.vocabulary, self.locate = project.site.url, project.vocabulary, context.locate
        self.found: list[Diagnostic] = []

    def diagnostic(self, rule, message, subject, predicate=None, value=None, hint=None):
        self.found.append(rule.about(self.locate, subject, predicate, message, value, hint))

    def empty_string(self, subject, predicate, obj) -> None:
        if isinstance(obj, Literal) and not obj.value.strip():
            self.diagnostic(
                EMPTY_STRING,
                f"{schema_term(predicate.value) or predicate.value} is empty",
                subject,
                predicate,
                obj.value,
                hint="remove the property or give it a value",
            )

    def may_refer(self, predicate, obj) -> bool:
        """Whether a value is a node this site should describe, by a property expecting a
        thing: a blank node, or an IRI under the site that is no mere link (a page's URL,
        as a breadcrumb's ``item`` is: the load judges links so, ``may_be_link``)."""
        term = schema_term(predicate.value)
        return bool(
            term
            and _expects_node(self.vocabulary, term)
            and (
                isinstance(obj, BlankNode)
                or (
                    isinstance(obj, NamedNode)
                    and obj.value.startswith(self.site)
                    and not may_be_link(self.vocabulary, predicate.value, obj.value)
                )
            )
        )

    def undescribed(self, subject, predicate, obj) -> None:
        """``obj`` is known not to be described (subject of no triple)."""
        if self.may_refer(predicate, obj):
            self.diagnostic(
                UNDESCRIBED_NODE,
                f"{schema_term(predicate.value)} refers to {obj.value}, which nothing describes",
                subject,
                predicate,
                obj.value,
                hint="describe that node in a source, or fix the id",
            )

    def duplicate_urls(self, url: str, nodes: list, types) -> None:
        """``nodes``: those having this url, each once, in a stable order (IRIs, then blank nodes)."""
        for first, second in itertools.pairwise(nodes):
            shared = types(first) & types(second)
            if shared:
                self.diagnostic(
                    DUPLICATE_URL,
                    f"{second.value} and {first.value} are both {sorted(shared)[0]} with the url {url}",
                    second,
                    NamedNode(_URL),
                    url,
                    hint="describe the thing once, under one id, and refer to it",
                )

    def page_outside_site(self, node, node_types, url: str) -> None:
        if (
            isinstance(node, NamedNode)
            and node.value.startswith(self.site)
            and not url.startswith(self.site)
            and any(self.vocabulary.is_subtype(t, "WebPage") for t in node_types)
        ):
            self.diagnostic(
                PAGE_OUTSIDE_SITE,
                f"page {node.value} has the url {url}, outside the site {self.site}: "
                "no JSON-LD is written for it",
                node,
                NamedNode(_URL),
                url,
                hint=f"give it a url under {self.site}",
            )


def check_hygiene(project: Project, context: CheckContext | None = None) -> list[Diagnostic]:
    context = context or CheckContext(project)
    rules = _Rules(project, context)
    for predicate in context.predicates_with_empty_text():
        query = f"SELECT DISTINCT ?s ?o WHERE {{ ?s {predicate} ?o FILTER ({EMPTY_TEXT}) }}"
        for row in context.select(query):
            rules.empty_string(row["s"], predicate, row["o"])
    _undescribed(context, rules)
    _urls(context, rules)
    return rules.found


def _undescribed(context: CheckContext, rules: _Rules) -> None:
    """Values nothing describes: each distinct value of a property expecting a thing is
    looked up once (many pages refer to the same few nodes). Only blank nodes and the
    site's IRIs with a fragment can be such values (an IRI without one may be a mere
    link, ``may_be_link``): the store leaves out the rest, a breadcrumb item's page URL
    on every page of a site among them."""
    referring = [p for p in context.predicates() if context.has_nodes(p) and rules.may_refer(p, BlankNode())]
    if not referring:
        return
    values = (
        f"SELECT DISTINCT ?o WHERE {{ VALUES ?p {{ {' '.join(map(str, referring))} }} ?s ?p ?o "
        f'FILTER (isBlank(?o) || isIRI(?o) && STRSTARTS(STR(?o), {Literal(rules.site)}) && CONTAINS(STR(?o), "#")) '
        "FILTER NOT EXISTS { ?o ?described ?as } }"  # a node of the site that nothing describes
    )
    for row in context.select(values):
        obj = row["o"]
        for quad in {
            (q.subject, q.predicate) for q in context.store.quads_for_pattern(None, None, obj, None)
        }:
            rules.undescribed(quad[0], quad[1], obj)


def _urls(context: CheckContext, rules: _Rules) -> None:
    """Nodes sharing a url, and pages of the site whose url is elsewhere: one pass over
    the url triples (in Python: a SPARQL GROUP BY took longer)."""
    site = rules.site
    first: dict[str, Node | Triple] = {}
    shared: defaultdict[str, set[Node | Triple]] = defaultdict(set)
    outside = set()
    for quad in context.store.quads_for_pattern(None, URL, None, None):
        node, url = quad.subject, quad.object
        if not isinstance(url, NamedNode):
            continue
        if first.setdefault(url.value, node) != node:
            shared[url.value].update((first[url.value], node))
        if not url.value.startswith(site) and isinstance(node, NamedNode) and node.value.startswith(site):
            outside.add((node, url.value))
    del first
    for address, nodes in sorted(shared.items()):
        rules.duplicate_urls(address, sorted(nodes, key=_node_order), context.types)
    for page, address in outside:
        rules.page_outside_site(page, context.types(page), address)


def check_subjects(project: Project, context: CheckContext, subjects, urls: set[str]) -> list[Diagnostic]:
    """The findings about these subjects' triples, and those about the nodes sharing
    each of these urls: what an incremental validation needs after a change."""
    rules = _Rules(project, context)
    store = context.store
    for subject in subjects:
        pairs = {(q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, None)}
        for predicate, obj in pairs:
            rules.empty_string(subject, predicate, obj)
            if (
                not isinstance(obj, Literal)
                and next(iter(store.quads_for_pattern(obj, None, None, None)), None) is None
            ):
                rules.undescribed(subject, predicate, obj)
        for predicate, obj in pairs:
            if predicate == URL and isinstance(obj, NamedNode) and not obj.value.startswith(rules.site):
                rules.page_outside_site(subject, context.types(subject), obj.value)
    for url in sorted(urls):
        nodes = {quad.subject for quad in store.quads_for_pattern(None, URL, NamedNode(url), None)}
        rules.duplicate_urls(url, sorted(nodes, key=_node_order), context.types)
    return rules.found


def check_each_triple(project: Project) -> list[Diagnostic]:
    """The same findings from every triple, in Python: the reference for the tests."""
    context = CheckContext(project)
    rules = _Rules(project, context)
    triples = {(q.subject, q.predicate, q.object) for q in context.store}
    described = {subject for subject, _, _ in triples}
    types: dict[object, set[str]] = defaultdict(set)
    urls: dict[str, set] = defaultdict(set)  # url -> nodes having it
    url_of: dict[object, list] = defaultdict(list)  # node -> its urls
    for subject, predicate, obj in triples:
        if (local := type_name(predicate, obj)) is not None:
            types[subject].add(local)
        if predicate.value == _URL and isinstance(obj, NamedNode):
            urls[obj.value].add(subject)
            url_of[subject].append(obj.value)
    for subject, predicate, obj in triples:
        rules.empty_string(subject, predicate, obj)
        if not isinstance(obj, Literal) and obj not in described:
            rules.undescribed(subject, predicate, obj)
    for url, nodes in sorted(urls.items()):
        rules.duplicate_urls(url, sorted(nodes, key=_node_order), lambda node: frozenset(types.get(node, ())))
    for node, node_types in types.items():
        for url in url_of.get(node, ()):
            rules.page_outside_site(node, node_types, url)
    return rules.found


def _node_order(node) -> tuple[int, str]:
    return (1 if isinstance(node, BlankNode) else 0, node.value)


@lru_cache(maxsize=4096)
def _expects_node(vocabulary, term: str) -> bool:
    """Whether a property's values are things rather than links (url, image, sameAs ...)."""
    ranges = vocabulary.ranges(term)
    return bool(ranges) and "URL" not in ranges
