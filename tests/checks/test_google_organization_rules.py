"""Google's Organization rules (checks/shapes/google_site.ttl, "Organization", and
checks/organization.py): an organization that breaks no rule, then one broken thing at
a time, each with exactly the findings it must give (rule, node, line)."""

import io

import pytest
from google_findings import edited

from clinicgraph.checks import run_checks
from clinicgraph.checks.organization import lei_valid

GOOD = """- type: MedicalClinic
  id: "#clinic"
  name: "Harbour Chiropractic"
  url: "https://clinic.example/"
  logo: "img/logo.png"
  sameAs: ["https://www.facebook.com/harbourchiro", "https://www.yelp.com/biz/harbour-chiro"]
  duns: "150483782"
  iso6523Code: "0199:5493001KJTIIGC8Y1R12"
  leiCode: "5493001KJTIIGC8Y1R12"
  taxID: "123456789 RT0001"
  address: {type: PostalAddress, addressCountry: CA}
- type: WebSite
  id: "#website"
  url: "https://clinic.example/"
  name: "Harbour Chiropractic"
  publisher: {id: "#clinic"}
"""


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG")
    return out.getvalue()


def findings(load, text: str, logo: bytes | None = None, toml: str | None = None) -> list[tuple]:
    files: dict = {"org.yaml": text, "img/logo.png": png(200, 200) if logo is None else logo}
    project = load(files, derive=False) if toml is None else load(files, toml, derive=False)
    return [
        (d.rule, d.severity, (d.node or "").removeprefix(project.site.url), d.line)
        for d in run_checks(project)
        if d.rule.startswith("google/organization-")
    ]


def test_a_good_organization_breaks_no_rule(load):
    assert findings(load, GOOD) == []


