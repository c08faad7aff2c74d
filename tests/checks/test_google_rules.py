"""The Google rich-result rules (checks/shapes/google.ttl), one broken input per rule.

Every case starts from ``cases/good`` (a review site about a dentist, which breaks no
rule), changes one thing, and must yield exactly the diagnostics listed: rule id,
severity, node and the line where the node (or, when the project can say it, the
property) is written.
"""

import inspect
import shutil
from pathlib import Path

import pytest

from clinicgraph import pipeline
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes

GOOD = Path(__file__).parent / "cases" / "good"
SITE = "https://reviews.example/"
B, S, P = "content/business.yaml", "content/site.yaml", "content/page.yaml"

RATED_PRODUCT = """type: AggregateRating
id: "#product-rating"
ratingValue: 4
reviewCount: 3
itemReviewed:
  type: Product
"""
REVIEW = """type: Review
id: "#loose-review"
datePublished: "2026-02-14"
author: {type: Person, name: "Sam"}
reviewRating: {type: Rating, ratingValue: 3}
"""

# A Rating that rates no review or item: an energy class on a certification (schema.org's
# example eg-0483), and a rating of its own scale without the scale stated.
CERTIFICATION = """type: Certification
id: "#eprel"
name: "EPREL"
certificationRating:
  - {type: Rating, ratingValue: "E", bestRating: "A", worstRating: "G"}
  - {type: Rating, ratingValue: 7}
"""

