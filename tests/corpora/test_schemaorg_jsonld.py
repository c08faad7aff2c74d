"""schema.org's own JSON-LD examples (release 30.0) validate without a false error:
each example is a project of one file, validated in-process, and gives
no error but those listed in ``REAL_FAULTS``, each with why the example is at fault.

Not validated here:
- the 28 examples whose JSON section is prose ("No JSON-LD", "This example is in
  microdata only."): not JSON;
- ``REMOTE``: their @context is the W3C Verifiable Credentials context, on the web,
  which is never fetched unless a project allows it (their refusal is tested with
  the loader's corpus test, test_schemaorg_places.py).
"""

import json

import pytest

from clinicgraph import pipeline
from tests.corpora.schemaorg_examples import project_of, with_section

REMOTE = {"eg-0485", "eg-0486", "eg-0488"}  # "@context": [..., "https://www.w3.org/ns/credentials/v2"]

REAL_FAULTS = {
    "eg-0222": [
        (
            "schema/range",
            'audience "https://schema.org/Clinician": Clinician is a member of '
            "MedicalAudienceType (an enumeration), not an Audience; the example predates "
            "MedicalAudienceType, when the members were MedicalAudience's",
        )
    ],
    "eg-0451": [
        (
            "schema/range",
            'the game server\'s url "123.45.678.90:2342" is no URL: it has no scheme, '
            "and 678 is no byte of an IPv4 address",
        )
    ],
}

EXAMPLES = [
    example for example in with_section("JSON") if example.jsonld[:1] in "{[" and example.id not in REMOTE
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_the_example_has_no_false_error(example, tmp_path, schemaorg_dir):
    project = pipeline.open_project(project_of(tmp_path, example.jsonld), schemaorg=schemaorg_dir)
    errors = [d for d in pipeline.validate(project, jobs=1) if d.severity == "error"]
    expected = sorted(rule for rule, _ in REAL_FAULTS.get(example.id, []))
    assert sorted(d.rule for d in errors) == expected, [(d.rule, d.message) for d in errors]


def test_the_corpus_is_what_these_tests_expect():
    """The examples file split as expected, and the lists name examples it has."""
    assert len(with_section("JSON")) == 507 and len(EXAMPLES) == 476
    assert all(json.loads(example.jsonld) for example in EXAMPLES)
    assert set(REAL_FAULTS) <= {example.id for example in EXAMPLES}
