"""Google's search features, declared once: what markup makes a page carry one, which
rules judge it, and which pages could carry one they do not.

Search Console groups its enhancement reports by feature; ``validate --report
features`` does the same offline, and the docs group the Google rules by it. A page
carries a feature when its JSON-LD document holds a node of the feature's types (or
of their subtypes); a finding counts for a feature when its rule id starts with one of
the feature's prefixes, so a new rule named ``google/organization-...`` counts for
Organization without an edit here. A Google rule of no feature (a date's time zone, a
url that is not the web's) counts for the features of the node it is about.

``COULD_HAVE`` is the short list of pages a feature fits (a page about a clinic with
an address, a page about a person, the home page ...): the report names the pages
that fit one and do not carry it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    name: str  # as Google's search gallery names it
    types: tuple[str, ...]  # schema.org types (with their subtypes) that make a page carry it
    rules: tuple[str, ...]  # prefixes of the ids of the rules that judge it
    cites: str  # Google's page about it
    shown: bool = True  # False: retired by Google, valid markup that no longer shows
    not_types: tuple[str, ...] = ()  # subtypes that are another feature (Recipe is no HowTo)


_GALLERY = "https://developers.google.com/search/docs/appearance/structured-data/"
FEATURES = (
    Feature(
        "Local business",
        ("LocalBusiness",),
        (
            "google/local-business-",
            "google/geo-",
            "google/opening-hours-",
            "google/department-",
            "google/special-hours-",
        ),
        _GALLERY + "local-business",
    ),
    Feature(
        "Review snippet",
        ("Review", "AggregateRating"),
        ("google/review-", "google/aggregate-rating-", "google/rating-", "google/self-serving-review"),
        _GALLERY + "review-snippet",
    ),
    Feature("Breadcrumb", ("BreadcrumbList",), ("google/breadcrumb-",), _GALLERY + "breadcrumb"),
    Feature("Article", ("Article",), ("google/article-",), _GALLERY + "article"),
    Feature("Profile page", ("ProfilePage",), ("google/profile-page-",), _GALLERY + "profile-page"),
    Feature("Video", ("VideoObject",), ("google/video-",), _GALLERY + "video"),
    Feature("Organization", ("Organization",), ("google/organization-",), _GALLERY + "organization"),
    Feature(
        "Site name",
        ("WebSite",),
        ("google/site-name-",),
        "https://developers.google.com/search/docs/appearance/site-names",
    ),
    Feature("Image metadata", ("ImageObject",), ("google/image-",), _GALLERY + "image-license-metadata"),
    Feature("FAQ", ("FAQPage",), ("google/retired-faq",), _GALLERY + "faqpage", shown=False),
    Feature(
        "How-to",
        ("HowTo",),
        ("google/retired-how-to",),
        "https://developers.google.com/search/blog/2023/08/howto-faq-changes",
        shown=False,
        not_types=("Recipe",),
    ),
    Feature(
        "Sitelinks search box",
        ("SearchAction",),
        ("google/retired-sitelinks-search-box",),
        "https://developers.google.com/search/blog/2024/10/sitelinks-search-box",
        shown=False,
    ),
)


def feature_of(rule_id: str) -> Feature | None:
    """The feature a rule's findings count for, by the rule id's prefix."""
    return next((feature for feature in FEATURES if rule_id.startswith(feature.rules)), None)


@dataclass(frozen=True)
class PageView:
    """What the could-have rules look at: a page and what it is about."""

    home: bool  # the site's home page
    subjects: frozenset[str]  # the types (with supertypes) of its mainEntity and about
    addressed: bool  # one of its mainEntity or about has an address


@dataclass(frozen=True)
class CouldHave:
    feature: str  # a Feature's name
    fits: str  # the pages it fits, said for people
    test: Callable[[PageView], bool]


COULD_HAVE = (
    CouldHave(
        "Local business",
        "a page about an organization with an address",
        lambda page: "Organization" in page.subjects and page.addressed,
    ),
    CouldHave(
        "Profile page",
        "a page about a person",
        lambda page: bool({"Person", "IndividualPhysician"} & page.subjects),
    ),
    CouldHave("Breadcrumb", "a page below the home page", lambda page: not page.home),
    CouldHave("Organization", "the home page", lambda page: page.home),
    CouldHave("Site name", "the home page", lambda page: page.home),
)
