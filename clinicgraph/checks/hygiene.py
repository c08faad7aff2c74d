"""Graph hygiene: what is legal RDF but almost always a mistake in a site's data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.locate import Locator
from clinicgraph.graph.project import Project
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA, schema_term

_URL = SCHEMA + "url"


def check_hygiene(project: Project) -> Iterator[Diagnostic]:
    locate, site, vocabulary = Locator(project), project.site.url, project.vocabulary
    triples = project.store.triples()
    described = {t.subject for t in triples}
    types: dict[object, set[str]] = defaultdict(set)
    urls: dict[str, list] = defaultdict(list)     # url -> nodes having it
    url_of: dict[object, list] = defaultdict(list)  # node -> its urls
    for t in triples:
        if t.predicate.value == RDF_TYPE and isinstance(t.object, NamedNode) and schema_term(t.object.value):
            types[t.subject].add(schema_term(t.object.value))
        elif t.predicate.value == _URL and isinstance(t.object, NamedNode):
            urls[t.object.value].append(t.subject)
            url_of[t.subject].append(t.object.value)

    def diagnostic(rule, message, subject, predicate=None, value=None, hint=None, severity="warning"):
        file, line = locate(subject, predicate)
        return Diagnostic(file, line, rule, severity, message, hint,
                          subject.value if isinstance(subject, NamedNode) else None,
                          schema_term(predicate.value) if predicate is not None else None, value)

    for t in triples:
        obj, term = t.object, schema_term(t.predicate.value)
        if isinstance(obj, Literal) and not obj.value.strip():
            yield diagnostic("hygiene/empty-string", f"{term or t.predicate.value} is empty",
                             t.subject, t.predicate, obj.value, hint="remove the property or give it a value")
        elif (isinstance(obj, BlankNode) or isinstance(obj, NamedNode) and obj.value.startswith(site)) \
                and obj not in described and term and _expects_node(vocabulary, term):
            yield diagnostic("hygiene/undescribed-node",
                             f"{term} refers to {obj.value}, which nothing describes",
                             t.subject, t.predicate, obj.value,
                             hint="describe that node in a source, or fix the id")
    for url, nodes in sorted(urls.items()):
        for first, second in zip(nodes, nodes[1:]):
            shared = types.get(first, set()) & types.get(second, set())
            if shared and first != second:
                yield diagnostic("hygiene/duplicate-url",
                                 f"{second.value} and {first.value} are both {sorted(shared)[0]} with the url {url}",
                                 second, NamedNode(_URL), url,
                                 hint="describe the thing once, under one id, and refer to it")
    for node, node_types in sorted(types.items(), key=lambda item: str(item[0])):
        if isinstance(node, NamedNode) and node.value.startswith(site) and any(
                vocabulary.is_subtype(t, "WebPage") for t in node_types):
            for url in url_of.get(node, ()):
                if not url.startswith(site):
                    yield diagnostic("hygiene/page-outside-site",
                                     f"page {node.value} has the url {url}, outside the site {site}: "
                                     "no JSON-LD is written for it",
                                     node, NamedNode(_URL), url, hint=f"give it a url under {site}")


@lru_cache(maxsize=4096)
def _expects_node(vocabulary, term: str) -> bool:
    """Whether a property's values are things rather than links (url, image, sameAs ...)."""
    ranges = vocabulary.ranges(term)
    return bool(ranges) and "URL" not in ranges
