"""HTML pages -> the structured data they carry, as quads: JSON-LD, Microdata and RDFa.

extruct reads each syntax (its JSON-LD, Microdata and RDFa extractors, over one parse
of the page), but one block at a time, so a broken block costs only itself and each
block keeps its line. No network: extruct's JSON-LD extractor only parses JSON, its
RDFa extractor runs pyRdfa without vocabulary expansion or embedded RDF (the only
paths that fetch) and writes expanded JSON-LD with rdflib; every JSON-LD document,
whatever its ``@context``, is turned into RDF by pyld with clinicgraph's offline
loader, which serves schema.org's context and refuses all others.

Only schema.org is kept (and ``rdf:`` for types and lists): Open Graph, RDFa's own
terms and ``<link rel>`` vocabularies are not what the graph models. ``https://schema.org/``
becomes ``http://``; blank nodes are named after the file and block, deterministically.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from clinicgraph.graph import ids
from clinicgraph.graph.limits import DEFAULT, Limits, json_line_past, too_deep
from clinicgraph.vocab.context import RemoteContextRefused, offline_loader, term_for
from clinicgraph.vocab.namespaces import RDF, RDF_TYPE, SCHEMA, SCHEMA_HTTPS, normalize_schema_iri

_SCRIPTS = 'descendant-or-self::script[@type="application/ld+json"]'  # extruct's own selection
_INVISIBLE = {"script", "style", "template", "head"}
_INLINE = set("a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup "
              "time u var".split())


@dataclass
class Block:
    """One unit of markup: a JSON-LD script, a top-level Microdata item, or the page's RDFa."""
    syntax: str                 # "json-ld", "microdata" or "rdfa"
    line: int | None
    quads: list[Quad]
    text: str = ""              # a JSON-LD script's text, to find lines inside it
    ours: bool = False          # the block `clinicgraph embed` writes (data-clinicgraph)

    def line_of(self, node, value: str | None = None) -> int | None:
        """In a JSON-LD block: the line describing the node, or of a value after that; else the block's."""
        if self.line is None or not self.text:
            return self.line
        start = _described_at(self.text, node.value) if isinstance(node, NamedNode) else 0
        for form in _json_forms(value) if value is not None else ():
            found = re.compile(rf'"{re.escape(form)}"|[:\[,]\s*{re.escape(form)}(?![\w.])').search(self.text, start)
            if found:
                start = found.start()
                break
        return self.line + self.text.count("\n", 0, start)


@dataclass
class Problem:
    kind: str                   # "invalid-json", "invalid-jsonld", "remote-context", "unreadable"
    line: int | None
    message: str
    ours: bool = False


@dataclass
class Markup:
    file: str                   # the HTML file, as diagnostics name it
    url: str                    # the page's URL: what relative ids resolve against
    blocks: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    visible: str = ""           # the text a reader sees, whitespace collapsed
    left_out: int = 0           # triples in other vocabularies, not kept

    def quads(self) -> list[Quad]:
        return [quad for block in self.blocks for quad in block.quads]

    def line_of(self, node, value: str | None = None) -> int | None:
        """The line where a node (or one of its values) is written, else its block's line."""
        for block in self.blocks:
            if any(quad.subject == node for quad in block.quads):
                return block.line_of(node, value)
        return None


def read_markup(data: bytes, file: str, base: str | None = None, fallback: str | None = None,
                limits: Limits = DEFAULT) -> Markup:
    """The structured data of one page. Its URL: ``base`` if given, else its canonical link,
    else ``fallback`` (a URL made from the file's path); a ``<base href>`` applies on top."""
    from extruct.utils import parse_xmldom_html

    markup = Markup(file, base or fallback or "")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        markup.problems.append(Problem("unreadable", data.count(b"\n", 0, data.find(b"\x00")) + 1,
                                       "not readable as HTML: binary data, or UTF-16 without a byte order mark"))
        return markup
    try:
        tree = parse_xmldom_html(data, encoding=_encoding(data))
    except Exception as error:  # lxml refuses empty or undecodable documents
        markup.problems.append(Problem("unreadable", None, f"not readable as HTML: {error}"))
        return markup
    if base is None:
        markup.url = _canonical(tree, fallback) or fallback or ""
    document_base = urljoin(markup.url, (tree.xpath("//base/@href") or [""])[0].strip())
    for number, script in enumerate(tree.xpath(_SCRIPTS), 1):
        _read_script(markup, script, number, document_base, limits)
    _read_microdata(markup, tree, document_base)
    _read_rdfa(markup, tree, document_base)
    markup.visible = " ".join("".join(_visible_parts(tree)).split())
    return markup


