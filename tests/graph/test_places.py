"""Every finding has its place: the file and line where its node, or its value,
is written, in Turtle, N-Triples, YAML and JSON-LD alike; blank nodes and nested nodes
too. And what a loader leaves out is a finding at its line, also after an incremental load."""

import gc
import json

import pytest

from clinicgraph import pipeline

TURTLE = """@prefix schema: <http://schema.org/> .
<https://clinic.example/#clinic> a schema:MedicalClinic ;
  schema:name "Clinic" ;
  schema:review [
      a schema:Review ;
      schema:reviewRating [ a schema:Rating ;
         schema:ratingValue "x" ]
    ] .
_:lonely a schema:Review ;
  schema:reviewBody "good" ;
  schema:ratingValue "high" .
"""

JSONLD = """{
  "@context": "https://schema.org",
  "@id": "#clinic",
  "@type": "MedicalClinic",
  "name": "Clinic",
  "review": [
    {
      "@type": "Review",
      "reviewRating": {
        "@type": "Rating",
        "ratingValue": "x"
      }
    }
  ]
}"""

YAML = """- id: _:r1
  type: Review
  reviewBody: good
  reviewRating:
    id: _:rating
    type: Rating
    ratingValue: x
"""


@pytest.fixture
def findings(make_project, schemaorg_dir):
    """findings(files) -> every finding of validating them against schema.org's release."""

    def validate(files: dict):
        return pipeline.validate(pipeline.open_project(make_project(files), schemaorg=schemaorg_dir), jobs=1)

    return validate


def places(found, rule: str) -> list[tuple[str, int]]:
    return sorted((d.file.rsplit("/", 1)[-1], d.line) for d in found if d.rule == rule)


def test_turtle_blank_nodes_and_their_values_are_placed(findings):
    found = findings({"a.ttl": TURTLE})
    assert all(d.file and d.line for d in found), [d for d in found if not d.line]
    assert places(found, "google/rating-not-a-number") == [("a.ttl", 7)]  # the value, in the nested [ ]
    assert ("a.ttl", 4) in places(found, "google/review-author-missing")  # the review's [
    assert ("a.ttl", 9) in places(found, "google/review-author-missing")  # _:lonely's statement
    assert places(found, "schema/property-domain") == [("a.ttl", 11)]  # ratingValue on a Review


def test_n_triples_blank_nodes_are_placed(findings):
    text = (
        "\n".join(
            line
            for line in [
                "<https://clinic.example/#c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/MedicalClinic> .",
                "<https://clinic.example/#c> <http://schema.org/review> _:r .",
                "_:r <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Review> .",
                '_:r <http://schema.org/ratingValue> "high" .',
            ]
        )
        + "\n"
    )
    found = findings({"a.nt": text})
    assert all(d.file and d.line for d in found)
    assert places(found, "schema/property-domain") == [("a.nt", 4)]
    assert ("a.nt", 3) in places(found, "google/review-author-missing")


def test_yaml_blank_nodes_and_their_values_are_placed(findings):
    found = findings({"a.yaml": YAML})
    assert all(d.file and d.line for d in found)
    assert places(found, "google/rating-not-a-number") == [("a.yaml", 7)]
    assert places(found, "google/review-author-missing") == [("a.yaml", 1)]


def test_json_ld_nodes_blank_nodes_and_values_are_placed(findings):
    found = findings({"a.jsonld": JSONLD})
    assert all(d.file and d.line for d in found), [d for d in found if not d.line]
    assert places(found, "google/rating-not-a-number") == [("a.jsonld", 11)]
    assert places(found, "google/review-author-missing") == [("a.jsonld", 7)]
    assert places(found, "google/local-business-address-missing") == [("a.jsonld", 1)]  # the clinic's {


def test_what_json_ld_leaves_out_is_a_warning_at_its_line(findings):
    document = JSONLD.replace(
        '"@type": "MedicalClinic",', '"@type": "MedicalClinic",\n  "type": "Best Clinic",'
    )
    found = findings({"a.jsonld": document})
    (note,) = [d for d in found if d.rule == "source/left-out"]
    assert (note.file.rsplit("/", 1)[-1], note.line, note.severity, note.value) == (
        "a.jsonld",
        5,
        "warning",
        "Best Clinic",
    )
    assert note.node == "https://clinic.example/#clinic"


def test_an_incremental_build_keeps_the_notes_of_the_files_it_does_not_read_again(make_project, tmp_path):
    document = json.dumps(
        {
            "@context": "https://schema.org",
            "@id": "#c",
            "@type": ["MedicalClinic", "Best Clinic"],
            "name": "Clinic",
        },
        indent=1,
    )
    site = make_project({"a.jsonld": document, "b.yaml": "id: '#d'\ntype: MedicalCondition\nname: A\n"})

    def build(output, store):
        project = pipeline.open_project(site, store=store, changes_only=store is not None)
        try:
            return pipeline.build(project, output, jobs=1, allow_errors=True).diagnostics
        finally:
            del project
            gc.collect()

    first = build(tmp_path / "out", tmp_path / "store")
    (site / "b.yaml").write_text("id: '#d'\ntype: MedicalCondition\nname: B\n", encoding="utf-8")
    again = build(tmp_path / "out", tmp_path / "store")
    assert [d.rule for d in first].count("source/left-out") == 1
    assert again == build(tmp_path / "fresh", None)
    assert [d for d in again if d.rule == "source/left-out"] == [
        d for d in first if d.rule == "source/left-out"
    ]
