"""The W3C SPARQL 1.1 query evaluation tests, read from their manifests, and how results
are compared.

A test names a query, data (``qt:data``: the default graph), named graphs
(``qt:graphData``: each named by its file's IRI) and the expected result. The files are
known by their W3C addresses (``http://www.w3.org/2009/sparql/docs/tests/data-sparql11/``
+ their path), which is also the base each one is read with.

Results compare as bags of solutions (ordered when the query's outermost modifiers
have ORDER BY), equal up to a renaming of blank nodes; graphs compare by isomorphism;
numbers and booleans compare by value within their datatype ("1.0" and "1" are one
xsd:decimal: Oxigraph keeps numbers by value and writes them canonically). A query with
LIMIT or OFFSET but no ORDER BY picks rows the engine chooses, so only their number is
compared. Expected results written as RDF in the result-set vocabulary are read as
solutions.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, RdfFormat
from rdflib import RDF, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from tests.corpora.paths import corpus

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
W3C = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
OUT_OF_SCOPE = {"entailment", "service"}  # entailment regimes; federation (SERVICE is refused)
RDF_FORMATS = {".ttl": RdfFormat.TURTLE, ".rdf": RdfFormat.RDF_XML, ".nt": RdfFormat.N_TRIPLES}
RESULTS_FORMATS = {
    ".srx": QueryResultsFormat.XML,
    ".srj": QueryResultsFormat.JSON,
    ".tsv": QueryResultsFormat.TSV,
}


@dataclass(frozen=True)
class Case:
    id: str  # folder/name
    kind: str  # QueryEvaluationTest or CSVResultFormatTest
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(sorted(set(self.data) | set(self.graph_data)))


def address(path: Path) -> str:
    """A corpus file's W3C address."""
    return W3C + path.relative_to(corpus("w3c-sparql11")).as_posix()


def cases() -> list[Case]:
    found = []
    for manifest in sorted(corpus("w3c-sparql11").glob("*/manifest.ttl")):
        if manifest.parent.name in OUT_OF_SCOPE:
            continue
        graph = rdflib.Graph().parse(manifest, format="turtle")
        (head,) = graph.subjects(RDF.type, MF.Manifest)
        entries = graph.value(head, MF.entries)
        for test in Collection(graph, entries) if entries is not None else []:
            kind = graph.value(test, RDF.type)
            if kind not in (MF.QueryEvaluationTest, MF.CSVResultFormatTest):
                continue
            action = graph.value(test, MF.action)

            def paths(predicate, graph=graph, action=action) -> tuple[Path, ...]:
                return tuple(
                    Path(str(node).removeprefix("file://")) for node in graph.objects(action, predicate)
                )

            found.append(
                Case(
                    f"{manifest.parent.name}/{str(test).rsplit('#', 1)[1]}",
                    kind.split("#")[1],
                    paths(QT.query)[0],
                    paths(QT.data),
                    paths(QT.graphData),
                    Path(str(graph.value(test, MF.result)).removeprefix("file://")),
                )
            )
    return found


def read_rdf(path: Path) -> list[pyoxigraph.Triple]:
    return [
        pyoxigraph.Triple(q.subject, q.predicate, q.object)
        for q in pyoxigraph.parse(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=address(path))
    ]


def expected(case: Case):
    """The expected result: a bool, (variables, solutions) or a list of triples."""
    if case.result.suffix in RDF_FORMATS:
        triples = read_rdf(case.result)
        return (
            _result_set(triples) if any(t.object == NamedNode(RS + "ResultSet") for t in triples) else triples
        )
    return plain(
        pyoxigraph.parse_query_results(path=str(case.result), format=RESULTS_FORMATS[case.result.suffix])
    )


def _result_set(triples: list) -> tuple | bool:
    """Solutions written in RDF with the result-set vocabulary."""

    def values(subject, predicate: str) -> list:
        return [
            t.object for t in triples if t.subject == subject and t.predicate == NamedNode(RS + predicate)
        ]

    (head,) = [t.subject for t in triples if t.object == NamedNode(RS + "ResultSet")]
    if values(head, "boolean"):
        return values(head, "boolean")[0].value == "true"
    rows = [
        {
            values(binding, "variable")[0].value: values(binding, "value")[0]
            for binding in values(row, "binding")
        }
        for row in values(head, "solution")
    ]
    return [variable.value for variable in values(head, "resultVariable")], rows


def plain(result):
    """A query result as plain values: a bool, (variable names, [{name: term}]) or [triples]."""
    if isinstance(result, bool) or type(result).__name__ == "QueryBoolean":
        return bool(result)
    if hasattr(result, "variables"):
        names = [variable.value for variable in result.variables]
        return names, [
            {name: solution[name] for name in names if solution[name] is not None} for solution in result
        ]
    return list(result)


