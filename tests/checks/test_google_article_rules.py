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


CITING = """type: MedicalWebPage
id: "conditions/back-spasms/#webpage"
url: "https://clinic.example/conditions/back-spasms/"
citation:
  - type: ScholarlyArticle
    id: "#study"
    name: "Muscle spasm and low back pain"
    url: "https://journal.example/spasm"
  - type: Article
    name: "Back pain, a review"
"""


def test_an_article_a_page_cites_is_not_judged(load):
    """AR is about a page's own article: a cited study has no headline or image to give."""
    assert findings(load, CITING) == []


@pytest.mark.parametrize(
    "own",
    [
        "mainEntity:\n  type: BlogPosting\n  id: '#post'\n",
        "hasPart:\n  type: BlogPosting\n  id: '#post'\n  mainEntityOfPage: {id: 'conditions/back-spasms/#webpage'}\n",
        "hasPart:\n  type: BlogPosting\n  id: '#post'\n  url: 'https://clinic.example/blog/post/'\n",
    ],
)
def test_a_pages_own_article_is_judged(load, own):
    """Its main entity, the main entity of a page, or a page of the site by its url."""
    missing = ["author-missing", "date-published-missing", "headline-missing", "image-missing"]
    assert findings(load, CITING + own) == [(f"google/article-{m}", "warning", "#post", 12) for m in missing]


# Google's own example on AR (https://developers.google.com/search/docs/appearance/structured-data/article,
# "Example"), written here from that page: a top-level NewsArticle, referred to by nothing,
# with no url of its own. It is the page's article, and breaks no rule.
GOOGLES_EXAMPLE = """{
  "@context": "https://schema.org",
  "@type": "NewsArticle",
  "headline": "Title of a News Article",
  "image": [
    "https://example.com/photos/1x1/photo.jpg",
    "https://example.com/photos/4x3/photo.jpg",
    "https://example.com/photos/16x9/photo.jpg"
  ],
  "datePublished": "2024-01-05T08:00:00+08:00",
  "dateModified": "2024-02-05T09:20:00+08:00",
  "author": [{
      "@type": "Person",
      "name": "Jane Doe",
      "url": "https://example.com/profile/janedoe123"
    },{
      "@type": "Person",
      "name": "John Doe",
      "url": "https://example.com/profile/johndoe123"
  }]
}
"""


def test_googles_example_article_breaks_no_rule_and_its_dont_is_caught(load):
    """AR's author guideline: "Don't ... add other information (honorific, job title)" to name."""
    json = {"article.jsonld": GOOGLES_EXAMPLE}
    assert family_findings(load, json, ("google/article-", "google/date-")) == []
    json = {"article.jsonld": GOOGLES_EXAMPLE.replace('"Jane Doe"', '"Dr. Jane Doe, Editor-in-chief, MD"')}
    assert [f[0] for f in family_findings(load, json, ("google/article-",))] == [
        "google/article-author-name-not-a-name"
    ]