# case: (edits, expected). An edit is (file, old text, new text); old None writes a new
# file. Expected: (rule, severity, node after the site URL, (file, node line text,
# property line text or None)).
CASES = {
    # A nameless business is also a nameless rated and reviewed item.
    "name-missing": (
        [(B, 'name: "Smile Dental"\n', "")],
        [
            ("google/local-business-name-missing", "warning", "#dentist", (B, "type: Dentist", None)),
            (
                "google/aggregate-rating-item-name-missing",
                "warning",
                "#dentist/aggregateRating",
                (B, "type: AggregateRating", None),
            ),
            ("google/review-item-name-missing", "warning", "#dentist/review-1", (B, "- type: Review", None)),
        ],
    ),
    "address-missing": (
        [
            (
                B,
                'address:\n  type: PostalAddress\n  streetAddress: "1 Main Street"\n'
                '  addressLocality: "Coquitlam"\n  addressRegion: "BC"\n  addressCountry: "CA"\n',
                "",
            )
        ],
        [("google/local-business-address-missing", "warning", "#dentist", (B, "type: Dentist", None))],
    ),
    "telephone-missing": (
        [(B, 'telephone: "+1-604-555-0100"\n', "")],
        [("google/local-business-telephone-missing", "warning", "#dentist", (B, "type: Dentist", None))],
    ),
    "telephone-format": (
        [(B, '"+1-604-555-0100"', '"604-555-0100"')],
        [
            (
                "google/local-business-telephone-format",
                "warning",
                "#dentist",
                (B, "type: Dentist", "telephone:"),
            )
        ],
    ),
    "url-missing": (
        [(B, 'url: "https://smile.example/"\n', "")],
        [("google/local-business-url-missing", "warning", "#dentist", (B, "type: Dentist", None))],
    ),
    "geo-missing": (
        [(B, "geo:\n  type: GeoCoordinates\n  latitude: 49.28394\n  longitude: -122.79512\n", "")],
        [("google/local-business-geo-missing", "warning", "#dentist", (B, "type: Dentist", None))],
    ),
    "geo-latitude-missing": (
        [(B, "  latitude: 49.28394\n", "")],
        [("google/geo-coordinates-missing", "warning", "#dentist/geo", (B, "type: GeoCoordinates", None))],
    ),
    "geo-precision": (
        [(B, "latitude: 49.28394", "latitude: 49.2839")],
        [("google/geo-precision", "warning", "#dentist/geo", (B, "type: GeoCoordinates", "latitude:"))],
    ),
    "opening-hours-missing": (
        [
            (
                B,
                (
                    "openingHoursSpecification:\n"
                    "  - type: OpeningHoursSpecification\n"
                    '    dayOfWeek: {id: "schema:Monday"}\n'
                    '    opens: "09:00"\n    closes: "17:30:00"\n'
                    "  - type: OpeningHoursSpecification\n"
                    '    dayOfWeek: "Saturday"\n'
                    '    opens: "10:00"\n    closes: "14:00"\n'
                ),
                "",
            )
        ],
        [("google/local-business-opening-hours-missing", "warning", "#dentist", (B, "type: Dentist", None))],
    ),
    "opening-hours-time": (
        [(B, 'opens: "09:00"', 'opens: "9am"')],
        [
            (
                "google/opening-hours-time-format",
                "warning",
                "#dentist/openingHoursSpecification-1",
                (B, "- type: OpeningHoursSpecification\n    dayOfWeek: {id", 'opens: "9am"'),
            )
        ],
    ),
    "opening-hours-day": (
        [(B, 'dayOfWeek: "Saturday"', 'dayOfWeek: "Samstag"')],
        [
            (
                "google/opening-hours-day-invalid",
                "warning",
                "#dentist/openingHoursSpecification-2",
                (B, '- type: OpeningHoursSpecification\n    dayOfWeek: "Samstag"', "Samstag"),
            )
        ],
    ),
    "opening-hours-day-url": (
        [(B, 'dayOfWeek: "Saturday"', 'dayOfWeek: "https://example.org/Saturday"')],
        [
            (
                "google/opening-hours-day-invalid",
                "warning",
                "#dentist/openingHoursSpecification-2",
                (
                    B,
                    '- type: OpeningHoursSpecification\n    dayOfWeek: "https://example.org/Saturday"',
                    "example.org/Saturday",
                ),
            )
        ],
    ),
    "price-range-missing": (
        [(B, 'priceRange: "$$"\n', "")],
        [("google/local-business-price-range-missing", "info", "#dentist", (B, "type: Dentist", None))],
    ),
    "price-range-too-long": (
        [(B, 'priceRange: "$$"', f'priceRange: "{"$" * 100}"')],
        [
            (
                "google/local-business-price-range-too-long",
                "warning",
                "#dentist",
                (B, "type: Dentist", "priceRange:"),
            )
        ],
    ),
    "image-missing": (
        [(B, 'image: "https://smile.example/photo.jpg"\n', "")],
        [("google/local-business-image-missing", "warning", "#dentist", (B, "type: Dentist", None))],
    ),
    "aggregate-value-missing": (
        [(B, "  ratingValue: 4.5\n", "")],
        [
            (
                "google/aggregate-rating-value-missing",
                "warning",
                "#dentist/aggregateRating",
                (B, "type: AggregateRating", None),
            )
        ],
    ),
    "aggregate-count-missing": (
        [(B, "  reviewCount: 12\n", "")],
        [
            (
                "google/aggregate-rating-count-missing",
                "warning",
                "#dentist/aggregateRating",
                (B, "type: AggregateRating", None),
            )
        ],
    ),
    "aggregate-item-missing": (
        [("content/rating.yaml", None, RATED_PRODUCT.replace("itemReviewed:\n  type: Product\n", ""))],
        [
            (
                "google/aggregate-rating-item-missing",
                "warning",
                "#product-rating",
                ("content/rating.yaml", "type: AggregateRating", None),
            )
        ],
    ),
    "aggregate-item-name-missing": (
        [("content/rating.yaml", None, RATED_PRODUCT)],
        [
            (
                "google/aggregate-rating-item-name-missing",
                "warning",
                "#product-rating",
                ("content/rating.yaml", "type: AggregateRating", None),
            )
        ],
    ),
    "aggregate-out-of-range": (
        [(B, "ratingValue: 4.5", "ratingValue: 6")],
        [
            (
                "google/rating-out-of-range",
                "error",
                "#dentist/aggregateRating",
                (B, "type: AggregateRating", "ratingValue: 6"),
            )
        ],
    ),
    "review-author-missing": (
        [(B, '    author:\n      type: Person\n      name: "Jane Doe"\n', "")],
        [("google/review-author-missing", "warning", "#dentist/review-1", (B, "- type: Review", None))],
    ),
    "review-author-name-missing": (
        [(B, '      name: "Jane Doe"\n', "")],
        [
            (
                "google/review-author-name-missing",
                "warning",
                "#dentist/review-1",
                (B, "- type: Review", "    author:"),
            )
        ],
    ),
    "review-author-name-too-long": (
        [(B, '"Jane Doe"', '"' + "Jane " * 20 + '"')],
        [
            (
                "google/review-author-name-too-long",
                "warning",
                "#dentist/review-1",
                (B, "type: Person", "      name:"),
            )
        ],
    ),
    "review-rating-missing": (
        [(B, "    reviewRating:\n      type: Rating\n      ratingValue: 4\n", "")],
        [("google/review-rating-missing", "warning", "#dentist/review-1", (B, "- type: Review", None))],
    ),
    "review-out-of-range": (
        [(B, "      ratingValue: 4\n", "      ratingValue: 0\n")],
        [
            (
                "google/rating-out-of-range",
                "error",
                "#dentist/review-1/reviewRating",
                (B, "type: Rating", "ratingValue: 0"),
            )
        ],
    ),
    "review-item-missing": (
        [("content/review.yaml", None, REVIEW)],
        [
            (
                "google/review-item-missing",
                "warning",
                "#loose-review",
                ("content/review.yaml", "type: Review", None),
            )
        ],
    ),
    "review-item-name-missing": (
        [("content/review.yaml", None, REVIEW + "itemReviewed: {type: Product}\n")],
        [
            (
                "google/review-item-name-missing",
                "warning",
                "#loose-review",
                ("content/review.yaml", "type: Review", None),
            )
        ],
    ),
    "self-serving-publisher": (
        [(S, 'publisher: {id: "#publisher"}', 'publisher: {id: "#dentist"}')],
        [
            ("google/self-serving-review", "warning", "#dentist", (B, "type: Dentist", "aggregateRating:")),
            ("google/self-serving-review", "warning", "#dentist", (B, "type: Dentist", "review:")),
        ],
    ),
    "self-serving-url": (
        [(B, 'url: "https://smile.example/"', f'url: "{SITE}"')],
        [
            ("google/self-serving-review", "warning", "#dentist", (B, "type: Dentist", "aggregateRating:")),
            ("google/self-serving-review", "warning", "#dentist", (B, "type: Dentist", "review:")),
        ],
    ),
    "self-serving-item-reviewed": (
        [("content/review.yaml", None, REVIEW + 'itemReviewed: {id: "#publisher"}\n')],
        [("google/self-serving-review", "warning", "#publisher", (S, "- type: Organization", None))],
    ),
}

