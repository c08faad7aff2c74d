"""RDFa -> quads, by pyRdfa over the page's parse (no network: no vocabulary expansion, no
embedded RDF), with HTML+RDFa's host language: a ``time`` element's ``datetime`` and the
``lang`` attribute count, as HTML+RDFa 1.1 says (extruct's RDFa reader runs RDFa Core,
which reads the time's text instead and no ``lang``).

Before pyRdfa reads the page, what would cost more than itself is set right in the parse:
a ``vocab`` (or ``prefix``) that misses schema.org's IRI by a slash or a scheme is read as
schema.org, with a warning; an ``href``, ``src``, ``resource`` or ``about`` that is no
IRI becomes a marker (``html_rdf``), so only that value is set apart, kept as text (pyRdfa
raised, and the page's RDFa was lost); a ``lang`` that is no language tag is dropped.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import partial
from urllib.parse import urljoin

from clinicgraph.graph.html_markup import Block, Markup, Problem
from clinicgraph.graph.html_rdf import MARKER, from_rdflib, iri, language, markup_rdf, not_a_language
from clinicgraph.vocab.namespaces import SCHEMA_HTTPS

# schema.org's IRI missed by a slash, a scheme or a "www.": what the writer meant is plain
_NEAR_SCHEMA = re.compile(r"(?:https?:)?(?://)?(?:www\.)?schema\.org/?", re.I)
_PREFIXES = re.compile(r"(\S+):\s+(\S+)")
_IRI_ATTRIBUTES = ("about", "resource", "href", "src")


def read_rdfa(markup: Markup, tree, base: str) -> None:
    from pyRdfa import Options, pyRdfa
    from pyRdfa.host import HostLanguage
    from rdflib import Graph

    _near_schema(markup, tree)
    marked = _mark_not_iris(tree, base)
    _drop_bad_languages(markup, tree)
    options = Options(
        output_processor_graph=True,
        embedded_rdf=False,
        space_preserve=True,
        vocab_expansion=False,
        vocab_cache=False,
        vocab_cache_report=False,
        refresh_vocab_cache=False,
        check_lite=False,
    )
    options.host_language = HostLanguage.html5
    try:
        with _text_as_written():
            graph = pyRdfa(options, base=base).graph_from_DOM(tree, graph=Graph(), pgraph=Graph())
    except Exception as error:  # pyRdfa on odd markup
        markup.problems.append(Problem("unreadable", None, f"RDFa not read: {error}"))
        return
    read = markup_rdf(
        graph, from_rdflib, markup.file, {marker: value for marker, (value, _) in marked.items()}
    )
    first = tree.xpath("//*[@typeof]") or tree.xpath("//*[@property]")
    line = first[0].sourceline if first else None
    markup.problems += [
        Problem("invalid-value", marked[key][1] if key in marked else line, message)
        for key, (_, message) in read.invalid.items()
    ]
    markup.left_out += read.left_out
    if read.quads:
        markup.blocks.append(Block("rdfa", line, read.quads))


@contextmanager
def _text_as_written():
    """rdflib writes a typed literal's text in its canonical form ("2010-11-04T20:07Z" as
    "2010-11-04T20:07:00+00:00"); the page's text is kept instead, as the other syntaxes keep it."""
    import rdflib

    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def _near_schema(markup: Markup, tree) -> None:
    """A ``vocab`` or ``prefix`` that misses schema.org's IRI is read as schema.org's, with a
    warning: RDFa would make its terms IRIs no one means (``https://schema.orgPerson``)."""
    for element in tree.xpath("//*[@vocab]"):
        vocab = element.get("vocab").strip()
        if _near(vocab):
            element.set("vocab", SCHEMA_HTTPS)
            markup.problems.append(
                Problem("vocabulary", element.sourceline, _near_miss(f"vocab={vocab!r}", vocab))
            )
    for element in tree.xpath("//*[@prefix]"):
        schema_for = partial(_schema_prefix, markup, element.sourceline)
        element.set("prefix", _PREFIXES.sub(schema_for, element.get("prefix")))


def _schema_prefix(markup: Markup, line: int | None, mapping: re.Match[str]) -> str:
    """A prefix declaration, its near miss of schema.org's IRI put right (and said so)."""
    name, value = mapping.groups()
    if not _near(value):
        return mapping[0]
    markup.problems.append(Problem("vocabulary", line, _near_miss(f"prefix {name}: {value!r}", value)))
    return f"{name}: {SCHEMA_HTTPS}"


def _near(iri: str) -> bool:
    return bool(_NEAR_SCHEMA.fullmatch(iri)) and iri not in ("http://schema.org/", SCHEMA_HTTPS)


def _near_miss(what: str, value: str) -> str:
    return (
        f"{what} is not schema.org's vocabulary {SCHEMA_HTTPS} (RDFa reads its terms as {value}name "
        f"and the like, which are not schema.org's): read as schema.org; write {SCHEMA_HTTPS}"
    )


def _mark_not_iris(tree, base: str) -> dict[str, tuple[str, int | None]]:
    """Markers in place of the IRI attributes that are no IRI: marker -> (value as written, line)."""
    marked: dict[str, tuple[str, int | None]] = {}
    for name in _IRI_ATTRIBUTES:
        for element in tree.xpath(f"//*[@{name}]"):
            value = element.get(name)
            if value.startswith(("[", "_:")):  # a safe CURIE or a blank node
                continue
            try:
                iri(urljoin(base, value.strip()))
            except ValueError:  # urljoin's, or NotAnIri
                marker = f"{MARKER}{len(marked)}"
                element.set(name, marker)
                marked[marker] = (value, element.sourceline)
    return marked


def _drop_bad_languages(markup: Markup, tree) -> None:
    """A ``lang`` (or ``xml:lang``) that is no language tag is dropped (rdflib raised, and the
    page's RDFa was lost); ``en_US`` is read as ``en-US``."""
    for element in tree.xpath("//*[@lang or @*[name() = 'xml:lang']]"):
        for name in ("lang", "xml:lang"):
            written = (element.get(name) or "").strip()
            tag = language(written) if written else written
            if tag is None:
                markup.problems.append(Problem("invalid-value", element.sourceline, not_a_language(written)))
                del element.attrib[name]
            elif tag != written:
                element.set(name, tag)