def url_path(relpath: str) -> str:
    """A site file's URL path, as static hosts serve it: ``a/index.html`` -> ``a/``; else as is
    (the inverse of ``exporters.embed_site.candidates`` for the files it looks for first)."""
    head, _, name = relpath.rpartition("/")
    if name.lower() in ("index.html", "index.htm"):
        return head + "/" if head else ""
    return relpath


def jsonld_quads(document, base: str, file: str, label: str,
                 allow: tuple[str, ...] = ()) -> tuple[list[Quad], int]:
    """A JSON-LD document as normalised quads (schema.org and rdf: only) and how many triples
    were left out. Raises pyld's errors; a refused remote context raises RemoteContextRefused;
    an id that is no IRI (pyld would drop it silently) raises ValueError."""
    from pyld import jsonld

    options = {"documentLoader": offline_loader(allow=allow), "base": base}
    try:
        with warnings.catch_warnings():  # pyld warns on stderr about odd terms: not the user's one line
            warnings.simplefilter("ignore")
            expanded = jsonld.expand(document, options)
            dataset = jsonld.to_rdf(expanded, options)
    except Exception as error:  # pyld wraps what the loader raised
        refused = error
        while refused is not None and not isinstance(refused, RemoteContextRefused):
            refused = getattr(refused, "cause", None) or refused.__cause__ or refused.__context__
        raise (refused or error) from None
    for iri in ids.not_iris(expanded)[:1]:
        raise ValueError(f"{iri!r} is not a valid IRI")
    graph = NamedNode(ids.source_graph(file))
    quads = [Quad(_term(triple["subject"], file, label), NamedNode(normalize_schema_iri(triple["predicate"]["value"])),
                  _term(triple["object"], file, label), graph)
             for triples in dataset.values() for triple in triples]
    ours = {quad.subject for quad in quads if quad.predicate.value.startswith(SCHEMA)
            or (quad.predicate.value == RDF_TYPE and quad.object.value.startswith(SCHEMA))}
    kept = [quad for quad in quads if quad.predicate.value.startswith(SCHEMA) or (
        quad.predicate.value.startswith(RDF) and (quad.subject in ours or quad.predicate.value != RDF_TYPE))]
    return kept, len(quads) - len(kept)


def _term(term: dict, file: str, label: str):
    if term["type"] == "blank node":
        return BlankNode(ids.blank_label(file, f"{label}-{term['value'][2:]}"))
    if term["type"] == "IRI":
        return NamedNode(normalize_schema_iri(term["value"]))
    if "language" in term:
        return Literal(term["value"], language=term["language"])
    return Literal(term["value"], datatype=NamedNode(normalize_schema_iri(term["datatype"])))


def _read_script(markup: Markup, script, number: int, base: str, limits: Limits = DEFAULT) -> None:
    from extruct.jsonld import JsonLdExtractor

    text, line, ours = script.xpath("string()"), script.sourceline, script.get("data-clinicgraph") is not None
    if text.count("[") + text.count("{") > limits.max_depth:  # else it cannot nest that deep
        past = json_line_past(text, limits.max_depth)
        if past is not None:  # before any parser recurses into it
            markup.problems.append(Problem("invalid-jsonld", (line or 1) + past - 1,
                                           f"JSON-LD block not read: {too_deep(limits)}", ours))
            return
    invalid = _json_problem(text, line or 1, ours)
    try:
        items = JsonLdExtractor().extract_items(script)  # extruct retries without comments and trailing commas
    except Exception:  # noqa: BLE001 - whatever the JSON parsers raise, the block is unreadable
        items = None
    if invalid:
        invalid.message += "; the block was read leniently, search engines may not" if items else ""
        markup.problems.append(invalid)
    if not items:
        return
    try:
        quads, left_out = jsonld_quads(items, base, markup.file, f"jsonld{number}", limits.allow_contexts)
    except RemoteContextRefused as error:
        markup.problems.append(Problem("remote-context", line, f"JSON-LD block not read: {error}", ours))
        return
    except Exception as error:
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        markup.problems.append(Problem("invalid-jsonld", line, f"invalid JSON-LD: {message}", ours))
        return
    markup.left_out += left_out
    markup.blocks.append(Block("json-ld", line, quads, text, ours))


def _json_problem(text: str, line: int, ours: bool) -> Problem | None:
    """JSON's syntax, as search engines parse it; the line where the mistake is."""
    try:
        json.loads(text, strict=False)
        return None
    except json.JSONDecodeError as error:
        before = text[:error.pos].rstrip()
        if before.endswith(",") and text[error.pos:error.pos + 1] in ("}", "]"):  # [1, 2,]
            at, why = before.count("\n"), "a comma before a closing bracket (remove it)"
        elif error.msg == "Expecting ',' delimiter" and "\n" in text[len(before):error.pos]:
            at, why = before.count("\n"), "a comma is missing at the end of this line"
        else:
            at, why = error.lineno - 1, f"{error.msg[:1].lower()}{error.msg[1:]} (column {error.colno})"
        return Problem("invalid-json", line + at, f"invalid JSON in a JSON-LD block: {why}", ours)


