"""The health rules of E-E-A-T (checks/shapes/health.ttl): who wrote and who reviewed a
health page, practitioners and their clinics, specialties and NPIs. A page with its
people that breaks no rule, then one broken thing at a time, each with exactly the
findings it must give (rule, node, line)."""

import pytest
from google_findings import edited, family_findings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinicgraph import pipeline

GOOD = """- type: MedicalWebPage
  id: "conditions/back-spasms/#webpage"
  url: "https://clinic.example/conditions/back-spasms/"
  about: {id: "conditions/back-spasms/#condition"}
  lastReviewed: "2026-01-31"
  citation: {type: CreativeWork, name: "NHS: Back pain", url: "https://www.nhs.uk/conditions/back-pain/"}
  author: {id: "#scott-wee"}
  reviewedBy: {id: "#anna-lind"}
- type: MedicalCondition
  id: "conditions/back-spasms/#condition"
  name: "Back spasms"
  description: "Sudden, involuntary tightening of the back muscles."
- type: MedicalClinic
  id: "#clinic"
  name: "Harbour Chiropractic"
  medicalSpecialty: {id: "schema:Musculoskeletal"}
  employee: [{id: "#scott-wee"}, {id: "#anna-lind"}]
  member: {id: "#lena-reyes"}
- type: Person
  id: "#scott-wee"
  name: "Scott Wee"
  jobTitle: "Chiropractor"
  url: "https://clinic.example/team/scott-wee/"
  worksFor: {id: "#clinic"}
- type: Person
  id: "#anna-lind"
  name: "Anna Lind"
  sameAs: "https://register.example/anna-lind"
  hasCredential: {type: EducationalOccupationalCredential, name: "Doctor of Chiropractic"}
  worksFor: {id: "#clinic"}
- type: IndividualPhysician
  id: "#lena-reyes"
  name: "Lena Reyes"
  usNPI: "1234567893"
  medicalSpecialty: {id: "schema:Musculoskeletal"}
  practicesAt: {id: "#clinic"}
"""
PAGE, CLINIC, REYES = "conditions/back-spasms/#webpage", "#clinic", "#lena-reyes"


def at(marker: str, after: str = "") -> int:
    """The line of GOOD where ``marker`` is first written (after the line holding ``after``)."""
    lines = GOOD.splitlines()
    start = next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines[start:], start + 1) if marker in line)


# A credited person's findings are placed at the person, once however many pages credit them.
SCOTT, ANNA = at('  id: "#scott-wee"') - 1, at('  id: "#anna-lind"') - 1


def findings(load, text: str) -> list[tuple]:
    return sorted(family_findings(load, {"page.yaml": text}, ("health/",)))


def test_a_page_with_identifiable_people_breaks_no_rule(load):
    assert findings(load, GOOD) == []