def mapped(result, names: dict):
    """A result with some IRIs replaced (``names``: NamedNode -> NamedNode)."""

    def term(value):
        return names.get(value, value) if isinstance(value, NamedNode) else value

    if isinstance(result, bool):
        return result
    if isinstance(result, tuple):
        variables, rows = result
        return variables, [{name: term(value) for name, value in row.items()} for row in rows]
    return [pyoxigraph.Triple(term(t.subject), t.predicate, term(t.object)) for t in result]


def ordering(query: str) -> tuple[bool, bool]:
    """(ordered, sliced): whether the outermost modifiers have ORDER BY; LIMIT or OFFSET."""
    try:
        node = translateQuery(parseQuery(query)).algebra
    except Exception:  # rdflib cannot read every query Oxigraph can: read the text's end
        tail = query[query.rfind("}") :].upper()
        return "ORDER BY" in " ".join(tail.split()), "LIMIT" in tail or "OFFSET" in tail
    ordered = sliced = False
    while node is not None and getattr(node, "name", None) in (
        "SelectQuery",
        "ConstructQuery",
        "AskQuery",
        "DescribeQuery",
        "Slice",
        "Distinct",
        "Reduced",
        "Project",
        "OrderBy",
        "ToMultiSet",
    ):
        ordered |= node.name == "OrderBy"
        sliced |= node.name == "Slice"
        node = node.get("p")
    return ordered, sliced


def same(actual, wanted, ordered: bool, sliced: bool) -> bool:
    """Whether two results agree, as far as the query determines them."""
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return actual == wanted
    if isinstance(wanted, list) or isinstance(actual, list):
        return isinstance(actual, list) and isinstance(wanted, list) and _same_graph(actual, wanted)
    (names_a, rows_a), (names_w, rows_w) = actual, wanted
    if set(names_a) != set(names_w) or len(rows_a) != len(rows_w):
        return False
    if sliced and not ordered:
        return True
    return _same_rows(rows_a, rows_w, ordered)


def _same_graph(a: list, b: list) -> bool:
    def graph(triples):
        return rdflib.Graph().parse(
            data=pyoxigraph.serialize(triples, format=RdfFormat.N_TRIPLES), format="nt"
        )

    return isomorphic(graph(a), graph(b))


def _same_rows(a: list[dict], b: list[dict], ordered: bool) -> bool:
    if ordered:
        return _match_in_order(a, b, {})
    if not any(isinstance(v, BlankNode) for row in a + b for v in row.values()):
        return Counter(_key(row) for row in a) == Counter(_key(row) for row in b)
    return _match_any(a, list(b), {})


def _key(row: dict) -> tuple:
    return tuple(sorted((name, str(_value(value))) for name, value in row.items()))


def _value(term):
    """A number or boolean literal as (datatype, value); any other term as it is."""
    if not isinstance(term, Literal):
        return term
    datatype, text = term.datatype.value, term.value.strip()
    try:
        if datatype in INTEGERS:
            return datatype, int(text)
        if datatype == XSD + "decimal":
            return datatype, Decimal(text).normalize()
        if datatype in (XSD + "double", XSD + "float"):
            number = float(text.replace("INF", "inf"))
            return datatype, "NaN" if math.isnan(number) else number
        if datatype == XSD + "boolean":
            return datatype, text in ("true", "1")
    except (ValueError, InvalidOperation):
        pass
    return term


def _fits(a: dict, b: dict, blanks: dict) -> dict | None:
    """The blank node renaming extended so that row a is row b, or None."""
    if a.keys() != b.keys():
        return None
    blanks = dict(blanks)
    for name, value in a.items():
        other = b[name]
        if isinstance(value, BlankNode) and isinstance(other, BlankNode):
            if blanks.setdefault(value, other) != other or list(blanks.values()).count(other) > 1:
                return None
        elif _value(value) != _value(other):
            return None
    return blanks


def _match_in_order(a: list, b: list, blanks: dict) -> bool:
    for row_a, row_b in zip(a, b, strict=True):  # of one length: checked by the caller
        blanks = _fits(row_a, row_b, blanks)
        if blanks is None:
            return False
    return True


def _match_any(a: list, b: list, blanks: dict) -> bool:
    if not a:
        return True
    first, rest = a[0], a[1:]
    for index, candidate in enumerate(b):
        extended = _fits(first, candidate, blanks)
        if extended is not None and _match_any(rest, b[:index] + b[index + 1 :], extended):
            return True
    return False
