"""What the checks of one validation share: the line lookup, and facts read from the
store once (its predicates, the schema.org types of the nodes a rule asks about).

The checks never hold every triple as a Python object: on a large site that costs
seconds and most of a gigabyte (docs/benchmarks.md). They ask the store what can go wrong (grouped in
SPARQL, where Oxigraph does the work) and look at those triples only.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from clinicgraph.checks.locate import Locator
from clinicgraph.graph.project import Project
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA, schema_term

TYPE = NamedNode(RDF_TYPE)
# schema.org's additionalType is "rdfs:subPropertyOf rdf:type" (https://schema.org/additionalType):
# a schema.org class given by it is one of the node's types, for every rule.
ADDITIONAL_TYPE = NamedNode(SCHEMA + "additionalType")
TYPING = (TYPE, ADDITIONAL_TYPE)
TYPING_PATH = f"({TYPE}|{ADDITIONAL_TYPE})"  # the two, as a SPARQL property path


def type_name(predicate, obj) -> str | None:
    """The schema.org type (local name) a triple gives its subject, if it is a typing
    triple naming one: rdf:type's IRI, or additionalType's IRI or URL text (schema.org
    allows text there, "https://schema.org/Museum"; a class's bare label names nothing)."""
    if (isinstance(obj, NamedNode) and predicate in TYPING) or (
        isinstance(obj, Literal) and predicate == ADDITIONAL_TYPE
    ):
        return schema_term(obj.value)
    return None


# Every character str.isspace() (a test keeps the list whole): a literal str.strip()
# would leave empty, as a filter on ?o. Written out: finding them would slow every start.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACES = "".join(f"\\\\x{{{ord(c):x}}}" for c in SPACES)
EMPTY_TEXT = f'isLiteral(?o) && !REGEX(STR(?o), "[^{_SPACES}]")'


class CheckContext:
    def __init__(self, project: Project, places: dict | None = None):
        self.project = project
        self.store = project.store.oxigraph
        self.locate = Locator(project, places)
        self._predicates: list[NamedNode] | None = None
        self._with_empty: list[NamedNode] = []
        self._with_literals: set[NamedNode] = set()
        self._types: dict[object, frozenset[str]] = {}

    def select(self, sparql: str):
        """Rows of a SELECT over the union of the source graphs."""
        return self.store.query(sparql, use_default_graph_as_union=True)

    def predicates(self) -> list[NamedNode]:
        """Every predicate of the graph, once, in IRI order."""
        if self._predicates is None:
            # One pass over the store for three questions: which predicates have literal
            # values, and (for hygiene) empty ones.
            rows = list(
                self.select(
                    f"SELECT DISTINCT ?p ?literal ?empty WHERE {{ ?s ?p ?o "
                    f"BIND (isLiteral(?o) AS ?literal) BIND ({EMPTY_TEXT} AS ?empty) }}"
                )
            )
            self._predicates = sorted({row["p"] for row in rows}, key=str)
            self._with_literals = {row["p"] for row in rows if _true(row["literal"])}
            self._with_nodes = {row["p"] for row in rows if not _true(row["literal"])}
            self._with_empty = sorted({row["p"] for row in rows if _true(row["empty"])}, key=str)
        return self._predicates

    def has_literals(self, predicate: NamedNode) -> bool:
        """Whether some value of the predicate is a literal."""
        self.predicates()
        return predicate in self._with_literals

    def has_nodes(self, predicate: NamedNode) -> bool:
        """Whether some value of the predicate is no literal (an IRI or a blank node)."""
        self.predicates()
        return predicate in self._with_nodes

    def predicates_with_empty_text(self) -> list[NamedNode]:
        """The predicates having a literal value that is empty or only spaces."""
        self.predicates()
        return self._with_empty

    def types(self, node) -> frozenset[str]:
        """The schema.org types of a node (local names, ``type_name``), from every source graph."""
        found = self._types.get(node)
        if found is None:
            found = frozenset(
                local
                for predicate in TYPING
                for quad in self.store.quads_for_pattern(node, predicate, None, None)
                if (local := type_name(predicate, quad.object)) is not None
            )
            self._types[node] = found
        return found

    def triples(self, subject=None, predicate=None, obj=None) -> set[tuple]:
        """(subject, object) pairs of the distinct triples matching a pattern with a fixed
        predicate (a triple written in two sources is one triple)."""
        return {
            (quad.subject, quad.object)
            for quad in self.store.quads_for_pattern(subject, predicate, obj, None)
        }


def _true(value) -> bool:
    return value is not None and value.value == "true"


class _LazyTypes:
    """``types.get(node, default)`` for the rules, answered by the context on demand."""

    def __init__(self, context: CheckContext):
        self.context = context

    def get(self, node, default=frozenset()):
        return self.context.types(node) or default


def lazy_types(context: CheckContext) -> _LazyTypes:
    return _LazyTypes(context)
