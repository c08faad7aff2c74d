"""When a health page was last reviewed (checks/shapes/health.ttl): not after today, not
older than ``[health] review-max-age`` (default 2 years), judged against a given day."""

from datetime import date

import pytest
from google_findings import edited, family_findings

from clinicgraph.core.errors import SourceError

TODAY = date(2026, 12, 3)
FAMILY = ("health/page-last-reviewed-",)
PAGE = """type: MedicalWebPage
id: "conditions/back-spasms/#webpage"
name: "Back spasms"
lastReviewed: "2026-01-31"
"""


def findings(load, text: str = PAGE, toml: str | None = None, today=TODAY) -> list[tuple]:
    project_toml = '[site]\nurl = "https://clinic.example/"\n' + (toml or "")
    files = {"page.yaml": text}
    return family_findings(lambda f, derive: load(f, project_toml, derive), files, FAMILY, today)


STALE = ("health/page-last-reviewed-stale", "warning", "conditions/back-spasms/#webpage", 4)
FUTURE = ("health/page-last-reviewed-future", "warning", "conditions/back-spasms/#webpage", 4)

CASES = {
    "reviewed this year": ("2026-01-31", []),
    "reviewed today": ("2026-12-03", []),
    "reviewed tomorrow": ("2026-12-04", [FUTURE]),
    "reviewed with a time, tomorrow": ("2026-12-04T09:00:00-08:00", [FUTURE]),
    "reviewed exactly two years ago": ("2024-12-03", []),
    "reviewed two years and a day ago": ("2024-12-02", [STALE]),
    "reviewed in a year only": ("2019", []),  # no day to judge: not judged
    "a review date that is no date": ("2026-02-30", []),  # conformance's to say
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_review_date_gives_its_findings(load, case):
    reviewed, expected = CASES[case]
    assert findings(load, edited(PAGE, [("2026-01-31", reviewed)])) == expected


@pytest.mark.parametrize(
    ("age", "stale_before"),
    [('"18m"', "2025-06-03"), ('"90d"', "2026-09-04"), ("30", "2026-11-03"), ('"1Y"', "2025-12-03")],
)
def test_the_allowed_age_is_the_projects(load, age, stale_before):
    toml = f"[health]\nreview-max-age = {age}\n"
    day = date.fromisoformat(stale_before)
    on_the_day = edited(PAGE, [("2026-01-31", day.isoformat())])
    day_before = edited(PAGE, [("2026-01-31", day.replace(day=day.day - 1).isoformat())])
    assert findings(load, on_the_day, toml) == []
    assert findings(load, day_before, toml) == [STALE]


def test_the_message_says_when_and_against_which_day(load):
    from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes

    project = load({"page.yaml": edited(PAGE, [("2026-01-31", "2023-05-01")])}, derive=False)
    shapes = load_shapes(default_shape_files())
    [found] = [d for d in run_shapes(project, shapes, today=TODAY) if d.rule.startswith(FAMILY)]
    assert found.message.startswith(
        "This health page was last reviewed on 2023-05-01, before 2024-12-03 "
        "([health] review-max-age before 2026-12-03)"
    )


def test_checks_today_in_the_toml_is_the_default_day(load):
    text = edited(PAGE, [("2026-01-31", "2027-01-01")])
    assert findings(load, text, "[checks]\ntoday = 2027-01-02\n", today=None) == []
    assert findings(load, text, '[checks]\ntoday = "2026-12-31"\n', today=None) == [FUTURE]
    # the day given (--today) wins over the project's
    assert findings(load, text, "[checks]\ntoday = 2027-01-02\n", today=TODAY) == [FUTURE]


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        (
            '[health]\nreview-max-age = "2 years"\n',
            4,
            "[health] review-max-age must be a number of years, months or days "
            '("2y", "18m", "90d" or 90), not \'2 years\'',
        ),
        ("[health]\nreview-max-age = 0\n", 4, "[health] review-max-age must be"),
        ('[health]\nmax-age = "2y"\n', 4, "[health] has no setting 'max-age': use review-max-age"),
        ('[checks]\ntoday = "2026-02-30"\n', 4, "[checks] today: '2026-02-30' is no day of the calendar"),
        (
            '[checks]\ntoday = "yesterday"\n',
            4,
            "[checks] today: 'yesterday' is not a date written YYYY-MM-DD",
        ),
        ("[checks]\ntoday = 2026-12-01T10:00:00\n", 4, "[checks] today: "),
    ],
)
def test_a_bad_setting_is_refused_with_its_line(load, toml, line, message):
    with pytest.raises(SourceError) as raised:
        findings(load, PAGE, toml)
    assert raised.value.line == line and raised.value.message.startswith(message), raised.value
