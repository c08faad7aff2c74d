"""Which triples can break a conformance rule, found by grouping in the store.

Most of a site's triples repeat a few shapes (a page's boilerplate: the same predicate,
on nodes of the same types, with values of the same types). Whether a rule can fail
depends on the shape, so the store is asked for the distinct shapes -- the types in
use, the predicates, (subject type, predicate) and (predicate, value type) pairs, the
literal values of predicates that expect a data type -- and only the triples of a
shape that can fail go through the rules of ``conformance._Rules``, which decide
exactly as they do for every triple (``check_each_triple``, the tests' reference).

Types are those of rdf:type and of additionalType (``context.type_name``).
Why each selection misses nothing that fails:
- a type triple fails on its type alone;
- an unknown or superseded predicate: all its triples are judged;
- a subject is outside a property's domain only when every one of its types is, so it
  has a type outside the domain, and that (type, predicate) pair is looked at;
- a node value is outside a range only when every one of its types (its rdf:types and,
  for an enumeration member, the member's types) is, so one of them is outside;
- a literal fails on its predicate and its text, and each distinct literal is judged.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from clinicgraph.checks.context import TYPE, TYPING, TYPING_PATH, CheckContext
from clinicgraph.vocab.namespaces import SCHEMA, SCHEMA_HTTPS, schema_term


def feed_candidates(context: CheckContext, rules) -> None:
    """Run ``rules`` (a conformance._Rules) on every triple that can fail."""
    vocabulary = rules.vocabulary
    _type_triples(context, rules)
    domain_checked, range_checked = {}, {}  # predicate -> (term, ranges)
    for predicate in context.predicates():
        term = schema_term(predicate.value)
        if predicate == TYPE or term is None:
            continue
        if not vocabulary.is_property(term) or vocabulary.superseded_by(term):
            for subject, obj in context.triples(None, predicate, None):  # rare: judge them all
                rules.property(subject, predicate, obj)
            continue
        domains, ranges = vocabulary.domains(term), vocabulary.ranges(term)
        if not domains and not ranges:
            rules.without_facts.add(term)
            continue
        if domains:
            domain_checked[predicate] = term
        if ranges:
            range_checked[predicate] = (term, ranges)
    _domains(context, rules, domain_checked)
    judged: set[tuple] = set()  # (subject, predicate, object) already through rules.range
    _typed_values(context, rules, range_checked, judged)
    _member_values(context, rules, range_checked, judged)
    _literal_values(context, rules, range_checked)


def _type_triples(context: CheckContext, rules) -> None:
    for row in context.select(
        f"SELECT DISTINCT ?p ?t WHERE {{ VALUES ?p {{ {' '.join(map(str, TYPING))} }} ?s ?p ?t }}"
    ):
        if rules.type_may_fail(row["p"], row["t"]):
            for subject, obj in context.triples(None, row["p"], row["t"]):
                rules.type_term(subject, row["p"], obj)


def _domains(context: CheckContext, rules, checked: dict) -> None:
    if not checked:
        return
    pairs = context.select(f"SELECT DISTINCT ?t ?p WHERE {{ ?s {TYPING_PATH} ?t . ?s ?p ?o }}")
    for row in pairs:
        kind, predicate = row["t"], row["p"]
        term = checked.get(predicate)
        local = schema_term(kind.value)  # an IRI, or additionalType's text
        if term is None or local is None or not rules.outside_domain(term, local):
            continue
        query = f"SELECT DISTINCT ?s WHERE {{ ?s {TYPING_PATH} {kind} . ?s {predicate} ?o }}"
        for found in context.select(query):
            rules.domain(found["s"], predicate, term)


def _typed_values(context: CheckContext, rules, checked: dict, judged: set) -> None:
    if not checked:
        return
    for row in context.select(f"SELECT DISTINCT ?p ?t WHERE {{ ?s ?p ?o . ?o {TYPING_PATH} ?t }}"):
        predicate, kind = row["p"], row["t"]
        local = schema_term(kind.value)  # an IRI, or additionalType's text
        if predicate not in checked or local is None or not rules.outside_range(checked[predicate][1], local):
            continue
        query = f"SELECT DISTINCT ?s ?o WHERE {{ ?s {predicate} ?o . ?o {TYPING_PATH} {kind} }}"
        _judge(
            rules, predicate, checked[predicate], ((r["s"], r["o"]) for r in context.select(query)), judged
        )


def _member_values(context: CheckContext, rules, checked: dict, judged: set) -> None:
    """Enumeration members written as IRIs (schema:Monday): typed by the vocabulary."""
    vocabulary = rules.vocabulary
    if not checked:
        return
    for name in sorted(vocabulary.names("member")):
        types = vocabulary.member_types(name)
        for member in (NamedNode(SCHEMA + name), NamedNode(SCHEMA_HTTPS + name)):
            uses: dict = {}  # predicate -> (subject, member) pairs
            for quad in context.store.quads_for_pattern(None, None, member, None):
                uses.setdefault(quad.predicate, set()).add((quad.subject, member))
            for predicate, pairs in uses.items():
                if predicate in checked and any(rules.outside_range(checked[predicate][1], t) for t in types):
                    _judge(rules, predicate, checked[predicate], pairs, judged)


def _literal_values(context: CheckContext, rules, checked: dict) -> None:
    for predicate, (term, ranges) in checked.items():
        data_types = rules.data_types(term, ranges)
        if "Text" in data_types or not context.has_literals(predicate):
            continue  # any text is Text; or no text at all
        if not data_types:  # text where a thing is expected: every one is reported
            query = f"SELECT DISTINCT ?s ?o WHERE {{ ?s {predicate} ?o FILTER isLiteral(?o) }}"
            for row in context.select(query):
                rules.range(row["s"], predicate, term, row["o"], ranges)
            continue
        query = f"SELECT DISTINCT ?o WHERE {{ ?s {predicate} ?o FILTER isLiteral(?o) }}"
        for row in context.select(query):
            value = row["o"]
            if isinstance(value, Literal) and not rules.literal_fits(value, data_types):
                for subject, obj in context.triples(None, predicate, value):
                    rules.range(subject, predicate, term, obj, ranges)


def _judge(rules, predicate, term_ranges, pairs, judged: set) -> None:
    term, ranges = term_ranges
    for subject, obj in pairs:
        key = (subject, predicate, obj)
        if key not in judged:
            judged.add(key)
            rules.range(subject, predicate, term, obj, ranges)
