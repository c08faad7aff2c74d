"""YAML content files -> quads: ids, minted IRIs, YAML 1.2 scalars, the context's coercions."""

import json

import pytest
import yaml
from conftest import SITE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from clinicgraph.core.errors import SourceError
from clinicgraph.graph.config import Site
from clinicgraph.graph.terms import TermResolver
from clinicgraph.graph.yaml_source import load_yaml
from clinicgraph.vocab.vocabulary import builtin_vocabulary

S = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def load_text(folder, text: str, relpath: str = "content/clinic.yaml", site: str = SITE):
    path = folder / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, relpath, Site(site), TermResolver(builtin_vocabulary()))


def objects(loaded, subject: str, prop: str) -> list:
    return [
        q.object
        for q in loaded.quads
        if q.subject == NamedNode(subject) and q.predicate == NamedNode(S + prop)
    ]


def the(loaded, subject: str, prop: str):
    (found,) = objects(loaded, subject, prop)
    return found


def subjects(loaded) -> set[str]:
    return {q.subject.value for q in loaded.quads}


def test_relative_ids_resolve_against_the_site_url(tmp_path):
    loaded = load_text(
        tmp_path,
        """
- {type: MedicalClinic, id: "#clinic", name: A}
- {type: MedicalCondition, id: "conditions/back-spasms/#condition", name: B}
- {type: WebPage, id: "/about/#webpage", name: C}
- {type: Person, id: "https://elsewhere.example/#dr", name: D}
""",
        site="https://clinic.example/en/",
    )
    assert subjects(loaded) == {
        "https://clinic.example/en/#clinic",
        "https://clinic.example/en/conditions/back-spasms/#condition",
        "https://clinic.example/about/#webpage",
        "https://elsewhere.example/#dr",
    }


def test_nested_nodes_without_id_are_named_after_parent_and_property(tmp_path):
    loaded = load_text(
        tmp_path,
        """
type: MedicalClinic
id: "#clinic"
address: {type: PostalAddress, streetAddress: 1 Main St}
openingHoursSpecification:
  - {type: OpeningHoursSpecification, opens: "09:00"}
  - {type: OpeningHoursSpecification, opens: "10:00"}
review:
  type: Review
  reviewRating: {type: Rating, ratingValue: 5}
""",
    )
    clinic = SITE + "#clinic"
    assert the(loaded, clinic, "address") == NamedNode(clinic + "/address")
    assert objects(loaded, clinic, "openingHoursSpecification") == [
        NamedNode(clinic + "/openingHoursSpecification-1"),
        NamedNode(clinic + "/openingHoursSpecification-2"),
    ]
    assert the(loaded, clinic + "/openingHoursSpecification-2", "opens") == Literal("10:00")
    assert the(loaded, clinic + "/review", "reviewRating") == NamedNode(clinic + "/review/reviewRating")


def test_a_parent_without_fragment_gives_its_children_one(tmp_path):
    loaded = load_text(
        tmp_path, 'type: MedicalCondition\nid: "conditions/x/"\ncause: [{name: a}, {name: b}]\n'
    )
    assert objects(loaded, SITE + "conditions/x/", "cause") == [
        NamedNode(SITE + "conditions/x/#cause-1"),
        NamedNode(SITE + "conditions/x/#cause-2"),
    ]


def test_minted_iris_are_the_same_on_every_load(tmp_path):
    text = "type: MedicalClinic\naddress: {type: PostalAddress}\nmember: [{name: a}, {name: b}]\n"
    assert load_text(tmp_path, text).quads == load_text(tmp_path, text).quads


def test_top_level_nodes_without_id_are_named_after_the_file(tmp_path):
    one = load_text(tmp_path, "type: MedicalClinic\nname: A\naddress: {type: PostalAddress}\n")
    assert subjects(one) == {SITE + "#content/clinic", SITE + "#content/clinic/address"}
    several = load_text(tmp_path, "- {type: Person, name: A}\n- {type: Person, name: B}\n", "people.yaml")
    assert subjects(several) == {SITE + "#people-1", SITE + "#people-2"}


