"""The health-page rules (checks/shapes/health.ttl): each broken case yields its rule,
as a warning, at the line of the node concerned."""

import pytest
from test_google_rules import SITE, P, broken, expected_line, shapes  # noqa: F401 (fixtures)

from clinicgraph.checks.shacl import run_shapes

PAGE = "- type: MedicalWebPage"
CONDITION = "- type: MedicalCondition"

# case: (edits, (rule, node after the site URL, node line text))
CASES = {
    "page-about": (
        [(P, '  about: {id: "conditions/tooth-decay/#condition"}\n', "")],
        ("health/page-about-missing", "conditions/tooth-decay/#webpage", PAGE),
    ),
    "page-last-reviewed": (
        [(P, '  lastReviewed: "2026-01-31"\n', "")],
        ("health/page-last-reviewed-missing", "conditions/tooth-decay/#webpage", PAGE),
    ),
    "page-reviewed-by": (
        [(P, '  reviewedBy: {id: "#reviewer"}\n', "")],
        ("health/page-reviewed-by-missing", "conditions/tooth-decay/#webpage", PAGE),
    ),
    "page-citation": (
        [
            (
                P,
                '  citation:\n    - type: WebSite\n      name: "Example Dental Association"\n'
                '      url: "https://dental.example/"\n',
                "",
            )
        ],
        ("health/page-citation-missing", "conditions/tooth-decay/#webpage", PAGE),
    ),
    "condition-name": (
        [(P, '  name: "Tooth decay"\n  description', "  description")],
        ("health/condition-name-missing", "conditions/tooth-decay/#condition", CONDITION),
    ),
    "condition-description": (
        [(P, '  description: "Damage to the surface of a tooth."\n', "")],
        ("health/condition-description-missing", "conditions/tooth-decay/#condition", CONDITION),
    ),
    # MedicalSymptom is a MedicalCondition: the rules reach subtypes.
    "symptom-description": (
        [(P, '      description: "Pain in or around a tooth."\n', "")],
        (
            "health/condition-description-missing",
            "conditions/tooth-decay/#condition/signOrSymptom-1",
            "    - type: MedicalSymptom",
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_health_case_yields_its_warning(case, broken, shapes):
    edits, (rule, node, marker) = CASES[case]
    project = broken(edits)
    found = run_shapes(project, shapes)
    assert [(d.rule, d.severity, d.node, d.file, d.line) for d in found] == [
        (
            rule,
            "warning",
            SITE + node,
            (project.root / P).as_posix(),
            expected_line(project, (P, marker, None)),
        )
    ]
    # the message gives the reason, the hint the fix
    assert " so " in found[0].message and found[0].hint
