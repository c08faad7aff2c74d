"""``validate --report features`` (checks/feature_report.py): for each Google feature, the
pages that carry it, with errors, warnings only or valid, the rules on how many pages,
and the pages that could carry it; exact figures on hand-made projects and the two
examples, and the command's text and json."""

import json

import pytest
from conftest import EXAMPLE, REPO, run_cli

from clinicgraph import pipeline
from clinicgraph.checks.feature_report import as_text, feature_report

NETWORK = REPO / "examples" / "clinic-network"

# Five pages: the home page (a WebSite, no Organization); an about page on a medical
# organization with an address (no LocalBusiness) and a review rating out of its scale;
# a practitioner's page (no ProfilePage) whose person works for that organization; an
# article without headline whose author is that person; a retired FAQ page.
PAGES = {
    "home.yaml": """type: WebPage
id: "#webpage"
url: "https://clinic.example/"
name: "Home"
isPartOf: {type: WebSite, id: "#website", url: "https://clinic.example/", name: "Clinic"}
""",
    "about.yaml": """type: AboutPage
id: "about/#webpage"
url: "https://clinic.example/about/"
name: "About us"
mainEntity:
  type: MedicalOrganization
  id: "#org"
  name: "Clinic"
  address: {type: PostalAddress, streetAddress: "1 Main Street"}
  review:
    type: Review
    author: {type: Person, name: "Ann"}
    reviewRating: {type: Rating, ratingValue: 7, bestRating: 5}
""",
    "jane.yaml": """type: WebPage
id: "team/jane/#webpage"
url: "https://clinic.example/team/jane/"
name: "Jane Doe"
mainEntity: {type: Person, id: "#jane", name: "Jane Doe", worksFor: {id: "#org"}}
""",
    "article.yaml": """type: [MedicalWebPage, Article]
id: "conditions/back-pain/#webpage"
url: "https://clinic.example/conditions/back-pain/"
name: "Back pain"
image: "https://clinic.example/img/back.jpg"
datePublished: "2026-03-05T08:00:00"
author: {type: Person, id: "#jane"}
""",
    "faq.yaml": """type: FAQPage
id: "faq/#webpage"
url: "https://clinic.example/faq/"
name: "Questions"
mainEntity: {type: Question, name: "Walk-ins?", acceptedAnswer: {type: Answer, text: "Yes."}}
""",
}
SITE = "https://clinic.example/"


def figures(project) -> tuple[int, dict]:
    """The page count, and for each feature with a page or a page that could carry it:
    (pages, errors, warnings, valid), its rules {severity: {rule: pages}}, and the paths
    of the pages that could carry it."""
    count, rows = feature_report(project, pipeline.validate(project))
    return count, {
        row.feature.name: (
            (row.pages, row.errors, row.warnings, row.valid),
            {severity: dict(rules) for severity, rules in row.rules.items() if rules},
            [url.removeprefix(SITE) for url, _ in row.missing],
        )
        for row in rows
        if row.pages or row.missing
    }


def test_hand_made_pages(load):
    count, found = figures(load(PAGES, derive=False))
    assert count == 5
    assert found == {
        # the organization with an address on the about page is no LocalBusiness
        "Local business": ((0, 0, 0, 0), {}, ["about/"]),
        # the review reaches three documents: the organization's, its worker's, her article's
        "Review snippet": (
            (3, 3, 0, 0),
            {
                "error": {"google/rating-out-of-range": 3},
                "warning": {"google/review-date-published-missing": 3},
            },
            [],
        ),
        # nothing derived: no page has breadcrumbs, and every page but the home page could
        "Breadcrumb": ((0, 0, 0, 0), {}, ["about/", "conditions/back-pain/", "faq/", "team/jane/"]),
        # a rule of no feature (the date's time zone) counts for the feature of its node
        "Article": (
            (1, 0, 1, 0),
            {
                "warning": {
                    "google/article-author-url-missing": 1,
                    "google/article-headline-missing": 1,
                    "google/date-time-zone-missing": 1,
                }
            },
            [],
        ),
        "Profile page": ((0, 0, 0, 0), {}, ["team/jane/"]),
        "Organization": ((3, 0, 0, 3), {}, [""]),  # the home page carries none
        "Site name": ((1, 0, 0, 1), {}, []),
        "FAQ": ((1, 0, 0, 1), {}, []),  # its finding is an info: retired, not shown
    }


def test_derived_breadcrumbs_make_pages_carry_the_feature(load):
    count, found = figures(load(PAGES))  # the home page too: a trail of one item
    assert count == 5 and found["Breadcrumb"] == ((5, 0, 0, 5), {}, [])