@pytest.mark.parametrize(
    "text",
    [
        "- {type: Person, name: A}\n- {type: Person, name: B}\n- {type: Person, name: C}\n",
        "type: Person\nname: A\n---\ntype: Person\nname: B\n---\ntype: Person\nname: C\n",
        '"@context": https://schema.org\n"@graph":\n  - {type: Person, name: A}\n  - {type: Person, name: B}\n'
        "  - {type: Person, name: C}\n",
    ],
    ids=["list", "documents", "@graph"],
)
def test_several_nodes_per_file(tmp_path, text):
    loaded = load_text(tmp_path, text, "people.yaml")
    names = {q.subject.value: q.object.value for q in loaded.quads if q.predicate == NamedNode(S + "name")}
    assert names == {SITE + "#people-1": "A", SITE + "#people-2": "B", SITE + "#people-3": "C"}


def test_scalars_follow_yaml_1_2(tmp_path):
    loaded = load_text(
        tmp_path,
        """
type: MedicalClinic
id: "#clinic"
address: {type: PostalAddress, id: "#address", addressCountry: NO}
openingHoursSpecification: {type: OpeningHoursSpecification, id: "#hours", opens: 9:00, closes: 17:30}
isAccessibleForFree: yes
smokingAllowed: true
aggregateRating: {type: AggregateRating, id: "#rating", ratingValue: 4.7, reviewCount: 628, bestRating: "5"}
description: null
""",
    )
    assert the(loaded, SITE + "#address", "addressCountry") == Literal("NO")
    assert the(loaded, SITE + "#hours", "opens") == Literal("9:00")
    assert the(loaded, SITE + "#hours", "closes") == Literal("17:30")
    assert the(loaded, SITE + "#clinic", "isAccessibleForFree") == Literal("yes")
    assert the(loaded, SITE + "#clinic", "smokingAllowed") == Literal(
        "true", datatype=NamedNode(XSD + "boolean")
    )
    assert the(loaded, SITE + "#rating", "reviewCount") == Literal("628", datatype=NamedNode(XSD + "integer"))
    assert the(loaded, SITE + "#rating", "ratingValue") == Literal(
        "4.7E0", datatype=NamedNode(XSD + "double")
    )
    assert the(loaded, SITE + "#rating", "bestRating") == Literal("5")  # quoted: text
    assert objects(loaded, SITE + "#clinic", "description") == []  # null: no value


def test_the_official_context_coerces_iris_and_dates(tmp_path):
    loaded = load_text(
        tmp_path,
        """
type: MedicalWebPage
id: "conditions/x/#webpage"
url: conditions/x/
image: https://cdn.example/logo.png
sameAs: [https://facebook.example/clinic, "#clinic"]
datePublished: 2024-01-31
name: https://not-an-iri.example/
about: {id: "schema:Chiropractic"}
""",
    )
    page = SITE + "conditions/x/#webpage"
    assert the(loaded, page, "url") == NamedNode(SITE + "conditions/x/")
    assert the(loaded, page, "image") == NamedNode("https://cdn.example/logo.png")
    assert objects(loaded, page, "sameAs") == [
        NamedNode("https://facebook.example/clinic"),
        NamedNode(SITE + "#clinic"),
    ]
    assert the(loaded, page, "datePublished") == Literal("2024-01-31", datatype=NamedNode(S + "Date"))
    assert the(loaded, page, "name") == Literal("https://not-an-iri.example/")
    assert the(loaded, page, "about") == NamedNode("http://schema.org/Chiropractic")


