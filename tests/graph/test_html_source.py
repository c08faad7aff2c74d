"""Reading the structured data HTML pages carry (graph/html_source.py), and `clinicgraph import`:
real HTML fixtures in tests/graph/html/, one per syntax and per kind of trouble."""

import html
import json
import os
import socket
import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, run_cli, write_project
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, NamedNode
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from clinicgraph import pipeline
from clinicgraph.exporters.rdf import dump_triples, triples_of
from clinicgraph.graph.html_source import read_markup, url_path
from clinicgraph.graph.pages import closure, find_pages

HTML = Path(__file__).parent / "html"
S = "http://schema.org/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def read(name: str, **options):
    return read_markup((HTML / name).read_bytes(), f"html/{name}", **options)


def values(markup, subject: str, prop: str) -> set:
    node = NamedNode(subject)
    predicate = RDF_TYPE if prop == "type" else NamedNode(S + prop)
    return {
        quad.object.value for quad in markup.quads() if quad.subject == node and quad.predicate == predicate
    }


def test_yoast_graph_resolves_against_the_canonical_link_and_uses_http_schema_org():
    markup = read("yoast.html", fallback="https://elsewhere.example/")
    assert markup.url == "https://clinic.example/about/"
    assert [(block.syntax, block.line) for block in markup.blocks] == [("json-ld", 11)]
    assert values(markup, "https://clinic.example/about/", "type") == {S + "WebPage"}
    assert values(markup, "https://clinic.example/#organization", "logo") == {
        "https://clinic.example/about/#/schema/logo/image/"
    }  # Yoast's relative "#/schema/logo/image/"
    assert all(not quad.predicate.value.startswith("https://schema.org/") for quad in markup.quads())
    assert markup.left_out == 3  # og:locale, og:type, og:title read as RDFa: not schema.org, left out


def test_microdata_items_nest_and_take_schema_org_s_context():
    markup = read("microdata.html", base="https://clinic.example/")
    clinic = "https://clinic.example/#clinic"  # itemid="#clinic", resolved
    assert [(block.syntax, block.line) for block in markup.blocks] == [("microdata", 8)]
    assert values(markup, clinic, "name") == {"Example Clinic"}
    assert values(markup, clinic, "url") == {"https://clinic.example/"}  # an IRI: the context says url is @id
    address = next(q.object for q in markup.quads() if q.predicate == NamedNode(S + "address"))
    assert isinstance(address, BlankNode)
    rating = {
        q.predicate.value[len(S) :]: q.object.value
        for q in markup.quads()
        if q.subject != NamedNode(clinic) and q.predicate.value.startswith(S)
    }
    assert (
        rating["ratingValue"] == "4.8"
        and rating["bestRating"] == "5"
        and rating["addressLocality"] == "Coquitlam"
    )


def test_rdfa_with_a_vocab_and_open_graph_beside_it():
    markup = read("rdfa.html")
    clinic = "https://clinic.example/visit/#clinic"
    assert [(block.syntax, block.line) for block in markup.blocks] == [("rdfa", 10)]
    assert values(markup, clinic, "type") == {S + "MedicalClinic"}
    assert values(markup, clinic, "sameAs") == {"https://maps.example/clinic"}
    assert markup.left_out == 2  # og:title and rdfa:usesVocabulary


def test_invalid_json_is_a_problem_with_its_line_and_the_rest_is_read():
    markup = read("invalid-json.html")
    assert [(p.kind, p.line) for p in markup.problems] == [("invalid-json", 11), ("invalid-json", 20)]
    assert "a comma is missing at the end of this line" in markup.problems[0].message
    assert "comma before a closing bracket" in markup.problems[1].message
    assert "read leniently" in markup.problems[1].message  # extruct reads it; search engines may not
    assert values(markup, "https://clinic.example/#dr-lee", "name") == {"Dr Ana Lee"}
    assert values(markup, "https://clinic.example/#clinic", "name") == {"Example Clinic"}
    assert not values(markup, "https://clinic.example/", "name")  # the broken WebSite block


