"""Other people's markup through `clinicgraph import`, in process: every page of extruct's
samples and every Microdata and RDFa section of schema.org's examples imports, and a
project holding the imported Turtle loads and validates (findings are fine; refusing the
input, exit 2, is not). Each section also says, as RDF, what its example's JSON-LD says
(pyld with the official schema.org context, not clinicgraph's code), except where the
example's own variants differ: ``schemaorg_variants.toml`` names each of those and how.

"Say the same thing" is judged on schema.org's data model, not on syntax: schema.org
triples only (https://schema.org/ as http://); text with its whitespace collapsed (markup
text carries the page's layout); numbers by value and no datatypes or languages (Microdata
has only text, JSON-LD types by its context, RDFa by @datatype and @datetime); a text that
is an http(s) or mailto URL as that IRI, and schema:True/False as "true"/"false" (schema.org
takes either for a URL or a Boolean); an http(s) IRI's empty path as "/" (RFC 3986); an
IRI RDF cannot hold (a URL template's braces) as its text, as import keeps it.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    parse,
)

from clinicgraph import pipeline
from tests.corpora.paths import corpus
from tests.corpora.schemaorg_examples import examples, with_section

BASE = "https://example.org/"
SCHEMA, SCHEMA_HTTPS, RDF_TYPE = (
    "http://schema.org/",
    "https://schema.org/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
)
SECTIONS = ("MICRODATA", "RDFA")
# markup that can say something: an item, or RDFa with a vocabulary (four RDFa sections write
# typeof and property without one, as a snippet of a page whose body would have it: they name nothing)
MARKUP = {"MICRODATA": re.compile(r"\sitemscope(?=[\s>=/])"), "RDFA": re.compile(r"\s(?:vocab|prefix)\s*=")}
VARIANTS = tomllib.loads((Path(__file__).parent / "schemaorg_variants.toml").read_text("utf-8"))
DIFFER, JSON_UNREADABLE = VARIANTS["differ"], set(VARIANTS["json-unreadable"])
SAME = 135  # sections with markup that say what their example's JSON-LD says


class Case:
    """One page imported, and the project holding it loaded and validated."""

    def __init__(self, page: Path, folder: Path, schemaorg: Path):
        self.report = pipeline.import_html([page], BASE)
        (folder / "content").mkdir(parents=True)
        (folder / "clinicgraph.toml").write_text(f'[site]\nurl = "{BASE}"\n', "utf-8")
        (folder / "content" / "imported.ttl").write_bytes(self.report.turtle)
        self.refused = None
        try:
            project = pipeline.open_project(folder, schemaorg)
            if self.report.triples:  # an empty graph has nothing to validate
                pipeline.validate(project, jobs=1)
        except Exception as error:
            self.refused = f"{type(error).__name__}: {error}"

    def said(self) -> frozenset:
        return said(parse(self.report.turtle, format=RdfFormat.TURTLE))


@pytest.fixture(scope="module")
def extruct_cases(tmp_path_factory, schemaorg_dir) -> dict[str, Case]:
    pages = sorted(corpus("extruct-samples").rglob("*.html"))
    folder = tmp_path_factory.mktemp("extruct")
    return {
        page.relative_to(corpus("extruct-samples")).as_posix(): Case(page, folder / str(n), schemaorg_dir)
        for n, page in enumerate(pages)
    }


@pytest.fixture(scope="module")
def section_cases(tmp_path_factory, schemaorg_dir) -> dict[tuple[str, str], Case]:
    folder, cases = tmp_path_factory.mktemp("schemaorg"), {}
    for section in SECTIONS:
        for example in with_section(section):
            page = folder / f"{example.id}-{section}.html"
            page.write_text(example.html(section), "utf-8")
            cases[section, example.id] = Case(page, folder / f"{example.id}-{section}", schemaorg_dir)
    return cases


def test_every_extruct_sample_imports_and_its_project_loads_and_validates(extruct_cases):
    assert len(extruct_cases) == 57
    assert {name: case.refused for name, case in extruct_cases.items() if case.refused} == {}
    # the other 22 carry no schema.org: Open Graph, microformats, Dublin Core, W3C's RDFa primer
    # (FOAF, Dublin Core) and Microdata examples (their own vocabularies), JSON without @context
    assert sum(1 for case in extruct_cases.values() if case.report.triples) == 35


def test_every_schema_org_section_imports_and_its_project_loads_and_validates(section_cases):
    assert len(section_cases) == 439 + 433
    assert {key: case.refused for key, case in section_cases.items() if case.refused} == {}
    # a section without markup (most say "This example is JSON only.") imports nothing, and only those
    for (section, ident), case in section_cases.items():
        has_markup = bool(
            MARKUP[section].search(next(e for e in examples() if e.id == ident).sections[section])
        )
        assert bool(case.report.triples) == has_markup, (section, ident)


@pytest.fixture(scope="module")
def json_ld_said(section_cases, official_loader) -> dict[str, frozenset | None]:
    """What the JSON-LD of each example with markup says, or None where it cannot be read."""
    said = {}
    for example in examples():
        if any(
            section_cases[section, example.id].report.triples
            for section in SECTIONS
            if (section, example.id) in section_cases
        ):
            try:
                said[example.id] = jsonld_said(example.jsonld, official_loader)
            except Exception:
                said[example.id] = None
    return said


def test_each_section_says_what_its_json_ld_says_unless_the_example_s_variants_differ(
    section_cases, json_ld_said
):
    same, differ = set(), set()
    for (section, ident), case in section_cases.items():
        if case.report.triples and json_ld_said[ident] is not None:
            (same if case.said() == json_ld_said[ident] else differ).add(f"{ident} {section}")
    assert sorted(differ - set(DIFFER)) == []  # says something else than its JSON-LD, and is not listed
    assert sorted(set(DIFFER) - differ) == []  # listed, but says the same now: take it off the list
    assert (len(same), len(differ)) == (SAME, len(DIFFER))


def test_the_json_ld_set_aside_is_the_json_ld_of_examples_with_markup_that_cannot_be_read(json_ld_said):
    assert {ident for ident, said in json_ld_said.items() if said is None} == JSON_UNREADABLE


# --- what a graph says, on schema.org's data model -----------------------------------


def jsonld_said(text: str, loader) -> frozenset:
    from pyld import jsonld

    dataset = jsonld.to_rdf(json.loads(text), {"documentLoader": loader, "base": BASE})
    return said(
        Quad(*map(_pyld_term, (t["subject"], t["predicate"], t["object"])), DefaultGraph())
        for triples in dataset.values()
        for t in triples
    )


def _pyld_term(term: dict):
    if term["type"] == "blank node":
        return BlankNode(term["value"][2:])
    if term["type"] == "IRI":
        try:
            return NamedNode(term["value"])
        except (
            ValueError
        ):  # no IRI RDF can hold ("https://x.example/?q={term}"): its text, as import keeps it
            return Literal(term["value"])
    return Literal(term["value"])  # datatype and language are not compared


def said(quads) -> frozenset:
    """The schema.org triples, their terms compared as the module's docstring says, with
    blank nodes named canonically (RDFC-1.0: these graphs are small), as a set."""
    dataset = Dataset()
    for quad in quads:
        subject, predicate, obj = (_term(term) for term in (quad.subject, quad.predicate, quad.object))
        if predicate.value.startswith(SCHEMA) or (
            predicate.value == RDF_TYPE and obj.value.startswith(SCHEMA)
        ):
            dataset.add(Quad(subject, predicate, obj, DefaultGraph()))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(dataset)


def _term(term):
    if isinstance(term, BlankNode):
        return term
    text = term.value if isinstance(term, NamedNode) else " ".join(term.value.split())
    if isinstance(term, Literal):
        try:
            return Literal(repr(float(text)))
        except ValueError:
            if not re.fullmatch(r"(?:https?://|mailto:)\S+", text):
                return Literal(text)
    text = SCHEMA + text[len(SCHEMA_HTTPS) :] if text.startswith(SCHEMA_HTTPS) else text
    if text in (SCHEMA + "True", SCHEMA + "False"):
        return Literal(text[len(SCHEMA) :].lower())
    text = re.sub(r"^(https?://[^/?#]+)(?=$|[?#])", r"\1/", text)
    try:
        return NamedNode(text)
    except ValueError:
        return Literal(text)
