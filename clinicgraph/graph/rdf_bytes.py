"""pyoxigraph's serializers, typed as we call them: into bytes, never into a file.

``serialize`` and ``Store.dump`` return ``None`` when given an output; without one they
return the bytes, which their signatures cannot say.
"""

from collections.abc import Iterable

from pyoxigraph import Quad, RdfFormat, Store, Triple, serialize


def rdf_bytes(
    terms: Iterable[Triple] | Iterable[Quad], rdf_format: RdfFormat, prefixes: dict[str, str] | None = None
) -> bytes:
    """Triples or quads written in ``rdf_format``."""
    data = serialize(terms, format=rdf_format, prefixes=prefixes)
    assert data is not None
    return data


def dump_bytes(store: Store, rdf_format: RdfFormat) -> bytes:
    """A whole Oxigraph store written in a quad format."""
    data = store.dump(format=rdf_format)
    assert data is not None
    return data
