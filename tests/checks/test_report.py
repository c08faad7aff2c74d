"""Reports: counts and exit status, the text report, the CI line formats, JSON."""

import json
import re

import jsonschema
import pytest
from diagnostic_strategies import diagnostics
from hypothesis import given, settings
from hypothesis import strategies as st

from clinicgraph.checks.diagnostic import SEVERITIES, Diagnostic
from clinicgraph.checks.report import (
    WHOLE_GRAPH,
    as_github,
    as_json,
    as_plain,
    as_text,
    exit_status,
    json_schema,
    summary_counts,
    summary_line,
)

ESC = "\x1b"


def diag(
    file=None,
    line=None,
    rule="schema/unknown-property",
    severity="warning",
    message="Something is wrong.",
    **more,
) -> Diagnostic:
    return Diagnostic(file, line, rule, severity, message, **more)


# Any text, including newlines, control characters and non-ASCII, in every text field.


# -- counts and exit status


def test_counts():
    ds = [diag(severity="error"), diag(severity="warning"), diag(severity="warning"), diag(severity="info")]
    assert summary_counts(ds) == {"errors": 1, "warnings": 2, "infos": 1}
    assert summary_counts([]) == {"errors": 0, "warnings": 0, "infos": 0}
    assert summary_line(ds) == "1 error, 2 warnings, 1 info"
    assert summary_line([]) == "0 errors, 0 warnings, 0 infos"


@pytest.mark.parametrize(
    "severities, normal, strict",
    [
        ((), 0, 0),
        (("info",), 0, 0),  # infos never fail, not even strict
        (("warning", "info"), 0, 1),  # warnings are allowed unless strict
        (("error",), 1, 1),
        (("error", "warning"), 1, 1),
    ],
)
def test_exit_status(severities, normal, strict):
    ds = [diag(severity=s) for s in severities]
    assert exit_status(ds) == normal
    assert exit_status(ds, strict=True) == strict


def test_unknown_severity_is_a_bug_not_a_report():
    with pytest.raises(ValueError, match="unknown severity 'fatal'"):
        as_text([diag(severity="fatal")], color=False)


# -- the text report


def test_text_groups_by_file_in_order():
    ds = [
        diag("content/b.yaml", 10, severity="error", message="Ten."),
        diag(None, None, rule="hygiene/dangling", message="Graph-wide.", node="https://c.example/#x"),
        diag("content/b.yaml", 2, message="Two.", hint="Do this."),
        diag("content/a.yaml", 7, severity="info", message="Seven."),
        diag("content/b.yaml", None, message="Somewhere in b."),
    ]
    assert as_text(ds, color=False) == (
        "content/a.yaml\n"
        "  7  info     Seven.  [schema/unknown-property]\n"
        "content/b.yaml\n"
        "   -  warning  Somewhere in b.  [schema/unknown-property]\n"
        "   2  warning  Two.  [schema/unknown-property]\n"
        "               hint: Do this.\n"
        "  10  error    Ten.  [schema/unknown-property]\n"
        f"{WHOLE_GRAPH}\n"
        "  -  warning  Graph-wide.  [hygiene/dangling]\n"
        "1 error, 3 warnings, 1 info\n"
    )


def test_text_without_diagnostics_is_the_summary():
    assert as_text([], color=False) == "0 errors, 0 warnings, 0 infos\n"


def test_text_multiline_message_stays_in_its_column():
    text = as_text([diag("a.yaml", 3, message="first\nsecond", hint="h1\nh2")], color=False)
    assert text.splitlines()[1:4] == [
        "  3  warning  first",
        "              second  [schema/unknown-property]",
        "              hint: h1",
    ]
    assert text.splitlines()[4] == "                    h2"


def test_colour_when_asked():
    ds = [
        diag("a.yaml", 1, severity="error"),
        diag("a.yaml", 2, severity="warning"),
        diag("a.yaml", 3, severity="info"),
    ]
    text = as_text(ds, color=True)
    assert "\x1b[1ma.yaml\x1b[0m" in text  # file names bold
    assert "\x1b[31merror\x1b[0m" in text  # errors red
    assert "\x1b[33mwarning\x1b[0m" in text  # warnings yellow
    assert "\x1b[34minfo\x1b[0m" in text  # infos blue
    # The colour codes take no room: columns line up as without colour.
    plain = as_text(ds, color=False)
    assert _strip_ansi(text) == plain