CASES = {
    "no logo": ([('  logo: "img/logo.png"\n', "")], [("google/organization-logo-missing", "warning", 1)]),
    "no url": (
        [('  url: "https://clinic.example/"\n  logo', "  logo")],
        [("google/organization-url-missing", "warning", 1)],
    ),
    "a logo as an image without its url": (
        [('logo: "img/logo.png"', "logo: {type: ImageObject, width: 200}")],
        [("google/organization-logo-no-url", "warning", 5)],
    ),
    "a logo as an image with its url": (
        [('logo: "img/logo.png"', 'logo: {type: ImageObject, contentUrl: "img/logo.png"}')],
        [],
    ),
    "a logo elsewhere (not measured)": ([("img/logo.png", "https://cdn.example/logo.png")], []),
    "sameAs the site itself": (
        [("https://www.yelp.com/biz/harbour-chiro", "https://clinic.example/about/")],
        [("google/organization-same-as-not-a-profile", "warning", 6)],
    ),
    "sameAs no web page": (
        [("https://www.yelp.com/biz/harbour-chiro", "mailto:desk@clinic.example")],
        [("google/organization-same-as-not-a-profile", "warning", 6)],
    ),
    "a DUNS number of 8 digits": (
        [('duns: "150483782"', 'duns: "15048378"')],
        [("google/organization-duns-format", "error", 7)],
    ),
    "a DUNS number as D&B prints it": ([('duns: "150483782"', 'duns: "15-048-3782"')], []),
    "an ISO 6523 code without its ICD": (
        [('iso6523Code: "0199:', 'iso6523Code: "')],
        [("google/organization-iso6523-format", "error", 8)],
    ),
    "an LEI with a wrong check digit": (
        [('leiCode: "5493001KJTIIGC8Y1R12"', 'leiCode: "5493001KJTIIGC8Y1R13"')],
        [("google/organization-lei-code-invalid", "error", 9)],
    ),
    "an LEI too short": (
        [('leiCode: "5493001KJTIIGC8Y1R12"', 'leiCode: "5493001KJTIIGC8Y1R"')],
        [("google/organization-lei-code-invalid", "error", 9)],
    ),
    "a Canadian business number of 8 digits": (
        [("123456789 RT0001", "12345678")],
        [("google/organization-tax-id-format", "warning", 10)],
    ),
    "a US EIN": ([("123456789 RT0001", "12-3456789"), ("addressCountry: CA", "addressCountry: US")], []),
    "a US EIN without its hyphen": (
        [("123456789 RT0001", "123456789"), ("addressCountry: CA", "addressCountry: US")],
        [("google/organization-tax-id-format", "warning", 10)],
    ),
    "a tax id where no country is known": (
        [("123456789 RT0001", "12345678"), ("addressCountry: CA", "")],
        [],
    ),
    "a country as a Country node": (
        [
            ("123456789 RT0001", "12345678"),
            ("addressCountry: CA", "addressCountry: {type: Country, name: CA}"),
        ],
        [("google/organization-tax-id-format", "warning", 10)],
    ),
    "a German VAT id": (
        [
            ('taxID: "123456789 RT0001"', 'vatID: "DE 123 456 789"'),
            ("addressCountry: CA", "addressCountry: DE"),
        ],
        [],
    ),
    "a Greek VAT id with GR": (
        [('taxID: "123456789 RT0001"', 'vatID: "GR123456789"'), ("addressCountry: CA", "addressCountry: GR")],
        [("google/organization-vat-id-format", "warning", 10)],
    ),
    # a page's organization that is not the site's: its recommendations are not asked of it,
    # the forms of its values are
    "another organization": (
        [
            ('  url: "https://clinic.example/"\n  logo: "img/logo.png"\n', ""),
            ('  publisher: {id: "#clinic"}\n', ""),
            ('duns: "150483782"', 'duns: "1"'),
        ],
        [("google/organization-duns-format", "error", 5)],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_thing_gives_its_finding(load, case):
    edits, expected = CASES[case]
    assert findings(load, edited(GOOD, edits)) == [
        (rule, severity, "#clinic", line) for rule, severity, line in expected
    ]


def test_a_logo_file_smaller_than_112_pixels_each_way_is_a_warning(load):
    assert findings(load, GOOD, png(300, 111)) == [
        ("google/organization-logo-too-small", "warning", "#clinic", 5)
    ]
    assert findings(load, GOOD, png(112, 112)) == []
    assert findings(load, GOOD, b"<svg xmlns='http://www.w3.org/2000/svg'/>") == []  # not measured


@pytest.mark.parametrize(
    "code", ["5493001KJTIIGC8Y1R12", "724500PMK2A2M1SQQ228", "529900T8BM49AURSDO55", "HWUPKR0MPOU8FGXBT394"]
)
def test_real_leis_have_their_check_digits(code):
    """LEIs of GLEIF's register (GLEIF itself, Google's example's, Deutsche Börse, Apple)."""
    assert lei_valid(code)
    assert not lei_valid(code[:-1] + str((int(code[-1]) + 1) % 10))


# Google's own example on OR (https://developers.google.com/search/docs/appearance/structured-data/organization,
# "Example"), written here from that page: the organization of www.example.com.
GOOGLES_EXAMPLE = """{
  "@context": "https://schema.org",
  "@type": "Organization",
  "image": "https://www.example.com/example_image.jpg",
  "url": "https://www.example.com",
  "sameAs": ["https://example.net/profile/example1234", "https://example.org/example1234"],
  "logo": "https://www.example.com/images/logo.png",
  "name": "Example Corporation",
  "description": "The example corporation is well-known for producing high-quality widgets",
  "email": "contact@example.com",
  "telephone": "+47-99-999-9999",
  "address": {
    "@type": "PostalAddress",
    "streetAddress": "Rue Improbable 99",
    "addressLocality": "Paris",
    "addressCountry": "FR",
    "addressRegion": "Ile-de-France",
    "postalCode": "75001"
  },
  "vatID": "FR12345678901",
  "iso6523Code": "0199:724500PMK2A2M1SQQ228"
}
"""
EXAMPLE_TOML = '[site]\nurl = "https://www.example.com/"\n'


def test_googles_example_organization_breaks_no_rule(load):
    files = {"org.jsonld": GOOGLES_EXAMPLE}
    project = load(files, EXAMPLE_TOML, derive=False)
    assert [d for d in run_checks(project) if d.rule.startswith("google/organization-")] == []


@pytest.mark.parametrize(
    "edit, rule",
    [
        (('"FR12345678901"', '"12345678901"'), "google/organization-vat-id-format"),
        (('"0199:724500PMK2A2M1SQQ228"', '"724500PMK2A2M1SQQ228"'), "google/organization-iso6523-format"),
        (
            ('"https://example.org/example1234"', '"https://www.example.com/about"'),
            "google/organization-same-as-not-a-profile",
        ),
    ],
)
def test_what_googles_example_must_not_be_is_caught(load, edit, rule):
    """OR: a VAT id with its country's prefix, an ISO 6523 code with its ICD, sameAs pages
    on other websites."""
    project = load({"org.jsonld": edited(GOOGLES_EXAMPLE, [edit])}, EXAMPLE_TOML, derive=False)
    assert [d.rule for d in run_checks(project) if d.rule.startswith("google/organization-")] == [rule]