# Changes that must not produce any diagnostic (the rule's edge, on the right side).
CLEAN = {
    "scale-from-best-rating": [(B, "      ratingValue: 4\n", "      ratingValue: 8\n      bestRating: 10\n")],
    "scale-from-worst-rating": [
        (B, "      ratingValue: 4\n", "      ratingValue: 0\n      worstRating: 0\n")
    ],
    "rating-as-percent": [(B, "ratingValue: 4.5", 'ratingValue: "90%"')],
    "telephone-with-spaces": [(B, '"+1-604-555-0100"', '"+1 (604) 555 0100"')],
    "time-with-seconds": [(B, 'opens: "09:00"', 'opens: "09:00:00"')],
    # A DayOfWeek member as its URL written as text (as JSON-LD with schema.org's context gives it).
    "day-as-url-text": [(B, 'dayOfWeek: "Saturday"', 'dayOfWeek: "https://schema.org/Saturday"')],
    "day-as-http-url-text": [(B, 'dayOfWeek: "Saturday"', 'dayOfWeek: "http://schema.org/PublicHolidays"')],
    "day-as-https-iri": [(B, 'dayOfWeek: "Saturday"', 'dayOfWeek: {id: "https://schema.org/Saturday"}')],
    "text-author": [
        (B, '    author:\n      type: Person\n      name: "Jane Doe"\n', '    author: "Jane Doe"\n')
    ],
    "restaurant-is-a-local-business-too": [(B, "type: Dentist", "type: Restaurant")],
    "certification-rating": [("content/certification.yaml", None, CERTIFICATION)],
}


