"""Google's Profile page rules (checks/shapes/google_content.ttl, "Profile page"): a
profile that breaks no rule, then one broken thing at a time, each with exactly the
findings it must give (rule, node, line)."""

import pytest
from google_findings import edited, family_findings

GOOD = """type: ProfilePage
id: "team/scott-wee/#webpage"
url: "https://clinic.example/team/scott-wee/"
dateCreated: "2024-12-23T12:34:00-05:00"
dateModified: "2026-03-05"
mainEntity:
  type: Person
  id: "team/scott-wee/#person"
  name: "Scott Wee"
  description: "Chiropractor at the clinic since 2012."
  image: "https://clinic.example/img/scott-wee.jpg"
  sameAs: "https://www.linkedin.com/in/scott-wee"
"""
PAGE, PERSON = "team/scott-wee/#webpage", "team/scott-wee/#person"


def findings(load, text: str) -> list[tuple]:
    return family_findings(load, {"page.yaml": text}, ("google/profile-page-", "google/date-"))


def test_a_good_profile_breaks_no_rule(load):
    assert findings(load, GOOD) == []


CASES = {
    "no mainEntity": (
        [(GOOD[GOOD.index("mainEntity:") :], "")],
        [("google/profile-page-main-entity-missing", PAGE, 1)],
    ),
    "a mainEntity as text": (
        [(GOOD[GOOD.index("mainEntity:") :], 'mainEntity: "Scott Wee"\n')],
        [("google/profile-page-main-entity-text", PAGE, 6)],
    ),
    "no name": ([('  name: "Scott Wee"\n', "")], [("google/profile-page-name-missing", PERSON, 7)]),
    "no sameAs": (
        [('  sameAs: "https://www.linkedin.com/in/scott-wee"\n', "")],
        [("google/profile-page-recommended-missing", PERSON, 7)],
    ),
    "no image nor description": (
        [
            ('  image: "https://clinic.example/img/scott-wee.jpg"\n', ""),
            ("  description:", "  disambiguatingDescription:"),
        ],
        [("google/profile-page-recommended-missing", PERSON, 7)] * 2,
    ),
    "no dateCreated": (
        [('dateCreated: "2024-12-23T12:34:00-05:00"\n', "")],
        [("google/profile-page-date-missing", PAGE, 1)],
    ),
    "a creation time without zone": (
        [("12:34:00-05:00", "12:34:00")],
        [("google/date-time-zone-missing", PAGE, 4)],
    ),
    "an organization's profile": (
        [("  type: Person\n", "  type: MedicalClinic\n"), ('name: "Scott Wee"', 'name: "Harbour Clinic"')],
        [],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == [
        (rule, "warning", node, line) for rule, node, line in expected
    ]


def test_a_main_entity_of_another_page_is_no_profile(load):
    text = edited(GOOD, [("type: ProfilePage", "type: AboutPage"), ('  name: "Scott Wee"\n', "")])
    assert findings(load, text) == []
