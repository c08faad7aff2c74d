"""JSON-LD files: what pyld would drop or refuse the whole file for, and where each node
and property is written (the lines a diagnostic names)."""

import json

import pytest
from conftest import SITE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.config import Site
from clinicgraph.graph.rdf_source import load_rdf, source_lines

S = "http://schema.org/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def load(folder, document, relpath: str = "a.jsonld"):
    path = folder / relpath
    path.write_text(
        document if isinstance(document, str) else json.dumps(document, indent=2), encoding="utf-8"
    )
    return load_rdf(path, relpath, Site(SITE)), path


def values(loaded, prop: str) -> list:
    return [q.object for q in loaded.quads if q.predicate == NamedNode(S + prop)]


def test_a_url_template_stays_text_and_the_file_loads(tmp_path):
    """Google's and schema.org's SearchAction: the target is a template, no IRI."""
    loaded, _ = load(
        tmp_path,
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "url": "https://clinic.example/",
            "potentialAction": {
                "@type": "SearchAction",
                "target": "https://clinic.example/search?q={search_term_string}",
                "query-input": "required name=search_term_string",
            },
        },
    )
    assert values(loaded, "target") == [Literal("https://clinic.example/search?q={search_term_string}")]
    assert values(loaded, "url") == [NamedNode("https://clinic.example/")]


def test_text_the_context_makes_a_link_stays_text_as_written_when_it_makes_no_iri(tmp_path):
    """schema.org's context coerces sameAs, gameLocation, image ... to @id; "Megaton" is a
    relative IRI (JSON-LD's meaning), "Big Town" none: kept as the text written."""
    loaded, _ = load(
        tmp_path,
        {
            "@context": "https://schema.org",
            "@id": "#game",
            "@type": "VideoGame",
            "gameLocation": ["Megaton", "Big Town"],
            "sameAs": "not a url",
            "image": " http://img.example/a.png",
            "url": "123.45.678.90:2342",
        },
    )
    assert set(values(loaded, "gameLocation")) == {NamedNode(SITE + "Megaton"), Literal("Big Town")}
    assert values(loaded, "sameAs") == [Literal("not a url")]
    assert values(loaded, "image") == [Literal(" http://img.example/a.png")]
    assert values(loaded, "url") == [Literal("123.45.678.90:2342")]


def test_a_type_or_key_that_is_no_iri_is_left_out_with_a_note_at_its_line(tmp_path):
    """schema.org's context makes "type" an alias of @type (eg-0291 writes
    "type": "Best for the Money"); pyld drops such types and keys silently."""
    loaded, _ = load(
        tmp_path,
        """{
  "@context": "https://schema.org",
  "@id": "#r",
  "@type": "Recommendation",
  "type": "Best for the Money",
  "my note": "x",
  "name": "Regal"
}""",
    )
    assert {(q.predicate.value, q.object) for q in loaded.quads} == {
        (TYPE, NamedNode(S + "Recommendation")),
        (S + "name", Literal("Regal")),
    }
    assert [(note.line, note.rule, note.node, note.property, note.value) for note in loaded.notes] == [
        (5, "source/left-out", SITE + "#r", None, "Best for the Money"),
        (6, "source/left-out", SITE + "#r", "my note", None),
    ]
    assert "left out" in loaded.notes[0].message


def test_keys_no_context_defines_are_left_out_with_a_note_each(tmp_path):
    """schema.org's examples are often snippets without @context (eg-0348): JSON-LD gives
    their keys no meaning, and pyld drops them silently."""
    loaded, _ = load(
        tmp_path, '{\n  "@type": "DigitalDocument",\n  "name": "Proposal",\n  "author": "Alice"\n}'
    )
    assert [(note.line, note.property) for note in loaded.notes] == [(3, "name"), (4, "author")]
    assert "not a term of the @context" in loaded.notes[0].message
    assert '"@context": "https://schema.org"' in loaded.notes[0].hint


@pytest.mark.parametrize(
    "document, line, words",
    [
        (
            '{\n "@context": "https://schema.org",\n "@type": "Thing",\n "@id": "http://exa mple/"\n}',
            4,
            "'http://exa mple/' is not a valid IRI",
        ),
        (
            '{"@context": "https://schema.org",\n "@type": "Thing",\n "sameAs": {"@id": "a b"}\n}',
            3,
            "'https://clinic.example/a b' is not a valid IRI",
        ),
        (
            '{"@context": "https://schema.org",\n "@type": "Thing",\n\n "name": {"@value": "x", "@language": "en US"}}',
            4,
            "'en us' is not a language tag",
        ),
    ],
    ids=["node-id", "reference-id", "language"],
)
def test_what_no_graph_can_hold_is_refused_at_its_line(tmp_path, document, line, words):
    with pytest.raises(SourceError) as refused:
        load(tmp_path, document)
    assert refused.value.line == line and words in str(refused.value)


# -- lines -------------------------------------------------------------------------------

NESTED = """{
  "@context": "https://schema.org",
  "@graph": [
    {
      "@id": "#clinic",
      "@type": "MedicalClinic",
      "name": "Clinic",
      "review": [
        {"@type": "Review", "reviewBody": "good"},
        {
          "@type": "Review",
          "reviewRating": {
            "@type": "Rating",
            "ratingValue": "x"
          }
        }
      ],
      "openingHours": {"@list": ["Mo", "Tu"]}
    },
    {
      "@id": "_:dr",
      "@type": "Physician",
      "name": "Dr"
    }
  ]
}"""


