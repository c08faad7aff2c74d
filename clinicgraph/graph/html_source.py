"""HTML pages -> the structured data they carry, as quads: JSON-LD, Microdata and RDFa.

One parse of the page serves the three readers: JSON-LD scripts here (extruct's reader,
one block at a time, so a broken block costs only itself and each block keeps its line),
Microdata (``html_microdata``) and RDFa (``html_rdfa``); ``html_rdf`` makes their RDF the
graph's quads, the same way for all. No network: extruct's JSON-LD reader only parses
JSON, pyRdfa runs without vocabulary expansion or embedded RDF (the only paths that
fetch), and every JSON-LD document, whatever its ``@context``, is turned into RDF by pyld
with clinicgraph's offline loader, which serves schema.org's context and refuses all others.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from clinicgraph.graph.html_markup import Block, Markup, Problem
from clinicgraph.graph.html_microdata import read_microdata
from clinicgraph.graph.html_rdf import from_rdflib, jsonld_quads
from clinicgraph.graph.html_rdfa import read_rdfa
from clinicgraph.graph.limits import DEFAULT, Limits, json_line_past, too_deep
from clinicgraph.vocab.context import RemoteContextRefused

__all__ = [
    "Block",
    "Markup",
    "Problem",
    "from_rdflib",
    "jsonld_quads",
    "read_markup",
    "url_path",
]  # for audit, import

_SCRIPTS = 'descendant-or-self::script[@type="application/ld+json"]'  # extruct's own selection
_INVISIBLE = {"script", "style", "template", "head"}
_INLINE = set(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)


def read_markup(
    data: bytes, file: str, base: str | None = None, fallback: str | None = None, limits: Limits = DEFAULT
) -> Markup:
    """The structured data of one page. Its URL: ``base`` if given, else its canonical link,
    else ``fallback`` (a URL made from the file's path); a ``<base href>`` applies on top."""
    from extruct.utils import parse_xmldom_html

    markup = Markup(file, base or fallback or "")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        markup.problems.append(
            Problem(
                "unreadable",
                data.count(b"\n", 0, data.find(b"\x00")) + 1,
                "not readable as HTML: binary data, or UTF-16 without a byte order mark",
            )
        )
        return markup
    try:
        tree = parse_xmldom_html(data, encoding=_encoding(data))
    except Exception as error:  # lxml refuses empty or undecodable documents
        markup.problems.append(Problem("unreadable", None, f"not readable as HTML: {error}"))
        return markup
    if base is None:
        markup.url = _canonical(tree, fallback) or fallback or ""
    document_base = urljoin(markup.url, (tree.xpath("//base/@href") or [""])[0].strip())
    for script in tree.xpath(_SCRIPTS):
        _read_script(markup, script, document_base, limits)
    read_microdata(markup, tree, document_base)
    read_rdfa(markup, tree, document_base)
    markup.visible = " ".join("".join(_visible_parts(tree)).split())
    return markup


def url_path(relpath: str) -> str:
    """A site file's URL path, as static hosts serve it: ``a/index.html`` -> ``a/``; else as is
    (the inverse of ``site.files.candidates`` for the files it looks for first)."""
    head, _, name = relpath.rpartition("/")
    if name.lower() in ("index.html", "index.htm"):
        return head + "/" if head else ""
    return relpath


def _read_script(markup: Markup, script, base: str, limits: Limits = DEFAULT) -> None:
    from extruct.jsonld import JsonLdExtractor

    text, line, ours = script.xpath("string()"), script.sourceline, script.get("data-clinicgraph") is not None
    if text.count("[") + text.count("{") > limits.max_depth:  # else it cannot nest that deep
        past = json_line_past(text, limits.max_depth)
        if past is not None:  # before any parser recurses into it
            markup.problems.append(
                Problem(
                    "invalid-jsonld",
                    (line or 1) + past - 1,
                    f"JSON-LD block not read: {too_deep(limits)}",
                    ours,
                )
            )
            return
    invalid = _json_problem(text, line or 1, ours)
    try:
        items = JsonLdExtractor().extract_items(
            script
        )  # extruct retries without comments and trailing commas
    except Exception:
        items = None
    if invalid:
        invalid.message += "; the block was read leniently, search engines may not" if items else ""
        markup.problems.append(invalid)
    if not items:
        return
    try:
        read = jsonld_quads(items, base, markup.file, limits.allow_contexts)
    except RemoteContextRefused as error:
        markup.problems.append(Problem("remote-context", line, f"JSON-LD block not read: {error}", ours))
        return
    except Exception as error:
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        markup.problems.append(Problem("invalid-jsonld", line, f"invalid JSON-LD: {message}", ours))
        return
    block = Block("json-ld", line, read.quads, text, ours)
    markup.problems += [
        Problem("invalid-value", block.line_of(None, value), message, ours)
        for value, message in read.invalid.values()
    ]
    markup.left_out += read.left_out
    markup.blocks.append(block)


def _json_problem(text: str, line: int, ours: bool) -> Problem | None:
    """JSON's syntax, as search engines parse it; the line where the mistake is."""
    try:
        json.loads(text, strict=False)
        return None
    except json.JSONDecodeError as error:
        before = text[: error.pos].rstrip()
        if before.endswith(",") and text[error.pos : error.pos + 1] in ("}", "]"):  # [1, 2,]
            at, why = before.count("\n"), "a comma before a closing bracket (remove it)"
        elif error.msg == "Expecting ',' delimiter" and "\n" in text[len(before) : error.pos]:
            at, why = before.count("\n"), "a comma is missing at the end of this line"
        else:
            at, why = error.lineno - 1, f"{error.msg[:1].lower()}{error.msg[1:]} (column {error.colno})"
        return Problem("invalid-json", line + at, f"invalid JSON in a JSON-LD block: {why}", ours)


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
    return (
        element.tag.lower() in _INVISIBLE
        or element.get("hidden") is not None
        or "display:none" in style
        or "visibility:hidden" in style
    )
