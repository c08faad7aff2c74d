"""Where a rule's triple came from, for ``clinicgraph explain``: the solutions of the
rule's WHERE that make it, and the line of the template triple that does.

**Solutions.** The rule's template is read by rdflib's SPARQL parser (its algebra keeps
the template as triples of terms and variables; Oxigraph's keeps it to itself). Each
template triple that can make the target (its constants equal, its variables bound to
the target's terms, a blank node of the template matching any blank node) is asked of
the rule's WHERE, run as ``SELECT *`` with those variables bound (Oxigraph's
substitutions) over the graphs the rule read. Each solution comes back as variable ->
term in N-Triples. A rule rdflib cannot read has no solutions to show.

**Lines.** The template's text is walked triple by triple (subject, predicate list,
object list, ``[ ]`` and ``( )`` nesting) with the query scanner's tokens; the first
written triple whose IRIs and ``a`` match the target's, its variables and literals
taken as matching, gives the line of its predicate.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from clinicgraph.derive.rules import MINT, Graphs, Rule
from clinicgraph.graph.query_text import default_prefixes, tokens
from clinicgraph.graph.store import Store, Term
from clinicgraph.vocab.namespaces import PREFIXES, RDF_TYPE, normalize_schema_iri


def explain_triple(store: Store, rule: Rule, triple: Triple, graphs_before: Graphs) -> list[dict[str, str]]:
    """The solutions (variable -> term as N-Triples) of ``rule``'s WHERE, over
    ``graphs_before`` (the graphs it read), that make ``triple``; each once."""
    template, select = _read(rule)
    found: list[dict[str, str]] = []
    for pattern in template:
        bound = _unified(pattern, triple)
        if bound is None:
            continue
        solutions = store.oxigraph.query(
            select,
            base_iri=rule.base,
            prefixes=default_prefixes(),
            default_graph=graphs_before,
            named_graphs=[graph for graph in graphs_before if isinstance(graph, NamedNode | BlankNode)],
            substitutions={Variable(name): term for name, term in bound.items()},
            custom_functions={NamedNode(f"{MINT}{n}"): _mint for n in range(len(rule.mints))},
        )
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        for solution in solutions:
            row = {v.value: str(solution[v]) for v in solutions.variables if solution[v] is not None}
            row |= {name: str(term) for name, term in bound.items()}
            if row not in found:
                found.append(row)
    return found


def _mint(value):
    """IRI() as the rule ran it (a rule that ran minted only IRIs)."""
    if isinstance(value, NamedNode):
        return value
    try:
        return NamedNode(value.value)
    except (ValueError, AttributeError):
        return None


@lru_cache(maxsize=64)
def _read(rule: Rule) -> tuple[list[tuple], str]:
    """The rule's template as pyoxigraph terms and variables, and its WHERE as SELECT *."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral
    from rdflib import Variable as RdflibVariable
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(rule.query, initNs=default_prefixes(), base=rule.base).algebra
    except Exception:  # rdflib cannot read every query Oxigraph can: nothing to show
        return [], ""

    def term(value):
        if isinstance(value, RdflibVariable):
            return Variable(str(value))
        if isinstance(value, BNode):
            return BlankNode()
        if isinstance(value, URIRef):
            return NamedNode(str(value))
        assert isinstance(value, RdflibLiteral)
        datatype = NamedNode(str(value.datatype)) if value.datatype else None
        return Literal(str(value), language=value.language, datatype=None if value.language else datatype)

    written = algebra.template if algebra.template is not None else _pattern(algebra)
    return [tuple(term(value) for value in triple) for triple in written], _as_select(rule.query)


def _pattern(node) -> list:
    """The triples of a short CONSTRUCT WHERE { ... }: its WHERE's basic graph pattern."""
    if getattr(node, "name", None) == "BGP":
        return list(node.triples)
    for value in node.values() if hasattr(node, "values") else ():
        if hasattr(value, "name"):
            return _pattern(value)
    return []


def _as_select(query: str) -> str:
    """The rule with ``CONSTRUCT { template }`` (or the short form's ``CONSTRUCT``) as ``SELECT *``."""
    found = tokens(query)
    start = next(i for i, t in enumerate(found) if t.lastgroup == "word" and t.group().upper() == "CONSTRUCT")
    if found[start + 1].group() != "{":
        return query[: found[start].start()] + "SELECT *" + query[found[start].end() :]
    depth = 0
    for token in found[start + 1 :]:
        depth += {"{": 1, "}": -1}.get(token.group(), 0)
        if depth == 0:
            return query[: found[start].start()] + "SELECT *" + query[token.end() :]
    return query


