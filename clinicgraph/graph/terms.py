"""Source keys and type names -> IRIs, checked against the schema.org vocabulary.

Both the full release and the package's built-in subset know every schema.org term by
name, so an unknown term is always an error, with the nearest real term as a hint.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from clinicgraph.core.errors import SourceError
from clinicgraph.graph import ids
from clinicgraph.vocab.namespaces import SCHEMA, schema_term
from clinicgraph.vocab.vocabulary import Vocabulary


class TermResolver:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self._cache: dict[tuple[str, str], NamedNode] = {}

    def property(self, key: str, relpath: str, line: int) -> NamedNode:
        found = self._cache.get(("p", key))
        if found is None:
            found = _named(self._resolve(key, "property", relpath, line), "property", relpath, line)
            self._cache[("p", key)] = found
        return found

    def type(self, name: str, base: str, relpath: str, line: int) -> NamedNode:
        found = self._cache.get(("t", name))
        if found is None:
            found = _named(self._resolve(name, "type", relpath, line, base), "type", relpath, line)
            self._cache[("t", name)] = found
        return found

    def _resolve(self, text: str, kind: str, relpath: str, line: int, base: str = SCHEMA) -> str:
        if not text:
            raise SourceError(f"an empty {kind} name", relpath, line)
        if ":" in text:
            iri = ids.resolve(text, base)
            local = schema_term(iri)
            if local is None:
                return iri  # another vocabulary: the user's to answer for
        else:
            local = text
        self._check(local, kind, relpath, line)
        return SCHEMA + local

    def _check(self, local: str, kind: str, relpath: str, line: int) -> None:
        vocabulary = self.vocabulary
        if vocabulary.is_property(local) if kind == "property" else vocabulary.is_type(local):
            return
        if vocabulary.knows(local):
            if vocabulary.is_type(local):
                other, hint = "a type", f"write it as the value of type: {local}"
            elif vocabulary.is_property(local):
                other, hint = "a property", f"write it as a key: {local}: ..."
            else:
                other, hint = "an enumeration member", f'write it as a value: {{id: "schema:{local}"}}'
            raise SourceError(f"{local!r} is {other} in schema.org, not a {kind} ({hint})", relpath, line)
        suggestion = vocabulary.suggest(local, kind)
        hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
        raise SourceError(f"unknown schema.org {kind} {local!r}{hint}", relpath, line)


def _named(iri: str, kind: str, relpath: str, line: int) -> NamedNode:
    """A term written as an IRI of another vocabulary must be a valid IRI."""
    try:
        return NamedNode(iri)
    except ValueError:
        raise SourceError(f"{iri!r} is not a valid IRI for a {kind}", relpath, line) from None
