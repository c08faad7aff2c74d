"""The shipped example gets exactly the Google and health findings the real page deserves.

The page (a clinic's article on back spasms) shows the clinic's own star rating and one
review without a reviewer's name, gives no coordinates or opening hours, and says
nothing of when or by whom the article was medically reviewed. Its chiropractor is the
clinic's employee, said from the clinic's side only. Everything else it
models is complete: name, address, an international telephone number, url, image.
"""

import inspect

import pytest

from clinicgraph import pipeline
from clinicgraph.checks.shacl import default_shape_files, load_shapes, run_shapes

SITE = "https://westwoodtotalhealth.example/"
CLINIC, PAGE = "content/clinic.yaml", "content/pages/back-spasms.yaml"

# (rule, node, property, file, the node's first line, the property's line or None),
# lines named by how they start (the example's own comments may move them).
WARNINGS = {
    (
        "google/self-serving-review",
        "#clinic",
        "aggregateRating",
        CLINIC,
        "type: MedicalClinic",
        "aggregateRating:",
    ),
    ("google/self-serving-review", "#clinic", "review", CLINIC, "type: MedicalClinic", "review:"),
    ("google/review-author-missing", "#clinic/review", "author", CLINIC, "  type: Review", None),
    (
        "google/review-date-published-missing",
        "#clinic/review",
        "datePublished",
        CLINIC,
        "  type: Review",
        None,
    ),
    # Dr Wee is the clinic's employee, but his node does not name the clinic (worksFor)
    ("health/practitioner-clinic-missing", "#clinic", "employee", CLINIC, "type: MedicalClinic", "employee:"),
    ("google/local-business-geo-missing", "#clinic", "geo", CLINIC, "type: MedicalClinic", None),
    (
        "google/local-business-opening-hours-missing",
        "#clinic",
        "openingHoursSpecification",
        CLINIC,
        "type: MedicalClinic",
        None,
    ),
    (
        "health/page-last-reviewed-missing",
        "conditions/back-spasms/#webpage",
        "lastReviewed",
        PAGE,
        "type: MedicalWebPage",
        None,
    ),
    (
        "health/page-reviewed-by-missing",
        "conditions/back-spasms/#webpage",
        "reviewedBy",
        PAGE,
        "type: MedicalWebPage",
        None,
    ),
}
# Google lists priceRange as recommended; a clinic without prices gets a note only.
INFOS = {
    (
        "google/local-business-price-range-missing",
        "#clinic",
        "priceRange",
        CLINIC,
        "type: MedicalClinic",
        None,
    )
}


def line_starting(path, start: str) -> int:
    [number] = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.startswith(start)]
    return number


@pytest.fixture(scope="module", params=["built-in vocabulary", "release vocabulary"])
def found(request, example_dir, schemaorg_dir):
    release = schemaorg_dir / "schemaorg-current-https.ttl" if request.param == "release vocabulary" else None
    project = pipeline.open_project(example_dir, schemaorg=release)
    return project, run_shapes(project, load_shapes(default_shape_files()))


def _expected(project, rows):
    by_property = len(inspect.signature(project.where).parameters) >= 2
    return {
        (
            rule,
            SITE + node,
            prop,
            (project.root / file).as_posix(),
            line_starting(
                project.root / file, property_start if by_property and property_start else node_start
            ),
        )
        for rule, node, prop, file, node_start, property_start in rows
    }


def _got(found, severity):
    return {(d.rule, d.node, d.property, d.file, d.line) for d in found if d.severity == severity}


def test_example_has_no_errors(found):
    assert _got(found[1], "error") == set()


def test_example_gets_exactly_the_warnings_the_page_deserves(found):
    project, diagnostics = found
    assert _got(diagnostics, "warning") == _expected(project, WARNINGS)
    assert _got(diagnostics, "info") == _expected(project, INFOS)


def test_the_self_serving_warning_cites_the_policy(found):
    [first, *_] = [d for d in found[1] if d.rule == "google/self-serving-review"]
    assert "Westwood Total Health" in first.message
    assert "not show review stars" in first.message
    assert (
        "https://developers.google.com/search/docs/appearance/structured-data/review-snippet" in first.message
    )