def test_two_blocks_describing_one_node_are_both_read():
    markup = read("duplicated.html")
    assert [block.line for block in markup.blocks] == [7, 11]
    assert values(markup, "https://clinic.example/#clinic", "name") == {
        "Example Clinic",
        "Example Chiropractic Clinic",
    }


def test_values_follow_the_microdata_and_rdfa_rules_of_html():
    markup = read("values.html", base="https://clinic.example/")
    microdata, rdfa = "https://clinic.example/#microdata", "https://clinic.example/#rdfa"
    assert values(markup, microdata, "name") == {"Open day"}  # <data value>, not its text
    assert values(markup, rdfa, "name") == {"Our open day"}  # HTML+RDFa 1.1 gives <data> no rule: its text
    for node in (microdata, rdfa):
        assert values(markup, node, "endDate") == {"2024-05-02"}  # a time's text, without datetime
        assert values(markup, node, "description") == {"Come and see"}  # <meta content>, @content
        assert values(markup, node, "url") == {"https://clinic.example/open-day/"}
        assert values(markup, node, "image") == {"https://clinic.example/open-day.jpg"}
    for node in (microdata, rdfa):
        assert values(markup, node, "startDate") == {
            "2024-05-01T10:00"
        }  # the datetime as written, not the text
    assert values(markup, microdata, "maximumAttendeeCapacity") == {"40"}  # <meter value>
    assert values(markup, microdata, "subjectOf") == {"https://clinic.example/open-day.pdf"}  # <object data>
    assert values(markup, microdata, "sameAs") == {
        ""
    }  # an a without href: the empty string, not the page's URL
    assert values(markup, microdata, "eventStatus") == {
        "https://schema.org/EventScheduled"
    }  # content, before href
    assert values(markup, microdata, "hasMap") == {
        'the "Main" hall'
    }  # text: not an IRI made relative to the page
    assert markup.problems == []


def test_a_value_that_is_no_iri_costs_only_itself_with_a_warning_at_its_line():
    markup = read("invalid-iris.html", base="https://clinic.example/")
    # kept as text, as a search engine reads the page's string, where RDF has no IRI for it
    assert values(markup, "https://clinic.example/#clinic", "sameAs") == {
        "https://maps.example/clinic",
        "http://[::1",
    }
    assert values(markup, "https://clinic.example/#dr-chan", "sameAs") == {"http://[::1"}
    assert values(markup, "https://clinic.example/#dr-diaz", "sameAs") == {"http://[::1"}
    assert values(markup, "https://clinic.example/#dr-chan", "url") == {"https://clinic.example/chan/"}
    assert values(markup, "https://clinic.example/#dr-diaz", "url") == {"https://clinic.example/diaz/"}
    lee = {
        quad.subject for quad in markup.quads() if quad.object.value == "Dr Ana Lee"
    }  # kept, without its id
    assert len(lee) == 1 and isinstance(next(iter(lee)), BlankNode)
    assert values(markup, "https://clinic.example/#dr-diaz", "jobTitle") == {"Chiropractor"}  # no language
    society = next(q.object for q in markup.quads() if q.predicate == NamedNode(S + "memberOf"))
    assert isinstance(society, BlankNode)
    assert sorted((p.kind, p.line, p.message) for p in markup.problems) == [  # (not og:url's: not schema.org)
        ("invalid-value", 10, "'http://[::1' is not a valid IRI: kept as text"),
        ("invalid-value", 11, "'http://a b/' is not a valid IRI: the node is read without this id"),
        ("invalid-value", 18, "'http://[::1' is not a valid URL: kept as text"),
        ("invalid-value", 23, "'http://[::1' is not a valid IRI: kept as text"),
        ("invalid-value", 25, "'http://a b/' is not a valid IRI: the node is read without this id"),
        ("invalid-value", 26, "'not a tag' is not a language tag: its text is read without one"),
    ]
    names = {quad.object for quad in markup.quads() if quad.predicate == NamedNode(S + "name")}
    assert {(name.value, name.language) for name in names} >= {("Dr Cy Diaz", "en-gb")}  # en_GB read as en-GB


