"""Queries on the embedded Oxigraph store, over the union of every source graph."""

from __future__ import annotations

from clinicgraph.graph.store import Store
from clinicgraph.sparql.text import default_prefixes, prepare, syntax_error


def run_query(store: Store, query: str, base: str | None = None, source: str | None = None):
    """A bool (ASK), QuerySolutions (SELECT) or a list of Triples (CONSTRUCT, DESCRIBE)."""
    text = prepare(query)
    try:
        result = store.query(text, base_iri=base, prefixes=default_prefixes())
    except SyntaxError as error:
        raise syntax_error(error, source) from None
    if hasattr(result, "variables") or isinstance(result, bool):
        return result
    if type(result).__name__ == "QueryBoolean":
        return bool(result)
    return list(result)
