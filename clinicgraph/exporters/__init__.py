"""Exporters: graph -> bytes, looked up by format name and imported when first used
(the shape of rdflib's plugin registry)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

# format name -> (module, function); each function takes (store, members) where
# members is a page's share of the graph, or None for the whole graph.
_REGISTRY: dict[str, tuple[str, str]] = {
    "jsonld": ("clinicgraph.exporters.formats", "jsonld"),
    "turtle": ("clinicgraph.exporters.formats", "turtle"),
    "nt": ("clinicgraph.exporters.formats", "ntriples"),
    "nquads": ("clinicgraph.exporters.formats", "nquads"),
    "xml": ("clinicgraph.exporters.formats", "rdfxml"),
}

FORMAT_NAMES = tuple(_REGISTRY)


def exporter(name: str) -> Callable:
    module, function = _REGISTRY[name]
    return getattr(import_module(module), function)
