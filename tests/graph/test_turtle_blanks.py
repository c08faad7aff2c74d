"""Blank nodes of Turtle and N-Triples files are placed where they are written: a ``[``,
a collection's item, a labelled node's first statement; each property at its predicate."""

from conftest import SITE
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal

from clinicgraph.graph.config import Site
from clinicgraph.graph.rdf_source import load_rdf, source_lines

S = "http://schema.org/"
FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"

TURTLE = """@prefix schema: <https://schema.org/> .
<#clinic> a schema:MedicalClinic ;
  schema:review [
      a schema:Review ;
      schema:reviewRating [ a schema:Rating ;
                            schema:ratingValue "x" ]
    ] , [ a schema:Review ] ;
  schema:openingHours ( "Mo"
     "Tu" ) .
_:lonely a schema:Review ;
  schema:reviewBody "good" .
[ a schema:Person ;
  schema:name "top" ] schema:knows _:lonely .
"""


def load(folder, text: str, relpath: str):
    path = folder / relpath
    path.write_text(text, encoding="utf-8")
    site = Site(SITE)
    return load_rdf(path, relpath, site), source_lines(path, relpath, site)


def subject_with(loaded, prop: str, value) -> BlankNode:
    (node,) = {q.subject for q in loaded.quads if q.predicate.value == prop and q.object == value}
    return node


def key(node: BlankNode) -> str:
    return f"_:{node.value}"


def test_blank_nodes_and_their_properties_are_placed(tmp_path):
    loaded, lines = load(tmp_path, TURTLE, "a.ttl")
    rating = subject_with(loaded, S + "ratingValue", Literal("x"))
    review = subject_with(loaded, S + "reviewRating", rating)
    lonely = subject_with(loaded, S + "reviewBody", Literal("good"))
    top = subject_with(loaded, S + "name", Literal("top"))
    monday = subject_with(loaded, FIRST, Literal("Mo"))
    tuesday = subject_with(loaded, FIRST, Literal("Tu"))
    assert [lines.node_line(key(node)) for node in (review, rating, lonely, top, monday, tuesday)] == [
        3,
        5,
        10,
        12,
        8,
        9,
    ]
    assert lines.value_line(key(rating), S + "ratingValue") == 6
    assert lines.value_line(key(review), S + "reviewRating") == 5
    assert lines.value_line(key(lonely), S + "reviewBody") == 11
    assert lines.value_line(key(top), S + "knows") == 13
    other = next(q.object for q in loaded.quads if q.predicate.value == S + "review" and q.object != review)
    assert lines.node_line(key(other)) == 7


def test_n_triples_blank_nodes_are_placed_by_label(tmp_path):
    text = f'<{SITE}#c> <{S}review> _:r .\n_:r <{S}reviewBody> "good" .\n_:r <{S}author> _:a .\n'
    loaded, lines = load(tmp_path, text, "a.nt")
    review = subject_with(loaded, S + "reviewBody", Literal("good"))
    assert lines.node_line(key(review)) == 2 and lines.value_line(key(review), S + "author") == 3


# Random Turtle: every [ ] node's first property is schema:name "n<k>" on the line of its
# "[", every collection item starts a line's content with its marker ("i<k>", or the
# "[" / "(" of the item), and line breaks fall only between properties, values and items.
@st.composite
def turtle(draw):
    counter = iter(range(10**6))
    out: list[str] = []

    def brk():
        return "\n" if draw(st.booleans()) else " "

    def node_body(depth):
        name = f"n{next(counter)}"
        parts = [f'schema:name "{name}"']
        for prop in draw(
            st.lists(st.sampled_from(["knows", "review", "hasPart"]), max_size=2 if depth < 3 else 0)
        ):
            values = [value(depth + 1) for _ in range(draw(st.integers(1, 2)))]
            parts.append(f"schema:{prop} " + f" ,{brk()}".join(values))
        return f" ;{brk()}".join(parts)

    def value(depth):
        shape = draw(st.sampled_from(["node", "list", "text", "label"]) if depth < 3 else st.just("text"))
        if shape == "node":
            return f"[ {node_body(depth)} ]"
        if shape == "list":
            return "( " + brk().join(item(depth) for _ in range(draw(st.integers(1, 3)))) + " )"
        if shape == "label":
            return f"_:l{draw(st.integers(0, 3))}"
        return f'"t{next(counter)}"'

    def item(depth):
        shape = draw(st.sampled_from(["text", "node", "list"]) if depth < 3 else st.just("text"))
        if shape == "node":
            return f"[ {node_body(depth)} ]"
        if shape == "list":
            return "( " + brk().join(item(depth + 1) for _ in range(draw(st.integers(1, 2)))) + " )"
        return f'"i{next(counter)}"'

    for index in range(draw(st.integers(1, 4))):
        subject = draw(st.sampled_from(["iri", "label", "node"]))
        if subject == "iri":
            out.append(f"<#s{index}> {node_body(0)} .")
        elif subject == "label":
            out.append(f"_:l{index} {node_body(0)} .")
        else:
            out.append(f"[ {node_body(0)} ] schema:about <#x> .")
    return "@prefix schema: <http://schema.org/> .\n" + "\n".join(out) + "\n"


def marker_lines(text: str) -> dict[str, int]:
    import re

    return {
        match: number
        for number, line in enumerate(text.splitlines(), 1)
        for match in re.findall(r'"([ni]\d+)"', line)
    }


@settings(max_examples=80, deadline=None)
@given(text=turtle())
def test_every_blank_node_is_placed_where_it_is_written(tmp_path_factory, text):
    """The blank nodes Oxigraph names in its order are the ones written at these lines."""
    folder = tmp_path_factory.mktemp("ttl")
    loaded, lines = load(folder, text, "a.ttl")
    at = marker_lines(text)
    named = {
        q.subject: at[q.object.value]
        for q in loaded.quads
        if q.predicate.value == S + "name" and isinstance(q.subject, BlankNode)
    }
    for node, line in named.items():
        assert lines.node_line(key(node)) == line, text
        assert lines.value_line(key(node), S + "name") == line, text
    cells = {q.subject: q.object for q in loaded.quads if q.predicate.value == FIRST}

    def item_line(value):
        if isinstance(value, Literal):
            return at[value.value]
        if value in named:
            return named[value]
        return item_line(cells[value])  # a nested collection's first cell

    for cell, value in cells.items():
        assert lines.node_line(key(cell)) == item_line(value), text
