"""Queries on the embedded Oxigraph store.

The engine's reading of a query (graph.query_reading) decides what is refused (SERVICE) and
rewritten (schema.org's https IRIs) and whether the query names its own dataset. The
default graph is the RDF merge of the source graphs, and each source file is a named
graph (``urn:clinicgraph:source:`` + its path); a query's FROM and FROM NAMED replace
that dataset (SPARQL 1.1, 13.2). Errors the engine meets while evaluating (a function
it does not know) are one line, like syntax errors.
"""

from __future__ import annotations

from contextlib import contextmanager

from clinicgraph.graph.query_reading import local_stop, read
from clinicgraph.graph.query_text import QueryError, default_prefixes, syntax_error
from clinicgraph.graph.store import Store
from clinicgraph.sparql.results import render


def run_query(store: Store, query: str, base: str | None = None, source: str | None = None):
    """A bool (ASK), QuerySolutions (SELECT) or a list of Triples (CONSTRUCT, DESCRIBE)."""
    reading = read(query, local_stop(base), source)
    store.keep_merge()
    with evaluating(source):
        result = store.query(
            reading.text, own_dataset=reading.own_dataset, base_iri=base, prefixes=default_prefixes()
        )
        if hasattr(result, "variables") or isinstance(result, bool):
            return result
        if type(result).__name__ == "QueryBoolean":
            return bool(result)
        return list(result)


def answer(
    store: Store, query: str, format_name: str = "table", base: str | None = None, source: str | None = None
) -> bytes:
    """The query's result in one format (solutions are read while they are written, so
    an engine error can come then too)."""
    result = run_query(store, query, base, source)
    with evaluating(source):
        return render(result, format_name)


@contextmanager
def evaluating(source: str | None):
    """The engine's errors as QueryError: syntax errors at their place, evaluation errors
    (pyoxigraph's RuntimeError: an unknown function, an unbound SERVICE name) in one line."""
    try:
        yield
    except SyntaxError as error:
        raise syntax_error(error, source) from None
    except RuntimeError as error:
        raise QueryError(
            f"the query cannot be evaluated: {' '.join(str(error).split())}", source or "query"
        ) from None