def apply(root: Path, edits) -> None:
    for relpath, old, new in edits:
        path = root / relpath
        if old is None:
            path.write_text(new, encoding="utf-8")
            continue
        text = path.read_text("utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {relpath}"
        path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, relpath: str, marker: str) -> int:
    """The line where ``marker`` (text occurring once in the file) starts."""
    text = (root / relpath).read_text("utf-8")
    assert text.count(marker) == 1, f"{marker!r} must occur once in {relpath}"
    return text[: text.index(marker)].count("\n") + 1


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(default_shape_files())


@pytest.fixture
def broken(tmp_path, schemaorg_dir):
    """broken(edits) -> the good project with the edits applied, loaded."""

    def make(edits):
        root = tmp_path / f"site-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(GOOD, root)
        apply(root, edits)
        return pipeline.open_project(root, schemaorg=schemaorg_dir / "schemaorg-current-https.ttl")

    return make


def expected_line(project, place) -> int:
    """The property's line when the project can tell it (``where(node, predicate)``),
    else the node's."""
    relpath, node_marker, property_marker = place
    by_property = len(inspect.signature(project.where).parameters) >= 2
    return line_of(project.root, relpath, property_marker if property_marker and by_property else node_marker)


def test_the_good_case_breaks_no_rule(broken, shapes):
    assert run_shapes(broken([]), shapes) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_broken_case_yields_its_rule_at_its_line(case, broken, shapes):
    edits, expected = CASES[case]
    project = broken(edits)
    found = run_shapes(project, shapes)
    got = sorted((d.rule, d.severity, d.node, d.file, d.line) for d in found)
    want = sorted(
        (rule, severity, SITE + node, (project.root / place[0]).as_posix(), expected_line(project, place))
        for rule, severity, node, place in expected
    )
    assert got == want
    assert all(d.message and d.hint for d in found)


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_edges_that_are_fine(case, broken, shapes):
    assert run_shapes(broken(CLEAN[case]), shapes) == []


def test_messages_name_the_value_and_scale(broken, shapes):
    [found] = run_shapes(broken(CASES["aggregate-out-of-range"][0]), shapes)
    assert found.message == "The rating 6 is outside its scale 1 to 5."
    assert (found.property, found.value) == ("ratingValue", "6")
    [found] = run_shapes(broken(CASES["telephone-format"][0]), shapes)
    assert "604-555-0100" in found.message and found.value == "604-555-0100"
    assert found.property == "telephone"


def test_self_serving_warning_says_why_and_cites_the_policy(broken, shapes):
    found = run_shapes(broken(CASES["self-serving-url"][0]), shapes)
    assert {d.property for d in found} == {"aggregateRating", "review"}
    for d in found:
        assert "Smile Dental" in d.message and "self-serving" in d.message
        assert (
            "https://developers.google.com/search/docs/appearance/structured-data/review-snippet" in d.message
        )


def test_page_types_listed_in_the_self_serving_rule_are_every_webpage(schemaorg_dir):
    """The rule lists page types by hand (the store has no hierarchy): keep it complete."""
    from clinicgraph.vocab.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(schemaorg_dir / "schemaorg-current-https.ttl")
    text = default_shape_files()[0].read_text("utf-8")
    listed = text[text.index("?workType IN (") :].split("))", 1)[0]
    names = {
        word.removeprefix("schema:").rstrip(",") for word in listed.split() if word.startswith("schema:")
    }
    assert names == set(vocabulary.subtypes("WebPage")) | {"WebSite"}
