"""Google's Review snippet rules added for issue 16 (checks/shapes/google.ttl): a review
without its date, several reviews of one item without an aggregate rating. Google's own
documented examples first, then one broken thing at a time with exactly its findings."""

import json

import pytest
from google_findings import edited, family_findings

PREFIXES = ("google/review-", "google/aggregate-rating-")

# Google's documented JSON-LD examples, written from the Review snippet page
# (https://developers.google.com/search/docs/appearance/structured-data/review-snippet):
# a simple review, reviews nested in a product with its aggregate rating, an aggregate
# rating of its own. Google's simple review gives no datePublished, which the page lists
# as recommended: a warning, no error.
SIMPLE_REVIEW = {
    "@context": "https://schema.org/",
    "@type": "Review",
    "itemReviewed": {
        "@type": "Restaurant",
        "image": "https://www.example.com/seafood-restaurant.jpg",
        "name": "Legal Seafood",
        "servesCuisine": "Seafood",
        "priceRange": "$$$",
        "telephone": "1234567",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "123 William St",
            "addressLocality": "New York",
            "addressRegion": "NY",
            "postalCode": "10038",
            "addressCountry": "US",
        },
    },
    "reviewRating": {"@type": "Rating", "ratingValue": 4},
    "name": "A good seafood place.",
    "author": {"@type": "Person", "name": "Bob Smith"},
    "publisher": {"@type": "Organization", "name": "Washington Times"},
}
NESTED_REVIEWS = {
    "@context": "https://schema.org/",
    "@type": "Product",
    "brand": {"@type": "Brand", "name": "Penguin Books"},
    "description": "The Catcher in the Rye is a classic coming-of-age story.",
    "sku": "9780241984758",
    "mpn": "925872",
    "image": "https://www.example.com/catcher-in-the-rye-book-cover.jpg",
    "name": "The Catcher in the Rye",
    "review": [
        {
            "@type": "Review",
            "reviewRating": {"@type": "Rating", "ratingValue": 5},
            "author": {"@type": "Person", "name": "John Doe"},
        },
        {
            "@type": "Review",
            "reviewRating": {"@type": "Rating", "ratingValue": 1},
            "author": {"@type": "Person", "name": "Jane Doe"},
        },
    ],
    "aggregateRating": {"@type": "AggregateRating", "ratingValue": 88, "bestRating": 100, "ratingCount": 20},
}
AGGREGATE_RATING = {
    "@context": "https://schema.org/",
    "@type": "AggregateRating",
    "itemReviewed": {
        "@type": "Book",
        "image": "https://example.com/photos/1x1/catcher-in-the-rye.jpg",
        "name": "The Catcher in the Rye",
    },
    "ratingValue": 88,
    "bestRating": 100,
    "ratingCount": 20,
}


def findings(load, files: dict) -> list[tuple]:
    return sorted(
        (rule, severity, line) for rule, severity, _, line in family_findings(load, files, PREFIXES)
    )


@pytest.mark.parametrize(
    "example, expected",
    [
        (SIMPLE_REVIEW, [("google/review-date-published-missing", "warning", 1)]),
        (
            NESTED_REVIEWS,
            [
                ("google/review-date-published-missing", "warning", 14),
                ("google/review-date-published-missing", "warning", 25),
            ],
        ),
        (AGGREGATE_RATING, []),
    ],
    ids=["simple review", "nested reviews", "aggregate rating"],
)
def test_googles_documented_examples_give_no_error(load, example, expected):
    """Lines are where each node's object opens in the JSON."""
    assert findings(load, {"example.jsonld": json.dumps(example, indent=1)}) == expected


ITEM = """type: Dentist
id: "#dentist"
name: "Smile Dental"
aggregateRating: {type: AggregateRating, ratingValue: 4.5, reviewCount: 2}
review:
  - type: Review
    datePublished: "2026-02-14"
    author: {type: Person, name: "Jane Doe"}
    reviewRating: {type: Rating, ratingValue: 4}
  - type: Review
    datePublished: "2026-03-01"
    author: {type: Person, name: "Sam Roe"}
    reviewRating: {type: Rating, ratingValue: 5}
"""
LOOSE = """- type: Review
  id: "#review-3"
  itemReviewed: {id: "#dentist"}
  datePublished: "2026-03-02"
  author: {type: Person, name: "Ada Poe"}
  reviewRating: {type: Rating, ratingValue: 5}
"""
RATING = "aggregateRating: {type: AggregateRating, ratingValue: 4.5, reviewCount: 2}\n"

CASES = {
    "good": ([], "", []),
    "a review without its date": (
        [('    datePublished: "2026-03-01"\n', "")],
        "",
        [("google/review-date-published-missing", "warning", 10)],
    ),
    "two reviews, no aggregate rating": (
        [(RATING, "")],
        "",
        [("google/review-aggregate-rating-missing", "warning", 1)],
    ),
    "one review, no aggregate rating": (
        [(RATING, ""), (ITEM[ITEM.index('  - type: Review\n    datePublished: "2026-03-01"') :], "")],
        "",
        [],
    ),
    # one nested, one naming the item: two reviews of it all the same
    "reviews written apart": (
        [(RATING, ""), (ITEM[ITEM.index('  - type: Review\n    datePublished: "2026-03-01"') :], "")],
        LOOSE,
        [("google/review-aggregate-rating-missing", "warning", 1)],
    ),
    # an AggregateRating that names the item counts as its aggregate rating
    "the aggregate rating written apart": (
        [(RATING, "")],
        '- type: AggregateRating\n  itemReviewed: {id: "#dentist"}\n  ratingValue: 4.5\n  reviewCount: 2\n',
        [],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, more, expected = CASES[case]
    files = {"item.yaml": edited(ITEM, edits)} | ({"more.yaml": more} if more else {})
    assert findings(load, files) == expected
