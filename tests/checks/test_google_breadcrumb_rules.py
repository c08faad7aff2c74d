"""Google's breadcrumb rules (checks/shapes/google.ttl, "Breadcrumb"): a hand-written
trail that breaks no rule, then one broken thing at a time, each with exactly the
findings it must give (rule, node, line)."""

import pytest
from google_findings import edited, family_findings

GOOD = """type: WebPage
id: "a/b/#webpage"
url: "https://clinic.example/a/b/"
name: "B"
breadcrumb:
  type: BreadcrumbList
  id: "a/b/#trail"
  itemListElement:
    - type: ListItem
      id: "#home"
      position: 1
      name: "Home"
      item: {id: "https://clinic.example/"}
    - type: ListItem
      id: "#a"
      position: 2
      item: {id: "a/#webpage", type: WebPage, name: "A", url: "https://clinic.example/a/"}
    - type: ListItem
      id: "#b"
      position: "3"
      name: "B"
"""


def findings(load, text: str) -> list[tuple]:
    return family_findings(load, {"page.yaml": text}, ("google/breadcrumb",))  # the trails as written


def test_a_good_trail_breaks_no_rule(load):
    """Names from the item (Search Console: "either name or item.name"), a position
    written as text, and no item on the last level (Google takes the page's URL)."""
    assert findings(load, GOOD) == []


CASES = {
    "no items": (
        [(GOOD[GOOD.index("  itemListElement:") :], "  name: 'empty'\n")],
        [("google/breadcrumb-items-missing", "a/b/#trail", 6)],
    ),
    "a text crumb": (
        [('    - type: ListItem\n      id: "#b"\n      position: "3"\n      name: "B"\n', '    - "B"\n')],
        [("google/breadcrumb-item-not-list-item", "a/b/#trail", 8)],
    ),
    "no position": ([("      position: 1\n", "")], [("google/breadcrumb-position-missing", "#home", 9)]),
    "position zero": (
        [("position: 1", "position: 0")],
        [("google/breadcrumb-position-invalid", "#home", 11)],
    ),
    "position a word": (
        [("position: 1", "position: first")],
        [("google/breadcrumb-position-invalid", "#home", 11)],
    ),
    "position a fraction": (
        [("position: 1", "position: 1.5")],
        [("google/breadcrumb-position-invalid", "#home", 11)],
    ),
    "no name": ([('      name: "Home"\n', "")], [("google/breadcrumb-name-missing", "#home", 9)]),
    "no name, nor the item's": ([(', name: "A"', "")], [("google/breadcrumb-name-missing", "#a", 14)]),
    "no item but last": (
        [('      item: {id: "https://clinic.example/"}\n', "")],
        [("google/breadcrumb-item-missing", "#home", 9)],
    ),
    "an item that is no URL": (
        [('item: {id: "https://clinic.example/"}', 'item: "home"')],
        [("google/breadcrumb-item-invalid", "#home", 13)],
    ),
    "an item whose id is no web address": (
        [('item: {id: "https://clinic.example/"}', 'item: {id: "urn:x:home"}')],
        [("google/breadcrumb-item-invalid", "#home", 13)],
    ),
    "the same with a url": (
        [
            (
                'item: {id: "https://clinic.example/"}',
                'item: {id: "urn:x:home", type: WebPage, url: "https://clinic.example/"}',
            )
        ],
        [],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == [
        (rule, "warning", node, line) for rule, node, line in expected
    ]


def test_an_item_without_id_or_url_gives_no_url(load):
    """A blank node (JSON-LD without @id, Turtle's brackets) names no URL unless it has one."""
    turtle = """@prefix schema: <http://schema.org/> .
<https://clinic.example/#trail> a schema:BreadcrumbList ;
    schema:itemListElement <https://clinic.example/#home> , <https://clinic.example/#last> .
<https://clinic.example/#home> a schema:ListItem ; schema:position 1 ; schema:name "Home" ;
    schema:item [ a schema:WebPage ; schema:name "H" ] .
<https://clinic.example/#last> a schema:ListItem ; schema:position 2 ; schema:name "Last" .
"""
    family = ("google/breadcrumb",)
    assert family_findings(load, {"page.ttl": turtle}, family) == [
        ("google/breadcrumb-item-invalid", "warning", "#home", 5)
    ]
    fixed = turtle.replace('schema:name "H" ]', 'schema:name "H" ; schema:url <https://clinic.example/> ]')
    assert family_findings(load, {"page.ttl": fixed}, family) == []
