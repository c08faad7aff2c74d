"""Google's Local business rules, further (checks/shapes/google_local.ttl): departments,
hours over midnight and all day, seasonal and special hours, openingHours as text. A
business that breaks no rule, then one broken thing at a time with exactly the findings
it gives (rule, node, line); Google's own documented examples give no finding."""

import json
from datetime import date

import pytest
from google_findings import edited, family_findings

TODAY = date(2026, 12, 3)  # every date rule here judges against this day, not the real one
FAMILIES = ("google/department-", "google/special-hours-", "google/opening-hours-")

GOOD = """type: MedicalClinic
id: "#clinic"
name: "Westwood Total Health"
openingHours: ["Mo-Fr 09:00-17:30", "Sa 10:00-14:00"]
openingHoursSpecification:
  - type: OpeningHoursSpecification
    id: "#weekdays"
    dayOfWeek: [Monday, Tuesday, Wednesday, Thursday, Friday]
    opens: "09:00"
    closes: "17:30"
  - type: OpeningHoursSpecification
    id: "#late-friday"
    dayOfWeek: Friday
    opens: "18:00"
    closes: "02:00"
specialOpeningHoursSpecification:
  - type: OpeningHoursSpecification
    id: "#holidays"
    opens: "00:00"
    closes: "00:00"
    validFrom: "2026-12-24"
    validThrough: "2026-12-26"
department:
  - type: MedicalClinic
    id: "#physio"
    name: "Westwood Physiotherapy"
"""


def findings(load, text: str, today=TODAY) -> list[tuple]:
    return [
        (rule, severity, node, line)
        for rule, severity, node, line in family_findings(load, {"clinic.yaml": text}, FAMILIES, today)
    ]


def test_a_good_business_breaks_no_rule(load):
    """Hours past midnight in one specification, a holiday closed all day, a department
    named after its business, the text form of hours: all as Google and schema.org write them."""
    assert findings(load, GOOD) == []


