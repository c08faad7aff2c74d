"""Microdata -> quads: extruct finds the items, their properties and values; each top-level
item becomes a JSON-LD node read with schema.org's context, as a JSON-LD block is (W3C
Microdata to RDF: an item type's vocabulary names its short properties). A value is a
string, and the context makes an absolute URL an IRI where the property takes one (a
``<meta itemprop="image" content="https://...">``); text that is no absolute URL stays text,
where JSON-LD would resolve it against the page (``<li itemprop="gameLocation">Arefu</li>``).

extruct departs from the value rules in four places, put right here: a ``content``
attribute gives the value on any element, before ``href``, ``src`` or ``datetime`` (W3C
Microdata, and how Google reads it; extruct: after them); a ``time`` element's value is
its ``datetime`` attribute, else its text (extruct: empty); a URL element without its
attribute has the empty string as value (extruct: the page's URL); and a URL that cannot
be resolved is kept as text, with a warning (extruct raised, and every item of the page
was lost).
"""

from __future__ import annotations

import re

from extruct.w3cmicrodata import MicrodataExtractor
from w3lib.html import strip_html5_whitespace

from clinicgraph.graph.html_markup import Block, Markup, Problem
from clinicgraph.graph.html_rdf import jsonld_quads
from clinicgraph.vocab.context import term_for
from clinicgraph.vocab.namespaces import SCHEMA, SCHEMA_HTTPS

_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # a URL's scheme, or a property's
# The HTML standard's URL property elements and the attribute holding their value
_URL_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "link": "href",
    "audio": "src",
    "embed": "src",
    "iframe": "src",
    "img": "src",
    "source": "src",
    "track": "src",
    "video": "src",
    "object": "data",
}


class _Microdata(MicrodataExtractor):
    """extruct's reader, with the rules for content attributes, time elements and URLs."""

    def __init__(self):
        super().__init__(add_html_node=True)
        self.problems: list[Problem] = []

    def _extract_property_value(self, node, items_seen, base_url, itemids, force=False):
        if force or node.get("itemscope") is None:
            if (
                node.get("content") is not None
            ):  # W3C Microdata: before href, src, datetime (Google's reading)
                return node.get("content")
            attribute = _URL_ATTRIBUTES.get(node.tag)
            if attribute is not None:
                return self._url(node, node.get(attribute), base_url)
            if node.tag == "time":
                text = node.get("datetime")
                return text if text is not None else strip_html5_whitespace("".join(node.xpath("text()")))
        return super()._extract_property_value(node, items_seen, base_url, itemids, force)

    def _url(self, node, value: str | None, base: str):
        from urllib.parse import urljoin

        if value is None:
            return {"@value": ""}  # the standard's empty string, not the page's URL an IRI "" would be
        try:
            return urljoin(base, strip_html5_whitespace(value))
        except ValueError:  # "http://[::1"
            self.problems.append(
                Problem("invalid-value", node.sourceline, f"{value!r} is not a valid URL: kept as text")
            )
            return {"@value": value}


def read_microdata(markup: Markup, tree, base: str) -> None:
    reader = _Microdata()
    try:
        items = reader.extract_items(tree, base)
    except Exception as error:
        markup.problems.append(Problem("unreadable", None, f"Microdata not read: {error}"))
        return
    markup.problems += reader.problems
    for item in items:
        line = getattr(item.get("htmlNode"), "sourceline", None)
        try:
            read = jsonld_quads(
                {"@context": "https://schema.org", **_microdata_node(item, "")}, base, markup.file
            )
        except Exception as error:
            markup.problems.append(Problem("unreadable", line, f"Microdata item not read: {error}"))
            continue
        markup.left_out += read.left_out
        markup.problems += [Problem("invalid-value", line, message) for _, message in read.invalid.values()]
        markup.blocks.append(Block("microdata", line, read.quads))


def _microdata_node(item: dict, vocab: str) -> dict:
    """A Microdata item as JSON-LD: its type's vocabulary names its short properties
    (W3C Microdata to RDF); schema.org ones are read with schema.org's context, as JSON-LD is."""
    types = item.get("type") or []
    types = [types] if isinstance(types, str) else types
    if types:
        vocab = re.sub(r"[^/#]*$", "", types[0])
    node: dict = {"@type": types} if types else {}
    if item.get("id"):
        node["@id"] = item["id"]
    schema = vocab in (SCHEMA, SCHEMA_HTTPS)
    for name, values in item.get("properties", {}).items():
        absolute = _ABSOLUTE.match(name)
        if not absolute and not vocab:
            continue  # a short name in an item without a type names nothing
        key = name if absolute else term_for(name) if schema else vocab + name
        values = values if isinstance(values, list) else [values]
        node[key] = [_microdata_value(value, vocab) for value in values]
    return node


def _microdata_value(value, vocab: str):
    if isinstance(value, str) and not _ABSOLUTE.match(value):
        return {"@value": value}  # text, where the context would make an IRI of it: "Arefu" is no link
    if not isinstance(value, dict) or "@value" in value:
        return value
    if "properties" in value or "type" in value:
        return _microdata_node(value, vocab)
    return value.get("value", "")  # an itemscope without properties, or extruct's action fields
