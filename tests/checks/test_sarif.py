"""SARIF 2.1.0 output, checked against the official OASIS schema (vendored in schemas/)."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from diagnostic_strategies import diagnostics, texts
from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.sarif import FINGERPRINT_KEY, SARIF_SCHEMA, as_sarif, fingerprint

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))

# jsonschema checks "uri" formats only with optional packages; check them here, strictly
# (RFC 3986 characters, well-formed %-escapes), since GitHub reads these fields.
_URI_TEXT = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri-reference")
def _uri_reference(value):
    return not isinstance(value, str) or bool(_URI_TEXT.fullmatch(value))


@FORMATS.checks("uri")
def _uri(value):
    return not isinstance(value, str) or bool(
        re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) and _URI_TEXT.fullmatch(value)
    )


VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=FORMATS)


def diag(
    file="content/clinic.yaml",
    line=3,
    rule="google/review-author-missing",
    severity="warning",
    message="The review has no author name.",
    **more,
) -> Diagnostic:
    return Diagnostic(file, line, rule, severity, message, **more)


def sarif(diagnostics, rules_help=None, **kwargs) -> dict:
    log = json.loads(as_sarif(diagnostics, "1.2.3", rules_help, **kwargs))
    VALIDATOR.validate(log)
    return log


def results(log):
    return log["runs"][0]["results"]


rules_helps = st.none() | st.dictionaries(
    st.from_regex(r"[a-z]{1,8}/[a-z-]{1,20}", fullmatch=True),
    texts | st.just("Say it. https://ex.example/a b%zz"),
)


def test_vendored_schema_is_the_official_one():
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["id"] == SARIF_SCHEMA  # what our logs name in "$schema"


def test_log_shape():
    log = sarif(
        [diag()],
        {
            "google/review-author-missing": "A review needs an author. https://developers.google.com/search/docs/"
            "appearance/structured-data/review-snippet"
        },
    )
    assert log["$schema"] == SARIF_SCHEMA and log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("clinicgraph", "1.2.3")
    assert driver["informationUri"].startswith("https://")
    assert driver["rules"] == [
        {
            "id": "google/review-author-missing",
            "shortDescription": {"text": "A review needs an author."},
            "helpUri": "https://developers.google.com/search/docs/appearance/structured-data/review-snippet",
        }
    ]
    (result,) = run["results"]
    assert result["ruleId"] == "google/review-author-missing" and result["ruleIndex"] == 0
    assert result["level"] == "warning"
    assert result["message"] == {"text": "The review has no author name."}
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "content/clinic.yaml", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3},
            }
        }
    ]


def test_levels_and_hint():
    log = sarif(
        [
            diag(line=1, severity="error", hint="Add author.name."),
            diag(line=2, severity="warning"),
            diag(line=3, severity="info"),
        ]
    )
    assert [r["level"] for r in results(log)] == ["error", "warning", "note"]
    assert results(log)[0]["message"]["text"] == "The review has no author name.\nHint: Add author.name."


def test_rules_are_the_ones_used_sorted_and_indexed():
    log = sarif(
        [diag(rule="schema/b"), diag(rule="google/a"), diag(rule="schema/b", line=9)],
        {"schema/b": "https://schema.org/docs/b", "unused/rule": "Never reported."},
    )
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["google/a", "schema/b"]
    assert rules[0]["shortDescription"] == {"text": "google/a"}  # no help given: the id
    assert rules[1] == {
        "id": "schema/b",
        "shortDescription": {"text": "schema/b"},
        "helpUri": "https://schema.org/docs/b",
    }
    for result in results(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_help_uri_is_escaped():
    log = sarif([diag()], {"google/review-author-missing": "See https://ex.example/a%zz/ü"})
    assert log["runs"][0]["tool"]["driver"]["rules"][0] == {
        "id": "google/review-author-missing",
        "shortDescription": {"text": "See"},
        "helpUri": "https://ex.example/a%25zz/%C3%BC",
    }


def test_no_line_no_region():
    (result,) = results(sarif([diag(line=None)]))
    assert "region" not in result["locations"][0]["physicalLocation"]


def test_whole_graph_result_without_anchor_has_a_logical_location():
    (result,) = results(sarif([diag(file=None, line=None, node="https://clinic.example/#clinic")]))
    assert result["locations"] == [
        {"logicalLocations": [{"fullyQualifiedName": "https://clinic.example/#clinic", "kind": "resource"}]}
    ]
    (result,) = results(sarif([diag(file=None, line=None)]))
    assert "locations" not in result


def test_whole_graph_result_is_anchored_for_github():
    # GitHub refuses a whole upload when one result has no artifact location.
    (result,) = results(
        sarif([diag(file=None, line=7, node="https://c.example/#x")], whole_graph_uri="site/clinicgraph.toml")
    )
    (location,) = result["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "site/clinicgraph.toml", "uriBaseId": "%SRCROOT%"}
    }
    assert location["logicalLocations"][0]["fullyQualifiedName"] == "https://c.example/#x"


@pytest.mark.parametrize(
    "file, uri",
    [
        ("./content/clinic.yaml", "content/clinic.yaml"),
        ("content\\pages\\spasms.yaml", "content/pages/spasms.yaml"),
        ("content/a b/ü.yaml", "content/a%20b/%C3%BC.yaml"),
        ("C:x.yaml", "C%3Ax.yaml"),  # a colon in the first segment would read as a scheme
        ("100%.yaml", "100%25.yaml"),
    ],
)
def test_relative_paths_become_relative_uris(file, uri):
    (result,) = results(sarif([diag(file=file)]))
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": uri, "uriBaseId": "%SRCROOT%"}


def test_absolute_path_is_a_file_uri():
    (result,) = results(sarif([diag(file="/srv/site/clinic.yaml")]))
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///srv/site/clinic.yaml"}


def test_fingerprints_survive_edits_elsewhere():
    before = diag(line=3, node="https://c.example/#review", property="author", message="Old words.")
    after = diag(line=41, node="https://c.example/#review", property="author", message="New words.")
    other = diag(line=3, node="https://c.example/#review", property="reviewBody")
    assert fingerprint(before) == fingerprint(after) != fingerprint(other)
    fp = results(sarif([before]))[0]["partialFingerprints"][FINGERPRINT_KEY]
    assert fp == fingerprint(before) + ":1"
    assert results(sarif([after]))[0]["partialFingerprints"] == {FINGERPRINT_KEY: fp}


def test_same_identity_twice_stays_two_alerts():
    twice = [diag(line=3, node="n", property="p", value="a"), diag(line=4, node="n", property="p", value="b")]
    fps = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results(sarif(twice))]
    assert fps == [fingerprint(twice[0]) + ":1", fingerprint(twice[0]) + ":2"]


def test_node_property_value_are_kept_as_properties():
    (result,) = results(sarif([diag(node="https://c.example/#r", property="ratingValue", value="6")]))
    assert result["properties"] == {"node": "https://c.example/#r", "property": "ratingValue", "value": "6"}


def test_empty_run_is_valid():
    log = sarif([])
    assert results(log) == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


@settings(max_examples=300)
@given(diagnostics, rules_helps, st.none() | st.just("site/clinicgraph.toml"))
def test_always_valid_sarif(ds, rules_help, anchor):
    log = sarif(ds, rules_help, whole_graph_uri=anchor)  # validates against the schema
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({d.rule for d in ds})
    assert len(results(log)) == len(ds)
    fingerprints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in results(log)]
    assert len(set(fingerprints)) == len(fingerprints)
    for result in results(log):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]  # GitHub needs a message
        for location in result.get("locations", []):
            physical = location.get("physicalLocation")
            if physical and "uriBaseId" in physical["artifactLocation"]:
                assert not urlsplit(physical["artifactLocation"]["uri"]).scheme  # stays relative
    # Every result that has a file, or an anchor, can be placed by GitHub.
    if anchor:
        assert all("physicalLocation" in r["locations"][0] for r in results(log))
    with_line = sum(1 for d in ds if d.file and d.line is not None and d.line >= 1)
    assert (
        sum(
            "region" in loc.get("physicalLocation", {})
            for r in results(log)
            for loc in r.get("locations", [])
        )
        == with_line
    )


@given(diagnostics, st.randoms(use_true_random=False))
def test_deterministic(ds, rnd):
    shuffled = list(ds)
    rnd.shuffle(shuffled)
    help_ = {"schema/x": "Text. https://schema.org/"}
    assert as_sarif(shuffled, "1.0", help_) == as_sarif(ds, "1.0", help_)
