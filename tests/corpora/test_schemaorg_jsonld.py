"""schema.org's own JSON-LD examples (release 30.0) validate without a false error
(issue 13): each example is a project of one file, validated in-process, and gives
no error but those listed in ``REAL_FAULTS``, each with why the example is at fault.

Not validated here:
- the 28 examples whose JSON section is prose ("No JSON-LD", "This example is in
  microdata only."): not JSON;
- ``REMOTE``: their @context is the W3C Verifiable Credentials context, on the web,
  which is never fetched unless a project allows it (their refusal is tested with
  the loader's corpus test, test_schemaorg_places.py);
- ``REFUSED_IN_LOADER``: valid examples the loader refuses today. Being fixed in the
  loader (branch h13-places): each is an expected failure, strictly, so once it loads
  the test says to take it out of the set, and it is then validated like the rest.
"""

import json
from pathlib import Path

import pytest

from clinicgraph import pipeline
from clinicgraph.errors import ClinicgraphError
from tests.corpora.schemaorg_examples import with_section

REMOTE = {"eg-0485", "eg-0486", "eg-0488"}  # "@context": [..., "https://www.w3.org/ns/credentials/v2"]

# refused: being fixed in the loader (h13-places). Empty it once that branch is merged.
REFUSED_IN_LOADER = {
    "eg-0229": "@context http://health-lifesci.schema.org/, schema.org's own extension",
    "eg-0287": "inDefinedTermSet text with spaces, an @id-coerced property",
    "eg-0291": "\"type\": \"Best for the Money\" beside @type: a type that is no IRI",
    "eg-0293": "\"type\": \"Best for the Money\" beside @type: a type that is no IRI",
    "eg-0379": "inDefinedTermSet text with spaces, an @id-coerced property",
    "eg-0448": "an image URL with a leading space, an @id-coerced property",
    "eg-0449": "gameLocation \"Big Town\", an @id-coerced property",
    "eg-0451": "gameServer url \"123.45.678.90:2342\", an @id-coerced property",
    "eg-0457": "a URL template in target, an @id-coerced property",
    "eg-0463": "a URL template in target, an @id-coerced property",
}

# The errors whose fault is the example's: example -> [(rule, why the example is wrong)].
REAL_FAULTS = {
    "eg-0222": [("schema/range", "audience \"https://schema.org/Clinician\": Clinician is a member of "
                                 "MedicalAudienceType (an enumeration), not an Audience; the example predates "
                                 "MedicalAudienceType, when the members were MedicalAudience's")],
    "eg-0451": [("schema/range", "the game server's url \"123.45.678.90:2342\" is no URL: it has no scheme, "
                                 "and 678 is no byte of an IPv4 address")],
}

EXAMPLES = [example for example in with_section("JSON")
            if example.jsonld[:1] in "{[" and example.id not in REMOTE]


def project_of(folder: Path, text: str) -> Path:
    (folder / "clinicgraph.toml").write_text('[site]\nurl = "https://example.org/"\n', encoding="utf-8")
    (folder / "content").mkdir()
    (folder / "content" / "example.jsonld").write_text(text, encoding="utf-8")
    return folder


def _marks(example) -> list:
    if example.id not in REFUSED_IN_LOADER:
        return []
    return [pytest.mark.xfail(raises=ClinicgraphError, strict=True,
                              reason=f"refused: being fixed in the loader ({REFUSED_IN_LOADER[example.id]}); "
                                     "if it loads, take it out of REFUSED_IN_LOADER")]


@pytest.mark.parametrize("example", [pytest.param(e, marks=_marks(e), id=e.id) for e in EXAMPLES])
def test_the_example_has_no_false_error(example, tmp_path, schemaorg_dir):
    project = pipeline.open_project(project_of(tmp_path, example.jsonld), schemaorg=schemaorg_dir)
    errors = [d for d in pipeline.validate(project, jobs=1) if d.severity == "error"]
    expected = sorted(rule for rule, _ in REAL_FAULTS.get(example.id, []))
    assert sorted(d.rule for d in errors) == expected, [(d.rule, d.message) for d in errors]


def test_the_corpus_is_what_these_tests_expect():
    """The examples file split as expected, and the lists name examples it has."""
    assert len(with_section("JSON")) == 507 and len(EXAMPLES) == 476
    assert all(json.loads(example.jsonld) for example in EXAMPLES)
    assert {*REFUSED_IN_LOADER, *REAL_FAULTS} <= {example.id for example in EXAMPLES}
