"""`clinicgraph validate` and the validation inside `build`, as a user runs them."""

import json

import jsonschema
import pytest
from conftest import REPO, run_cli, write_project

SARIF_SCHEMA = json.loads((REPO / "tests/checks/schemas/sarif-schema-2.1.0.json").read_text("utf-8"))
OWN_SCHEMA = json.loads((REPO / "clinicgraph/checks/diagnostics.schema.json").read_text("utf-8"))

# What the real page deserves: its review stars are self-serving, its review has no
# author nor date, the clinic gives no coordinates or opening hours, its chiropractor does not name
# the clinic back, the page no review date or reviewer. Nothing else (url, telephone,
# name, address, rating are all right).
EXPECTED_WARNINGS = {
    ("google/self-serving-review", "content/clinic.yaml"),
    ("google/review-author-missing", "content/clinic.yaml"),
    ("google/review-date-published-missing", "content/clinic.yaml"),
    ("google/local-business-geo-missing", "content/clinic.yaml"),
    ("google/local-business-opening-hours-missing", "content/clinic.yaml"),
    ("health/practitioner-clinic-missing", "content/clinic.yaml"),
    ("health/page-last-reviewed-missing", "content/pages/back-spasms.yaml"),
    ("health/page-reviewed-by-missing", "content/pages/back-spasms.yaml"),
}

BROKEN = {"x.yaml": "type: AggregateRating\nratingValue: 7\nreviewCount: many\n"}


def diagnostics(*args):
    result = run_cli("validate", *args, "--format", "json")
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("full", [False, True], ids=["built-in vocabulary", "full vocabulary"])
def test_the_example_gets_exactly_the_warnings_it_deserves(example_dir, schemaorg_dir, full):
    result, found = diagnostics(example_dir, *(["--schemaorg", schemaorg_dir] if full else []))
    assert result.returncode == 0, result.stderr
    jsonschema.validate(found, OWN_SCHEMA)
    warnings = {
        (d["rule"], d["file"].split("back-spasms/", 1)[1]) for d in found if d["severity"] == "warning"
    }
    assert warnings == EXPECTED_WARNINGS
    assert not [d for d in found if d["severity"] == "error"]
    assert all(d["line"] for d in found if d["severity"] == "warning")
    incomplete = [d for d in found if d["rule"] == "schema/vocabulary-incomplete"]
    assert len(incomplete) == (0 if full else 1)  # said once, and only without the release


def test_strict_turns_warnings_into_failure(example_dir):
    assert run_cli("validate", example_dir, "--strict").returncode == 1


def test_errors_exit_1_with_file_and_line(tmp_path):
    write_project(tmp_path, BROKEN)
    result, found = diagnostics(tmp_path)
    assert result.returncode == 1
    errors = {(d["rule"], d["line"]) for d in found if d["severity"] == "error"}
    assert ("schema/range", 3) in errors  # reviewCount: many
    assert any(rule.startswith("google/rating") and line == 2 for rule, line in errors), errors


def test_sarif_is_valid_and_points_at_lines(tmp_path):
    write_project(tmp_path, BROKEN)
    result = run_cli("validate", tmp_path, "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SCHEMA)
    located = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in located)


def test_text_report_groups_by_file(example_dir):
    result = run_cli("validate", example_dir)
    assert result.returncode == 0
    assert "content/clinic.yaml\n" in result.stdout
    last = result.stdout.rstrip().splitlines()[-1]
    assert last.startswith("0 errors, 9 warnings"), last  # self-serving: the rating and the review


def test_build_refuses_to_publish_errors_unless_allowed(tmp_path):
    project = write_project(tmp_path / "site", BROKEN)
    refused = run_cli("build", project, "-o", tmp_path / "dist")
    assert refused.returncode == 1
    assert "nothing was written" in refused.stderr and not (tmp_path / "dist").exists()
    allowed = run_cli("build", project, "-o", tmp_path / "dist", "--allow-errors")
    assert allowed.returncode == 0, allowed.stderr
    assert "errors" in allowed.stdout and (tmp_path / "dist" / "graph.ttl").exists()


def test_user_shapes_can_override_a_bundled_rule(example_dir, tmp_path):
    shapes = tmp_path / "mine.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix cg: <urn:clinicgraph:shacl#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "<urn:mine:geo> a sh:NodeShape ; sh:targetClass schema:LocalBusiness ;\n"
        "  sh:property [ sh:path schema:geo ; sh:minCount 1 ; sh:deactivated true ;\n"
        '                cg:rule "google/local-business-geo-missing" ] .\n'
    )
    result, found = diagnostics(example_dir, "--shapes", shapes)
    assert result.returncode == 0, result.stderr
    assert "google/local-business-geo-missing" not in {d["rule"] for d in found}
    assert "google/review-author-missing" in {d["rule"] for d in found}