def test_a_vocab_that_misses_schema_org_by_a_slash_is_read_as_schema_org_with_a_warning():
    markup = read("near-vocab.html", base="https://clinic.example/")
    for node, name in (("#clinic", "Example Clinic"), ("#dr-lee", "Dr Ana Lee"), ("#dr-chan", "Dr Bo Chan")):
        assert values(markup, "https://clinic.example/" + node, "name") == {name}
    assert not values(markup, "https://clinic.example/#other", "name")  # another vocabulary: not schema.org's
    assert [(p.kind, p.line) for p in markup.problems] == [
        ("vocabulary", 8),
        ("vocabulary", 11),
        ("vocabulary", 14),
    ]
    assert markup.problems[0].message == (
        "vocab='https://schema.org' is not schema.org's vocabulary https://schema.org/ (RDFa reads its terms as "
        "https://schema.orgname and the like, which are not schema.org's): read as schema.org; "
        "write https://schema.org/"
    )


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to reach the network fails, and is recorded (in case a caller swallows it)."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"a socket was opened: {args}")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == []


REMOTE = b"""<html vocab="https://vocab.example/" prefix="ex: https://vocab.example/ns#"><head>
<script type="application/ld+json">{"@context": "https://example.org/context.jsonld", "name": "x"}</script>
<script type="application/ld+json">{"@context": ["https://schema.org", {"@import": "https://example.org/c.jsonld"}]}</script>
<script type="application/ld+json">{"@context": "http://schema.org/", "@type": "Thing", "name": "kept"}</script>
</head><body><div typeof="Thing" property="name">A</div>
<div itemscope itemtype="https://vocab.example/Thing"><span itemprop="name">Z</span></div></body></html>"""


def test_no_socket_is_opened_even_for_remote_contexts_and_vocabularies(no_network):
    import extruct

    markup = read_markup(REMOTE, "remote.html", base="https://clinic.example/")
    assert [(p.kind, p.line) for p in markup.problems] == [("remote-context", 2), ("remote-context", 3)]
    assert "refusing to fetch https://example.org/context.jsonld" in markup.problems[0].message
    assert {q.object.value for q in markup.quads()} == {S + "Thing", "kept"}
    for fixture in sorted(HTML.glob("*.html")):  # and each fixture, through extruct itself too
        read_markup(fixture.read_bytes(), fixture.name)
        extruct.extract(
            fixture.read_bytes(),
            base_url="https://clinic.example/",
            syntaxes=["json-ld", "microdata", "rdfa"],
            errors="ignore",
        )
    assert no_network == []


def test_the_no_network_fixture_sees_an_attempt(no_network):
    from urllib.request import urlopen

    with pytest.raises(AssertionError):
        urlopen("http://127.0.0.1:9/", timeout=1)
    no_network.clear()  # seen; nothing else must be


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff\xfe garbage",
        "<p>caf\u00e9</p>".encode("utf-16"),
        b"<script type='application/ld+json'></script>",
        b"<script type='application/ld+json'>[1, \"a\", null]</script>",
        b'<script type=\'application/ld+json\'>{"@id": 5, "@type": []}</script>',
        b"<div itemscope itemtype='https://schema.org/Thing' itemid='http://a b'>"
        b"<a itemprop='url' href='http://[::1'>x</a></div>",
        b"<div" + b"><div" * 5000 + b">deep",
    ],
)
def test_odd_pages_never_raise(data):
    markup = read_markup(data, "odd.html", fallback="https://clinic.example/")
    assert all(problem.message for problem in markup.problems)


def test_visible_text_leaves_out_what_readers_do_not_see():
    page = (
        b"<html><head><title>T</title><style>p{}</style></head><body><p>Shown <b>bold</b></p>"
        b"<script>hidden()</script><template>tpl</template><div hidden>h1</div>"
        b"<p style='display: none'>h2</p><p style='visibility:hidden'>h3</p><!-- c --><p>end</p></body></html>"
    )
    assert read_markup(page, "v.html").visible == "Shown bold end"