# case: (edits, [(rule, node, line)])
CASES = {
    # the issue: "any value of reviewedBy satisfies the health rule"
    "a reviewer as text": (
        [('reviewedBy: {id: "#anna-lind"}', 'reviewedBy: "Dr. Anna Lind, DC"')],
        [("health/page-reviewed-by-text", PAGE, at("reviewedBy"))],
    ),
    "an author as text": (
        [('author: {id: "#scott-wee"}', 'author: "Scott Wee"')],
        [("health/page-author-text", PAGE, at("author"))],
    ),
    "an author without url or sameAs": (
        [('  url: "https://clinic.example/team/scott-wee/"\n', "")],
        [("health/page-author-url-missing", "#scott-wee", SCOTT)],
    ),
    "an author with sameAs only": ([("  url: ", "  sameAs: ")], []),
    "a reviewer without url or sameAs": (
        [('  sameAs: "https://register.example/anna-lind"\n', "")],
        [("health/page-reviewer-url-missing", "#anna-lind", ANNA)],
    ),
    "a reviewer without credential": (
        [
            (
                '  hasCredential: {type: EducationalOccupationalCredential, name: "Doctor of Chiropractic"}\n',
                "",
            )
        ],
        [("health/page-reviewer-credential-missing", "#anna-lind", ANNA)],
    ),
    "a reviewer with a job title only": (
        [
            (
                '  hasCredential: {type: EducationalOccupationalCredential, name: "Doctor of Chiropractic"}',
                '  jobTitle: "Chiropractor"',
            )
        ],
        [],
    ),
    "a reviewing organization with a specialty": (
        [
            ('reviewedBy: {id: "#anna-lind"}', 'reviewedBy: {id: "#clinic"}'),
            ('name: "Harbour', 'url: "https://clinic.example/"\n  name: "Harbour'),
        ],
        [],
    ),
    "a reviewing organization without": (
        [
            ('reviewedBy: {id: "#anna-lind"}', 'reviewedBy: {id: "#clinic"}'),
            ('  medicalSpecialty: {id: "schema:Musculoskeletal"}\n  employee', "  employee"),
        ],
        [
            ("health/page-reviewer-credential-missing", CLINIC, at("type: MedicalClinic")),
            ("health/page-reviewer-url-missing", CLINIC, at("type: MedicalClinic")),
        ],
    ),
    "an employee who does not name the clinic": (
        [
            (
                '  url: "https://clinic.example/team/scott-wee/"\n  worksFor: {id: "#clinic"}\n',
                '  url: "https://clinic.example/team/scott-wee/"\n',
            )
        ],
        [("health/practitioner-clinic-missing", CLINIC, at("employee"))],
    ),
    "a practitioner the clinic does not list": (
        [('employee: [{id: "#scott-wee"}, {id: "#anna-lind"}]', 'employee: {id: "#anna-lind"}')],
        [("health/clinic-practitioner-missing", CLINIC, at("type: MedicalClinic"))],
    ),
    "a member physician who does not name the clinic": (
        [('  practicesAt: {id: "#clinic"}\n', "")],
        [("health/practitioner-clinic-missing", CLINIC, at("member"))],
    ),
    "a physician the clinic does not list": (
        [('  member: {id: "#lena-reyes"}\n', "")],
        [("health/clinic-practitioner-missing", CLINIC, at("type: MedicalClinic"))],
    ),
    "a physician who practises nowhere": (
        [('  member: {id: "#lena-reyes"}\n', ""), ('  practicesAt: {id: "#clinic"}\n', "")],
        [
            ("health/practitioner-clinic-missing", REYES, at("type: IndividualPhysician") - 1)
        ],  # a line less above
    ),
    # a clinic's member that is an organization is no practitioner of it
    "a member organization": (
        [
            ('member: {id: "#lena-reyes"}', 'member: {type: MedicalOrganization, name: "Spine Society"}'),
            ('  practicesAt: {id: "#clinic"}\n', ""),
        ],
        [("health/practitioner-clinic-missing", REYES, at("type: IndividualPhysician"))],
    ),
    "a specialty from elsewhere": (
        [
            (
                '  medicalSpecialty: {id: "schema:Musculoskeletal"}\n  practicesAt',
                '  medicalSpecialty: {id: "https://specialties.example/spine"}\n  practicesAt',
            )
        ],
        [("health/specialty-unknown", REYES, at("medicalSpecialty", after="IndividualPhysician"))],
    ),
    "a specialty from elsewhere, said to be one": (
        [
            (
                '  medicalSpecialty: {id: "schema:Musculoskeletal"}\n  practicesAt',
                '  medicalSpecialty: {id: "https://specialties.example/spine", type: MedicalSpecialty}\n  practicesAt',
            )
        ],
        [],
    ),
    "an NPI with a wrong check digit": (
        [('"1234567893"', '"1234567890"')],
        [("health/npi-invalid", REYES, at("usNPI"))],
    ),
    "an NPI of nine digits": (
        [('"1234567893"', '"123456789"')],
        [("health/npi-invalid", REYES, at("usNPI"))],
    ),
    "an NPI with spaces": (
        [('"1234567893"', '"123 456 7893"')],
        [("health/npi-invalid", REYES, at("usNPI"))],
    ),
    "an NPI as a number": ([('"1234567893"', "1234567893")], []),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == sorted(
        (rule, "warning", node, line) for rule, node, line in expected
    )


def test_text_where_a_specialty_is_expected_is_left_to_the_conformance_rules(
    load, make_project, schemaorg_dir
):
    """Text, or a schema.org term of another type, is schema.org's matter (schema/...), said once."""
    text = edited(
        GOOD,
        [
            (
                'medicalSpecialty: {id: "schema:Musculoskeletal"}\n  employee',
                'medicalSpecialty: "Chiropractic"\n  employee',
            ),
            (
                'medicalSpecialty: {id: "schema:Musculoskeletal"}\n  practicesAt',
                'medicalSpecialty: {id: "schema:Chiropractic"}\n  practicesAt',
            ),
        ],
    )
    assert findings(load, text) == []
    release = schemaorg_dir / "schemaorg-current-https.ttl"
    project = pipeline.open_project(make_project({"page.yaml": text}), release, derive=False)
    found = {(d.rule, d.line) for d in pipeline.validate(project) if d.rule.startswith("schema/")}
    assert found == {
        ("schema/text-for-thing", at("medicalSpecialty")),
        ("schema/range", at("medicalSpecialty", after="IndividualPhysician")),
    }


def npi_check_digit(first_nine: str) -> int:
    """CMS's algorithm, independently of the rule: Luhn over "80840" + the nine digits."""
    total = 0
    for position, digit in enumerate(reversed("80840" + first_nine)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def test_the_documented_npi_is_valid():
    assert npi_check_digit("123456789") == 3  # CMS's worked example: 1234567893


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.from_regex(r"\A[0-9]{9}\Z"), st.integers(0, 9)), min_size=1, max_size=12))
def test_an_npi_is_judged_by_its_check_digit(load, npis):
    people = "".join(
        f'- type: Physician\n  id: "#doctor-{n}"\n  name: "Doctor {n}"\n  usNPI: "{first}{last}"\n'
        for n, (first, last) in enumerate(npis)
    )
    flagged = {node for _, _, node, _ in family_findings(load, {"people.yaml": people}, ("health/npi-",))}
    assert flagged == {
        f"#doctor-{n}" for n, (first, last) in enumerate(npis) if last != npi_check_digit(first)
    }