def test_the_shipped_example():
    count, found = figures(pipeline.open_project(EXAMPLE))
    assert count == 1
    assert found == {
        "Local business": (
            (1, 0, 1, 0),
            {
                "warning": {
                    "google/local-business-geo-missing": 1,
                    "google/local-business-opening-hours-missing": 1,
                }
            },
            [],
        ),
        "Review snippet": (
            (1, 0, 1, 0),
            {
                "warning": {
                    "google/review-author-missing": 1,
                    "google/review-date-published-missing": 1,
                    "google/self-serving-review": 1,
                }
            },
            [],
        ),
        "Breadcrumb": ((1, 0, 0, 1), {}, []),
        "Organization": ((1, 0, 0, 1), {}, []),
        "Site name": ((1, 0, 0, 1), {}, []),
    }


def test_the_network_example():
    count, found = figures(pipeline.open_project(NETWORK))
    assert count == 19
    assert found == {
        # the 10 clinic and service pages, and the 5 profiles and 2 condition pages, whose
        # practitioners name their clinic (worksFor): the clinic comes along in full
        "Local business": ((17, 0, 0, 17), {}, []),
        "Breadcrumb": ((19, 0, 0, 19), {}, []),
        # the two condition pages cite NHS articles: Article markup the page carries, though
        # the Article rules judge a page's own article only (the report counts by type)
        "Article": ((2, 0, 0, 2), {}, []),
        "Profile page": ((5, 0, 5, 0), {"warning": {"google/profile-page-date-missing": 5}}, []),
        "Organization": ((19, 0, 0, 19), {}, []),
        "Site name": ((19, 0, 0, 19), {}, []),
    }


def test_the_text_report(load):
    project = load(PAGES, derive=False)
    text = as_text(*feature_report(project, pipeline.validate(project)))
    lines = text.splitlines()
    assert lines[:3] == [
        "Google search features of 5 pages",
        "",
        "feature               pages  errors  warnings  valid",
    ]
    assert "Review snippet            3       3         0      0" in lines
    assert "FAQ                       1       0         0      1  retired: not shown" in lines
    review = lines.index("Review snippet", 3)
    assert lines[review + 1] == "  error    google/rating-out-of-range  on 3 pages"
    profile = lines.index("Profile page", 3)
    assert lines[profile + 1] == "  could carry it: https://clinic.example/team/jane/ (a page about a person)"


def test_the_command_prints_text_and_json_with_validate_s_exit_status(tmp_path):
    text = run_cli("validate", EXAMPLE, "--report", "features")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Google search features of 1 page\n")
    strict = run_cli(
        "validate", EXAMPLE, "--report", "features", "--format", "json", "--strict", "-o", tmp_path / "f.json"
    )
    assert strict.returncode == 1 and strict.stdout == ""  # warnings, with --strict
    data = json.loads((tmp_path / "f.json").read_text("utf-8"))
    assert data["pages"] == 1
    local = data["features"][0]
    assert local == {
        "feature": "Local business",
        "shown": True,
        "cites": "https://developers.google.com/search/docs/appearance/structured-data/local-business",
        "pages": 1,
        "errors": 0,
        "warnings": 1,
        "valid": 0,
        "rules": {
            "error": {},
            "warning": {
                "google/local-business-geo-missing": 1,
                "google/local-business-opening-hours-missing": 1,
            },
        },
        "issues": [  # the pages with findings: which, and which rules
            {
                "page": "https://westwoodtotalhealth.example/conditions/back-spasms/",
                "errors": [],
                "warnings": [
                    "google/local-business-geo-missing",
                    "google/local-business-opening-hours-missing",
                ],
            }
        ],
        "missing": [],
    }
    assert [feature["shown"] for feature in data["features"]][-3:] == [False, False, False]


@pytest.mark.parametrize("format_name", ["sarif", "github", "plain"])
def test_a_findings_format_is_refused_with_one_line(format_name):
    result = run_cli("validate", EXAMPLE, "--report", "features", "--format", format_name)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"Error: --report features is text or json: --format {format_name} is for findings"
    )


@pytest.mark.parametrize("kind, carried", [("HowTo", 1), ("Recipe", 0)])
def test_a_recipe_is_no_retired_how_to(load, kind, carried):
    page = 'type: WebPage\nid: "tea/#webpage"\nurl: "https://clinic.example/tea/"\nname: "Tea"\n'
    page += f"mainEntity: {{type: {kind}, name: Ginger tea}}\n"
    _, found = figures(load({"tea.yaml": page}, derive=False))
    assert found.get("How-to", ((0, 0, 0, 0),))[0] == (carried, 0, 0, carried)