def test_url_paths_follow_static_hosting():
    assert [url_path(p) for p in ("index.html", "a/index.htm", "a/b.html", "c.htm")] == [
        "",
        "a/",
        "a/b.html",
        "c.htm",
    ]


# --- clinicgraph import ------------------------------------------------------------


def page_graphs(project) -> Graph:
    """The union of the triples of each page's share of the graph."""
    pages = find_pages(project.store, project.site, project.vocabulary)
    stop = {page.node for page in pages}
    triples = {
        t for page in pages for t in triples_of(project.store, closure(project.store, page.node, stop))
    }
    return Graph().parse(data=dump_triples(sorted(triples, key=str), "nt"), format="nt")


def test_import_of_the_embedded_example_site_rebuilds_its_page_graphs(tmp_path):
    report = pipeline.import_html([EXAMPLE / "site"])
    imported = Graph().parse(data=report.turtle, format="turtle")
    assert isomorphic(imported, page_graphs(pipeline.open_project(EXAMPLE)))
    assert report.warnings == [] and report.triples == len(imported)
    # ... and it is a source the project builds from, as it is
    project = write_project(tmp_path / "p", {"content/imported.ttl": report.turtle})
    (project / "clinicgraph.toml").write_bytes((EXAMPLE / "clinicgraph.toml").read_bytes())
    assert isomorphic(page_graphs(pipeline.open_project(project)), imported)


def test_import_is_deterministic_sorted_and_records_each_node_s_pages():
    paths = [HTML / "microdata.html", HTML / "yoast.html"]
    first, second = pipeline.import_html(paths, None), pipeline.import_html(paths, None)
    assert first.turtle == second.turtle
    text = first.turtle.decode()
    assert text.startswith("# Imported by `clinicgraph import`")
    assert f"#   {(HTML / 'yoast.html').as_posix()}  <https://clinic.example/about/>" in text
    assert (
        f"# on {(HTML / 'yoast.html').as_posix()}\n<https://clinic.example/#organization> a schema:Organization"
        in text
    )
    assert "@prefix schema: <http://schema.org/> ." in text and "https://schema.org/" not in text
    # microdata.html has no canonical link and no --base: its ids resolve against its file
    assert any("resolved against its file: URI" in line for line in first.warnings)


def test_base_gives_a_folder_s_url_and_overrides_canonical_links(tmp_path):
    site = tmp_path / "site"
    (site / "team").mkdir(parents=True)
    (site / "team" / "index.html").write_bytes((HTML / "microdata.html").read_bytes())
    (site / "about.html").write_bytes((HTML / "yoast.html").read_bytes())
    text = pipeline.import_html([site], "https://new.example/").turtle.decode()
    assert "<https://new.example/team/#clinic> a schema:MedicalClinic" in text
    assert "<https://new.example/about.html#/schema/logo/image/>" in text


def test_import_command_warns_in_one_line_per_problem_and_writes_the_rest(tmp_path):
    out = tmp_path / "imported.ttl"
    result = run_cli("import", HTML / "invalid-json.html", HTML / "duplicated.html", "-o", out)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert (
        f"{(HTML / 'invalid-json.html').as_posix()}:11: warning: invalid JSON in a JSON-LD block: "
        "a comma is missing at the end of this line" in lines
    )
    assert any("#clinic is described differently here than in" in line for line in lines)
    assert "Traceback" not in result.stderr
    assert "imported 2 pages (2 with markup)" in result.stdout
    Graph().parse(out, format="turtle")
    missing = run_cli("import", tmp_path / "nothing-here")
    assert missing.returncode == 2 and missing.stderr.strip().endswith("no such file or folder")


# --- any text survives import: markup -> Turtle -> a project that loads it -----------

TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from("\u2028\u2029\u0085\r\n\x00\x01\x7f\"'\\<>&"), max_size=30
)


