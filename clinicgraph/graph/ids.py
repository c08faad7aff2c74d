"""Every IRI clinicgraph makes up is made here, stable from build to build.

- a relative ``id`` resolves against the site URL: ``#clinic`` -> ``{site}#clinic``;
- a nested node without an id is named after its parent and the property holding it:
  ``{parent}/address`` (or ``{parent}#address`` when the parent has no fragment), and
  ``{parent}/cause-3`` for the third item of a list;
- a top-level node without an id is named after its file: ``{site}#content/clinic``;
- each source file is one named graph: ``urn:clinicgraph:source:content/clinic.yaml``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urljoin

from clinicgraph.vocab.context import prefixes
from clinicgraph.vocab.namespaces import normalize_schema_iri

SOURCE_GRAPH_PREFIX = "urn:clinicgraph:source:"


def resolve(reference: str, base: str) -> str:
    """An absolute IRI for an ``id`` or IRI value written in a source."""
    reference = reference.strip()
    prefix, sep, rest = reference.partition(":")
    if sep and not rest.startswith("//"):
        namespace = prefixes().get(prefix)
        if namespace is not None:
            return normalize_schema_iri(namespace + rest)
    if sep and prefix.isascii() and prefix.replace("+", "").replace("-", "").replace(".", "").isalnum():
        return normalize_schema_iri(reference)  # already absolute (https:, urn:, mailto: ...)
    return urljoin(base, reference)


def child(parent: str, prop: str, index: int | None = None) -> str:
    """The IRI of a nested node: its parent's, plus the property and list position (1-based)."""
    step = prop if index is None else f"{prop}-{index}"
    return f"{parent}/{step}" if "#" in parent else f"{parent}#{step}"


def top_level(site: str, relpath: str, index: int | None = None) -> str:
    """The IRI of a top-level node without an id: named after its file."""
    stem = quote(str(PurePosixPath(relpath).with_suffix("")), safe="/-_.")
    return f"{site}#{stem}" if index is None else f"{site}#{stem}-{index}"


def source_graph(relpath: str) -> str:
    """The named graph holding the triples of one source file."""
    return SOURCE_GRAPH_PREFIX + quote(relpath, safe="/-_.")


def source_of_graph(graph_iri: str) -> str | None:
    if graph_iri.startswith(SOURCE_GRAPH_PREFIX):
        return unquote(graph_iri[len(SOURCE_GRAPH_PREFIX):])
    return None


def blank_label(relpath: str, label: str) -> str:
    """A blank node label written in a file, kept apart from the same label in other files.

    Letters and digits stay, any other character becomes ``_{hex}_`` and ``-`` parts
    file from label, so two different (file, label) pairs never share a label.
    """
    def safe(text: str) -> str:
        return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in text)
    return f"f{safe(relpath)}-{safe(label)}"


def not_iris(expanded) -> list[str]:
    """The ``@id`` and ``@type`` values of an expanded JSON-LD document that are not IRIs
    (``http://a b/``): pyld drops their triples without a word, so they are looked for first."""
    from pyoxigraph import NamedNode

    found, stack = [], [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@id", "@type") and not (key == "@type" and "@value" in item):
                    for iri in value if isinstance(value, list) else [value]:
                        if isinstance(iri, str) and not iri.startswith("_:"):
                            try:
                                NamedNode(iri)
                            except ValueError:
                                found.append(iri)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
    return found
