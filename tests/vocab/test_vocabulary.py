"""The vocabulary index, on the real schema.org 30.0 release and the built-in subset."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.core.errors import SourceError
from clinicgraph.vocab.vocabulary import builtin_vocabulary, load_vocabulary

REPO = Path(__file__).resolve().parents[2]
MODELLED = REPO / "clinicgraph" / "vocab" / "data" / "modelled.json"


@pytest.fixture(scope="module")
def full(schemaorg_dir):
    return load_vocabulary(schemaorg_dir)


@pytest.fixture(scope="module")
def builtin():
    return builtin_vocabulary()


def test_kinds(full):
    assert full.complete and full.source.endswith("schemaorg-current-https.ttl")
    assert full.is_type("MedicalCondition") and not full.is_property("MedicalCondition")
    assert full.is_property("cause") and not full.is_type("cause")
    assert full.is_member("Chiropractic") and not full.is_type("Chiropractic")
    assert full.is_type("Text") and full.is_type("Date") and full.is_type("MedicineSystem")
    assert all(full.knows(t) for t in ("MedicalCondition", "cause", "Chiropractic"))
    assert not full.knows("MedicalCondtion") and not full.knows("")


def test_ancestors(full):
    assert full.ancestors("MedicalClinic") == {
        "MedicalClinic",
        "MedicalBusiness",
        "LocalBusiness",
        "MedicalOrganization",
        "Organization",
        "Place",
        "Thing",
    }
    assert full.is_subtype("Diet", "LifestyleModification")
    assert full.is_subtype("Diet", "Thing") and full.is_subtype("Diet", "Diet")
    assert not full.is_subtype("LifestyleModification", "Diet")
    assert full.is_subtype("URL", "Text")


def test_unknown_terms_have_no_relations(full):
    assert full.ancestors("Nope") == frozenset() and full.subtypes("Nope") == frozenset()
    assert not full.is_subtype("Nope", "Nope")
    assert full.ancestors("cause") == frozenset()  # a property is not a type
    assert full.domains("Nope") == full.member_types("Nope") == frozenset()
    assert full.superseded_by("Nope") is None


@pytest.mark.parametrize("which", ["full", "builtin"])
def test_action_annotations_name_their_property(which, request):
    """schema.org's -input and -output annotations of potential actions
    (https://schema.org/docs/actions.html) are terms of no release file."""
    vocabulary = request.getfixturevalue(which)
    assert vocabulary.action_annotation("query-input") == "query"
    assert vocabulary.action_annotation("target-output") == "target"
    assert vocabulary.action_annotation("result-output") == "result"
    for name in ("query", "querry-input", "query-inputs", "-input", "query-", "Person-output", "name-x"):
        assert vocabulary.action_annotation(name) is None, name
    assert not vocabulary.knows("query-input")  # known as an annotation, not as a term


def test_subtypes(full):
    assert {"WebPage", "MedicalWebPage", "FAQPage", "AboutPage"} <= full.subtypes("WebPage")
    assert "Article" not in full.subtypes("WebPage")
    assert {"MedicalSymptom", "MedicalSign"} <= full.subtypes("MedicalSignOrSymptom")


def test_domains_and_ranges(full):
    assert full.ranges("primaryPrevention") == {"MedicalTherapy"}
    assert "MedicalCondition" in full.domains("primaryPrevention")
    assert full.ranges("cause") == {"MedicalCause"}
    assert full.domains("name") == {"Thing"}


def test_members(full):
    assert full.member_types("Chiropractic") == {"MedicineSystem"}
    assert full.member_types("Monday") == {"DayOfWeek"}
    assert full.member_types("Radiography") == {"MedicalImagingTechnique", "MedicalSpecialty"}
    assert full.member_types("True") == {"Boolean"}


def test_data_types_are_types_not_members(full):
    for name in ("Text", "URL", "Date", "DateTime", "Number", "Integer", "Float", "Boolean"):
        assert full.is_data_type(name) and not full.is_member(name), name
    assert not full.is_data_type("Thing") and not full.is_data_type("Nope")


def test_superseded(full):
    assert full.superseded_by("Dermatologic") == "Dermatology"
    assert full.superseded_by("clincalPharmacology") == "clinicalPharmacology"
    assert full.superseded_by("reviews") == "review"
    assert full.superseded_by("MedicalCondition") is None


def test_suggest(full):
    assert full.suggest("casue") == "cause"
    assert full.suggest("medicalcondition") == "MedicalCondition"
    assert full.suggest("MedicalConditon", kind="type") == "MedicalCondition"
    assert full.suggest("adress", kind="property") == "address"
    assert full.suggest("cause") == "cause"
    assert full.suggest("zzzzqqq") is None
    assert full.suggest("casue", kind="type") is None


def test_suggest_keeps_the_writers_capitalisation(full):
    assert full.suggest("REVIEW") == "Review"
    assert full.suggest("rEVIEW") == "review"
    with pytest.raises(ValueError):
        full.suggest("cause", kind="class")


def test_jsonld_release_gives_the_same_index(full, schemaorg_dir):
    other = load_vocabulary(schemaorg_dir / "schemaorg-current-https.jsonld")
    assert other.records(other.names()) == full.records(full.names())


def test_loaded_vocabularies_are_cached(full, schemaorg_dir):
    assert load_vocabulary(schemaorg_dir / "schemaorg-current-https.ttl") is full


@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_ancestors_and_subtypes_agree(full, data):
    types = sorted(full.names("type"))
    child, parent = data.draw(st.sampled_from(types)), data.draw(st.sampled_from(types))
    assert full.is_subtype(child, parent) == (child in full.subtypes(parent))
    assert child in full.ancestors(child)
    assert "Thing" in full.ancestors(child) or full.is_data_type(child) or child == "DataType"


# -- errors


def test_syntax_error_has_a_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix s: <https://schema.org/> .\ns:A a s:B .\ns:C s:d "x .\n')
    with pytest.raises(SourceError) as info:
        load_vocabulary(bad)
    assert info.value.path == str(bad.resolve()) and info.value.line == 3
    assert str(info.value).startswith(f"{bad.resolve()}:3:")
    assert "Parser error" not in info.value.message  # the position is in the location


def test_not_a_release(tmp_path):
    other = tmp_path / "other.ttl"
    other.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    with pytest.raises(SourceError, match="not a schema.org release"):
        load_vocabulary(other)


def test_unknown_format(tmp_path):
    text = tmp_path / "release.txt"
    text.write_text("hello")
    with pytest.raises(SourceError, match="unknown RDF format"):
        load_vocabulary(text)


def test_missing_file(tmp_path):
    with pytest.raises(SourceError, match="not found"):
        load_vocabulary(tmp_path / "missing.ttl")


# -- the built-in subset


def test_builtin_basics(builtin):
    assert builtin.complete is False and builtin.source is None
    assert builtin is builtin_vocabulary()
    for name in ("MedicalClinic", "MedicalWebPage", "Diet", "PostalAddress", "Text", "URL"):
        assert builtin.is_type(name), name
    assert builtin.is_property("cause") and builtin.is_property("primaryPrevention")
    assert builtin.is_member("Chiropractic") and builtin.is_member("Monday")
    assert builtin.is_subtype("MedicalWebPage", "WebPage")
    assert builtin.suggest("casue") == "cause"


def test_builtin_is_true_of_the_release(builtin, full):
    names = set(json.loads(MODELLED.read_text("utf-8"))["terms"])  # the terms with facts
    assert full.records(names) == builtin.records(names)  # every stored fact
    for kind in ("type", "property", "member"):  # every other term known by name and kind
        assert builtin.names(kind) == full.names(kind), kind
    for t in full.names("type"):  # and the whole type hierarchy
        assert builtin.ancestors(t) == full.ancestors(t), t
    assert builtin.is_subtype("Restaurant", "LocalBusiness") and builtin.is_subtype(
        "Dentist", "LocalBusiness"
    )
    for t in names & builtin.names("type"):  # closed under ancestors, so closures match
        assert builtin.ancestors(t) == full.ancestors(t), t
    assert builtin.subtypes("WebPage") == full.subtypes("WebPage")
    assert builtin.subtypes("MedicalEntity") == full.subtypes("MedicalEntity")


def test_builtin_knows_what_it_models(builtin, full):
    types = builtin.names("type")
    for prop in full.names("property"):
        if full.domains(prop) & types:
            assert builtin.is_property(prop), prop
    for member in full.names("member"):
        if full.member_types(member) & types:
            assert builtin.is_member(member), member


def test_modelled_json_is_small_and_attributed():
    data = json.loads(MODELLED.read_text("utf-8"))
    assert "CC BY-SA 3.0" in data["attribution"] and data["release"] == "30.0"
    assert MODELLED.stat().st_size < 180_000


def test_generator_reproduces_modelled_json(schemaorg_dir, tmp_path):
    out = tmp_path / "modelled.json"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "gen_modelled.py"),
            str(schemaorg_dir / "schemaorg-current-https.ttl"),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == MODELLED.read_bytes(), (
        "modelled.json is stale: run tools/gen_modelled.py on the release"
    )
