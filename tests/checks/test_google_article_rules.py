"""Google's Article rules (checks/shapes/google_content.ttl, "Article"): an article that
breaks no rule, then one broken thing at a time, each with exactly the findings it must
give (rule, node, line)."""

import pytest
from google_findings import edited, family_findings

GOOD = """type: [MedicalWebPage, Article]
id: "conditions/back-spasms/#webpage"
url: "https://clinic.example/conditions/back-spasms/"
headline: "Back spasms: causes and care"
image: "https://clinic.example/img/back.jpg"
datePublished: "2026-03-05T08:00:00-08:00"
dateModified: "2026-03-06"
author:
  type: Person
  id: "#scott-wee"
  name: "Scott Wee"
  honorificPrefix: "Dr."
  honorificSuffix: "DC"
  jobTitle: "Chiropractor"
  url: "https://clinic.example/team/scott-wee/"
"""
PAGE = "conditions/back-spasms/#webpage"


def findings(load, text: str) -> list[tuple]:
    return family_findings(load, {"page.yaml": text}, ("google/article-", "google/date-"))


def test_a_good_article_breaks_no_rule(load):
    """Typed together with MedicalWebPage; titles and credentials where schema.org puts them."""
    assert findings(load, GOOD) == []


@pytest.mark.parametrize("kind", ["BlogPosting", "NewsArticle", "[WebPage, ScholarlyArticle]"])
def test_an_article_of_any_kind_is_judged(load, kind):
    text = edited(
        GOOD, [("[MedicalWebPage, Article]", kind), ('image: "https://clinic.example/img/back.jpg"\n', "")]
    )
    assert findings(load, text) == [("google/article-image-missing", "warning", PAGE, 1)]


def test_a_page_that_is_no_article_is_not_judged(load):
    assert (
        findings(load, edited(GOOD, [("[MedicalWebPage, Article]", "MedicalWebPage"), ("headline", "name")]))
        == []
    )


CASES = {
    "no headline": (
        [('headline: "Back spasms: causes and care"\n', "")],
        [("google/article-headline-missing", 1)],
    ),
    "no image": (
        [('image: "https://clinic.example/img/back.jpg"\n', "")],
        [("google/article-image-missing", 1)],
    ),
    "no datePublished": (
        [('datePublished: "2026-03-05T08:00:00-08:00"\n', "")],
        [("google/article-date-published-missing", 1)],
    ),
    "a time without zone": (
        [("08:00:00-08:00", "08:00:00")],
        [("google/date-time-zone-missing", 6)],
    ),
    "a modified time without zone": (
        [('dateModified: "2026-03-06"', 'dateModified: "2026-03-06T10:30"')],
        [("google/date-time-zone-missing", 7)],
    ),
    "a time in UTC": ([("08:00:00-08:00", "16:00:00Z")], []),
    "no author": ([(GOOD[GOOD.index("author:") :], "")], [("google/article-author-missing", 1)]),
    "an author as text": (
        [(GOOD[GOOD.index("author:") :], 'author: "Scott Wee"\n')],
        [("google/article-author-text", 8)],
    ),
    "an author without a name": (
        [('  name: "Scott Wee"\n', "")],
        [("google/article-author-name-missing", 8)],
    ),
    "an author without url or sameAs": (
        [('  url: "https://clinic.example/team/scott-wee/"\n', "")],
        [("google/article-author-url-missing", 8)],
    ),
    "an author with sameAs only": (
        [("  url:", "  sameAs:")],
        [],
    ),
    "Dr. in the name": (
        [('name: "Scott Wee"', 'name: "Dr. Scott Wee"')],
        [("google/article-author-name-not-a-name", 8)],
    ),
    "Dr without a dot": (
        [('name: "Scott Wee"', 'name: "Dr Scott Wee"')],
        [("google/article-author-name-not-a-name", 8)],
    ),
    "the issue's author": (
        [('name: "Scott Wee"', 'name: "Dr. Scott Wee, DC, Chiropractor"')],
        [("google/article-author-name-not-a-name", 8)],
    ),
    "a credential after the name": (
        [('name: "Scott Wee"', 'name: "Anna Lind MD"')],
        [("google/article-author-name-not-a-name", 8)],
    ),
    "PhD after a comma": (
        [('name: "Scott Wee"', 'name: "Anna Lind, PhD"')],
        [("google/article-author-name-not-a-name", 8)],
    ),
    "a job title": (
        [('name: "Scott Wee"', 'name: "Scott Wee (physiotherapist)"')],
        [("google/article-author-name-not-a-name", 8)],
    ),
    # names that only look like titles: Drew, Dorothy Mdlalose, Paul Nurse, Dr as a word inside
    "names that are names": ([('name: "Scott Wee"', 'name: "Drew Docherty-Mdlalose"')], []),
    "a surname that is a profession": ([('name: "Scott Wee"', 'name: "Paul Nurse"')], []),
    "an organization as author": (
        [
            ("  type: Person\n", "  type: MedicalClinic\n"),
            ('name: "Scott Wee"', 'name: "Harbour Chiropractic Clinic"'),
        ],
        [],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == [(rule, "warning", PAGE, line) for rule, line in expected]