def test_text_the_context_makes_a_link_but_that_makes_no_iri_stays_text(tmp_path):
    """A URL template (Google's SearchAction pattern) and words where schema.org expects
    a URL (or Text: URL is a kind of Text) load as the text written; the rest of the file
    loads with them. A valid relative reference is still a link, as in JSON-LD."""
    loaded = load_text(
        tmp_path,
        """
type: WebSite
id: "#site"
sameAs: [not a url, "https://clinic.example/a page", "#clinic"]
potentialAction:
  type: SearchAction
  target: "https://clinic.example/search?q={search_term_string}"
""",
    )
    assert objects(loaded, SITE + "#site", "sameAs") == [
        Literal("not a url"),
        Literal("https://clinic.example/a page"),
        NamedNode(SITE + "#clinic"),
    ]
    assert the(loaded, SITE + "#site/potentialAction", "target") == Literal(
        "https://clinic.example/search?q={search_term_string}"
    )


def test_an_id_that_makes_no_iri_is_still_refused(tmp_path):
    with pytest.raises(SourceError, match=r"'https://exa mple/x' is not a valid IRI") as refused:
        load_text(tmp_path, "type: MedicalClinic\nname: x\nsameAs: {id: 'https://exa mple/x'}\n")
    assert refused.value.line == 3


def test_a_type_is_placed_on_its_key(tmp_path):
    loaded = load_text(tmp_path, "id: '#c'\nname: C\n\ntype: [MedicalClinic, Physician]\n")
    assert loaded.value_lines[(SITE + "#c", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")] == 4


def test_https_schema_org_iris_are_normalised(tmp_path):
    loaded = load_text(
        tmp_path,
        'type: https://schema.org/MedicalClinic\nid: "#c"\n'
        'medicalSpecialty: {id: "https://schema.org/Chiropractic"}\n',
    )
    assert the(loaded, SITE + "#c", "medicalSpecialty") == NamedNode(S + "Chiropractic")
    assert {q.object for q in loaded.quads if q.predicate.value.endswith("#type")} == {
        NamedNode(S + "MedicalClinic")
    }


def test_value_objects_are_literals_as_in_json_ld(tmp_path):
    loaded = load_text(
        tmp_path,
        """
id: "#c"
name: {"@value": Rücken, "@language": de}
description: {"@value": "2024", "@type": "xsd:gYear"}
alternateName: {"@value": 5}
disambiguatingDescription: {"@value": null}
""",
    )
    assert the(loaded, SITE + "#c", "name") == Literal("Rücken", language="de")
    assert the(loaded, SITE + "#c", "description") == Literal("2024", datatype=NamedNode(XSD + "gYear"))
    assert the(loaded, SITE + "#c", "alternateName") == Literal("5", datatype=NamedNode(XSD + "integer"))
    assert objects(loaded, SITE + "#c", "disambiguatingDescription") == []


def test_a_file_is_read_as_utf8_with_or_without_bom(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufeffid: '#c'\nname: Ärztin\n".encode("utf-8"))
    loaded = load_yaml(path, "a.yaml", Site(SITE), TermResolver(builtin_vocabulary()))
    assert the(loaded, SITE + "#c", "name") == Literal("Ärztin")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("yaml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(), key=st.sampled_from(["name", "description"]))
def test_any_text_loads_as_exactly_that_literal(scratch, text, key):
    loaded = load_text(scratch, yaml.safe_dump({"id": "#c", key: text}), "a.yaml")
    assert the(loaded, SITE + "#c", key) == Literal(text)


JSON_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


@settings(max_examples=150, deadline=None)
@given(value=JSON_VALUES)
def test_number_bool_and_string_literals_match_pyld(scratch, official_loader, value):
    from pyld import jsonld

    loaded = load_text(scratch, yaml.safe_dump({"id": "#c", "name": value}), "a.yaml")
    document = json.loads(json.dumps({"@context": "https://schema.org", "@id": SITE + "#c", "name": value}))
    nquads = jsonld.to_rdf(document, {"documentLoader": official_loader, "format": "application/n-quads"})
    (expected,) = [quad.object for quad in parse(nquads, format=RdfFormat.N_QUADS)]
    assert the(loaded, SITE + "#c", "name") == expected
