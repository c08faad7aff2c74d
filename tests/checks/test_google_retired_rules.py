"""Retired Google features (checks/shapes/google_content.ttl, "Retired features"): valid
markup that Search no longer shows gives one info each, and only that."""

from google_findings import family_findings

FAQ = """type: FAQPage
id: "faq/#webpage"
url: "https://clinic.example/faq/"
mainEntity:
  - type: Question
    name: "Do I need a referral?"
    acceptedAnswer: {type: Answer, text: "No."}
"""
HOWTO = """type: HowTo
id: "#stretch"
name: "How to stretch your back"
step: [{type: HowToStep, text: "Lie down."}]
"""
RECIPE = """type: Recipe
id: "#smoothie"
name: "Anti-inflammatory smoothie"
"""
SITE = """type: WebSite
id: "#site"
url: "https://clinic.example/"
name: "Harbour Clinic"
potentialAction:
  type: SearchAction
  target: "https://clinic.example/search?q={search_term_string}"
"""


def findings(load, text: str) -> list[tuple]:
    return family_findings(load, {"page.yaml": text}, ("google/retired-",))


def test_an_faq_page_is_retired(load):
    assert findings(load, FAQ) == [("google/retired-faq", "info", "faq/#webpage", 1)]


def test_a_how_to_is_retired(load):
    assert findings(load, HOWTO) == [("google/retired-how-to", "info", "#stretch", 1)]


def test_a_recipe_is_a_how_to_with_a_live_result(load):
    assert findings(load, RECIPE) == []


def test_a_sitelinks_search_box_is_retired(load):
    assert findings(load, SITE) == [("google/retired-sitelinks-search-box", "info", "#site", 5)]


def test_a_web_site_without_a_search_action_is_not(load):
    assert findings(load, SITE[: SITE.index("potentialAction")]) == []
