"""Google's Organization rules that SPARQL cannot say: an LEI's check digits, the size
of a logo that is a file of the project's site, and the form of a tax or VAT id where
the organization's country is known. The rest are shapes (``shapes/google_site.ttl``).

A logo is measured when it is a file of the project: a URL under the site (a relative
path in a source is one once loaded) naming a file under the project's folder. Pillow
reads the size from the file's header (PNG, JPEG, GIF, WebP, AVIF ... alike, without
decoding the image); a file it cannot read (SVG, no image) is not judged. Every value
is judged on every Organization (a LocalBusiness too): a wrong identifier is wrong
wherever it is written.

The countries whose ids are judged are a small table (``VAT_PREFIXES``, ``TAX_IDS``):
the country is the organization's address's ``addressCountry`` as an ISO 3166-1 code
(text, or a Country's ``identifier`` or ``name``); with none, or several, nothing is judged.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pyoxigraph import Literal, NamedNode

from clinicgraph.checks.context import CheckContext
from clinicgraph.checks.diagnostic import Diagnostic
from clinicgraph.checks.registry import rule
from clinicgraph.core.errors import ClinicgraphError
from clinicgraph.graph.project import Project
from clinicgraph.site.files import inside
from clinicgraph.vocab.namespaces import RDF_TYPE, SCHEMA

ORGANIZATION_PAGE = "https://developers.google.com/search/docs/appearance/structured-data/organization"
LEI_INVALID = rule(
    "google/organization-lei-code-invalid",
    "error",
    "an leiCode that is not an LEI: 20 letters and digits whose last two are ISO 17442's check digits",
    cites="https://www.iso.org/standard/78829.html",
)
LOGO_TOO_SMALL = rule(
    "google/organization-logo-too-small",
    "warning",
    "a logo that is a file of the site smaller than the 112 x 112 pixels Google asks for",
    cites=ORGANIZATION_PAGE,
)
VAT_ID_FORMAT = rule(
    "google/organization-vat-id-format",
    "warning",
    "a vatID that does not start with its country's VAT prefix (EU member states, GB)",
    cites="https://taxation-customs.ec.europa.eu/taxation/vat/vies-vat-information-exchange-system_en",
)
TAX_ID_FORMAT = rule(
    "google/organization-tax-id-format",
    "warning",
    "a taxID not in its country's form (US: an EIN, 12-3456789; CA: a business number, 9 digits)",
    cites=ORGANIZATION_PAGE,
)

LOGO_MIN = 112  # pixels, each way (OR: "The image must be 112x112px, at minimum")
# The VAT prefix of each EU member state (its ISO code, but Austria's ATU and Greece's EL)
# and of the United Kingdom.
_SAME_PREFIX: tuple[str, ...] = ("BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "HR", "HU")
_SAME_PREFIX += ("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "GB")
VAT_PREFIXES = {**dict(zip(_SAME_PREFIX, _SAME_PREFIX, strict=True)), "AT": "ATU", "GR": "EL"}
TAX_IDS = {  # country: (the form, as people read it)
    "US": (re.compile(r"[0-9]{2}-[0-9]{7}"), "an EIN, two digits, a hyphen and seven digits: 12-3456789"),
    "CA": (
        re.compile(r"[0-9]{9}( ?[A-Z]{2} ?[0-9]{4})?"),
        "a business number, nine digits (with a program account: 123456789 RT0001)",
    ),
}

_VALUES = ("leiCode", "taxID", "vatID", "logo")


def check_organizations(project: Project, context: CheckContext) -> list[Diagnostic]:
    found = []
    for org, predicate, value, image, countries in _values(project):
        name = predicate.value.removeprefix(SCHEMA)
        if name == "leiCode":
            found += _lei(context, org, predicate, value)
        elif name == "logo":
            found += _logo(project, context, org, predicate, image or value)
        elif len(countries) == 1:
            found += _tax(context, org, predicate, value, countries.pop())
    return found


def _values(project: Project):
    """(organization, predicate, value, the image of a logo node, its countries) of the
    values these rules judge, asked of the store once."""
    types = " ".join(f"<{SCHEMA}{name}>" for name in sorted(project.vocabulary.subtypes("Organization")))
    query = f"""SELECT ?org ?p ?value ?image (GROUP_CONCAT(DISTINCT ?country; separator=" ") AS ?countries)
        WHERE {{
            VALUES ?p {{ {" ".join(f"<{SCHEMA}{name}>" for name in _VALUES)} }}
            ?org ?p ?value .
            FILTER EXISTS {{ VALUES ?type {{ {types} }} ?org <{RDF_TYPE}> ?type }}
            OPTIONAL {{ ?value <{SCHEMA}url>|<{SCHEMA}contentUrl> ?image FILTER (?p = <{SCHEMA}logo>) }}
            OPTIONAL {{
                ?org <{SCHEMA}address>/<{SCHEMA}addressCountry> ?written .
                OPTIONAL {{ ?written <{SCHEMA}identifier>|<{SCHEMA}name> ?named }}
                BIND (UCASE(STR(COALESCE(?named, ?written))) AS ?country)
                FILTER (REGEX(?country, "^[A-Z]{{2}}$"))
            }}
        }} GROUP BY ?org ?p ?value ?image"""
    for row in project.store.query(query):
        countries = set(row["countries"].value.split()) if row["countries"] is not None else set()
        yield row["org"], row["p"], row["value"], row["image"], countries


def lei_valid(code: str) -> bool:
    """ISO 17442: 20 capital letters and digits, the last two check digits by ISO 7064
    MOD 97-10 (letters as 10..35, the whole number modulo 97 is 1)."""
    if not re.fullmatch(r"[0-9A-Z]{18}[0-9]{2}", code):
        return False
    return int("".join(str(int(char, 36)) for char in code)) % 97 == 1


def _lei(context: CheckContext, org, predicate, value) -> list[Diagnostic]:
    if isinstance(value, Literal) and lei_valid(value.value):
        return []
    return [
        LEI_INVALID.about(
            context.locate,
            org,
            predicate,
            f"leiCode {value.value!r} is not an LEI: 20 letters and digits, the last two its check digits",
            value.value,
            'Copy the organization\'s LEI from the GLEIF register (search.gleif.org), e.g. "5493001KJTIIGC8Y1R12".',
        )
    ]


def _logo(project: Project, context: CheckContext, org, predicate, image) -> list[Diagnostic]:
    size = _image_size(project, image) if isinstance(image, NamedNode) else None
    if size is None or min(size) >= LOGO_MIN:
        return []
    width, height = size
    return [
        LOGO_TOO_SMALL.about(
            context.locate,
            org,
            predicate,
            f"The logo {image.value} is {width} x {height} pixels; Google asks for at least "
            f"{LOGO_MIN} x {LOGO_MIN}.",
            image.value,
            f"Use a logo image of at least {LOGO_MIN} x {LOGO_MIN} pixels (a square one shows best).",
        )
    ]


def _image_size(project: Project, url: NamedNode) -> tuple[int, int] | None:
    """The size of the image file a site URL names in the project, if it is one."""
    site = project.site.url
    if not url.value.startswith(site):
        return None
    relpath = unquote(urlsplit(url.value[len(site) :]).path)
    try:
        path = inside(project.root.resolve(), Path(project.root), relpath)
    except ClinicgraphError:
        return None
    if not path.is_file():
        return None
    from PIL import Image, UnidentifiedImageError  # only when a logo is a file of the site

    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return None


def _tax(context: CheckContext, org, predicate, value, country: str) -> list[Diagnostic]:
    written = value.value if isinstance(value, Literal) else None
    if written is None:
        return []
    if predicate.value == SCHEMA + "vatID":
        prefix = VAT_PREFIXES.get(country)
        compact = re.sub(r"[ .-]", "", written.upper())
        if prefix is None or re.fullmatch(re.escape(prefix) + r"[0-9A-Z+*]{2,13}", compact):
            return []
        return [
            VAT_ID_FORMAT.about(
                context.locate,
                org,
                predicate,
                f"vatID {written!r} does not start with {prefix}, the VAT prefix of {country} "
                "(the organization's address country)",
                written,
                f'Write the VAT number with its country prefix, e.g. "{prefix}123456789" '
                "(check it in the EU's VIES).",
            )
        ]
    form = TAX_IDS.get(country)
    if form is None or form[0].fullmatch(written.strip()):
        return []
    return [
        TAX_ID_FORMAT.about(
            context.locate,
            org,
            predicate,
            f"taxID {written!r} is not in the form of {country} (the organization's address country): {form[1]}",
            written,
            f"Write the taxID as {form[1]}.",
        )
    ]