def _strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@given(diagnostics)
def test_no_escape_codes_unless_asked(ds):
    # Not even from the data: a message holding ESC is shown as \x1b.
    for report in (as_text(ds, color=False), as_plain(ds), as_github(ds)):
        assert ESC not in report


def test_control_characters_are_shown_escaped():
    text = as_text([diag("a.yaml", 1, message="bad \x1b[2J\u202eend")], color=False)
    assert "bad \\x1b[2J\\u202eend" in text


# -- line formats for CI logs and editors


def test_plain_is_gnu_style():
    ds = [
        diag("content/b.yaml", 12, severity="error", message="Broken.", hint="Fix it."),
        diag("content/b.yaml", None, message="No line."),
        diag(None, None, severity="info", rule="hygiene/x", message="Whole\ngraph."),
    ]
    assert as_plain(ds) == (
        "info: Whole graph. [hygiene/x]\n"
        "content/b.yaml: warning: No line. [schema/unknown-property]\n"
        "content/b.yaml:12: error: Broken. [schema/unknown-property]\n"
    )


@given(diagnostics)
def test_plain_is_one_line_per_diagnostic(ds):
    assert as_plain(ds).count("\n") == len(ds)


def test_github_workflow_commands():
    ds = [
        diag("content/b, c.yaml", 12, severity="error", message="100% wrong\nreally", hint="fix: now"),
        diag(None, None, severity="info", rule="hygiene/x", message="Note."),
    ]
    assert as_github(ds) == (
        "::notice title=hygiene/x::Note.\n"
        "::error file=content/b%2C c.yaml,line=12,title=schema/unknown-property::"
        "100%25 wrong%0Areally%0Ahint: fix: now\n"
    )


# -- JSON


def test_json_has_every_field_in_order():
    d = diag(
        "content/b.yaml",
        4,
        severity="error",
        message="M",
        hint="H",
        node="https://c/#n",
        property="ratingValue",
        value="6",
    )
    assert json.loads(as_json([d])) == [
        {
            "file": "content/b.yaml",
            "line": 4,
            "rule": "schema/unknown-property",
            "severity": "error",
            "message": "M",
            "hint": "H",
            "node": "https://c/#n",
            "property": "ratingValue",
            "value": "6",
        }
    ]
    keys = list(json.loads(as_json([diag()]))[0])
    assert keys == ["file", "line", "rule", "severity", "message", "hint", "node", "property", "value"]
    assert json.loads(as_json([diag()]))[0]["hint"] is None


def test_json_schema_is_packaged_and_valid():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["items"]["properties"]["severity"]["enum"] == list(SEVERITIES)


@settings(max_examples=200)
@given(diagnostics)
def test_json_is_always_schema_valid_and_complete(ds):
    rows = json.loads(as_json(ds))
    jsonschema.Draft202012Validator(json_schema()).validate(rows)
    # Nothing lost: every diagnostic comes back (lines below 1 read as unknown).
    expected = sorted(
        json.dumps(
            [
                d.file,
                d.line if d.line and d.line > 0 else None,
                d.rule,
                d.severity,
                d.message,
                d.hint,
                d.node,
                d.property,
                d.value,
            ]
        )
        for d in ds
    )
    assert sorted(json.dumps(list(row.values())) for row in rows) == expected


@given(diagnostics, st.randoms(use_true_random=False))
def test_every_format_is_deterministic(ds, rnd):
    shuffled = list(ds)
    rnd.shuffle(shuffled)
    assert as_json(shuffled) == as_json(ds)
    assert as_text(shuffled, color=True) == as_text(ds, color=True)
    assert as_plain(shuffled) == as_plain(ds)
    assert as_github(shuffled) == as_github(ds)


def test_json_of_nothing():
    assert as_json([]) == "[]\n"


def test_findings_of_one_rule_at_one_line_each_name_their_node():
    """A rule's template makes many pages: their findings share a line, and name the node."""
    made = [
        Diagnostic("rules/pages.rq", 3, "health/x", "warning", "No review.", node=f"https://c.example/{n}/")
        for n in ("a", "b")
    ]
    alone = Diagnostic("content/p.yaml", 2, "health/x", "warning", "No review.", node="https://c.example/p/")
    text = as_text([*made, alone], color=False)
    assert "on: https://c.example/a/" in text and "on: https://c.example/b/" in text
    assert "on: https://c.example/p/" not in text
