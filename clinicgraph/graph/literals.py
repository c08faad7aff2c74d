"""RDF literals with JSON-LD's meaning, in one place for loaders and exporters.

A YAML or JSON number becomes what JSON-LD's toRdf makes of it (integers as
``xsd:integer``, other numbers as canonical ``xsd:double``), so a page document that
writes the number back expands to the very same literal. Oxigraph stores numeric
literals by value, so "4.7E0" and "4.7" are one literal in the store.
"""

from __future__ import annotations

import math
import re

from pyoxigraph import Literal, NamedNode

from clinicgraph.vocab.namespaces import XSD

XSD_STRING = NamedNode(XSD + "string")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DOUBLE = NamedNode(XSD + "double")
XSD_BOOLEAN = NamedNode(XSD + "boolean")

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


def is_language(tag) -> bool:
    """Whether RDF takes ``tag`` as a language tag (BCP 47's form, as Oxigraph checks it)."""
    try:
        Literal("", language=tag)
    except (ValueError, TypeError):
        return False
    return True


def canonical_double(value: float) -> str:
    """xsd:double's canonical form, as JSON-LD processors (pyld) write it."""
    return re.sub(r"(\d)0*E\+?(-)?0*(\d)", r"\1E\2\3", f"{value:1.15E}")


def number_literal(value: int | float) -> Literal:
    """The literal JSON-LD gives a native number; NaN and infinities have none."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number JSON can carry")
        if not value.is_integer():
            return Literal(canonical_double(value), datatype=XSD_DOUBLE)
        value = int(value)
    if abs(value) >= 10**21:
        return Literal(canonical_double(float(value)), datatype=XSD_DOUBLE)
    return Literal(str(value), datatype=XSD_INTEGER)


def boolean_literal(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def native_value(literal: Literal) -> int | float | bool | None:
    """The JSON number or boolean that expands back to exactly this literal, if any."""
    datatype, text = literal.datatype, literal.value
    if datatype == XSD_INTEGER:
        # JSON-LD reads an integer back as written below 10**21; orjson writes 64 bits
        if _INTEGER.fullmatch(text) and -(2**63) <= int(text) < 2**64:
            return int(text)
    elif datatype == XSD_DOUBLE:
        try:
            number = float(text)
        except ValueError:
            return None
        # Oxigraph keeps doubles as numbers and writes them back in its own form ("4.7"),
        # so what matters is the value: JSON-LD must read the number back unchanged.
        if math.isfinite(number) and not number.is_integer() and float(canonical_double(number)) == number:
            return number
    elif datatype == XSD_BOOLEAN and text in ("true", "false"):
        return text == "true"
    return None
