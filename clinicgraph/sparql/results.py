"""Query results -> bytes: the SPARQL 1.1 results formats, RDF for graph results, and an
aligned table for people."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, RdfFormat, Triple

from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.rdf_bytes import rdf_bytes
from clinicgraph.vocab.namespaces import PREFIXES

SOLUTION_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}
# `query --format`: the table, then every solution and graph format (xml serves both).
FORMAT_NAMES = ("table", *dict.fromkeys([*SOLUTION_FORMATS, *GRAPH_FORMATS]))
CELL_WIDTH = 80  # a table is for reading; csv, tsv and json keep every character


def render(result, format_name: str = "table") -> bytes:
    if isinstance(result, list):  # CONSTRUCT / DESCRIBE
        if format_name == "table":
            format_name = "turtle"
        if format_name not in GRAPH_FORMATS:
            raise ClinicgraphError(
                f"a graph result is written as turtle, nt, jsonld or xml, not {format_name}"
            )
        prefixes = PREFIXES if format_name in ("turtle", "xml") else None
        return rdf_bytes(result, GRAPH_FORMATS[format_name], prefixes)
    if format_name == "table":
        return table(result).encode("utf-8")
    if format_name not in SOLUTION_FORMATS:
        raise ClinicgraphError(
            f"SELECT and ASK results are written as table, json, xml, csv or tsv, not {format_name}"
        )
    if isinstance(result, bool):
        return _boolean(result, format_name)
    return result.serialize(format=SOLUTION_FORMATS[format_name])


def table(result) -> str:
    """An aligned text table; IRIs shortened with the predeclared prefixes."""
    if isinstance(result, bool):
        return ("yes" if result else "no") + "\n"
    names = [variable.value for variable in result.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in result]
    widths = [max([len(name) + 1] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = [
        "  ".join(f"?{name}".ljust(w) for name, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(lines) + "\n"


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        text = " ".join(term.value.split())
        return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"
    if isinstance(term, Triple):
        return f"<< {_cell(term.subject)} {_cell(term.predicate)} {_cell(term.object)} >>"
    return str(term)


def _boolean(value: bool, format_name: str) -> bytes:
    word = "true" if value else "false"
    if format_name == "json":
        return f'{{"head":{{}},"boolean":{word}}}\n'.encode()
    if format_name == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    return boolean_text(value, format_name)


def boolean_text(value: bool, format_name: str) -> bytes:
    """An ASK result as CSV or TSV, which define no boolean form: a one-column table of
    _askResult, the form Jena writes and rdflib's CSV and TSV parsers read (TSV names
    a variable with its ?; CSV lines end in CRLF)."""
    word = "true" if value else "false"
    return f"_askResult\r\n{word}\r\n".encode() if format_name == "csv" else f"?_askResult\n{word}\n".encode()