CASES = {
    "a department not named after its business": (
        [('name: "Westwood Physiotherapy"', 'name: "Physiotherapy"')],
        [("google/department-name-format", "warning", "#physio", 26)],
    ),
    "a department named in another case": (
        [('name: "Westwood Physiotherapy"', 'name: "WESTWOOD physiotherapy"')],
        [],
    ),
    "hours without a closing time": (
        [('    closes: "17:30"\n', "")],
        [("google/opening-hours-time-missing", "warning", "#weekdays", 6)],
    ),
    "special hours without opening time": (
        [('    opens: "00:00"\n    closes: "00:00"\n', '    closes: "00:00"\n')],
        [("google/opening-hours-time-missing", "warning", "#holidays", 17)],
    ),
    "hours open for no time": (
        [('closes: "17:30"', 'closes: "09:00:00"')],
        [("google/opening-hours-empty", "warning", "#weekdays", 10)],
    ),
    "open 24 hours": ([('closes: "17:30"', 'closes: "23:59"'), ('opens: "09:00"', 'opens: "00:00"')], []),
    "a period that ends before it starts": (
        [('validThrough: "2026-12-26"', 'validThrough: "2026-12-20"')],
        [("google/special-hours-period-reversed", "error", "#holidays", 22)],
    ),
    "a period given with times": (
        [('"2026-12-24"', '"2026-12-24T00:00:00-08:00"'), ('"2026-12-26"', '"2026-12-26T23:59:00-08:00"')],
        [],
    ),
    "a period already past": (
        [('"2026-12-24"', '"2025-12-24"'), ('"2026-12-26"', '"2025-12-26"')],
        [("google/special-hours-past", "warning", "#holidays", 22)],
    ),
    "a period ending today": ([('"2026-12-26"', '"2026-12-03"'), ('"2026-12-24"', '"2026-12-01"')], []),
    "seasonal regular hours already past": (
        [('    closes: "02:00"\n', '    closes: "02:00"\n    validThrough: "2026-09-30"\n')],
        [("google/special-hours-past", "warning", "#late-friday", 16)],
    ),
    "special hours without their period": (
        [('    validFrom: "2026-12-24"\n    validThrough: "2026-12-26"\n', "")],
        [
            ("google/special-hours-period-missing", "warning", "#holidays", 17),
            ("google/special-hours-period-missing", "warning", "#holidays", 17),
        ],
    ),
    "a day code in English": (
        [('"Sa 10:00-14:00"', '"Sat 10:00-14:00"')],
        [("google/opening-hours-text-invalid", "warning", "#clinic", 4)],
    ),
    "a time on a 12-hour clock": (
        [('"Mo-Fr 09:00-17:30"', '"Mo-Fr 9am-5:30pm"')],
        [("google/opening-hours-text-invalid", "warning", "#clinic", 4)],
    ),
    "a time that is no time": (
        [('"Mo-Fr 09:00-17:30"', '"Mo-Fr 09:00-25:00"')],
        [("google/opening-hours-text-invalid", "warning", "#clinic", 4)],
    ),
    "a range without its end": (
        [('"Mo-Fr 09:00-17:30"', '"Mo- 09:00-17:30"')],
        [("google/opening-hours-text-invalid", "warning", "#clinic", 4)],
    ),
    "every day, all day, and a list of days": (
        [('["Mo-Fr 09:00-17:30", "Sa 10:00-14:00"]', '["Mo-Su", "Mo,We-Fr 9:00-24:00"]')],
        [],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_broken_thing_gives_its_findings(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == expected


def test_the_text_form_says_what_is_wrong(load):
    from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes

    shapes = load_shapes(default_shape_files())
    shapes.rules = [rule for rule in shapes.rules if rule.id == "google/opening-hours-text-invalid"]
    text = edited(GOOD, [('["Mo-Fr 09:00-17:30", "Sa 10:00-14:00"]', '["Monday 09:00-17:30", "Sa 9-14"]')])
    messages = sorted(d.message for d in run_shapes(load({"clinic.yaml": text}, derive=False), shapes))
    assert messages == [
        'The opening hours "Monday 09:00-17:30" are not in schema.org\'s form: "Monday" is not days '
        "written with Mo, Tu, We, Th, Fr, Sa, Su (Mo-Fr, Mo,We).",
        'The opening hours "Sa 9-14" are not in schema.org\'s form: the times are not one span '
        "hh:mm-hh:mm on a 24-hour clock.",
    ]


def test_past_is_judged_against_the_day_given(load):
    """The same data, judged on two days: reproducible whatever the real date."""
    text = edited(GOOD, [])
    assert findings(load, text, today=date(2026, 12, 26)) == []
    assert findings(load, text, today=date(2026, 12, 27)) == [
        ("google/special-hours-past", "warning", "#holidays", 22)
    ]


# Google's documented examples, from the Local business page of Search Central
# (https://developers.google.com/search/docs/appearance/structured-data/local-business),
# written here from that page: "Multiple departments" (shortened to its hours and
# departments) and the openingHoursSpecification examples "Hours over midnight", "All day
# hours" (open 24 hours; closed all day) and "Seasonal hours". Their dates are Google's
# (2015): judged on a day inside the seasonal period, as when Google wrote them.
GOOGLE_DEPARTMENTS = {
    "@context": "https://schema.org",
    "@type": "Store",
    "@id": "https://clinic.example/#store",
    "name": "Dave's Department Store",
    "telephone": "+14088717984",
    "openingHoursSpecification": [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "opens": "08:00",
            "closes": "23:59",
        },
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "Sunday", "opens": "08:00", "closes": "23:00"},
    ],
    "department": [
        {
            "@type": "Pharmacy",
            "name": "Dave's Pharmacy",
            "priceRange": "$",
            "telephone": "+14088719385",
            "openingHoursSpecification": [
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                    "opens": "09:00",
                    "closes": "19:00",
                },
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "Saturday",
                    "opens": "09:00",
                    "closes": "17:00",
                },
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": "Sunday",
                    "opens": "11:00",
                    "closes": "17:00",
                },
            ],
        }
    ],
}
GOOGLE_HOURS = {
    "over midnight": {"dayOfWeek": "Saturday", "opens": "18:00", "closes": "03:00"},
    "open 24 hours": {
        "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "opens": "00:00",
        "closes": "23:59",
    },
    "closed all day": {"dayOfWeek": "Saturday", "opens": "00:00", "closes": "00:00"},
    "seasonal": {
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": "2015-12-24",
        "validThrough": "2015-12-25",
    },
}


def test_googles_department_example_gives_no_finding(load):
    files = {"store.jsonld": json.dumps(GOOGLE_DEPARTMENTS)}
    assert family_findings(load, files, FAMILIES, TODAY) == []


@pytest.mark.parametrize("example", GOOGLE_HOURS, ids=list(GOOGLE_HOURS))
def test_googles_hours_examples_give_no_finding(load, example):
    hours = {"@type": "OpeningHoursSpecification", **GOOGLE_HOURS[example]}
    document = {
        "@context": "https://schema.org",
        "@type": "Restaurant",
        "@id": "https://clinic.example/#place",
        "name": "A place",
        "openingHoursSpecification": hours,
    }
    files = {"place.jsonld": json.dumps(document)}
    assert family_findings(load, files, FAMILIES, date(2015, 12, 24)) == []


def test_googles_department_dont_is_caught(load):
    """Google's guideline: "gMart" and "gMart Pharmacy", not a department named alone."""
    document = dict(
        GOOGLE_DEPARTMENTS, department=[dict(GOOGLE_DEPARTMENTS["department"][0], name="Pharmacy")]
    )
    found = family_findings(load, {"store.jsonld": json.dumps(document)}, FAMILIES, TODAY)
    assert [(rule, severity) for rule, severity, _, _ in found] == [
        ("google/department-name-format", "warning")
    ]