def _unified(pattern: tuple, triple: Triple) -> dict[str, Term] | None:
    """The pattern's variables bound so that it is the triple, or None if it cannot be."""
    bound: dict[str, Term] = {}
    for part, term in zip(pattern, (triple.subject, triple.predicate, triple.object), strict=True):
        if isinstance(part, Variable):
            if bound.setdefault(part.value, term) != term:
                return None
        elif isinstance(part, BlankNode):
            if not isinstance(term, BlankNode):
                return None
        elif part != term:
            return None
    return bound


# --- the line of a template triple ----------------------------------------------------------


def rule_line(rule: Rule, triple: Triple) -> int:
    """The line of the template triple of ``rule`` that wrote ``triple`` (the first that
    can have: its IRIs match); the CONSTRUCT's line if none is found."""
    names = _prefixes(rule.query)
    for subject, predicate, obj in _written_triples(rule.query):
        parts = zip((subject, predicate, obj), (triple.subject, triple.predicate, triple.object), strict=True)
        if all(_may_be(token, term, names, rule.base) for token, term in parts):
            return rule.query.count("\n", 0, predicate.start()) + 1
    return rule.construct_at[0]


def _prefixes(query: str) -> dict[str, str]:
    names = dict(PREFIXES)
    found = tokens(query)
    for word, name, iri in zip(found, found[1:], found[2:], strict=False):
        if word.group().upper() == "PREFIX" and name.lastgroup == "pname" and iri.lastgroup == "iri":
            names[name.group()[:-1]] = iri.group()[1:-1]
    return names


def _may_be(token, term, names: dict[str, str], base: str) -> bool:
    kind, text = token.lastgroup, token.group()
    if kind == "word" and text == "a":
        return term == NamedNode(RDF_TYPE)
    if kind in ("iri", "pname"):
        if kind == "iri":
            iri = urljoin(base, text[1:-1])
        else:
            prefix, _, local = text.partition(":")
            iri = names.get(prefix, "\0") + local
        return isinstance(term, NamedNode) and normalize_schema_iri(iri) == term.value
    if text in ("[", "(") or kind == "blank":
        return isinstance(term, BlankNode)
    if kind in ("string", "number") or text in ("true", "false"):
        return isinstance(term, Literal)
    return True  # a variable


def _written_triples(query: str) -> list[tuple]:
    """The template's triples as (subject, predicate, object) tokens, as written."""
    found = tokens(query)
    start = next(i for i, t in enumerate(found) if t.lastgroup == "word" and t.group().upper() == "CONSTRUCT")
    walker = _Walker([t for t in found[start + 2 :] if t.lastgroup != "comment"])
    if found[start + 1].group() != "{":  # CONSTRUCT WHERE { ... }
        walker = _Walker([t for t in found[start + 3 :] if t.lastgroup != "comment"])
    walker.block()
    return walker.triples


class _Walker:
    """A TriplesTemplate's tokens read into triples (enough for lines, not a parser)."""

    def __init__(self, found: list):
        self.found, self.at = found, 0
        self.triples: list[tuple] = []

    def peek(self) -> str:
        return self.found[self.at].group() if self.at < len(self.found) else "}"

    def block(self) -> None:
        while self.peek() not in ("}", "{"):
            subject = self.term()
            if self.peek() not in (".", "}"):
                self.properties(subject)
            if self.peek() == ".":
                self.at += 1

    def properties(self, subject) -> None:
        while self.peek() not in (".", "]", "}"):
            predicate = self.found[self.at]
            self.at += 1
            while True:
                self.triples.append((subject, predicate, self.term()))
                if self.peek() != ",":
                    break
                self.at += 1
            if self.peek() != ";":
                return
            while self.peek() == ";":
                self.at += 1

    def term(self):
        token = self.found[self.at]
        self.at += 1
        if token.group() == "[":
            self.properties(token)
            self.at += 1  # ]
        elif token.group() == "(":
            while self.peek() not in (")", "}"):
                self.term()
            self.at += 1
        elif token.lastgroup == "string" and self.peek() == "^":
            self.at += 3  # ^ ^ datatype
        elif token.lastgroup == "string" and self.peek().startswith("@"):
            self.at += 1
        return token
