"""The source formats, each registered once, with a name: the suffixes it is read from,
its loader, and a line for the docs (the shape of rdflib's plugin registry). Project
loading finds a file's format here, and the docs list the formats from here, so a new
format (tables, HTML) is added in this file and its loader's module.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from clinicgraph.graph.config import Site
from clinicgraph.graph.loaded import Loaded
from clinicgraph.graph.terms import TermResolver


@dataclass(frozen=True)
class SourceFormat:
    name: str
    suffixes: tuple[str, ...]  # the first one is the one named in messages
    # "module:function", imported when a file of the format is read: a function of
    # (path, relpath, site, terms) -> Loaded
    loader: str
    description: str  # one line, for the docs
    # Whether an unchanged file is read again when the store keeps its graph, for its
    # line numbers (YAML's come from reading it; RDF's are scanned when a finding needs one).
    read_again: bool = False

    def load(self, path: Path, relpath: str, site: Site, terms: TermResolver) -> Loaded:
        module, function = self.loader.split(":")
        return getattr(import_module(module), function)(path, relpath, site, terms)


SOURCE_FORMATS = (
    SourceFormat(
        "YAML-LD",
        (".yaml", ".yml"),
        "clinicgraph.graph.yaml_source:load_yaml",
        "schema.org terms as keys, under schema.org's context and the site URL as base",
        read_again=True,
    ),
    SourceFormat(
        "Turtle", (".ttl",), "clinicgraph.graph.rdf_source:load_rdf", "RDF 1.1 Turtle, merged as it is"
    ),
    SourceFormat(
        "N-Triples", (".nt",), "clinicgraph.graph.rdf_source:load_rdf", "RDF 1.1 N-Triples, merged as it is"
    ),
    SourceFormat(
        "JSON-LD",
        (".jsonld",),
        "clinicgraph.graph.rdf_source:load_rdf",
        "JSON-LD 1.1, schema.org's context served offline, any other remote context refused",
    ),
)
_BY_SUFFIX = {suffix: known for known in SOURCE_FORMATS for suffix in known.suffixes}


def source_format(path: Path) -> SourceFormat | None:
    """The format of a file, by its suffix; None for a file that is no source."""
    return _BY_SUFFIX.get(path.suffix)


def suffixes_named() -> str:
    """``.yaml, .ttl, .nt or .jsonld``: what a message asks for."""
    first = [known.suffixes[0] for known in SOURCE_FORMATS]
    return f"{', '.join(first[:-1])} or {first[-1]}"
