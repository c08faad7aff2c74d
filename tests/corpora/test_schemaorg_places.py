"""schema.org's own JSON-LD examples (release 30.0), each as a project of one file:
every example that is JSON-LD loads, and every finding of validating it
names the file and a line.

Refused, and rightly so:
- examples whose JSON section is prose ("No JSON-LD", "This example is in microdata
  only."): not JSON at all, refused as such at line 1;
- ``REMOTE``: their ``@context`` is another vocabulary's, on the web (the W3C
  Verifiable Credentials v2 context). Only schema.org's context is served offline;
  nothing else is fetched unless the project allows it ([limits] allow-contexts).
"""

import json

import pytest

from clinicgraph import pipeline
from clinicgraph.core.errors import SourceError
from tests.corpora.schemaorg_examples import project_of, with_section

REMOTE = {"eg-0485", "eg-0486", "eg-0488"}  # "https://www.w3.org/ns/credentials/v2"
EXAMPLES = with_section("JSON")


def is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_the_example_loads_and_every_finding_has_a_place(example, tmp_path, schemaorg_dir):
    folder = project_of(tmp_path, example.jsonld)
    if not is_json(example.jsonld) or example.id in REMOTE:
        with pytest.raises(SourceError) as refused:
            pipeline.open_project(folder, schemaorg=schemaorg_dir)
        expected = (
            "invalid JSON: "
            if example.id not in REMOTE
            else "remote context https://www.w3.org/ns/credentials/v2"
        )
        assert expected in str(refused.value) and refused.value.line is not None
        return
    project = pipeline.open_project(folder, schemaorg=schemaorg_dir)
    found = pipeline.validate(project, jobs=1)
    file = (folder / "content" / "example.jsonld").as_posix()
    assert [d for d in found if d.file != file or not d.line] == []


def test_the_corpus_is_what_these_tests_expect():
    """The examples file split as expected: no test passes by testing nothing."""
    assert len(EXAMPLES) == 507
    assert sum(not is_json(example.jsonld) for example in EXAMPLES) == 28
    assert {example.id for example in EXAMPLES} >= REMOTE
