"""Google's site name rules (checks/shapes/google_site.ttl, "Site name"): the site's
WebSite that breaks no rule, then one broken thing at a time, each with exactly the
findings it must give (rule, node, line)."""

import pytest
from google_findings import edited, family_findings

from clinicgraph import pipeline

GOOD = """- type: WebSite
  id: "#website"
  url: "https://clinic.example/"
  name: "Harbour Chiropractic"
  alternateName: ["Harbour Chiro", "HC"]
- type: WebPage
  id: "about/#webpage"
  url: "https://clinic.example/about/"
  isPartOf: {id: "#website"}
"""


def findings(load, text: str) -> list[tuple]:
    return family_findings(load, {"site.yaml": text}, ("google/site-name-",))


def test_a_good_website_breaks_no_rule(load):
    assert findings(load, GOOD) == []


CASES = {
    "no name": ([('  name: "Harbour Chiropractic"\n', "")], [("google/site-name-name-missing", 1)]),
    "the name again as alternateName": (
        [('"Harbour Chiro"', '"harbour chiropractic"')],
        [("google/site-name-alternate-name-same", 5)],
    ),
    "no url, and pages part of it": (
        [('  url: "https://clinic.example/"\n', "")],
        [("google/site-name-url-missing", 1)],
    ),
    "the url of another page": (
        [('url: "https://clinic.example/"', 'url: "https://clinic.example/home.html"')],
        [("google/site-name-url-not-root", 3)],
    ),
    "the root without its slash": ([('url: "https://clinic.example/"', 'url: "https://clinic.example"')], []),
    # a WebSite neither at the root nor the pages' is another site's: not judged
    "another site": (
        [
            ('url: "https://clinic.example/"', 'url: "https://journal.example/"'),
            ('  isPartOf: {id: "#website"}\n', ""),
        ],
        [],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == [
        (rule, "warning", "#website", line) for rule, line in expected
    ]


def test_several_websites_at_the_root_are_the_wiring_s_finding_not_again_these(make_project):
    """Derivation names them (derive/wiring-website-ambiguous); each is judged as itself."""
    other = GOOD.replace('id: "#website"', 'id: "#site-two"', 1).split("- type: WebPage")[0]
    project = pipeline.open_project(make_project({"site.yaml": GOOD, "two.yaml": other}))
    rules = [d.rule for d in pipeline.validate(project) if "website" in d.rule or "site-name" in d.rule]
    assert rules == ["derive/wiring-website-ambiguous"]


# Google's own example on SN (https://developers.google.com/search/docs/appearance/site-names,
# "Add structured data"), written here from that page: the home page's WebSite.
GOOGLES_EXAMPLE = """{
  "@context" : "https://schema.org",
  "@type" : "WebSite",
  "name" : "Example Company",
  "alternateName" : ["Example Co", "EC"],
  "url" : "https://example.com/"
}
"""


def test_googles_example_breaks_no_rule_and_its_dont_is_caught(load):
    """SN: the WebSite is on the home page, its url the home page's, not another page's."""
    toml = '[site]\nurl = "https://example.com/"\n'
    page = {
        "home.jsonld": GOOGLES_EXAMPLE.replace(
            '"WebSite",', '"WebSite", "@id": "https://example.com/#website",'
        )
    }
    about = {
        "about.yaml": 'type: WebPage\nid: "about/"\nurl: "https://example.com/about/"\nisPartOf: {id: "#website"}\n'
    }

    def rules(files):
        project = load(files, toml, derive=False)
        return [d.rule for d in pipeline.validate(project) if d.rule.startswith("google/site-name-")]

    assert rules({"home.jsonld": GOOGLES_EXAMPLE}) == []
    assert rules({**page, **about}) == []
    moved = {
        "home.jsonld": page["home.jsonld"].replace('"https://example.com/"', '"https://example.com/about/"')
    }
    assert rules({**moved, **about}) == ["google/site-name-url-not-root"]