def in_markup(syntax: str, text: str) -> tuple[bytes, str]:
    """A page carrying ``text`` as a Thing's name in one syntax, and the name HTML gives it:
    an attribute's value as HTML reads it (CR as LF, NUL as U+FFFD; NUL written as ``&#0;``,
    since a raw NUL makes the file binary); JSON-LD's escapes carry every character as it is."""
    if syntax == "json-ld":
        data = json.dumps({"@context": "https://schema.org", "@type": "Thing", "name": text}).replace(
            "<", "\\u003c"
        )
        return f'<script type="application/ld+json">{data}</script>'.encode(), text
    attribute = html.escape(text).replace("\x00", "&#0;")
    element = (
        f'<div itemscope itemtype="https://schema.org/Thing"><meta itemprop="name" content="{attribute}"></div>'
        if syntax == "microdata"
        else f'<div vocab="https://schema.org/" typeof="Thing">'
        f'<span property="name" content="{attribute}"></span></div>'
    )
    return f"<html><body>{element}</body></html>".encode(), text.replace("\r\n", "\n").replace(
        "\r", "\n"
    ).replace("\x00", "\ufffd")


@settings(max_examples=40, deadline=None)
@given(text=TEXT, syntax=st.sampled_from(["json-ld", "microdata", "rdfa"]))
def test_any_text_in_markup_imports_to_turtle_clinicgraph_loads_back(text, syntax):
    page, expected = in_markup(syntax, text)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page.html").write_bytes(page)
        turtle = pipeline.import_html([Path(folder) / "page.html"], "https://clinic.example/").turtle
        project = write_project(Path(folder) / "project", {"content/imported.ttl": turtle})
        names = [
            quad.object.value
            for quad in pipeline.open_project(project).store.oxigraph.quads_for_pattern(
                None, NamedNode(S + "name"), None
            )
        ]
    assert names == [expected]


# --- the import depends on the pages alone ------------------------------------------

FOOTER = """<footer vocab="https://schema.org/" typeof="MedicalClinic" resource="/#clinic">
<span property="name">Example Clinic</span>
<div property="address" typeof="PostalAddress"><span property="streetAddress">1 Main St</span>
<span property="addressLocality">Coquitlam</span></div></footer>"""
ARTICLE = """<!DOCTYPE html>
<html><head><title>{0}</title></head><body>
<article vocab="https://schema.org/" typeof="MedicalWebPage"><h1 property="name">{0}</h1>
<div property="author" typeof="Person"><span property="name">Dr Ana Lee</span>
<div property="address" typeof="PostalAddress"><span property="addressLocality">Coquitlam</span></div></div>
<div property="reviewedBy" typeof="Person"><span property="name">Dr Bo Chan</span></div>
<div property="about" typeof="MedicalCondition"><span property="name">{0}</span>
<div property="possibleTreatment" typeof="MedicalTherapy"><span property="name">Heat</span></div></div>
</article>{1}</body></html>"""


def test_the_import_is_the_same_whatever_the_run_and_the_folder_it_runs_from(tmp_path):
    site = tmp_path / "site"
    (site / "conditions").mkdir(parents=True)
    (site / "index.html").write_text(ARTICLE.format("Back spasms", FOOTER), "utf-8")
    (site / "conditions" / "sciatica.html").write_text(ARTICLE.format("Sciatica", FOOTER), "utf-8")
    runs = [
        run_cli(
            "import",
            folder,
            "--base",
            "https://clinic.example/",
            cwd=cwd,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        )
        for seed, (folder, cwd) in enumerate([("site", tmp_path), (".", site), (site, "/")])
    ]
    assert [run.returncode for run in runs] == [0, 0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert "#   conditions/sciatica.html  <https://clinic.example/conditions/sciatica.html>" in runs[0].stdout
    # the footer's address, a node without id on both pages, is one node: described alike, it is one thing
    graph = Graph().parse(data=runs[0].stdout, format="turtle")
    street = URIRef(S + "streetAddress")
    assert len(list(graph.triples((None, street, None)))) == 1
    assert "# on every page with markup (2)\n_:" in runs[0].stdout
    # nodes without id that hang from a page's own article stay that page's: the author's address on each
    assert len(list(graph.triples((None, URIRef(S + "addressLocality"), None)))) == 1 + 2