def _read_microdata(markup: Markup, tree, base: str) -> None:
    from extruct.w3cmicrodata import MicrodataExtractor

    try:
        items = MicrodataExtractor(add_html_node=True).extract_items(tree, base)
    except Exception as error:
        markup.problems.append(Problem("unreadable", None, f"Microdata not read: {error}"))
        return
    for number, item in enumerate(items, 1):
        line = getattr(item.get("htmlNode"), "sourceline", None)
        try:
            quads, left_out = jsonld_quads({"@context": "https://schema.org", **_microdata_node(item, "")},
                                           base, markup.file, f"microdata{number}")
        except Exception as error:
            markup.problems.append(Problem("unreadable", line, f"Microdata item not read: {error}"))
            continue
        markup.left_out += left_out
        markup.blocks.append(Block("microdata", line, quads))


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
        absolute = re.match(r"^[a-z][a-z0-9+.-]*:", name, re.I)
        if not absolute and not vocab:
            continue  # a short name in an item without a type names nothing
        key = name if absolute else term_for(name) if schema else vocab + name
        values = values if isinstance(values, list) else [values]
        node[key] = [_microdata_value(value, vocab) for value in values]
    return node


def _microdata_value(value, vocab: str):
    if not isinstance(value, dict):
        return value
    if "properties" in value or "type" in value:
        return _microdata_node(value, vocab)
    return value.get("value", "")  # an itemscope without properties, or extruct's action fields


def _read_rdfa(markup: Markup, tree, base: str) -> None:
    from extruct.rdfa import RDFaExtractor

    try:
        expanded = RDFaExtractor().extract_items(tree, base_url=base)
        quads, left_out = jsonld_quads(expanded, base, markup.file, "rdfa")
    except Exception as error:  # pyRdfa on odd markup
        markup.problems.append(Problem("unreadable", None, f"RDFa not read: {error}"))
        return
    markup.left_out += left_out
    if quads:
        first = tree.xpath("//*[@typeof]") or tree.xpath("//*[@property]")
        markup.blocks.append(Block("rdfa", first[0].sourceline if first else None, quads))


def _encoding(data: bytes) -> str:
    from w3lib.encoding import html_body_declared_encoding

    for bom, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return name
    return html_body_declared_encoding(data) or "utf-8"


def _canonical(tree, fallback: str | None) -> str | None:
    for link in tree.xpath("//link[@rel][@href]"):
        if "canonical" in link.get("rel").lower().split():
            url = urljoin(fallback or "", link.get("href").strip())
            if urlsplit(url).scheme in ("http", "https"):
                return url
    return None


def _visible_parts(element):
    """The text a reader sees: not script, style, template or head, nor what `hidden` or an
    inline ``display:none``/``visibility:hidden`` hides (style sheets are not evaluated)."""
    if not isinstance(element.tag, str) or _hidden(element):
        return
    block = element.tag.lower() not in _INLINE
    yield " " if block else ""
    yield element.text or ""
    for child in element:
        yield from _visible_parts(child)
        yield child.tail or ""
    yield " " if block else ""


def _hidden(element) -> bool:
    style = re.sub(r"\s+", "", (element.get("style") or "").lower())
    return (element.tag.lower() in _INVISIBLE or element.get("hidden") is not None
            or "display:none" in style or "visibility:hidden" in style)


def _described_at(text: str, iri: str) -> int:
    """Where ``"@id": iri`` opens the node's description (not a mere reference ``{"@id": iri}``)."""
    spellings = [iri] + (["#" + iri.rsplit("#", 1)[1]] if "#" in iri else [])
    found = []
    for spelling in spellings:
        for form in _json_forms(spelling):
            found += re.finditer(rf'"@?id"\s*:\s*"{re.escape(form)}"', text)
    found.sort(key=lambda match: match.start())
    described = [match for match in found if not re.match(r"\s*\}", text[match.end():])]
    return (described or found)[0].start() if found else 0


def _json_forms(value: str) -> list[str]:
    """How a string may be written inside a JSON string: raw, ASCII-escaped, or escaped as
    embed escapes ``<``, ``>`` and ``&``."""
    raw, ascii_ = json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]
    escaped = [form.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
               for form in (raw, ascii_)]
    return [form for form in dict.fromkeys([raw, ascii_, *escaped]) if form]