def blank_with(loaded, prop: str, value) -> BlankNode:
    (node,) = [q.subject for q in loaded.quads if q.predicate == NamedNode(S + prop) and q.object == value]
    return node


def test_nodes_and_values_are_placed_where_they_are_written(tmp_path):
    loaded, path = load(tmp_path, NESTED)
    lines = source_lines(path, "a.jsonld", Site(SITE))
    clinic = SITE + "#clinic"
    assert lines.node_line(clinic) == 4
    assert lines.value_line(clinic, TYPE) == 6 and lines.value_line(clinic, S + "review") == 8
    first, second = (
        blank_with(loaded, "reviewBody", Literal("good")),
        blank_with(loaded, "reviewRating", blank_with(loaded, "ratingValue", Literal("x"))),
    )
    rating = blank_with(loaded, "ratingValue", Literal("x"))
    assert [lines.node_line(f"_:{node.value}") for node in (first, second, rating)] == [9, 10, 12]
    assert lines.value_line(f"_:{rating.value}", S + "ratingValue") == 14
    doctor = blank_with(loaded, "name", Literal("Dr"))
    assert (
        lines.node_line(f"_:{doctor.value}") == 20 and lines.value_line(f"_:{doctor.value}", S + "name") == 23
    )
    assert lines.value_line(clinic, S + "openingHours") == 18  # the list's cells are found through it


def test_lines_are_found_only_when_asked(tmp_path):
    """Loading reads no line: the file is scanned when a diagnostic first needs one."""
    loaded, path = load(tmp_path, NESTED)
    assert loaded.lines_later == path and not loaded.value_lines
    assert all(line is None for line in loaded.node_lines.values())


# Random documents: every object is a node whose first key is "name": "n<k>" and whose
# "{" is on the line before (json.dumps with indent puts a nested object's "{" after its key).
@st.composite
def documents(draw):
    def node(depth):
        made = {"name": ""}
        if draw(st.booleans()):
            made["@id"] = draw(st.sampled_from(["#a", "#b", "_:x", "_:y", f"#n{draw(st.integers(0, 50))}"]))
        for prop in draw(
            st.lists(st.sampled_from(["knows", "review", "about", "hasPart"]), unique=True, max_size=3)
        ):
            if depth >= 3:
                break
            shape = draw(st.sampled_from(["one", "many", "list", "text"]))
            if shape == "one":
                made[prop] = node(depth + 1)
            elif shape == "many":
                made[prop] = [node(depth + 1) for _ in range(draw(st.integers(1, 3)))]
            elif shape == "list":
                made[prop] = {"@list": [node(depth + 1) for _ in range(draw(st.integers(1, 3)))]}
            else:
                made[prop] = "text"
        return made

    tops = [node(0) for _ in range(draw(st.integers(1, 3)))]
    counter = iter(range(10**6))

    def number(item):
        if isinstance(item, list):
            for each in item:
                number(each)
        elif isinstance(item, dict):
            if "name" in item:
                item["name"] = f"n{next(counter)}"
            for value in item.values():
                number(value)

    number(tops)
    return {"@context": "https://schema.org", "@graph": tops}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents())
def test_every_node_is_placed_at_its_brace_and_every_value_at_its_key(tmp_path, document):
    """The mapping from pyld's output back to the text is exact: each node (blank or
    named, nested, in arrays and lists) is the one written at that line."""
    text = json.dumps(document, indent=1)
    loaded, path = load(tmp_path, text)
    lines = source_lines(path, "a.jsonld", Site(SITE))
    text_lines = text.splitlines()
    name_line = {
        line.strip().rstrip(","): number
        for number, line in enumerate(text_lines, 1)
        if line.strip().startswith('"name"')
    }
    first_description = {}
    for quad in loaded.quads:
        if quad.predicate == NamedNode(S + "name"):
            written = name_line[f'"name": "{quad.object.value}"']
            first_description.setdefault(quad.subject, []).append(written)
    for node, written in first_description.items():
        key = node.value if isinstance(node, NamedNode) else f"_:{node.value}"
        assert lines.node_line(key) == min(written) - 1, (key, text)
        assert lines.value_line(key, S + "name") == min(written), (key, text)


def test_lines_count_the_newlines_between_a_key_and_its_colon(tmp_path):
    _, path = load(
        tmp_path,
        '{"@context": "https://schema.org",\n "@id": "#c",\n "name"\n\n :\n "x",\n "description": "y"}',
    )
    assert source_lines(path, "a.jsonld", Site(SITE)).value_line(SITE + "#c", S + "description") == 7


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents())
def test_the_graph_is_pyld_s_own_to_rdf(tmp_path, official_loader, document):
    """Naming blank nodes and making the N-Quads from the expanded document keep JSON-LD's
    meaning: the same graph as pyld's toRdf with the official context, up to blank labels."""
    from conftest import ntriples_graph
    from pyld import jsonld
    from rdflib.compare import isomorphic

    loaded, _ = load(tmp_path, json.dumps(document))
    ours = "".join(f"{quad.triple} .\n" for quad in loaded.quads)
    theirs = jsonld.to_rdf(
        document, {"documentLoader": official_loader, "base": SITE, "format": "application/n-quads"}
    ).replace("<https://schema.org/", "<http://schema.org/")
    assert isomorphic(ntriples_graph(ours), ntriples_graph(theirs))
